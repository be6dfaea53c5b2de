"""Category icons: one vendored SVG per choice, drawn to follow the text colour; guessed from
a category's name by the data migration and by imports."""

import importlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inventory.icons import Icon, guess_icon
from inventory.models import Category, Entry
from inventory.tests.factories import CategoryFactory, EntryFactory

SVG = "{http://www.w3.org/2000/svg}"
ICONS = Path(settings.BASE_DIR) / "static" / "icons" / "categories"


def test_every_choice_has_its_svg_and_every_svg_is_a_choice():
    assert sorted(path.stem for path in ICONS.glob("*.svg")) == sorted(Icon.values)


@pytest.mark.parametrize("icon", Icon.values)
def test_each_icon_is_a_24_pixel_line_drawing_in_the_text_colour(icon):
    root = ET.parse(ICONS / f"{icon}.svg").getroot()
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 24 24"
    # <svg><use href="...#icon"></use></svg> in a page draws the symbol in its text colour.
    symbol = root.find(f"{SVG}symbol")
    assert symbol.get("id") == "icon" and symbol.get("viewBox") == "0 0 24 24"
    (group,) = symbol
    assert (group.get("stroke"), group.get("fill")) == ("currentColor", "none")
    assert group.get("stroke-width") == "1.75"
    drawn = list(group.iter())[1:]
    assert drawn, "an empty icon"
    for element in drawn:
        assert element.tag in {f"{SVG}{tag}" for tag in ("path", "rect", "circle")}
        for colour in (element.get("stroke"), element.get("fill")):
            assert colour in (None, "none", "currentColor")
    # Opened on its own (an <img>), the file draws the symbol once.
    assert [(use.tag, use.get("href")) for use in root.findall(f"{SVG}use")] == [
        (f"{SVG}use", "#icon")
    ]


@pytest.mark.parametrize(
    ("name", "icon"),
    [
        ("Microcontrollers", Icon.MICROCONTROLLER),
        ("Dev boards", Icon.MICROCONTROLLER),
        ("Single-board computers", Icon.SINGLE_BOARD_COMPUTER),
        ("Raspberry Pi", Icon.SINGLE_BOARD_COMPUTER),
        ("Sensors", Icon.SENSOR),
        ("Displays", Icon.DISPLAY),
        ("LED matrices", Icon.DISPLAY),
        ("Motors", Icon.MOTOR),
        ("Servos & actuators", Icon.MOTOR),
        ("Power", Icon.POWER),
        ("Power tools", Icon.POWER),
        ("Batteries", Icon.POWER),
        ("Tools", Icon.TOOL),
        ("Soldering", Icon.TOOL),
        ("Cameras", Icon.CAMERA),
        ("Wireless", Icon.WIRELESS),
        ("LoRa & GPS", Icon.WIRELESS),
        ("VR and AR", Icon.VR),
        ("VR", Icon.VR),
        ("Headsets", Icon.VR),
        ("Robotics", Icon.ROBOT),
        ("Drones", Icon.ROBOT),
        ("Consumables", Icon.CONSUMABLE),
        ("Components", Icon.CONSUMABLE),
        ("Office supplies", Icon.CONSUMABLE),
        ("Audio", Icon.AUDIO),
        ("Microphones", Icon.AUDIO),
        ("Cables & adapters", Icon.CABLE),
        ("Kits", Icon.KIT),
        ("Misc", Icon.GENERIC),
        ("", Icon.GENERIC),
    ],
)
def test_it_guesses_an_icon_from_a_category_name(name, icon):
    assert guess_icon(name) == icon


@pytest.mark.django_db
def test_the_data_migration_guesses_icons_for_existing_categories():
    migration = importlib.import_module("inventory.migrations.0008_guess_category_icons")
    for name in ("Sensors", "Drones", "Misc"):
        CategoryFactory(name=name, icon=Icon.GENERIC)
    migration.guess_icons(apps, None)
    assert dict(Category.objects.values_list("name", "icon")) == {
        "Sensors": "sensor",
        "Drones": "robot",
        "Misc": "generic",
    }


@pytest.mark.django_db
def test_an_import_gives_new_categories_a_guessed_icon(organiser_client):
    CategoryFactory(name="Boards", icon=Icon.KIT)  # an organiser's choice stays
    csv = "name,category,kind\nArduino Uno,Boards,checkout\nHC-SR04,Sensors,checkout\n"
    file = SimpleUploadedFile("inventory.csv", csv.encode())
    preview = organiser_client.post(
        reverse("admin:inventory_entry_import"),
        {"resource": "0", "format": "0", "import_file": file},
    )
    form = preview.context["confirm_form"]
    organiser_client.post(
        reverse("admin:inventory_entry_process_import"),
        {name: form[name].value() for name in form.fields},
    )

    assert dict(Category.objects.values_list("name", "icon")) == {
        "Boards": "kit",
        "Sensors": "sensor",
    }
    assert Entry.objects.get(name="HC-SR04").icon_static_path == "icons/categories/sensor.svg"


@pytest.mark.django_db
def test_an_entry_shows_its_categorys_icon_without_a_query(django_assert_num_queries):
    EntryFactory(name="HC-SR04", category=CategoryFactory(name="Sensors", icon="sensor"))
    EntryFactory(name="Mystery box", category=None)
    entries = Entry.objects.select_related("category").order_by("name")
    with django_assert_num_queries(1):
        paths = [(entry.name, entry.icon_static_path) for entry in entries]
    assert paths == [
        ("HC-SR04", "icons/categories/sensor.svg"),
        ("Mystery box", "icons/categories/generic.svg"),
    ]


@pytest.mark.django_db
def test_an_organiser_chooses_a_categorys_icon(organiser_client):
    category = CategoryFactory(name="Things")
    url = reverse("admin:inventory_category_change", args=[category.pk])
    response = organiser_client.post(url, {"name": "Things", "icon": "robot"})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.icon_static_path == "icons/categories/robot.svg"
    listing = organiser_client.get(reverse("admin:inventory_category_changelist"))
    assert 'href="/static/icons/categories/robot.svg#icon"' in listing.content.decode()


@pytest.mark.django_db
def test_an_unknown_icon_is_refused(organiser_client):
    category = CategoryFactory(name="Things")
    url = reverse("admin:inventory_category_change", args=[category.pk])
    response = organiser_client.post(url, {"name": "Things", "icon": "../../etc/passwd"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["icon"]
    category.refresh_from_db()
    assert category.icon == "generic"
