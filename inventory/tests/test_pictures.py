"""inventory.pictures: checking uploads, the resized copy, storing, replacing and removing,
against local files and against S3 (moto's server) configured as the settings configure it."""

import io

import pytest
import requests
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from inventory import pictures, services
from inventory.models import Entry
from inventory.tests.factories import EntryFactory
from inventory.tests.images import EXIF_ORIENTATION, image_file, opened

pytestmark = pytest.mark.django_db


def stored(name):
    return pictures.picture_storage().exists(name)


def stored_files():
    try:
        return pictures.picture_storage().listdir("entries")[1]
    except FileNotFoundError:  # local storage makes the folder on its first file
        return []


def fetch(url, media_root):
    """The bytes a browser gets for a picture URL: from the bucket, or the file at MEDIA_URL."""
    if url.startswith("http"):
        response = requests.get(url, timeout=5)  # no credentials: the object must be public
        assert response.status_code == 200
        return response.content
    assert url.startswith("/media/")
    return (media_root / url.removeprefix("/media/")).read_bytes()


def test_it_makes_a_webp_copy_at_most_480_pixels_keeping_the_shape():
    picture = pictures.read_picture(image_file((1200, 900)))
    copy = opened(picture.thumbnail)
    assert copy.format == "WEBP"
    assert copy.size == (480, 360) == (picture.thumbnail_width, picture.thumbnail_height)
    assert picture.extension == "jpg"


@pytest.mark.parametrize(
    ("format", "mode", "extension"),
    [("JPEG", "RGB", "jpg"), ("PNG", "P", "png"), ("WEBP", "RGB", "webp"), ("GIF", "P", "gif")],
)
def test_it_accepts_jpeg_png_webp_and_gif(format, mode, extension):
    picture = pictures.read_picture(image_file((640, 320), format=format, mode=mode))
    assert picture.extension == extension
    assert opened(picture.thumbnail).size == (480, 240)


def test_it_does_not_enlarge_a_small_picture():
    picture = pictures.read_picture(image_file((200, 120), format="PNG"))
    assert opened(picture.thumbnail).size == (200, 120)
    assert picture.extension == "png"


def test_it_turns_a_phone_photo_upright_and_drops_its_metadata():
    # Orientation 6: the camera was turned; viewers rotate the stored 300x200 by 90 degrees.
    picture = pictures.read_picture(image_file((300, 200), orientation=6))
    copy = opened(picture.thumbnail)
    assert copy.size == (200, 300)
    # The red half (left as stored) is at the top once turned clockwise.
    assert copy.convert("RGB").getpixel((100, 20))[0] > 200
    assert copy.convert("RGB").getpixel((100, 280))[2] > 200
    assert EXIF_ORIENTATION not in copy.getexif()


def test_it_keeps_transparency():
    logo = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    logo.paste((255, 0, 0, 255), (16, 16, 48, 48))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue())
    copy = opened(pictures.read_picture(upload).thumbnail)
    assert copy.mode == "RGBA"
    assert copy.getpixel((2, 2))[3] == 0 and copy.getpixel((32, 32))[3] == 255


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("notes.txt", b"not a picture at all"),
        SimpleUploadedFile("doc.pdf", b"%PDF-1.7\n%%EOF\n"),
        SimpleUploadedFile(
            "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        ),
        image_file((64, 64), format="BMP"),
        image_file((64, 64), format="TIFF"),
    ],
    ids=["text", "pdf", "svg", "bmp", "tiff"],
)
def test_it_refuses_what_is_not_a_jpeg_png_webp_or_gif(upload):
    with pytest.raises(ValidationError) as caught:
        pictures.read_picture(upload)
    assert caught.value.messages == ["Upload a JPEG, PNG, WebP or GIF picture."]


def test_it_refuses_a_damaged_picture():
    whole = image_file((800, 600), quality=95).read()
    with pytest.raises(ValidationError) as caught:
        pictures.read_picture(SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2]))
    assert caught.value.messages == ["Upload a JPEG, PNG, WebP or GIF picture."]


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError, match="empty"):
        pictures.read_picture(SimpleUploadedFile("empty.jpg", b""))


def test_it_refuses_a_file_over_the_size_limit(settings):
    upload = image_file((800, 600))
    settings.PICTURE_MAX_BYTES = upload.size - 1
    with pytest.raises(ValidationError) as caught:
        pictures.read_picture(upload)
    assert caught.value.code == "too_large"
    assert f"at most {(upload.size - 1) / 1024 / 1024:g} MB" in caught.value.messages[0]


def test_it_refuses_too_many_pixels_before_decoding_them():
    # 10000 x 6000 one-bit pixels: a small file, 60 megapixels.
    upload = image_file((10000, 6000), format="PNG", mode="1")
    assert upload.size < 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        pictures.read_picture(upload)
    assert caught.value.messages[0].startswith(
        "This picture is 10000 x 6000 pixels (60 megapixels)"
    )


