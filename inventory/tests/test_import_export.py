import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from inventory import sheets
from inventory.models import Category, Entry, Kind, Unit
from inventory.sheets import SheetError, fetch_sheet_csv
from inventory.tests.factories import EntryFactory, UnitFactory

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:inventory_entry_import")
PROCESS_URL = reverse("admin:inventory_entry_process_import")
SHEET_URL = reverse("admin:inventory_entry_import_sheet")
EXPORT_URL = reverse("admin:inventory_entry_export")

GOOD_CSV = (
    "name,category,kind,description,max_request_quantity,units,counted_stock,is_visible\n"
    "Arduino Uno,Microcontrollers,checkout,Classic board,2,5,,1\n"
    "Oculus Quest,VR,Lottery,Headset,1,2,,1\n"
    "Jumper wires,Consumables,free,,10,,300,1\n"
)
# Sheet row 3 has an unknown kind, row 4 a negative maximum, row 5 a non-numeric unit count.
BAD_CSV = (
    "name,category,kind,max_request_quantity,units\n"
    "Arduino Uno,Microcontrollers,checkout,2,5\n"
    "Mystery box,Misc,teleporter,1,1\n"
    "ESP32,Microcontrollers,checkout,-3,2\n"
    "Servo,Motors,checkout,1,lots\n"
)


def upload(client, content, *, name="inventory.csv", fmt="0"):
    file = SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode())
    return client.post(IMPORT_URL, {"resource": "0", "format": fmt, "import_file": file})


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(PROCESS_URL, {name: form[name].value() for name in form.fields})


def snapshot():
    return (
        list(Entry.objects.order_by("pk").values_list()),
        list(Unit.objects.order_by("pk").values_list()),
        list(Category.objects.order_by("pk").values_list()),
    )


def test_a_csv_upload_previews_then_imports_on_confirm(organiser_client):
    preview = upload(organiser_client, GOOD_CSV)
    assert preview.status_code == 200
    assert "Arduino Uno" in preview.content.decode()
    assert Entry.objects.count() == 0  # the preview writes nothing

    response = confirm(organiser_client, preview)

    assert response.status_code == 302
    arduino = Entry.objects.with_stock().get(name="Arduino Uno")
    assert (arduino.kind, arduino.max_request_quantity, arduino.category.name) == (
        Kind.CHECKOUT,
        2,
        "Microcontrollers",
    )
    assert arduino.stock_available == 5
    assert sorted(arduino.units.values_list("asset_tag", flat=True))[0] == "ARDUINO-UNO-001"
    assert Entry.objects.get(name="Oculus Quest").kind == Kind.LOTTERY
    assert Entry.objects.get(name="Jumper wires").counted_stock == 300


def test_reimporting_updates_by_name_and_never_removes_units(organiser_client):
    entry = EntryFactory(name="Arduino Uno", kind=Kind.FREE)
    UnitFactory.create_batch(7, entry=entry)
    confirm(organiser_client, upload(organiser_client, GOOD_CSV))
    entry.refresh_from_db()
    assert entry.kind == Kind.CHECKOUT
    assert entry.units.count() == 7
    assert Entry.objects.filter(name="Arduino Uno").count() == 1


def test_an_xlsx_upload_imports(organiser_client):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "category", "kind", "units"])
    sheet.append(["Teensy 4.1", "Microcontrollers", "checkout", 3])
    buffer = io.BytesIO()
    book.save(buffer)

    preview = upload(organiser_client, buffer.getvalue(), name="inventory.xlsx", fmt="1")
    confirm(organiser_client, preview)

    assert Entry.objects.get(name="Teensy 4.1").units.count() == 3


def test_one_bad_row_rejects_the_file_with_row_numbers_and_writes_nothing(organiser_client):
    EntryFactory(name="Existing")
    before = snapshot()

    response = upload(organiser_client, BAD_CSV)

    body = response.content.decode()
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    result = response.context["result"]
    assert sorted(row.number for row in result.invalid_rows) == [2, 3, 4]
    assert "teleporter" in body
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "name", "fmt"),
    [
        (b"\xff\xfe\x00garbage\x00\x01", "inventory.csv", "0"),
        (b"", "inventory.csv", "0"),
        (b"just one line without commas", "inventory.csv", "0"),
        (b"name\n" + b"x" * 300, "inventory.csv", "0"),
        (b"not a spreadsheet", "inventory.xlsx", "1"),
        (b"PK\x03\x04 a broken zip", "inventory.xlsx", "1"),
        (GOOD_CSV.encode(), "inventory.xlsx", "1"),  # CSV bytes sent as Excel
    ],
)
def test_a_malformed_file_is_refused_without_a_500(organiser_client, content, name, fmt):
    before = snapshot()
    response = upload(organiser_client, content, name=name, fmt=fmt)
    assert response.status_code == 200
    assert snapshot() == before
    assert Entry.objects.count() == 0


