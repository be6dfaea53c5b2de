"""The organisers' dashboard: every figure checked against the rows a built event made,
counted here in Python, and its query budget at 2 and at 30 rows of every kind."""

from collections import Counter
from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from checkout import dashboard, services
from checkout.models import Handout, HardwareRequest, IDCollateral, Loan, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Condition, Entry, Kind
from inventory.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("admin:desk_dashboard")


def hour_of(moment):
    """The start of `moment`'s hour in the event's time zone, as a UTC instant."""
    return timezone.localtime(moment).replace(minute=0, second=0, microsecond=0).astimezone(UTC)


def hand_out(request, by, slot="A1"):
    services.approve_request(hardware_request=request, by=by)
    return services.fulfil_request(hardware_request=request, by=by, id_storage_label=slot)


def build_event(organiser, now):
    """Six hours of an event, the second of them quiet, with every kind of row the dashboard
    counts: open, overdue, returned, damaged and lost loans; held and given-back IDs; free
    hand-outs; pending, approved, waitlisted and lottery requests; entries out of stock, in
    stock, hidden and drawn by lottery."""
    hour = hour_of(now)

    def at(hours_ago, minute=0):
        return hour - timedelta(hours=hours_ago) + timedelta(minutes=minute)

    def made_at(request, hours_ago, minute=0):
        HardwareRequest.objects.filter(pk=request.pk).update(created_at=at(hours_ago, minute))

    def lent_at(loans, hours_ago, minute=0):
        Loan.objects.filter(pk__in=[loan.pk for loan in loans]).update(
            lent_at=at(hours_ago, minute)
        )

    p1, p2, p3, p4, p5, p6 = UserFactory.create_batch(6)
    arduino = stocked_entry(units=3, name="Arduino Uno")
    pi = stocked_entry(units=4, name="Raspberry Pi 5")
    esp = stocked_entry(units=2, name="ESP32")
    scope = stocked_entry(units=2, name="Oscilloscope")
    stocked_entry(units=0, name="Secret prototype", is_visible=False)
    lottery = stocked_entry(units=1, kind=Kind.LOTTERY, name="Quest 3")
    wires = EntryFactory(kind=Kind.FREE, counted_stock=10, name="Jumper wires")
    tape = EntryFactory(kind=Kind.FREE, counted_stock=3, name="Tape")

    # Hour -5: three requests, a free hand-out.
    two_arduinos = HardwareRequestFactory(user=p1, entry=arduino, quantity=2)
    one_arduino = HardwareRequestFactory(user=p2, entry=arduino)
    pi_back_ok = HardwareRequestFactory(user=p3, entry=pi)
    for minute, request in enumerate([two_arduinos, one_arduino, pi_back_ok]):
        made_at(request, 5, minute * 10)
    wires_out = services.record_handout(entry=wires, quantity=4, by=organiser, user=p1)
    Handout.objects.filter(pk=wires_out.pk).update(at=at(5, 40))
    # Hour -4: nothing at all.
    # Hour -3: three requests; the arduinos lent, every one of them.
    pi_damaged = HardwareRequestFactory(user=p4, entry=pi)
    pi_lost = HardwareRequestFactory(user=p5, entry=pi)
    pi_overdue = HardwareRequestFactory(user=p6, entry=pi)
    for minute, request in enumerate([pi_damaged, pi_lost, pi_overdue]):
        made_at(request, 3, minute)
    arduino_loans = hand_out(two_arduinos, organiser, "A1") + hand_out(one_arduino, organiser, "A2")
    lent_at(arduino_loans, 3, 30)
    # Hour -2: two join the arduino's waitlist; four Pis lent.
    for minute, user in enumerate([p3, p4]):
        made_at(
            HardwareRequestFactory(user=user, entry=arduino, status=Status.WAITLISTED), 2, minute
        )
    pi_loans = [
        *hand_out(pi_back_ok, organiser, "A3"),
        *hand_out(pi_damaged, organiser, "A4"),
        *hand_out(pi_lost, organiser, "A5"),
        *hand_out(pi_overdue, organiser, "A6"),
    ]
    lent_at(pi_loans, 2, 59)
    # Hour -1: the ESP32 runs out (one ready for pickup, one awaiting approval, one waiting);
    # free hand-outs empty the tape.
    esp_ready = HardwareRequestFactory(user=p1, entry=esp)
    services.approve_request(hardware_request=esp_ready, by=organiser)
    esp_pending = HardwareRequestFactory(user=p2, entry=esp)
    esp_waiting = HardwareRequestFactory(user=p5, entry=esp, status=Status.WAITLISTED)
    for request in (esp_ready, esp_pending, esp_waiting):
        made_at(request, 1, 5)
    for entry, quantity in ((wires, 2), (tape, 3)):
        handout = services.record_handout(entry=entry, quantity=quantity, by=organiser)
        Handout.objects.filter(pk=handout.pk).update(at=at(1, 0))
    # This hour: a request for the scope, two lottery entries.
    made_at(HardwareRequestFactory(user=p6, entry=scope), 0)
    for user in (p1, p2):
        made_at(HardwareRequestFactory(user=user, entry=lottery, proposal="A robot."), 0)

    # Returns: OK (and the ID given back), damaged, lost. A returned loan past its due time
    # is not overdue; two open ones are.
    back_ok, damaged, lost, overdue = pi_loans
    services.return_loan(loan=back_ok, by=organiser)
    services.return_id(collateral=IDCollateral.objects.held().get(user=p3), by=organiser)
    services.return_loan(loan=damaged, by=organiser, condition=Condition.DAMAGED)
    services.return_loan(loan=lost, by=organiser, condition=Condition.LOST)
    past = now - timedelta(minutes=5)
    Loan.objects.filter(pk__in=[back_ok.pk, overdue.pk, arduino_loans[0].pk]).update(due_at=past)


