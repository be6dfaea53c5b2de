"""What a draw's pages show: who entered and who won, by name, in one query."""

from dataclasses import dataclass

from .models import HardwareRequest


@dataclass(frozen=True)
class DrawRow:
    request_id: int
    quantity: int
    place: int | None  # 1 for the first winner drawn; None for an entrant not drawn
    name: str  # the organisers' view
    initials: str  # the public view

    @property
    def won(self):
        return self.place is not None


def initials(name):
    """'Ada King Lovelace' -> 'A. K. L.'; no name -> '?' (never the email)."""
    return " ".join(f"{word[0].upper()}." for word in name.split()) or "?"


def draw_results(draw):
    """The draw's entrants: winners in draw order, then the others by request id.

    One query: the entrants' names. A request deleted since (with its user) shows no name.
    """
    ids = [pk for pk, _ in draw.entrants]
    # (name, what organisers read): the email stands in for a missing name, as on the desk
    people = {
        pk: (name, name or email)
        for pk, name, email in HardwareRequest.objects.filter(pk__in=ids).values_list(
            "pk", "user__name", "user__email"
        )
    }
    gone = ("", "(request deleted)")
    place = {pk: n for n, pk in enumerate(draw.winners, start=1)}
    order = sorted(ids, key=lambda pk: (pk not in place, place.get(pk, 0), pk))
    quantity = dict(draw.entrants)
    return [
        DrawRow(
            request_id=pk,
            quantity=quantity[pk],
            place=place.get(pk),
            name=people.get(pk, gone)[1],
            initials=initials(people.get(pk, gone)[0]),
        )
        for pk in order
    ]
