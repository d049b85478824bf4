"""Intake: the questionnaire, red-flag triage, pain pattern and screening findings."""
