"""Outputs for people: the report model, HTML/PDF rendering, SVG charts, plan export, form video and plots."""
