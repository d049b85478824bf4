"""Training load from activities: weekly volume, single-run spikes, week-to-week change,
EWMA acute and chronic load, fitness/fatigue/form, monotony and strain, surfaces and hills,
shoes, and running-dynamics trends. Pure functions over :class:`Activity` values.
"""