def test_export_includes_stock(organiser_client):
    entry = EntryFactory(name="Pico")
    UnitFactory.create_batch(3, entry=entry)
    UnitFactory(entry=entry, condition="lost")
    response = organiser_client.post(
        EXPORT_URL, {"format": "0", "resource": "0", **export_fields()}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    lines = text.decode().splitlines()
    assert lines[0].split(",")[-2:] == ["units", "stock_available"]
    assert lines[1].endswith(",4,3")


def export_fields():
    names = [
        "name",
        "category",
        "kind",
        "description",
        "link",
        "image_url",
        "is_visible",
        "max_request_quantity",
        "counted_stock",
        "units",
        "stock_available",
    ]
    return {f"entryresource_{name}": "on" for name in names}


def test_a_sheet_link_previews_then_imports(organiser_client, sheet_server):
    sheet_server.routes["/pub.csv"] = (200, GOOD_CSV.encode(), 0)
    url = sheet_server.url("/pub.csv")

    preview = organiser_client.post(SHEET_URL, {"url": url})
    assert preview.status_code == 200
    assert "Confirm import" in preview.content.decode()
    assert Entry.objects.count() == 0

    response = organiser_client.post(SHEET_URL, {"url": url, "confirm": "1"})
    assert response.status_code == 302
    assert Entry.objects.count() == 3
    assert Unit.objects.filter(entry__name="Oculus Quest").count() == 2


def test_a_sheet_with_bad_rows_lists_them_and_writes_nothing(organiser_client, sheet_server):
    sheet_server.routes["/bad.csv"] = (200, BAD_CSV.encode(), 0)
    before = snapshot()
    response = organiser_client.post(
        SHEET_URL, {"url": sheet_server.url("/bad.csv"), "confirm": "1"}
    )
    assert response.status_code == 400
    assert response.context["outcome"].errors == [
        "Row 3: kind must be one of lottery, checkout, free, got 'teleporter'.",
        "Row 4: max_request_quantity must be at least 1, got '-3'.",
        "Row 5: units must be a whole number, got 'lots'.",
    ]
    assert snapshot() == before


def test_an_unreachable_sheet_link_is_a_clear_error(organiser_client, sheet_server):
    port = sheet_server.httpd.server_port
    sheet_server.__exit__()  # nothing listens on that port any more
    response = organiser_client.post(SHEET_URL, {"url": f"http://127.0.0.1:{port}/x.csv"})
    assert response.status_code == 400
    assert "could not be reached" in response.content.decode()


def test_a_missing_sheet_is_a_clear_error(organiser_client, sheet_server):
    response = organiser_client.post(SHEET_URL, {"url": sheet_server.url("/nope.csv")})
    assert response.status_code == 400
    assert "HTTP 404" in response.content.decode()


@override_settings(SHEET_IMPORT_MAX_BYTES=1000)
def test_an_oversized_sheet_is_refused(organiser_client, sheet_server):
    sheet_server.routes["/big.csv"] = (200, b"name\n" + b"x,\n" * 2000, 0)
    response = organiser_client.post(SHEET_URL, {"url": sheet_server.url("/big.csv")})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert Entry.objects.count() == 0


def test_a_slow_sheet_times_out(sheet_server):
    sheet_server.routes["/slow.csv"] = (200, GOOD_CSV.encode(), 2)
    with pytest.raises(SheetError, match="did not answer within 1 seconds"):
        fetch_sheet_csv(sheet_server.url("/slow.csv"), timeout=1)


def test_participants_cannot_import(participant_client):
    response = participant_client.post(SHEET_URL, {"url": "http://127.0.0.1:9/x.csv"})
    assert response.status_code == 302
    assert Entry.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/sheet.csv",
        "http://[::1]/sheet.csv",
        "http://localhost/sheet.csv",
    ],
)
def test_a_link_into_a_private_network_is_refused(organiser_client, url):
    response = organiser_client.post(SHEET_URL, {"url": url})
    assert response.status_code == 400
    assert "private network" in response.content.decode()
    assert Entry.objects.count() == 0


def test_a_redirect_into_a_private_network_is_refused(sheet_server, settings, monkeypatch):
    # The first hop stands for a public sheet host that redirects to a cloud metadata address.
    first = sheet_server.url("/pub.csv")
    sheet_server.routes["/pub.csv"] = (302, b"", 0, {"Location": "http://169.254.169.254/x"})
    settings.SHEET_IMPORT_ALLOW_PRIVATE = False
    real_check = sheets.check_public_address
    monkeypatch.setattr(
        sheets,
        "check_public_address",
        lambda url: "127.0.0.1" if url == first else real_check(url),
    )
    with pytest.raises(SheetError, match="private network"):
        fetch_sheet_csv(first)


def test_redirects_are_followed(sheet_server):
    sheet_server.routes["/short"] = (302, b"", 0, {"Location": "/pub.csv"})
    sheet_server.routes["/pub.csv"] = (200, GOOD_CSV.encode(), 0)
    assert fetch_sheet_csv(sheet_server.url("/short")) == GOOD_CSV


def test_a_redirect_loop_is_refused(sheet_server):
    sheet_server.routes["/loop"] = (302, b"", 0, {"Location": "/loop"})
    with pytest.raises(SheetError, match="redirects too many times"):
        fetch_sheet_csv(sheet_server.url("/loop"))
