"""Entry pictures: check an upload, store it with a resized copy, replace, remove.

Pictures are public: they live on the "default" storage (local MEDIA_ROOT, or a public S3
bucket, see settings), each upload under a new random name, the original as sent and next to
it a WebP copy at most THUMBNAIL_SIZE pixels on its longer side, turned upright (EXIF
orientation) and without metadata. The catalogue shows the copy (`Entry.thumbnail_url`).
Files that a change leaves behind are deleted once the change commits.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Entry

THUMBNAIL_SIZE = 480
MAX_MEGAPIXELS = 50
# Pillow's name for each format accepted, and the extension the original is stored under.
# MPO is what some cameras and phones call a JPEG with a second, preview image inside.
FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ACCEPTED = "Upload a JPEG, PNG, WebP or GIF picture."
ACCEPTED_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"]  # for file pickers


@dataclass(frozen=True)
class Picture:
    """An upload that `read_picture` has checked, with its resized copy already made."""

    file: object
    extension: str
    thumbnail: bytes
    thumbnail_width: int
    thumbnail_height: int


def picture_storage():
    """The public storage pictures are kept on (the field's: settings.STORAGES["default"])."""
    return Entry._meta.get_field("picture").storage


def read_picture(file):
    """Check an uploaded file and make its resized copy. Raises ValidationError, with a
    sentence an organiser can act on, for an empty, too large, or unreadable file, a format
    other than JPEG, PNG, WebP or GIF, or too many pixels. Decodes the image once."""
    limit = settings.PICTURE_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            f"Pictures can be at most {limit / 1024 / 1024:g} MB; this one is "
            f"{file.size / 1024 / 1024:.1f} MB. Save it smaller and upload it again.",
            code="too_large",
        )
    if file.size == 0:
        raise ValidationError("That file is empty.", code="empty")
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns past its own pixel limit; _check_pixels says it in words instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                extension = FORMATS.get(image.format)
                if extension is None:
                    raise ValidationError(ACCEPTED, code="file_type")
                _check_pixels(*image.size)
                icc_profile = image.info.get("icc_profile")
                thumbnail = _resized_copy(image)
    except Image.DecompressionBombError:  # so many pixels that Pillow will not even look
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        # Not an image, or a damaged one (a truncated JPEG, a PNG with a bad checksum).
        raise ValidationError(ACCEPTED, code="file_type") from None
    finally:
        file.seek(0)
    buffer = io.BytesIO()
    # Without exif: the copy is public, and a phone photo's metadata can say where it was taken.
    thumbnail.save(buffer, "WEBP", quality=80, method=6, icc_profile=icc_profile)
    return Picture(
        file=file,
        extension=extension,
        thumbnail=buffer.getvalue(),
        thumbnail_width=thumbnail.width,
        thumbnail_height=thumbnail.height,
    )


TOO_MANY_PIXELS = (
    f"This picture has too many pixels; pictures can be at most {MAX_MEGAPIXELS} megapixels. "
    "Save it smaller and upload it again."
)


def _check_pixels(width, height):
    if width * height > MAX_MEGAPIXELS * 1_000_000:
        raise ValidationError(
            f"This picture is {width} x {height} pixels ({width * height / 1e6:.0f} "
            f"megapixels); pictures can be at most {MAX_MEGAPIXELS} megapixels. Save it "
            "smaller and upload it again.",
            code="too_many_pixels",
        )


def _resized_copy(image):
    """The first frame, upright, at most THUMBNAIL_SIZE on its longer side, in RGB or RGBA."""
    image.draft("RGB", (THUMBNAIL_SIZE, THUMBNAIL_SIZE))  # a JPEG decodes at 1/2 to 1/8 size
    upright = ImageOps.exif_transpose(image)  # a new, loaded image: decoding errors show here
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    upright = upright.convert("RGBA" if has_alpha else "RGB")
    upright.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    return upright


PICTURE_FIELDS = ["picture", "thumbnail", "thumbnail_width", "thumbnail_height"]


def set_picture(*, entry, picture):
    """Store `picture` (from `read_picture`) as the entry's picture, replacing any other.

    Both files are written before the row changes, under a new random name; the entry's row
    is locked while it changes; the replaced files are deleted after commit, and the new ones
    at once if the change fails. Returns the entry, updated."""
    storage = picture_storage()
    stem = f"entries/{uuid.uuid4().hex}"
    written = []
    try:
        written.append(storage.save(f"{stem}.{picture.extension}", picture.file))
        written.append(
            storage.save(f"{stem}-{THUMBNAIL_SIZE}.webp", ContentFile(picture.thumbnail))
        )
        values = {
            "picture": written[0],
            "thumbnail": written[1],
            "thumbnail_width": picture.thumbnail_width,
            "thumbnail_height": picture.thumbnail_height,
        }
        _replace_picture(entry, values)
    except Exception:
        for name in written:  # nothing half-written: no orphan files
            storage.delete(name)
        raise
    return entry


def remove_picture(*, entry):
    """Take the entry's picture away (it shows its image_url or category icon again); the
    files go after commit. Returns whether there was one."""
    no_picture = {"picture": "", "thumbnail": "", "thumbnail_width": None, "thumbnail_height": None}
    return any(_replace_picture(entry, no_picture))


def _replace_picture(entry, values):
    """Write the picture fields of the locked row (and of `entry`), then delete the files
    they named after commit. Returns those names ("" for none)."""
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        replaced = [locked.picture.name or "", locked.thumbnail.name or ""]
        for row in (locked, entry):
            for name, value in values.items():
                setattr(row, name, value)
        locked.save(update_fields=PICTURE_FIELDS)
        delete_files_on_commit(replaced)
    return replaced


def delete_files_on_commit(names):
    """Delete these stored pictures once the current transaction commits: a rollback keeps
    them, as the rows that name them stay. A failed delete is logged, not raised: the change
    it follows has committed."""
    names = [name for name in names if name]

    def delete():
        storage = picture_storage()
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete, robust=True)
