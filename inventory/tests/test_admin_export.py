"""The entry export page: its query string holds the entry list's filters, its form the format."""

import pytest
from django.urls import reverse

from inventory.models import Kind
from inventory.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
EXPORT_URL = reverse("admin:inventory_entry_export")
FIELDS = {"entryresource_name": "on", "entryresource_kind": "on"}


@pytest.mark.parametrize(
    "query",
    [
        "format=-1",
        "format=abc",
        "format=99999999999999999999",
        "format=%00",  # RejectNulBytes answers this one before the view runs
        "category__id__exact=abc",
        "no_such_field=1",
    ],
)
def test_it_answers_a_link_with_filters_the_list_cannot_apply_with_400(organiser_client, query):
    EntryFactory()
    response = organiser_client.get(f"{EXPORT_URL}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_it_says_where_the_format_is_chosen(organiser_client):
    response = organiser_client.get(f"{EXPORT_URL}?format=-1")
    assert "choose the file format on the export form" in response.content.decode()


@pytest.mark.parametrize("fmt", ["-1", "abc", "99999999999999999999", "2"])
def test_it_rerenders_the_form_for_a_bad_posted_format(organiser_client, fmt):
    response = organiser_client.post(EXPORT_URL, {"format": fmt, "resource": "0", **FIELDS})
    assert response.status_code == 200
    assert "format" in response.context["form"].errors


def test_it_still_exports_what_the_list_filters_select(organiser_client):
    EntryFactory(name="Quest", kind=Kind.LOTTERY)
    EntryFactory(name="Uno", kind=Kind.CHECKOUT)
    assert organiser_client.get(f"{EXPORT_URL}?kind__exact=lottery").status_code == 200

    response = organiser_client.post(
        f"{EXPORT_URL}?kind__exact=lottery", {"format": "0", "resource": "0", **FIELDS}
    )

    assert response.status_code == 200
    assert response.content.decode().splitlines()[1:] == ["Quest,lottery"]
