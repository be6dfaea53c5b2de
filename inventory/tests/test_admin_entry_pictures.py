"""Organisers upload, replace and remove an entry's picture in the admin; the entry list
shows each entry's picture or icon at a fixed query count; imports leave pictures alone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inventory import pictures
from inventory.models import Category, Entry
from inventory.tests.factories import CategoryFactory, EntryFactory, make_inventory
from inventory.tests.images import image_file, opened

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:inventory_entry_changelist")


def entry_form(entry, **changes):
    """What the change page posts for `entry`, with `changes` (a file under "picture")."""
    return {
        "name": entry.name,
        "category": entry.category_id or "",
        "kind": entry.kind,
        "description": entry.description,
        "link": entry.link,
        "image_url": entry.image_url,
        "is_visible": "on",
        "max_request_quantity": entry.max_request_quantity,
        "counted_stock": entry.counted_stock or "",
        "units-TOTAL_FORMS": "0",
        "units-INITIAL_FORMS": "0",
        **changes,
    }


def change(client, entry, **changes):
    url = reverse("admin:inventory_entry_change", args=[entry.pk])
    return client.post(url, entry_form(entry, **changes))


def test_it_uploads_a_picture_and_shows_its_copy(
    organiser_client, media_storage, django_capture_on_commit_callbacks
):
    entry = EntryFactory(name="Arduino Uno")
    with django_capture_on_commit_callbacks(execute=True):
        response = change(organiser_client, entry, picture=image_file((1600, 1200)))

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.picture.name.endswith(".jpg")
    assert (entry.thumbnail_width, entry.thumbnail_height) == (480, 360)
    assert pictures.picture_storage().exists(entry.thumbnail.name)
    page = organiser_client.get(reverse("admin:inventory_entry_change", args=[entry.pk]))
    body = page.content.decode()
    assert f'src="{entry.thumbnail_url}"' in body  # the preview below the file field
    assert "Clear" in body  # and the box to remove it


def test_it_adds_an_entry_with_a_picture(organiser_client, local_media):
    category = CategoryFactory()
    data = entry_form(
        Entry(name="Pinecil", category=category, kind="checkout", max_request_quantity=1),
        picture=image_file((300, 300), format="PNG"),
    )
    response = organiser_client.post(reverse("admin:inventory_entry_add"), data)
    assert response.status_code == 302
    entry = Entry.objects.get(name="Pinecil")
    assert entry.picture.name.endswith(".png")
    assert opened(pictures.picture_storage().open(entry.thumbnail.name).read()).size == (300, 300)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.txt", b"not a picture"), "Upload a JPEG, PNG, WebP or GIF"),
        (SimpleUploadedFile("fake.jpg", b"\xff\xd8\xff\xe0 not really"), "Upload a JPEG, PNG"),
        (image_file((10000, 6000), format="PNG", mode="1"), "at most 50 megapixels"),
    ],
    ids=["text", "fake-jpeg", "too-many-pixels"],
)
def test_a_bad_file_is_a_form_error_and_changes_nothing(
    organiser_client, local_media, upload, message
):
    entry = EntryFactory(name="Arduino Uno", description="Before")
    response = change(organiser_client, entry, picture=upload, description="After")

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["picture"])
    entry.refresh_from_db()
    assert entry.description == "Before"  # the rest of the form is not saved either
    assert not entry.picture and not entry.thumbnail
    assert not local_media.exists() or not any(local_media.rglob("*.*"))


def test_a_file_over_the_limit_is_a_form_error(organiser_client, local_media, settings):
    settings.PICTURE_MAX_BYTES = 2 * 1024 * 1024
    big = image_file((3000, 3000), format="PNG", compress_level=0)
    assert big.size > settings.PICTURE_MAX_BYTES
    entry = EntryFactory()
    response = change(organiser_client, entry, picture=big)
    assert response.status_code == 200
    assert "Pictures can be at most 2 MB" in response.content.decode()
    entry.refresh_from_db()
    assert not entry.picture


def test_saving_without_a_new_file_keeps_the_picture(organiser_client, local_media):
    entry = EntryFactory()
    pictures.set_picture(entry=entry, picture=pictures.read_picture(image_file()))
    before = (entry.picture.name, entry.thumbnail.name)
    response = change(organiser_client, entry, description="New words")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.picture.name, entry.thumbnail.name) == before
    assert entry.description == "New words"


def test_replacing_and_clearing_delete_the_old_files(
    organiser_client, local_media, django_capture_on_commit_callbacks
):
    entry = EntryFactory()
    storage = pictures.picture_storage()
    with django_capture_on_commit_callbacks(execute=True):
        change(organiser_client, entry, picture=image_file())
        entry.refresh_from_db()
        first = [entry.picture.name, entry.thumbnail.name]
        change(organiser_client, entry, picture=image_file((100, 50)))
        entry.refresh_from_db()
        second = [entry.picture.name, entry.thumbnail.name]
    assert not any(storage.exists(name) for name in first)
    assert all(storage.exists(name) for name in second)

    with django_capture_on_commit_callbacks(execute=True):
        response = change(organiser_client, entry, **{"picture-clear": "on"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert not entry.picture and not entry.thumbnail
    assert not any(storage.exists(name) for name in second)


def test_deleting_an_entry_deletes_its_files(
    organiser_client, local_media, django_capture_on_commit_callbacks
):
    entry = EntryFactory()
    pictures.set_picture(entry=entry, picture=pictures.read_picture(image_file()))
    url = reverse("admin:inventory_entry_delete", args=[entry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert not pictures.picture_storage().exists(entry.picture.name)
    assert not pictures.picture_storage().exists(entry.thumbnail.name)


@pytest.mark.parametrize("rows", [2, 30])
def test_the_changelist_shows_pictures_and_icons_at_a_fixed_query_count(
    organiser_client, named_queries, rows
):
    # A third of the entries have a stored copy, a third an image URL, a third neither (the
    # category's icon); make_inventory gives every entry an image URL.
    entries = make_inventory(entries=rows, units=1)
    Category.objects.update(icon="sensor")
    copies = [entry.pk for entry in entries[0::3]]
    icons = [entry.pk for entry in entries[1::3]]
    Entry.objects.filter(pk__in=copies).update(thumbnail="entries/abc-480.webp")
    Entry.objects.filter(pk__in=icons).update(image_url="")

    response, queries = named_queries(organiser_client.get, CHANGELIST)

    assert response.status_code == 200
    assert queries == [
        "SELECT accounts_user",  # the organiser
        "SELECT auth_permission",  # their permissions
        "SELECT inventory_category",  # the category filter's choices
        "SELECT inventory_entry",  # the page's count
        "SELECT inventory_entry",  # the page, with category (so the icon) and stock
    ]
    body = response.content.decode()
    assert body.count('src="/media/entries/abc-480.webp"') == len(copies)
    assert body.count('src="https://example.com/img.png"') == rows - len(copies) - len(icons)
    assert body.count('href="/static/icons/categories/sensor.svg#icon"') == len(icons)


def test_an_import_sets_the_image_url_and_keeps_the_uploaded_picture_first(
    organiser_client, local_media
):
    uno = EntryFactory(name="Arduino Uno", image_url="")
    pictures.set_picture(entry=uno, picture=pictures.read_picture(image_file()))
    csv = "name,kind,image_url\nArduino Uno,checkout,https://cdn.example.org/uno.png\n"
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

    uno.refresh_from_db()
    assert uno.image_url == "https://cdn.example.org/uno.png"
    assert pictures.picture_storage().exists(uno.thumbnail.name)
    assert uno.thumbnail_url == f"/media/{uno.thumbnail.name}"