def expected_hours(now):
    """{hour: (requests, units lent, free items)} over every hour from the first busy one to
    now, bucketed here from the rows themselves."""
    requests = Counter(
        hour_of(at) for at in HardwareRequest.objects.values_list("created_at", flat=True)
    )
    lent = Counter(hour_of(at) for at in Loan.objects.values_list("lent_at", flat=True))
    free = Counter()
    for at, quantity in Handout.objects.values_list("at", "quantity"):
        free[hour_of(at)] += quantity
    hour, last, hours = min([*requests, *lent, *free]), hour_of(now), {}
    while hour <= last:
        hours[hour] = (requests[hour], lent[hour], free[hour])
        hour += timedelta(hours=1)
    return hours


def stock_of(entry):
    """(requestable, promised), worked out from the rows: units in service, less open loans,
    less what is promised (reservations that have not lapsed, requests awaiting approval or
    a draw) and what waitlisted requests ask for."""
    in_service = entry.units.filter(condition=Condition.OK).count()
    lent = sum(1 for loan in Loan.objects.filter(unit__entry=entry) if loan.is_open)
    promised = waiting = 0
    for request in HardwareRequest.objects.filter(entry=entry):
        lapsed = request.pickup_deadline and request.pickup_deadline < timezone.now()
        if request.status == Status.APPROVED and not lapsed or request.status == Status.SUBMITTED:
            promised += request.quantity
        if request.status == Status.WAITLISTED:
            waiting += request.quantity
    if entry.counted_stock is not None:
        return entry.counted_stock, promised
    return max(in_service - lent - promised - waiting, 0), promised


def requestable(entry):
    return stock_of(entry)[0]


def is_stock_out(entry):
    return entry.is_visible and entry.kind != Kind.LOTTERY and requestable(entry) == 0


def waitlist_length(entry):
    return sum(1 for r in HardwareRequest.objects.filter(entry=entry) if r.status == "waitlisted")


@pytest.mark.postgres
@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata"])  # +05:30: hours are the event's
def test_every_figure_matches_the_rows(organiser, settings, zone):
    settings.TIME_ZONE = zone
    now = timezone.now()
    build_event(organiser, now)

    hours = dashboard.activity_per_hour(now=now)
    expected = expected_hours(now)
    got = {h.start.astimezone(UTC): (h.requests, h.units_lent, h.free_items) for h in hours}
    assert got == expected
    assert list(got) == sorted(got)  # in order, no hour missing (checked by == above)
    assert (0, 0, 0) in got.values()  # the quiet hour is there, as zeros
    assert all(h.start.utcoffset() == timezone.localtime(now).utcoffset() for h in hours)

    loans = list(Loan.objects.all())
    requests = list(HardwareRequest.objects.select_related("entry"))
    entries = list(Entry.objects.all())
    assert dashboard.figures() == {
        "units_out": sum(loan.is_open for loan in loans),
        "overdue": sum(loan.is_overdue for loan in loans),
        "ids_held": sum(c.is_held for c in IDCollateral.objects.all()),
        "pending": sum(
            r.status == Status.SUBMITTED and r.entry.kind != Kind.LOTTERY for r in requests
        ),
        "pickup": sum(r.status == Status.APPROVED for r in requests),
        "waitlisted": sum(r.status == Status.WAITLISTED for r in requests),
        "stock_outs": sum(is_stock_out(entry) for entry in entries),
        "requests": len(requests),
        "units_lent": len(loans),
        "free_items": sum(h.quantity for h in Handout.objects.all()),
    }

    by_entry = Counter(r.entry.name for r in requests)
    units = Counter()
    for r in requests:
        units[r.entry.name] += r.quantity
    top = sorted(by_entry, key=lambda name: (-by_entry[name], name))[: dashboard.TOP_ENTRIES]
    assert [
        (row["entry__name"], row["requests"], row["units"]) for row in dashboard.most_requested()
    ] == [(name, by_entry[name], units[name]) for name in top]

    short = [e for e in entries if is_stock_out(e) or waitlist_length(e)]
    short.sort(key=lambda e: (-waitlist_length(e), e.name))
    assert [
        (e.name, e.stock_requestable, e.units_lent, e.units_promised, e.waitlist_length)
        for e in dashboard.stock_outs_and_waitlists()
    ] == [(e.name, requestable(e), units_out(e), stock_of(e)[1], waitlist_length(e)) for e in short]
    # The event has what the figures are meant to tell apart.
    assert {"Arduino Uno", "ESP32", "Tape"} <= {e.name for e in short if is_stock_out(e)}
    assert not {"Secret prototype", "Quest 3"} & {e.name for e in short}
    assert 0 < dashboard.figures()["overdue"] < dashboard.figures()["units_out"]


