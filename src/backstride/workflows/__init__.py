"""Use cases shared by the command line and the web app: the only place domain meets storage.

One module per area (``screening``, ``plans``, ``activities``, ``form``, ``journal``,
``reports``, ``data``, ``demo``) plus ``assessment`` (what is known about a runner today, read
once); each takes a :class:`~backstride.workflows.workspace.Workspace` and plain values and
returns plain values. They import each other directly.
"""
