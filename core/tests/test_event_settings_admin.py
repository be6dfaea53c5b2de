import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from core.models import EventSettings

pytestmark = pytest.mark.django_db


def test_event_settings_changelist_goes_to_the_one_row(admin_client):
    response = admin_client.get(reverse("admin:core_eventsettings_changelist"))
    assert response.status_code == 302
    assert response["Location"].endswith("/core/eventsettings/1/change/")


def test_organisers_edit_every_event_setting(organiser_client):
    url = reverse("admin:core_eventsettings_change", args=[1])
    page = organiser_client.get(url)
    assert page.status_code == 200
    editable = set(page.context["adminform"].form.fields)
    every_setting = {f.name for f in EventSettings._meta.fields if f.name != "id"}
    assert editable == every_setting

    data = {k: v for k, v in model_to_dict(EventSettings.load()).items() if v is not None}
    data.update(
        waitlist_enabled="",
        pickup_expiry_minutes=15,
        proposal_max_length=200,
        lottery_deny_losers="",
    )
    for flag in (
        "show_lottery_quantities",
        "show_checkout_quantities",
        "show_free_quantities",
        "proposal_required",
        "waitlist_auto_approve",
        "lottery_close_when_run",
        "lottery_multiple_entries",
    ):
        data[flag] = "on" if data.get(flag) else ""
    data = {k: v for k, v in data.items() if v != ""}
    assert organiser_client.post(url, data).status_code == 302
    saved = EventSettings.load()
    assert (saved.waitlist_enabled, saved.pickup_expiry_minutes, saved.proposal_max_length) == (
        False,
        15,
        200,
    )
    assert not saved.lottery_deny_losers