def units_out(entry):
    return sum(loan.is_open for loan in Loan.objects.filter(unit__entry=entry))


def test_the_hours_go_back_two_days_at_most(organiser):
    now = timezone.now()
    hour = hour_of(now)
    early, recent = HardwareRequestFactory.create_batch(2, entry=stocked_entry(units=1))
    HardwareRequest.objects.filter(pk=early.pk).update(created_at=hour - timedelta(hours=60))
    HardwareRequest.objects.filter(pk=recent.pk).update(created_at=hour - timedelta(hours=2))
    hours = dashboard.activity_per_hour(now=now)
    starts = [h.start.astimezone(UTC) for h in hours]
    # The event began before the window: it starts at the window's edge, quiet hours and all.
    assert len(hours) == dashboard.HOURS_SHOWN
    assert starts[0] == hour - timedelta(hours=dashboard.HOURS_SHOWN - 1) and starts[-1] == hour
    assert [h.requests for h in hours if h.requests] == [1]  # the early one is before it
    assert dashboard.figures()["requests"] == 2  # though the totals count it


def test_a_participant_or_staff_without_the_desk_cannot_see_it(participant_client, client):
    response = participant_client.get(DASHBOARD)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory(is_staff=True))
    assert client.get(DASHBOARD).status_code == 403


def test_an_event_with_nothing_yet_says_so(organiser_client):
    response = organiser_client.get(DASHBOARD)
    body = response.content.decode()
    assert response.status_code == 200
    assert "No requests or hand-outs in the last" in body
    assert "Nobody has requested anything yet." in body
    assert 'role="img"' not in body


def test_the_page_shows_the_figures_and_draws_a_column_per_hour(organiser_client, organiser):
    now = timezone.now()
    build_event(organiser, now)
    response = organiser_client.get(DASHBOARD)
    body = response.content.decode()
    hours = response.context["hours"]
    assert len(hours) == len(expected_hours(timezone.now()))
    assert body.count("<g><title>") == 2 * len(hours)  # both hourly charts, a column per hour
    assert body.count('role="img"') == 4  # each chart an image with a name and a description
    assert body.count("<details>") == 4  # and a table of its numbers
    figures = response.context["figures"]
    assert f"<dt>Overdue</dt><dd>{figures['overdue']}</dd>" in body
    assert f"<dt>Units out</dt><dd>{figures['units_out']}</dd>" in body
    for row in dashboard.most_requested():
        assert f'<th scope="row">{row["entry__name"]}</th><td>{row["requests"]}</td>' in body


def activity(organiser, n, now):
    """n of every kind: requests in n different hours, loans, IDs held, free hand-outs,
    entries out of stock, waitlisted requests."""
    for index in range(n):
        entry = stocked_entry(units=1)
        request = HardwareRequestFactory(entry=entry)
        hand_out(request, organiser, f"S{request.pk}")
        HardwareRequest.objects.filter(pk=request.pk).update(
            created_at=now - timedelta(hours=index % dashboard.HOURS_SHOWN)
        )
        HardwareRequestFactory(entry=entry, status=Status.WAITLISTED)
        free = EntryFactory(kind=Kind.FREE, counted_stock=2)
        services.record_handout(entry=free, quantity=1, by=organiser)


def test_the_dashboard_query_count_does_not_grow(organiser_client, organiser, named_queries):
    now = timezone.now()
    activity(organiser, 2, now)
    few_response, few = named_queries(organiser_client.get, DASHBOARD)
    activity(organiser, 30, now)
    response, many = named_queries(organiser_client.get, DASHBOARD)
    assert len(few_response.context["hours"]) == 2 and len(response.context["hours"]) == 30
    assert len(response.context["short"]) == 32
    assert (
        few
        == many
        == [
            "SELECT accounts_user",
            "SELECT auth_permission",
            "SELECT checkout_hardwarerequest",  # requests per hour (GROUP BY hour)
            "SELECT checkout_loan",  # units lent per hour
            "SELECT checkout_handout",  # free items per hour
            "SELECT checkout_hardwarerequest",  # most requested (GROUP BY entry)
            "SELECT inventory_entry",  # stock-outs and waitlists, with stock
            "SELECT core_eventsettings",  # the figures, each a COUNT or SUM subquery
        ]
    )
