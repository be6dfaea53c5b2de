"""Shared fixtures: event settings, and a headless Chromium signed in as someone."""

import shutil

import pytest
from django.conf import settings
from django.test import Client

from core.models import EventSettings

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture
def browser():
    driver = start_chromium()
    yield driver
    driver.quit()


def start_chromium(*extra_flags):
    """A headless Chromium (Debian's), with `extra_flags` (e.g. a fake camera)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=412,900",
        *extra_flags,
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def sign_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    browser.get(f"{live_server.url}/static/css/cog.css")  # be on the site to set its cookie
    browser.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )


@pytest.fixture
def event(db):
    return EventSettings.load()


@pytest.fixture
def set_event(db):
    """Change event settings for one test: set_event(waitlist_enabled=False)."""

    def change(**values):
        EventSettings.objects.filter(pk=1).update(**values)
        return EventSettings.load()

    return change


AXE_JS = settings.BASE_DIR / "cogproject" / "tests" / "vendor" / "axe-core" / "axe.min.js"


def axe_violations(browser):
    """axe-core 4.14 (vendored; axe-selenium-python bundles 3.1.1) on the page as it is now:
    every rule, best practices included. Returns ["rule: first offending node", ...]."""
    from axe_selenium_python import Axe

    axe = Axe(browser, script_url=str(AXE_JS))
    axe.inject()
    return [
        f"{violation['id']}: {node['html'][:100]}"
        for violation in axe.run()["violations"]
        for node in violation["nodes"][:3]
    ]


@pytest.fixture
def run_tasks(db):
    """Run every queued task now, in this process (and this test's transaction), with the
    worker's own code, as `manage.py db_worker` does once each one's `run_after` has come
    (not waited for here). Returns the task rows it ran. test_email_worker.py runs the real
    command in its own process."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="pytest",
        excluded_queue_names=[],
    )

    def run():
        ran = []
        while (row := DBTaskResult.objects.filter(status="READY").first()) is not None:
            row.claim(worker.worker_id)
            worker.run_task(row)
            ran.append(row)
        return ran

    return run
