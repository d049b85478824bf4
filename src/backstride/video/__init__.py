"""Video input: probing the container, streaming frames, pose backends, recorded pose tracks.

Nothing heavy is imported here; OpenCV and MediaPipe load only when a video is processed.
"""

import os

from backstride.video.track import PoseTrack

# OpenCV's FFmpeg backend prints its own errors ("moov atom not found") straight to stderr
# before backstride can say the same thing plainly; keep them quiet unless the user asked.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

__all__ = ["PoseTrack"]
