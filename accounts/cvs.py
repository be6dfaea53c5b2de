"""CV storage: upload with consent, replace, delete (withdraw), purge.

Files live on the private `cvs` storage alias under random names; rows record consent. The
file type is decided from the bytes, never from the name.
"""

import io
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from core.models import EventSettings

from .models import CV

ACCEPTED = "Upload a PDF, a Word document (DOC or DOCX) or a plain-text file."
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def cv_storage():
    """The private storage for CVs (looked up each time, so settings can change it)."""
    return storages["cvs"]


def detect_type(file):
    """(extension, content type) from the file's first bytes; ValidationError otherwise."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head == OLE_MAGIC:
        return "doc", "application/msword"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            names = set()
        file.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return (
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        raise ValidationError(ACCEPTED, code="file_type")
    data = file.read()
    file.seek(0)
    if data and b"\x00" not in data:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is not None and all(ch.isprintable() or ch in "\r\n\t\f" for ch in text):
            return "txt", "text/plain"
    raise ValidationError(ACCEPTED, code="file_type")


def upload_cv(*, user, file, consent):
    """Store (or replace) a participant's CV. Requires consent; checks size and content."""
    if not consent:
        raise ValidationError(
            "Tick the consent box to share your CV with sponsors.", code="consent"
        )
    if file.size > settings.CV_MAX_BYTES:
        limit = settings.CV_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"CVs can be at most {limit} MB.", code="too_large")
    if file.size == 0:
        raise ValidationError("That file is empty.", code="empty")
    extension, content_type = detect_type(file)
    storage = cv_storage()
    name = storage.save(f"{user.pk}/{uuid.uuid4().hex}.{extension}", file)
    try:
        with transaction.atomic():
            old = CV.objects.select_for_update().filter(user=user).first()
            cv = old or CV(user=user)
            old_name = old.file_name if old else None
            cv.file_name = name
            cv.original_name = (getattr(file, "name", "") or "")[:255]
            cv.content_type = content_type
            cv.size = file.size
            cv.consent_at = timezone.now()
            cv.consent_text = EventSettings.load().cv_consent_text
            cv.uploaded_at = cv.consent_at
            cv.save()
            if old_name:
                transaction.on_commit(lambda: storage.delete(old_name))
    except Exception:
        storage.delete(name)  # nothing half-written: no row, no orphan file
        raise
    return cv


def delete_cv(*, user):
    """Delete the CV and withdraw consent. Returns whether there was one."""
    with transaction.atomic():
        cv = CV.objects.select_for_update().filter(user=user).first()
        if cv is None:
            return False
        name = cv.file_name
        cv.delete()
        transaction.on_commit(lambda: cv_storage().delete(name))
    return True


def purge_all():
    """Delete every CV, file and row (after the event). Returns how many."""
    storage = cv_storage()
    count = 0
    for cv in CV.objects.all().iterator():
        storage.delete(cv.file_name)
        cv.delete()
        count += 1
    return count


def purge_on_commit():
    """Delete every CV row now and its file once the current transaction commits, so a
    rollback keeps both (closing an event). Returns how many."""
    names = list(CV.objects.values_list("file_name", flat=True))
    CV.objects.all().delete()
    storage = cv_storage()

    def delete_files():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return len(names)


class _ZipSink(io.RawIOBase):
    """A write-only, unseekable buffer that zipfile writes into and the response drains."""

    def __init__(self):
        self.chunks = []

    def writable(self):
        return True

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def drain(self):
        data, self.chunks = b"".join(self.chunks), []
        return data


def stream_zip(cvs):
    """Yield a zip archive of the given CVs chunk by chunk (never the whole archive in memory)."""
    storage = cv_storage()
    sink = _ZipSink()
    used = set()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for cv in cvs:
            arcname = cv.download_name
            if arcname in used:
                arcname = f"{cv.user_id}-{arcname}"
            used.add(arcname)
            with storage.open(cv.file_name, "rb") as source, archive.open(arcname, "w") as target:
                while chunk := source.read(256 * 1024):
                    target.write(chunk)
                    yield sink.drain()
            yield sink.drain()
    yield sink.drain()
