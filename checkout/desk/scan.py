"""The scan field: one input that takes a badge, an email or an asset tag and does the next
thing (open the participant's card, hand out that unit, take it back).

Every answer is the scan panel (templates/admin/desk/includes/_scan.html): what happened, the
open card, and the state the next scan needs (open person, units scanned so far) in hidden
fields, so the server keeps no desk session. htmx swaps the panel in place; without
JavaScript the same form posts and the whole desk page comes back. Queries are fixed whatever
the number of units, people and loans (see test_scan_desk.py's budgets).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.badges import BadBadge, looks_like_badge, user_for_badge
from inventory.models import Condition, Unit

from .. import services
from ..forms import ScanFollowUpForm, ScanForm
from ..models import HardwareRequest, IDCollateral, Loan, Status
from ..stock import with_holder, with_holdings
from . import queue


@dataclass
class Panel:
    """What the scan panel shows after a scan."""

    person: object = None
    level: str = ""  # "success", "warning" (a question for the desk) or "error"
    message: str = ""
    follow_ups: list = field(default_factory=list)  # (key, op, target, label)
    pending: list = field(default_factory=list)  # units scanned, not yet handed out
    ask_slot: str = ""  # suggested slot when the desk must take an ID
    ask_late: bool = False
    last_unit: int | None = None
    confirm_unit: int | None = None  # scanned once more, this unit goes ahead

    def say(self, level, message):
        self.level, self.message = level, message
        return self


def people():
    return with_holdings(get_user_model().objects.select_related("team"))


def card(person):
    """What the desk sees about a participant: 3 queries, however much they hold."""
    if person is None:
        return {}
    return {
        "ready": list(
            HardwareRequest.objects.filter(user=person, status=Status.APPROVED)
            .select_related("entry")
            .order_by("pickup_deadline", "pk")
        ),
        "holding": list(
            Loan.objects.open()
            .filter(user=person)
            .select_related("unit__entry")
            .order_by("lent_at")
        ),
        "held_id": IDCollateral.objects.held().filter(user=person).first(),
    }


def scan_panel_context(panel):
    return {
        "panel": panel,
        "card": card(panel.person),
        "pending_ids": ",".join(str(unit.pk) for unit in panel.pending),
    }


def scan_panel(request, panel):
    context = scan_panel_context(panel)
    if request.headers.get("HX-Request"):
        # The desk's "IDs held" figure, swapped out of band: a scan may have changed it.
        ids_held = IDCollateral.objects.held()[: queue.COUNT_LIMIT + 1].count()
        return render(
            request, "admin/desk/includes/_scan.html", {"scan": context, "ids_held": ids_held}
        )
    from .pages import desk_page  # the full desk, for a browser without JavaScript

    return desk_page(request, scan=context)


@require_POST
def scan(request):
    form = ScanForm(request.POST)
    if not form.is_valid():
        return scan_panel(request, Panel().say("error", "That scan could not be read: try again."))
    data = form.cleaned_data
    person = people().filter(pk=data["person"]).first() if data["person"] else None
    code = data["code"]
    if not code:
        if data["units"] and person is not None:
            return scan_panel(request, hand_out(request, person, data["units"], data))
        return scan_panel(request, Panel())  # Enter on an empty field: the next person
    if looks_like_badge(code):
        try:
            person = user_for_badge(code, people())
        except BadBadge as exc:
            return scan_panel(request, Panel(person=person).say("error", str(exc)))
        return scan_panel(request, Panel(person=person))
    if "@" in code:
        found = people().filter(email__iexact=code).first()
        if found is None:
            return scan_panel(
                request, Panel(person=person).say("error", f"Nobody signed up as {code}.")
            )
        return scan_panel(request, Panel(person=found))
    unit = with_holder(Unit.objects.select_related("entry")).filter(asset_tag__iexact=code).first()
    if unit is None:
        return scan_panel(
            request,
            Panel(person=person).say(
                "error", f"Nothing has the code “{code}”: not a badge, an email or an asset tag."
            ),
        )
    if unit.pk != data["confirm_unit"]:
        question = confirm_first(unit, person, data["last_unit"])
        if question:
            return scan_panel(request, Panel(person=person, confirm_unit=unit.pk).say(*question))
    if unit.holder_id is not None:
        return scan_panel(request, take_back(request, unit, person))
    if person is None:
        return scan_panel(
            request,
            Panel().say("error", f"{unit} is on the shelf: scan the participant's badge first."),
        )
    if unit.condition != Condition.OK:
        message = f"{unit} is marked {unit.get_condition_display().lower()}: it cannot go out."
        return scan_panel(request, Panel(person=person).say("error", message))
    pending = [pk for pk in data["units"] if pk != unit.pk]
    return scan_panel(request, hand_out(request, person, [*pending, unit.pk], data))


def confirm_first(unit, person, last_unit):
    """A scan that would undo the previous one, or take a unit from someone other than the
    person at the desk, is asked about first: the same scan again goes ahead."""
    if unit.pk == last_unit:  # the scanner fired twice, or someone scanned twice
        if unit.holder_id:
            return "warning", f"{unit} was just handed out: scan it again to take it back."
        return "warning", f"{unit} was just returned: scan it again to hand it out."
    if unit.holder_id and person is not None and unit.holder_id != person.pk:
        return (
            "warning",
            f"{unit} is out to {unit.holder_name or 'someone else'}, not {person}: "
            "scan it again to take it back from them.",
        )
    return None


def not_a_slot(slot):
    """A badge, an email or a unit's tag scanned into the slot prompt by habit."""
    return (
        looks_like_badge(slot)
        or "@" in slot
        or Unit.objects.filter(asset_tag__iexact=slot).exists()
    )


