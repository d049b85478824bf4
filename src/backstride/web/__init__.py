"""The web app: ``create_app(settings)`` in ``app.py``, one route module per area."""