def test_it_stores_the_original_and_the_copy_side_by_side(media_storage, local_media):
    entry = EntryFactory()
    upload = image_file((1200, 900))
    sent = upload.read()
    pictures.set_picture(entry=entry, picture=pictures.read_picture(upload))

    entry.refresh_from_db()
    stem = entry.picture.name.removesuffix(".jpg")
    assert stem.startswith("entries/") and "photo" not in stem  # a new random name
    assert entry.thumbnail.name == f"{stem}-480.webp"
    assert (entry.thumbnail_width, entry.thumbnail_height) == (480, 360)
    assert pictures.picture_storage().open(entry.picture.name).read() == sent
    assert opened(fetch(entry.thumbnail_url, local_media)).size == (480, 360)


def test_s3_pictures_are_public_with_plain_urls_and_cached(s3_media):
    entry = pictures.set_picture(entry=EntryFactory(), picture=pictures.read_picture(image_file()))
    assert "Signature" not in entry.thumbnail_url and "?" not in entry.thumbnail_url
    bucket = pictures.picture_storage().bucket_name
    for name in (entry.picture.name, entry.thumbnail.name):
        grants = s3_media.get_object_acl(Bucket=bucket, Key=name)["Grants"]
        public = [g["Permission"] for g in grants if "AllUsers" in str(g["Grantee"])]
        assert public == ["READ"]
        head = s3_media.head_object(Bucket=bucket, Key=name)
        assert head["CacheControl"] == "public, max-age=31536000, immutable"
    assert head["ContentType"] == "image/webp"


def test_replacing_a_picture_deletes_the_old_files_after_commit(
    media_storage, django_capture_on_commit_callbacks
):
    entry = EntryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        pictures.set_picture(entry=entry, picture=pictures.read_picture(image_file()))
    old = [entry.picture.name, entry.thumbnail.name]

    with django_capture_on_commit_callbacks() as callbacks:
        pictures.set_picture(entry=entry, picture=pictures.read_picture(image_file((90, 90))))
        assert all(stored(name) for name in old)  # not before the commit
    for callback in callbacks:
        callback()

    assert not any(stored(name) for name in old)
    entry.refresh_from_db()
    assert stored(entry.picture.name) and stored(entry.thumbnail.name)
    assert entry.thumbnail_width == entry.thumbnail_height == 90


def test_removing_a_picture_goes_back_to_the_image_url_and_deletes_the_files(
    media_storage, django_capture_on_commit_callbacks
):
    entry = EntryFactory(image_url="https://cdn.example.org/uno.png")
    pictures.set_picture(entry=entry, picture=pictures.read_picture(image_file()))
    files = [entry.picture.name, entry.thumbnail.name]
    assert entry.thumbnail_url != entry.image_url

    with django_capture_on_commit_callbacks(execute=True):
        assert pictures.remove_picture(entry=entry) is True

    entry.refresh_from_db()
    assert (entry.picture.name, entry.thumbnail.name, entry.thumbnail_width) == ("", "", None)
    assert entry.thumbnail_url == "https://cdn.example.org/uno.png"
    assert not any(stored(name) for name in files)
    assert pictures.remove_picture(entry=entry) is False


def test_a_rolled_back_removal_keeps_the_files(media_storage, django_capture_on_commit_callbacks):
    entry = EntryFactory()
    pictures.set_picture(entry=entry, picture=pictures.read_picture(image_file()))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        pictures.remove_picture(entry=entry)
        raise RuntimeError("the rest of the change failed")
    stored_entry = Entry.objects.get(pk=entry.pk)
    assert stored_entry.picture.name
    assert stored(stored_entry.picture.name) and stored(stored_entry.thumbnail.name)


def test_a_failed_change_leaves_no_files_behind(media_storage):
    entry = EntryFactory()
    Entry.objects.filter(pk=entry.pk).delete()  # gone before the picture is stored
    with pytest.raises(Entry.DoesNotExist):
        pictures.set_picture(entry=entry, picture=pictures.read_picture(image_file()))
    assert stored_files() == []


def test_deleting_entries_deletes_their_files_after_commit(
    local_media, django_capture_on_commit_callbacks
):
    kept, gone = EntryFactory(), EntryFactory()
    for entry in (kept, gone):
        pictures.set_picture(entry=entry, picture=pictures.read_picture(image_file()))
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_entries(entries=Entry.objects.filter(pk=gone.pk))
    assert not Entry.objects.filter(pk=gone.pk).exists()
    assert not stored(gone.picture.name) and not stored(gone.thumbnail.name)
    assert stored(kept.picture.name) and stored(kept.thumbnail.name)


def test_thumbnail_url_prefers_the_copy_then_the_image_url_without_queries(
    local_media, django_assert_num_queries
):
    with_picture = EntryFactory(image_url="https://cdn.example.org/a.png")
    pictures.set_picture(entry=with_picture, picture=pictures.read_picture(image_file()))
    linked = EntryFactory(image_url="https://cdn.example.org/b.png")
    bare = EntryFactory(image_url="")
    entries = list(Entry.objects.filter(pk__in=[with_picture.pk, linked.pk, bare.pk]))
    with django_assert_num_queries(0):
        urls = {entry.pk: entry.thumbnail_url for entry in entries}
    assert urls == {
        with_picture.pk: f"/media/{with_picture.thumbnail.name}",
        linked.pk: "https://cdn.example.org/b.png",
        bare.pk: "",
    }