def hand_out(request, person, unit_ids, data):
    """Hand the scanned units to `person`, or say what is still needed (more units, the ID
    slot, a late pickup confirmed) keeping what was scanned."""
    units = list(Unit.objects.filter(pk__in=unit_ids).select_related("entry").order_by("pk"))
    latest = units[-1] if units else None
    units = [unit for unit in units if latest and unit.entry_id == latest.entry_id]
    panel = Panel(person=person, pending=units)
    if not units:
        return panel.say("error", "Those units are gone: scan again.")
    entry = latest.entry
    ready = HardwareRequest.objects.filter(user=person, entry=entry, status=Status.APPROVED).first()
    wanted = ready.quantity if ready else 1
    if len(units) < wanted:
        return panel.say(
            "warning", f"{len(units)} of {wanted} {entry} scanned: scan {wanted - len(units)} more."
        )
    if ready is None:  # a walk-up: say why not before anyone takes an ID
        try:
            services.check_walk_up(user=person, entry=entry, quantity=len(units))
        except ValidationError as exc:
            return Panel(person=person).say("error", " ".join(exc.messages))
    needs_id = entry.kind in services.ID_KINDS and not person.id_held
    if needs_id and not data["slot"]:
        panel.ask_slot = services.suggest_slot()
        return panel.say("warning", f"Take {person}'s ID: type the slot it goes in, then Enter.")
    if needs_id and not_a_slot(data["slot"]):
        panel.ask_slot = services.suggest_slot()
        return panel.say(
            "error",
            f"“{data['slot']}” is a code to scan, not an ID slot: type the slot where "
            f"{person}'s ID goes, or Enter for {panel.ask_slot}.",
        )
    try:
        loans = services.hand_out_units(
            user=person,
            units=units,
            by=request.user,
            id_storage_label=data["slot"] if needs_id else "",
            late_ok=data["late_ok"],
        )
    except ValidationError as exc:
        if exc.code == "late_pickup":
            panel.ask_late = True
            return panel.say("warning", " ".join(exc.messages) + " Press F5 to hand it out.")
        if exc.code in ("slot_taken", "id_conflict", "id_required"):
            panel.ask_slot = services.suggest_slot()
        else:
            panel.pending = []
        return panel.say("error", " ".join(exc.messages))
    person = people().get(pk=person.pk)  # holdings and ID changed
    tags = ", ".join(loan.unit.asset_tag for loan in loans)
    due = timezone.localtime(loans[0].due_at)
    stored = f" ID stored in {data['slot'].strip()}." if needs_id else ""
    done = Panel(person=person, last_unit=loans[-1].unit_id)
    return done.say(
        "success", f"Handed {tags} ({entry}) to {person}, due back {due:%a %H:%M}.{stored}"
    )


def take_back(request, unit, person):
    """A scanned unit that is out comes back, OK; F2 and F3 correct it to damaged or lost.
    The card stays with the person at the desk; with none open, it shows the holder's."""
    shown = people().get(pk=person.pk if person is not None else unit.holder_id)
    loan = Loan.objects.open().filter(unit=unit).first()
    if loan is None:  # the other desk took it back a moment ago
        return Panel(person=shown).say("error", f"{unit} was just returned at another desk.")
    try:
        outcome = services.return_loan(loan=loan, by=request.user, condition=Condition.OK)
    except ValidationError as exc:
        return Panel(person=shown).say("error", " ".join(exc.messages))
    if person is not None:
        shown = people().get(pk=person.pk)  # their holdings may have changed
    panel = Panel(person=shown, last_unit=unit.pk)
    told = outcome.messages()
    panel.say("warning" if outcome.give_back_id else "success", " ".join(t for _, t in told))
    panel.follow_ups = [
        ("F2", "damaged", loan.pk, "It came back damaged"),
        ("F3", "lost", loan.pk, "It is lost"),
    ]
    panel.follow_ups += give_id_back_key(outcome.give_back_id)
    return panel


def give_id_back_key(collateral):
    """F4: the ID the desk should give back now, if any."""
    if collateral is None:
        return []
    return [("F4", "id_back", collateral.pk, f"ID given back from {collateral.storage_label}")]


@require_POST
def follow_up(request):
    form = ScanFollowUpForm(request.POST)
    if not form.is_valid():
        return scan_panel(request, Panel().say("error", "That key did nothing: scan again."))
    op, target = form.cleaned_data["op"], form.cleaned_data["target"]
    person = people().filter(pk=form.cleaned_data["person"]).first()
    try:
        if op == "id_back":
            collateral = IDCollateral.objects.select_related("user").filter(pk=target).first()
            if collateral is None:
                raise ValidationError("That ID is not in the ledger.")
            services.return_id(collateral=collateral, by=request.user)
            message = f"Gave {collateral.user}'s ID back from {collateral.storage_label}."
        else:
            loan = Loan.objects.filter(pk=target).first()
            if loan is None:
                raise ValidationError("That loan does not exist.")
            loan = services.amend_return(loan=loan, condition=op, by=request.user)
            message = f"{loan.unit} recorded as {op}; it is out of service."
            give_back = services.id_to_give_back(loan.user_id)
    except ValidationError as exc:
        return scan_panel(request, Panel(person=person).say("error", " ".join(exc.messages)))
    person = people().filter(pk=person.pk).first() if person else None
    panel = Panel(person=person).say("success", message)
    if op != "id_back" and give_back is not None:  # F2/F3 must not lose the F4 still due
        panel.follow_ups = give_id_back_key(give_back)
        panel.say("warning", f"{message} Give the ID back from {give_back.storage_label}.")
    return scan_panel(request, panel)
