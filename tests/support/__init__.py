"""Test and benchmark helpers that are not part of the installed package.

``fit_writer`` needs ``fit-tool`` (a development extra) and ``synthetic_form`` builds pose
tracks with known answers; neither is used by the program itself. Tests import them as
``support.<module>`` (``tests/`` is on the path through the root ``conftest.py``); the
benchmarks add ``tests/`` to ``sys.path`` themselves.
"""
