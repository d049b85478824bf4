"""backstride: local-first help for runners to prevent and recover from low back pain.

Nothing here runs at import time; the command line (:mod:`backstride.cli`) and the web app
(:mod:`backstride.web`) are thin edges over the use cases in :mod:`backstride.workflows`.
"""

__version__ = "0.1.0"
