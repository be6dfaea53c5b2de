"""The desk's poll sends only the rows that changed since the version the desk holds."""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.desk import queue_delta
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from core import live

pytestmark = pytest.mark.django_db
POLL = reverse("checkout:live", args=[live.poll_token(live.SHARED)])


def poll(client, held=None, **params):
    headers = {"HTTP_IF_NONE_MATCH": f'"{held}"'} if held else {}
    return client.get(POLL, params, **headers)


def version_of(response):
    return response["ETag"].strip('"')


def row_ids(html):
    return set(re.findall(r'<tr id="(dq-[\w-]+)"', html))


@pytest.fixture
def busy_desk(organiser, django_capture_on_commit_callbacks):
    """30 requests waiting, 3 ready for pickup."""
    entry = stocked_entry(units=40, name="ESP32")
    waiting = [HardwareRequestFactory(entry=entry) for _ in range(33)]
    with django_capture_on_commit_callbacks(execute=True):
        for request in waiting[30:]:
            services.approve_request(hardware_request=request, by=organiser)
    return waiting[:30]


def approve(request, organiser, callbacks):
    with callbacks(execute=True):
        services.approve_request(hardware_request=request, by=organiser)


def test_it_sends_only_the_approved_row_and_the_headings(
    organiser_client, organiser, busy_desk, named_queries, django_capture_on_commit_callbacks
):
    full = poll(organiser_client)
    assert full.status_code == 200
    approved = busy_desk[7]
    approve(approved, organiser, django_capture_on_commit_callbacks)

    response, queries = named_queries(poll, organiser_client, version_of(full))

    # The snapshot's refresh (this process approved: it is out of date); the user; their
    # groups' permissions (can_use_desk); the stats with the version; then the new version's
    # rendering: the queues and the lottery entries. Nothing per row.
    assert queries == [
        "SELECT core_changecounter",
        "SELECT accounts_user",
        "SELECT auth_permission",
        "SELECT core_eventsettings",
        "SELECT checkout_hardwarerequest",
        "SELECT inventory_entry",
    ]
    body = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"  # the queue's element stays; only these swap
    assert f'<template><tr id="dq-pending-{approved.pk}" hx-swap-oob="delete">' in body
    assert f'id="dq-pickup-{approved.pk}"' in body
    assert '<h2 hx-swap-oob="true" id="dq-h-pending">Waiting for approval (29)' in body
    assert '<h2 hx-swap-oob="true" id="dq-h-pickup">Ready for pickup (4)' in body
    assert row_ids(body) == {f"dq-pending-{approved.pk}", f"dq-pickup-{approved.pk}"}
    assert f'data-live-version="{version_of(response)}"' in body
    assert len(body) * 10 < len(full.content)


def test_a_new_row_goes_after_its_neighbour(
    organiser_client, organiser, busy_desk, django_capture_on_commit_callbacks
):
    full = poll(organiser_client)
    with django_capture_on_commit_callbacks(execute=True):
        newest = services.submit_request(user=UserFactory(), entry=stocked_entry(), quantity=1)

    body = poll(organiser_client, version_of(full)).content.decode()

    last = busy_desk[-1]
    after_last = f'<tbody hx-swap-oob="afterend:#dq-pending-{last.pk}">'
    assert f'<template>{after_last}<tr id="dq-pending-{newest.pk}"' in body
    assert row_ids(body) == {f"dq-pending-{newest.pk}"}


def test_it_answers_304_when_the_desk_already_holds_the_current_version(
    organiser_client, busy_desk
):
    held = version_of(poll(organiser_client))
    assert poll(organiser_client, held).status_code == 304


@pytest.mark.parametrize("held", [None, "0.0.0", "an-unknown-version"])
def test_an_unknown_version_gets_the_full_queue(organiser_client, busy_desk, held):
    response = poll(organiser_client, held)
    assert response.status_code == 200
    assert "HX-Reswap" not in response
    assert 'id="desk-queue"' in response.content.decode()
    assert len(row_ids(response.content.decode())) == 33


def test_another_filter_gets_the_full_queue(
    organiser_client, organiser, busy_desk, django_capture_on_commit_callbacks
):
    held = version_of(poll(organiser_client))  # the queues
    approve(busy_desk[0], organiser, django_capture_on_commit_callbacks)
    response = poll(organiser_client, held, show="overdue")
    assert "HX-Reswap" not in response
    assert "Overdue loans (0)" in response.content.decode()


def test_a_table_appearing_gets_the_full_queue(
    organiser_client, organiser, django_capture_on_commit_callbacks
):
    request = HardwareRequestFactory(entry=stocked_entry())
    held = version_of(poll(organiser_client))  # nothing ready for pickup: no table yet
    approve(request, organiser, django_capture_on_commit_callbacks)
    response = poll(organiser_client, held)
    assert "HX-Reswap" not in response
    assert f'<tr id="dq-pickup-{request.pk}"' in response.content.decode()


def test_many_changes_get_the_full_queue(
    organiser_client, organiser, busy_desk, django_capture_on_commit_callbacks
):
    held = version_of(poll(organiser_client))
    with django_capture_on_commit_callbacks(execute=True):
        for request in busy_desk[: queue_delta.MAX_CHANGED]:
            services.approve_request(hardware_request=request, by=organiser)
    response = poll(organiser_client, held)
    assert "HX-Reswap" not in response
    assert 'id="desk-queue"' in response.content.decode()


def rendering(*rows, heading="Queue"):
    body = "".join(f'<tr id="dq-q-{n}"><td>{text}</td></tr>' for n, text in rows)
    return queue_delta.cut(f'<h2 id="dq-h-q">{heading}</h2><table><tbody id="dq-q">{body}</tbody>')


def test_rows_that_stayed_but_moved_get_the_full_queue():
    held = rendering((1, "a"), (2, "b"), (3, "c"))
    assert queue_delta.oob_swaps(held, rendering((2, "b"), (1, "a"), (3, "c")), "v2") is None
    assert queue_delta.oob_swaps(held, rendering((1, "a"), (3, "c")), "v2") is not None


def test_a_new_first_row_goes_at_the_top_of_its_table():
    swaps = queue_delta.oob_swaps(rendering((2, "b")), rendering((1, "a"), (2, "b")), "v2")
    assert swaps.startswith('<template><tbody hx-swap-oob="afterbegin:#dq-q"><tr id="dq-q-1">')


def test_an_unchanged_rendering_sends_only_the_version():
    held = rendering((1, "a"))
    assert queue_delta.oob_swaps(held, rendering((1, "a")), "v2") == queue_delta.version_holder(
        "v2", oob=True
    )
