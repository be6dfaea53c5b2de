"""The local `.env` file: `make run` writes one, `manage.py` reads it, tests never do.

The subprocess tests import the real settings with a clean environment (no DEBUG, SECRET_KEY or
COG_TESTING inherited from this pytest run), in a copy of the project when they need a `.env`
at its root, so a developer's own `.env` changes nothing here.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCAL_ONLY = (".venv", ".git", ".env", "db.sqlite3", "media", "private", "staticfiles")
CACHES = ("__pycache__", ".pytest_cache", ".ruff_cache", "bench-results")

PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.EVENT_NAME, s.SECRET_KEY)"
)


def clean_env(**extra):
    """Only what a shell needs: none of this pytest run's variables reach the settings."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "cogproject.settings"}
    env.update(extra)
    return env


def run(args, cwd, env):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


def settings_in(cwd, **env):
    return run([sys.executable, "-c", PRINT_SETTINGS], cwd, clean_env(**env))


@pytest.fixture
def project(tmp_path):
    """A copy of the project as a fresh clone has it: no .env, no virtualenv, no database."""
    copy = tmp_path / "cog"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*LOCAL_ONLY, *CACHES))
    return copy


def test_settings_read_the_dot_env_at_the_project_root(project):
    (project / ".env").write_text("DEBUG=1\nEVENT_NAME='Hack Night'\nSECRET_KEY=from-the-file\n")
    result = settings_in(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "True Hack Night from-the-file"


def test_settings_prefer_the_real_environment_to_the_file(project):
    (project / ".env").write_text("DEBUG=1\nEVENT_NAME=FromFile\nSECRET_KEY=from-the-file\n")
    result = settings_in(project, EVENT_NAME="FromEnv", SECRET_KEY="from-the-env")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "FromEnv", "from-the-env"]


def test_env_file_points_the_settings_at_another_file(tmp_path):
    other = tmp_path / "elsewhere.env"
    other.write_text("DEBUG=1\nEVENT_NAME=Elsewhere\nSECRET_KEY=elsewhere-key\n")
    result = settings_in(ROOT, ENV_FILE=str(other))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "Elsewhere", "elsewhere-key"]


def test_an_env_file_that_does_not_exist_stops_the_start(tmp_path):
    result = settings_in(ROOT, ENV_FILE=str(tmp_path / "missing.env"), DEBUG="1")
    assert result.returncode != 0
    assert "missing.env" in result.stderr and "does not exist" in result.stderr


def test_tests_never_read_the_file(tmp_path):
    other = tmp_path / "dev.env"
    other.write_text("EVENT_NAME=FromFile\nSECRET_KEY=from-the-file\n")
    result = settings_in(ROOT, ENV_FILE=str(other), COG_TESTING="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["False", "HackDemo"]


def test_production_without_a_dot_env_still_refuses_to_start_without_a_secret_key(project):
    result = settings_in(project, DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_dot_env_that_turns_debug_off_needs_a_secret_key_too(project):
    (project / ".env").write_text("DEBUG=0\n")
    result = settings_in(project)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_after_make_creates_the_dot_env_manage_py_works_as_the_readme_writes_it(project):
    python = f"PYTHON={sys.executable}"
    planned = run(["make", "-n", python, "run"], project, clean_env())
    assert "cogproject.envfile .env" in planned.stdout  # `make run` makes it first

    made = run(["make", "-s", python, ".env"], project, clean_env())
    assert made.returncode == 0, made.stderr
    first = (project / ".env").read_text()
    result = run([sys.executable, "manage.py", "help"], project, clean_env())
    assert result.returncode == 0, result.stderr
    assert "desk_housekeeping" in result.stdout

    again = run(["make", "-s", python, ".env"], project, clean_env())
    assert again.returncode == 0, again.stderr
    assert (project / ".env").read_text() == first  # never overwritten
