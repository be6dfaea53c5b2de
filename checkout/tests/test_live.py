from datetime import timedelta

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import HardwareRequest, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from core import live, live_snapshot

pytestmark = pytest.mark.django_db


def poll_url(scope):
    return reverse("checkout:live", args=[live.poll_token(scope)])


def poll(client, scope, etag=None):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get(poll_url(scope), **headers)


def test_an_idle_poll_is_a_304_with_no_query(client, participant, named_queries, snapshot_clock):
    client.force_login(participant)
    first = poll(client, live.user_scope(participant.pk))
    assert first.status_code == 200

    snapshot_clock.advance(0.1)  # within LIVE_SNAPSHOT_SECONDS (0.5)
    response, queries = named_queries(poll, client, live.user_scope(participant.pk), first["ETag"])

    assert response.status_code == 304
    assert queries == []  # the snapshot's version: no session, no user, no counter
    assert response["ETag"] == first["ETag"]


def test_an_idle_poll_after_the_interval_refreshes_in_one_query(
    client, participant, named_queries, snapshot_clock
):
    client.force_login(participant)
    first = poll(client, live.user_scope(participant.pk))

    snapshot_clock.advance(0.5)
    response, queries = named_queries(poll, client, live.user_scope(participant.pk), first["ETag"])

    assert response.status_code == 304
    assert queries == ["SELECT core_changecounter"]  # rows stamped since, and the time terms


def test_a_poll_sees_a_pickup_deadline_pass_after_the_interval(organiser_client, snapshot_clock):
    # Time passing is in the version as a time term, read in the snapshot's refresh query.
    request = HardwareRequestFactory(status=Status.APPROVED)
    in_an_hour = timezone.now() + timedelta(hours=1)
    models.QuerySet(HardwareRequest).filter(pk=request.pk).update(pickup_deadline=in_an_hour)
    live_snapshot.snapshot.reset()
    etag = poll(organiser_client, live.SHARED)["ETag"]
    # The deadline is now behind us, with no write that bumps anything (a plain QuerySet skips
    # the live bookkeeping, as the clock does).
    a_minute_ago = timezone.now() - timedelta(minutes=1)
    models.QuerySet(HardwareRequest).filter(pk=request.pk).update(pickup_deadline=a_minute_ago)

    assert poll(organiser_client, live.SHARED, etag).status_code == 304
    snapshot_clock.advance(0.5)
    response = poll(organiser_client, live.SHARED, etag)
    assert response.status_code == 200
    assert response["ETag"] == f'"{live.version(live.SHARED)}"'


def test_a_change_makes_the_poll_answer_with_the_new_fragment(
    client, participant, organiser, django_capture_on_commit_callbacks
):
    client.force_login(participant)
    scope = live.user_scope(participant.pk)
    request = HardwareRequestFactory(user=participant, entry=stocked_entry(name="Pico"))
    etag = poll(client, scope)["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_request(hardware_request=request, by=organiser)

    response = poll(client, scope, etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Ready for pickup" in response.content.decode()


def test_the_desk_scope_changes_with_any_request(
    client, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    etag = poll(client, live.SHARED)["ETag"]
    assert poll(client, live.SHARED, etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_request(user=UserFactory(), entry=stocked_entry(), quantity=1)
    response = poll(client, live.SHARED, etag)
    assert response.status_code == 200
    assert "Waiting for approval (1)" in response.content.decode()


def test_a_participant_cannot_poll_someone_elses_page_or_the_desk(client, participant):
    client.force_login(participant)
    other = UserFactory()
    assert poll(client, live.user_scope(other.pk)).status_code == 403
    assert poll(client, live.SHARED).status_code == 403


def test_an_anonymous_poll_gets_nothing(client, participant):
    assert poll(client, live.user_scope(participant.pk)).status_code == 403


@pytest.mark.parametrize("token", ["garbage", "desk", "x" * 300])
def test_a_forged_token_is_a_404(client, token):
    assert client.get(reverse("checkout:live", args=[token])).status_code == 404


def test_polls_are_never_cached(client, participant):
    client.force_login(participant)
    response = poll(client, live.user_scope(participant.pk))
    assert response["Cache-Control"] == "no-store"


def test_staff_without_the_desk_permission_get_neither_the_desk_nor_its_poll(client):
    # One predicate (checkout.desk.access.can_use_desk) for the desk, its poll and the header.
    clerk = UserFactory(is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:desk")).status_code == 403
    assert poll(client, live.SHARED).status_code == 403
    assert reverse("admin:desk") not in client.get(reverse("checkout:catalogue")).content.decode()


def test_organisers_get_the_desk_its_poll_and_its_link(organiser_client):
    assert organiser_client.get(reverse("admin:desk")).status_code == 200
    assert poll(organiser_client, live.SHARED).status_code == 200
    body = organiser_client.get(reverse("checkout:catalogue")).content.decode()
    assert reverse("admin:desk") in body
