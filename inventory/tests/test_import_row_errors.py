"""A sheet with bad rows: every problem at once, in the sheet's words and row numbers, and
nothing written. Rows are numbered as the spreadsheet shows them: the header is row 1."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from inventory.models import Category, Entry, Unit
from inventory.sheets import dataset_from_csv, import_inventory
from inventory.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

SHEET = (
    "name,category,kind,max_request_quantity,counted_stock,units\n"
    "Resistors,Passives,free,10,many,\n"  # row 2: not a number
    "Arduino Uno,Microcontrollers,checkout,2,,5\n"
    "Oculus Quest,VR,lottery,0,,2\n"  # row 4: below the database's minimum
    "Jumper wires,Consumables,free,10,300,\n"
)
EXPECTED = [
    "Row 2: counted_stock must be a whole number, got 'many'.",
    "Row 4: max_request_quantity must be at least 1, got '0'.",
]


def nothing_written():
    return not (Entry.objects.exists() or Unit.objects.exists() or Category.objects.exists())


def test_it_lists_every_bad_row_in_words_and_writes_nothing():
    outcome = import_inventory(dataset=dataset_from_csv(SHEET), dry_run=False)
    assert outcome.errors == EXPECTED
    assert nothing_written()


def test_the_sheet_link_page_shows_them(organiser_client, monkeypatch):
    monkeypatch.setattr("inventory.admin.fetch_sheet_csv", lambda url: SHEET)
    url = reverse("admin:inventory_entry_import_sheet")

    response = organiser_client.post(url, {"url": "https://sheets.example/x.csv", "confirm": "1"})

    assert response.status_code == 400
    assert response.context["outcome"].errors == EXPECTED
    assert all(escape(line) in response.content.decode() for line in EXPECTED)
    assert nothing_written()


def test_the_upload_page_shows_them(organiser_client):
    file = SimpleUploadedFile("inventory.csv", SHEET.encode())
    response = organiser_client.post(
        reverse("admin:inventory_entry_import"),
        {"resource": "0", "format": "0", "import_file": file},
    )
    body = response.content.decode()
    assert all(escape(line) in body for line in EXPECTED)
    assert "ConversionSyntax" not in body
    assert response.context.get("confirm_form") is None
    assert nothing_written()


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            "Box,Misc,teleporter,1,,",
            "kind must be one of lottery, checkout, free, got 'teleporter'.",
        ),
        ("Box,Misc,free,-3,,", "max_request_quantity must be at least 1, got '-3'."),
        ("Box,Misc,free,2.5,,", "max_request_quantity must be a whole number, got '2.5'."),
        ("Box,Misc,free,99999,,", "max_request_quantity must be at most 32767, got '99999'."),
        ("Box,Misc,free,1,-4,", "counted_stock must be at least 0, got '-4'."),
        ("Box,Misc,free,1,,lots", "units must be a whole number, got 'lots'."),
        ("Box,Misc,free,1,,9999", "units must be a whole number from 0 to 500, got '9999'."),
        (
            "Box,Misc,free,1,5,2",
            "units: an entry has either tagged units or a counted stock, not both.",
        ),
        (",Misc,free,1,,", "name must not be empty."),
        ("Box," + "c" * 81 + ",free,1,,", "category must be at most 80 characters, got 81."),
    ],
)
def test_each_problem_reads_in_words(row, error):
    sheet = "name,category,kind,max_request_quantity,counted_stock,units\n" + row + "\n"
    outcome = import_inventory(dataset=dataset_from_csv(sheet), dry_run=True)
    assert outcome.errors == [f"Row 2: {error}"]


def test_one_row_reports_all_its_problems():
    sheet = "name,kind,max_request_quantity,counted_stock\nBox,teleporter,many,-1\n"
    outcome = import_inventory(dataset=dataset_from_csv(sheet), dry_run=True)
    assert sorted(outcome.errors) == [
        "Row 2: counted_stock must be at least 0, got '-1'.",
        "Row 2: kind must be one of lottery, checkout, free, got 'teleporter'.",
        "Row 2: max_request_quantity must be a whole number, got 'many'.",
    ]


def test_the_database_minimum_has_a_readable_message():
    entry = Entry(name="Box", max_request_quantity=0)
    with pytest.raises(ValidationError) as caught:
        entry.validate_constraints()
    assert caught.value.messages == [
        "Maximum per request (max_request_quantity) must be at least 1."
    ]


def test_the_entry_change_form_says_it_in_words(organiser_client):
    entry = EntryFactory(name="Pico")
    data = {
        "name": "Pico",
        "kind": "checkout",
        "max_request_quantity": "0",
        "is_visible": "on",
        "units-TOTAL_FORMS": "0",
        "units-INITIAL_FORMS": "0",
    }
    response = organiser_client.post(reverse("admin:inventory_entry_change", args=[entry.pk]), data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "at least 1" in body
    assert "entry_max_request_quantity_gte_1" not in body
    entry.refresh_from_db()
    assert entry.max_request_quantity == 1


def test_the_sheet_link_preview_numbers_rows_as_the_sheet_does(organiser_client, monkeypatch):
    good = "name,kind\nArduino Uno,checkout\nOculus Quest,lottery\n"
    monkeypatch.setattr("inventory.admin.fetch_sheet_csv", lambda url: good)
    url = reverse("admin:inventory_entry_import_sheet")

    response = organiser_client.post(url, {"url": "https://sheets.example/x.csv"})

    body = response.content.decode()
    assert "<tr><td>2</td><td>new</td><td>Arduino Uno</td></tr>" in body
    assert "<tr><td>3</td><td>new</td><td>Oculus Quest</td></tr>" in body
