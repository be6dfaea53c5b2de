"""Production serving: deploy checks, the health view, gunicorn's settings."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.STORAGES['staticfiles']['BACKEND']); print(s.DATABASES['default']['CONN_MAX_AGE']); "
    "print(s.DATABASES['default']['CONN_HEALTH_CHECKS']); print(s.SESSION_COOKIE_SECURE); "
    "print('whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
)


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "COG_TESTING")}
    env.update(
        # Production has no .env: a developer's own (from `make run`) must not fill gaps here.
        ENV_FILE=os.devnull,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="hardware.example.com",
        DATABASE_URL="postgres://cog:secret@db.example.com:5432/cog",
        DB_CONN_MAX_AGE="60",
        DJANGO_SETTINGS_MODULE="cogproject.settings",
        **extra,
    )
    return env


def test_check_deploy_is_clean_with_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_serves_hashed_compressed_static_files_and_keeps_connections():
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    storage, max_age, health_checks, secure_cookie, whitenoise = result.stdout.split()
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert (max_age, health_checks, secure_cookie, whitenoise) == ("60", "True", "True", "True")


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_gunicorn_workers_follow_the_cpu_count(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["workers"] == (os.cpu_count() or 1) * 2 + 1
    assert config["timeout"] == 30
    assert config["wsgi_app"] == "cogproject.wsgi:application"


@pytest.mark.django_db
def test_the_health_view_answers_without_queries(client, named_queries):
    response, queries = named_queries(client.get, reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert queries == []


def test_the_debug_toolbar_starts_collapsed_in_development():
    env = {k: v for k, v in os.environ.items() if k != "COG_TESTING"}
    env.update(
        ENV_FILE=os.devnull,
        DEBUG="1",
        DEBUG_TOOLBAR="1",
        DJANGO_SETTINGS_MODULE="cogproject.settings",
    )
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print('debug_toolbar' in s.INSTALLED_APPS, s.DEBUG_TOOLBAR_CONFIG['SHOW_COLLAPSED'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]
