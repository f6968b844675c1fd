"""The ``hub`` fixture: a real JupyterHub with system users (hub_setup.py)."""

from hub_setup import hub  # noqa: F401 (a fixture)
