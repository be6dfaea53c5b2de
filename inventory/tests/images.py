"""Real image files, made with Pillow, for the picture tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

EXIF_ORIENTATION = 0x0112


def image_file(size=(1200, 900), *, format="JPEG", mode="RGB", name=None, orientation=None, **save):
    """An uploaded file holding a `size` picture: a left half red, a right half blue, so a
    turned or mirrored copy is told apart from the original."""
    if mode == "1":  # one bit a pixel: huge sizes in little memory
        image = Image.new("1", size, 0)
    else:
        image = Image.new("RGB", size, "red")
        image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
        image = image.convert(mode)
    if orientation:
        exif = Image.Exif()
        exif[EXIF_ORIENTATION] = orientation
        save["exif"] = exif
    buffer = io.BytesIO()
    image.save(buffer, format, **save)
    extension = {"JPEG": "jpg"}.get(format, format.lower())
    return SimpleUploadedFile(name or f"photo.{extension}", buffer.getvalue())


def opened(data):
    """The image in these bytes, loaded."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
