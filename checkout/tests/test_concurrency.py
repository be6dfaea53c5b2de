"""The first half hour, on real PostgreSQL with real transactions and threads."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.tests.factories import UserFactory
from checkout import services
from checkout.models import HardwareRequest, IDCollateral, Loan, Status
from checkout.tests.factories import HardwareRequestFactory, stocked_entry
from inventory.models import Entry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(jobs):
    """Start every job at the same moment, each in its own thread with its own connection.

    Returns one ("ok", result) or ("refused", message) per job, in job order.
    """
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def work(index, job):
        try:
            barrier.wait()
            results[index] = ("ok", job())
        except ValidationError as exc:
            results[index] = ("refused", " ".join(exc.messages))
        except Exception as exc:  # anything else is a bug the assertions must show
            results[index] = ("crashed", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_twenty_desks_approve_and_fulfil_five_units(organiser):
    entry = stocked_entry(units=5)
    requests = [HardwareRequestFactory(entry=entry) for _ in range(20)]

    def approve_and_fulfil(request):
        def job():
            services.approve_request(hardware_request=request, by=organiser)
            return services.fulfil_request(
                hardware_request=request, by=organiser, id_storage_label=f"A{request.pk}"
            )

        return job

    results = run_at_once([approve_and_fulfil(r) for r in requests])

    assert [kind for kind, _ in results].count("ok") == 5
    assert all(kind in ("ok", "refused") for kind, _ in results), results
    loans = Loan.objects.filter(unit__entry=entry)
    assert loans.count() == 5
    assert loans.values("unit").distinct().count() == 5
    assert HardwareRequest.objects.filter(entry=entry, status=Status.FULFILLED).count() == 5
    stock = Entry.objects.with_stock().get(pk=entry.pk)
    assert (stock.units_lent, stock.stock_available) == (5, 0)


def test_thirty_participants_race_for_the_last_three_units():
    entry = stocked_entry(units=3)
    users = UserFactory.create_batch(30)

    results = run_at_once(
        [lambda u=u: services.submit_request(user=u, entry=entry, quantity=1) for u in users]
    )

    assert all(kind == "ok" for kind, _ in results), results
    made = list(HardwareRequest.objects.filter(entry=entry).order_by("pk"))
    assert len(made) == 30
    # Arrival order is the order the entry lock was granted, i.e. primary key order.
    assert [r.status for r in made] == [Status.SUBMITTED] * 3 + [Status.WAITLISTED] * 27
    positions = [
        r.waitlist_position
        for r in HardwareRequest.objects.filter(entry=entry, status=Status.WAITLISTED)
        .with_waitlist_position()
        .order_by("pk")
    ]
    assert positions == list(range(1, 28))
    assert Entry.objects.with_stock().get(pk=entry.pk).stock_available == 3


def test_thirty_participants_race_with_immediate_approval(organiser):
    # The same rush, with the desk approving every request the moment it arrives: stock
    # never goes below zero and exactly three are approved.
    entry = stocked_entry(units=3)
    users = UserFactory.create_batch(30)

    def request_and_approve(user):
        def job():
            request = services.submit_request(user=user, entry=entry, quantity=1)
            return services.approve_request(hardware_request=request, by=organiser)

        return job

    results = run_at_once([request_and_approve(u) for u in users])

    assert [kind for kind, _ in results].count("ok") == 3
    assert HardwareRequest.objects.filter(entry=entry, status=Status.APPROVED).count() == 3
    stock = Entry.objects.with_stock().get(pk=entry.pk)
    assert (stock.units_reserved, stock.stock_available) == (3, 0)


def test_two_organisers_fulfil_the_same_request(organiser):
    second_organiser = UserFactory(is_staff=True)
    entry = stocked_entry(units=4, max_request_quantity=2)
    request = HardwareRequestFactory(entry=entry, quantity=2)
    services.approve_request(hardware_request=request, by=organiser)

    results = run_at_once(
        [
            lambda by=by: services.fulfil_request(
                hardware_request=request, by=by, id_storage_label="Z9"
            )
            for by in (organiser, second_organiser)
        ]
    )

    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["ok", "refused"], results
    message = next(text for kind, text in results if kind == "refused")
    assert "already handed out" in message
    assert Loan.objects.filter(request=request).count() == 2
    assert IDCollateral.objects.filter(user=request.user).count() == 1


def test_a_double_click_makes_one_request(participant):
    entry = stocked_entry(units=3)
    results = run_at_once(
        [lambda: services.submit_request(user=participant, entry=entry, quantity=1)] * 2
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert HardwareRequest.objects.filter(user=participant, entry=entry).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_allows_one_open_loan_per_unit(organiser, participant):
    from django.db import IntegrityError, transaction

    unit = stocked_entry(units=1).units.get()
    Loan.objects.create(unit=unit, user=participant, lent_by=organiser)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(unit=unit, user=participant, lent_by=organiser)
    assert Loan.objects.count() == 1
