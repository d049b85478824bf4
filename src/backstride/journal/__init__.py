"""The pain journal: check-ins, the daily "run today?" decision, the plan that adapts, progress.

Plain values and pure functions only; storage, workflows and the command line sit at the edges.
"""
