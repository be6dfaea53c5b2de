"""Past events' rows made directly, for tests of the lists that show them (closing an event
for real is tested in test_close_event.py)."""

from django.utils import timezone

from checkout.models import (
    PastCVConsent,
    PastDraw,
    PastEvent,
    PastHandout,
    PastIDHold,
    PastLoan,
    PastRequest,
)


def past_event(n=1, name="Autumn Hack"):
    """A past event with `n` rows of each kind; returns {model: [rows]} and the event."""
    now = timezone.now()
    event = PastEvent.objects.create(
        name=name,
        closed_at=now,
        closed_by_email="lead@example.com",
        reconciled=True,
        figures={"out": 0, "ids_held": 0},
        reconciliation=[
            {
                "name": "Arduino Uno",
                "units_total": 4,
                "out": 0,
                "on_shelf": 3,
                "damaged_or_lost": 1,
                "retired": 0,
            }
        ],
        settings={"name": name},
    )

    def person(i):
        return {
            "event": event,
            "original_id": i + 1,
            "email": f"p{i}@example.com",
            "name": f"P {i}",
        }

    rows = {
        PastRequest: [
            PastRequest(
                **person(i),
                entry_name="Arduino Uno",
                entry_kind="checkout",
                quantity=1,
                status="returned",
                created_at=now,
            )
            for i in range(n)
        ],
        PastLoan: [
            PastLoan(**person(i), entry_name="Arduino Uno", asset_tag=f"ARD-{i}", lent_at=now)
            for i in range(n)
        ],
        PastIDHold: [
            PastIDHold(**person(i), storage_label=f"S{i}", taken_at=now, returned_at=now)
            for i in range(n)
        ],
        PastDraw: [
            PastDraw(
                **person(i),
                entry_name=f"Drone {i}",
                seed="s",
                stock=1,
                entrants=[[1, 1]],
                winners=[1],
                run_at=now,
            )
            for i in range(n)
        ],
        PastHandout: [
            PastHandout(**person(i), entry_name="Stickers", quantity=2, at=now) for i in range(n)
        ],
        PastCVConsent: [
            PastCVConsent(
                **person(i), consent_at=now, consent_text="I agree", uploaded_at=now, purged=True
            )
            for i in range(n)
        ],
    }
    made = {model: model.objects.bulk_create(objs) for model, objs in rows.items()}
    return event, made
