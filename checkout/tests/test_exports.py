"""Admin exports of loans, requests with their history, the ID ledger and hand-outs: what is in
them (checked against the database rows), export only, bad links answered with 400, and the
same queries for 2 rows of each kind as for 30."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from checkout.models import Handout, HardwareRequest, IDCollateral, Loan, RequestEvent
from checkout.resources import (
    HandoutResource,
    HardwareRequestResource,
    IDCollateralResource,
    LoanResource,
)
from checkout.tests.closing_event import closing_event, rows_of_every_kind

pytestmark = pytest.mark.django_db
RESOURCES = {
    "loan": LoanResource,
    "hardwarerequest": HardwareRequestResource,
    "idcollateral": IDCollateralResource,
    "handout": HandoutResource,
}


def export(client, model, *, fmt="0", query=""):
    """POST the export form as the page sends it: every column ticked. fmt 0 is CSV, 1 XLSX."""
    resource = RESOURCES[model]
    prefix = resource.__name__.lower()
    ticked = {f"{prefix}_{name}": "on" for name in resource._meta.fields}
    url = reverse(f"admin:checkout_{model}_export") + query
    return client.post(url, {"format": fmt, "resource": "0", **ticked})


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def stamp(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def test_the_loans_export_has_every_loan_with_its_participant(organiser_client, organiser):
    closing_event(organiser)
    now = timezone.now()
    exported = {int(row["id"]): row for row in rows(export(organiser_client, "loan"))}
    loans = Loan.objects.select_related("unit__entry", "user", "lent_by", "returned_to")
    assert set(exported) == {loan.pk for loan in loans}
    for loan in loans:
        row = exported[loan.pk]
        assert (row["asset_tag"], row["entry"], row["participant"], row["email"]) == (
            loan.unit.asset_tag,
            loan.unit.entry.name,
            loan.user.name,
            loan.user.email,
        )
        assert (row["lent_at"], row["due_at"], row["returned_at"]) == tuple(
            map(stamp, (loan.lent_at, loan.due_at, loan.returned_at))
        )
        assert row["lent_by"] == loan.lent_by.email
        assert row["returned_to"] == (loan.returned_to.email if loan.returned_to else "")
        overdue = loan.returned_at is None and loan.due_at < now
        assert row["overdue"] == ("yes" if overdue else "no")
        assert row["return_condition"] == loan.get_return_condition_display()
    # The two Sam Lees stay two people.
    sams = {row["email"] for row in exported.values() if row["participant"] == "Sam Lee"}
    assert sams == {"sam.a@example.com", "sam.b@example.com"}


def test_the_loans_export_follows_the_list_filter(organiser_client, organiser):
    closing_event(organiser)
    exported = rows(export(organiser_client, "loan", query="?open=yes"))
    assert sorted(int(row["id"]) for row in exported) == sorted(
        Loan.objects.filter(returned_at__isnull=True).values_list("pk", flat=True)
    )


def test_the_requests_export_joins_each_requests_history(organiser_client, organiser):
    closing_event(organiser)
    exported = {int(row["id"]): row for row in rows(export(organiser_client, "hardwarerequest"))}
    requests = HardwareRequest.objects.select_related("user", "entry")
    assert set(exported) == {r.pk for r in requests}
    for hardware_request in requests:
        row = exported[hardware_request.pk]
        assert (row["email"], row["entry"], row["status"]) == (
            hardware_request.user.email,
            hardware_request.entry.name,
            hardware_request.get_status_display(),
        )
        events = RequestEvent.objects.filter(request=hardware_request).order_by("at", "pk")
        steps = row["history"].split("; ")
        assert len(steps) == events.count() >= 2  # at least approved, then handed out
        for step, event in zip(steps, events, strict=True):
            assert step.startswith(f"{stamp(event.at)} ")
            assert f"→ {event.get_to_status_display()}" in step
            assert step.endswith(f"by {event.by.email}")


def test_the_id_ledger_export_says_which_ids_are_held(organiser_client, organiser):
    closing_event(organiser)
    exported = {int(row["id"]): row for row in rows(export(organiser_client, "idcollateral"))}
    ledger = IDCollateral.objects.select_related("user", "taken_by", "returned_by")
    assert set(exported) == {c.pk for c in ledger}
    for collateral in ledger:
        row = exported[collateral.pk]
        assert (row["email"], row["slot"], row["held"], row["returned_at"]) == (
            collateral.user.email,
            collateral.storage_label,
            "yes" if collateral.returned_at is None else "no",
            stamp(collateral.returned_at),
        )


def test_the_handouts_export_names_the_recipient_when_known(organiser_client, organiser):
    closing_event(organiser)
    exported = {int(row["id"]): row for row in rows(export(organiser_client, "handout"))}
    handouts = Handout.objects.select_related("entry", "user", "by")
    assert set(exported) == {h.pk for h in handouts}
    for handout in handouts:
        row = exported[handout.pk]
        assert (row["entry"], int(row["quantity"]), row["email"], row["by"], row["at"]) == (
            handout.entry.name,
            handout.quantity,
            handout.user.email if handout.user else "",
            handout.by.email,
            stamp(handout.at),
        )
    assert any(row["email"] == "" for row in exported.values())


def test_the_xlsx_export_has_real_dates_and_no_formulas(organiser_client, organiser):
    closing_event(organiser)
    response = export(organiser_client, "loan", fmt="1")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *body = list(sheet.iter_rows(values_only=True))
    assert len(body) == Loan.objects.count()
    lent_at = header.index("lent_at")
    assert all(row[lent_at].year == timezone.localtime().year for row in body)
    phones = {row[header.index("phone")] for row in body}
    assert all(phone.startswith("+") for phone in phones)  # text, not '+..., in XLSX
    assert "f" not in {cell.data_type for row in sheet.iter_rows() for cell in row}


@pytest.mark.parametrize("model", list(RESOURCES))
def test_records_can_be_exported_but_not_imported(organiser_client, model):
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:checkout_{model}_import")
    page = organiser_client.get(reverse(f"admin:checkout_{model}_changelist")).content.decode()
    assert reverse(f"admin:checkout_{model}_export") in page
    assert "/import/" not in page


@pytest.mark.parametrize("model", list(RESOURCES))
def test_a_bad_export_link_is_a_400_that_says_what_to_do(organiser_client, model):
    response = organiser_client.get(reverse(f"admin:checkout_{model}_export") + "?format=-1")
    assert response.status_code == 400
    assert "choose the file format on the export form" in response.content.decode()


@pytest.mark.parametrize("fmt", ["-1", "abc", "7"])
def test_a_bad_posted_format_shows_the_form_again(organiser_client, organiser, fmt):
    closing_event(organiser)
    response = export(organiser_client, "loan", fmt=fmt)
    assert response.status_code == 200
    assert "format" in response.context["form"].errors


def test_a_participant_cannot_export(participant_client):
    for model in RESOURCES:
        response = export(participant_client, model)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


# The user and their permissions, then the rows with their relations in one statement (a
# server-side cursor on PostgreSQL); requests also fetch every history in one more.
ROWS = "DECLARE" if connection.vendor == "postgresql" else "SELECT"
EXPORT_QUERIES = {
    "loan": ["SELECT accounts_user", "SELECT auth_permission", f"{ROWS} checkout_loan"],
    "hardwarerequest": [
        "SELECT accounts_user",
        "SELECT auth_permission",
        "SELECT checkout_hardwarerequest",
        "SELECT checkout_requestevent",
    ],
    "idcollateral": [
        "SELECT accounts_user",
        "SELECT auth_permission",
        f"{ROWS} checkout_idcollateral",
    ],
    "handout": ["SELECT accounts_user", "SELECT auth_permission", f"{ROWS} checkout_handout"],
}


@pytest.mark.parametrize("model", list(RESOURCES))
@pytest.mark.parametrize("fmt", ["0", "1"], ids=["csv", "xlsx"])
def test_each_export_costs_the_same_queries_for_2_or_30_rows(
    organiser_client, organiser, named_queries, model, fmt
):
    rows_of_every_kind(organiser, 2, "a")
    few_response, few = named_queries(export, organiser_client, model, fmt=fmt)
    rows_of_every_kind(organiser, 28, "b")
    many_response, many = named_queries(export, organiser_client, model, fmt=fmt)
    assert RESOURCES[model]._meta.model.objects.count() >= 30
    assert len(many_response.content) > len(few_response.content)
    assert few == many == EXPORT_QUERIES[model]
