"""Running-form analysis from a pose track: gait events, per-stride metrics, findings.

Plain values and numpy/scipy only; the video and pose model live in :mod:`backstride.video`.
"""
