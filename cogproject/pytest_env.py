"""A pytest plugin (pyproject.toml: `-p cogproject.pytest_env`), loaded before Django's settings:
a bare `pytest` from the repo root runs with the test settings, as `make test` does."""

import os

os.environ.setdefault("COG_TESTING", "1")
