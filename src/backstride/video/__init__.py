"""Video input: probing the container, streaming frames, pose backends, recorded pose tracks.

Nothing heavy is imported here; OpenCV and MediaPipe load only when a video is processed.
"""

from backstride.video.track import PoseTrack

__all__ = ["PoseTrack"]
