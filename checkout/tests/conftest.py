import pytest

from core.models import EventSettings


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
