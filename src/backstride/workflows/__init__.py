"""Use cases shared by the command line and the web app: the only place domain meets storage.

One module per area (``screening``, ``plans``, ``activities``, ``form``, ``journal``,
``reports``); each takes a :class:`~backstride.workflows.workspace.Workspace` and plain values
and returns plain values.
"""
