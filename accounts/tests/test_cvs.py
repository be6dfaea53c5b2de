"""CV upload and download, against local private storage and against S3 (moto's server)."""

import io
import zipfile

import boto3
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from accounts import cvs
from accounts.models import CV
from accounts.roles import sponsors_group
from accounts.tests.factories import CVFactory, UserFactory

pytestmark = pytest.mark.django_db
BUCKET = "cog-cvs-test"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(params=["local", "s3"])
def backend(request, settings, tmp_path):
    """Point the `cvs` storage alias at a private folder or at a bucket on moto's S3 server."""
    if request.param == "local":
        settings.STORAGES = {
            **settings.STORAGES,
            "cvs": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(tmp_path / "cvs"), "base_url": None},
            },
        }
        yield "local"
        return
    endpoint = request.getfixturevalue("s3_server")
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "cvs": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 60,
                "custom_domain": None,
                "file_overwrite": False,
            },
        },
    }
    yield "s3"
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def upload(client, content, name="cv.pdf", consent=True):
    data = {"file": SimpleUploadedFile(name, content)}
    if consent:
        data["consent"] = "on"
    return client.post(reverse("accounts:cv"), data)


def fetch(client, user):
    """Download a CV the way a browser would: follow the signed URL when there is one."""
    response = client.get(reverse("accounts:cv_download", args=[user.pk]))
    if response.status_code == 302:
        signed = response["Location"]
        assert "Signature" in signed or "X-Amz-Signature" in signed
        assert "Expires=" in signed or "X-Amz-Expires=60" in signed
        return 200, requests.get(signed, timeout=5).content
    if response.status_code == 200:
        return 200, b"".join(response.streaming_content)
    return response.status_code, b""


def stored_names():
    storage = cvs.cv_storage()
    names = []
    try:
        folders = storage.listdir("")[0]
    except FileNotFoundError:  # local storage creates its folder on the first save
        return []
    for folder in folders:
        names += [f"{folder}/{f}" for f in storage.listdir(folder)[1]]
    return names


def test_upload_with_consent_stores_the_file_and_the_consent_time(
    backend, participant_client, participant
):
    response = upload(participant_client, PDF)
    assert response.status_code == 302
    cv = CV.objects.get(user=participant)
    assert cv.consent_at is not None
    assert cv.consent_text.startswith("I agree")
    assert cv.content_type == "application/pdf"
    assert cv.file_name.endswith(".pdf") and "cv" not in cv.file_name  # a random name
    assert fetch(participant_client, participant) == (200, PDF)


def test_upload_without_consent_is_refused(backend, participant_client):
    response = upload(participant_client, PDF, consent=False)
    assert response.status_code == 400
    assert "consent" in response.content.decode()
    assert not CV.objects.exists()
    assert stored_names() == []


def test_a_file_over_10_mb_is_refused(backend, participant_client):
    big = PDF + b"0" * (11 * 1024 * 1024)
    response = upload(participant_client, big)
    assert response.status_code == 400
    assert "10 MB" in response.content.decode()
    assert not CV.objects.exists()
    assert stored_names() == []


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"\x00" * 200,  # a Windows .exe
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200,  # a Linux binary
        b"PK\x03\x04not really a docx",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,
    ],
)
def test_an_executable_renamed_pdf_is_refused(backend, participant_client, content):
    response = upload(participant_client, content, name="resume.pdf")
    assert response.status_code == 400
    assert "Upload a PDF" in response.content.decode()
    assert not CV.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (docx_bytes(), "cv.docx", "docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "cv.doc", "doc"),
        ("Ada Lovelace\nEngineer — notes\n".encode(), "cv.txt", "txt"),
        (PDF, "cv.txt", "pdf"),  # the content decides, not the name
    ],
)
def test_the_type_comes_from_the_content(
    backend, participant_client, participant, content, name, kind
):
    assert upload(participant_client, content, name=name).status_code == 302
    assert CV.objects.get(user=participant).file_name.endswith(f".{kind}")


def test_replacing_deletes_the_old_file(
    backend, participant_client, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(participant_client, PDF)
        first = CV.objects.get().file_name
        upload(participant_client, b"%PDF-1.4 second")
    assert stored_names() == [CV.objects.get().file_name]
    assert first not in stored_names()
    assert fetch(participant_client, participant) == (200, b"%PDF-1.4 second")


def test_withdrawing_consent_deletes_the_cv(
    backend, participant_client, django_capture_on_commit_callbacks
):
    upload(participant_client, PDF)
    with django_capture_on_commit_callbacks(execute=True):
        response = participant_client.post(reverse("accounts:cv_delete"))
    assert response.status_code == 302
    assert not CV.objects.exists()
    assert stored_names() == []


def test_participant_a_cannot_fetch_participant_bs_cv(backend, client):
    alice, bob = UserFactory(), UserFactory()
    client.force_login(bob)
    upload(client, PDF)
    client.force_login(alice)
    assert fetch(client, bob)[0] == 404


def test_a_sponsor_can_fetch_and_list(backend, client):
    bob = UserFactory(name="Bob Builder")
    client.force_login(bob)
    upload(client, PDF)
    sponsor = UserFactory()
    sponsor.groups.add(sponsors_group())
    client.force_login(sponsor)
    assert fetch(client, bob) == (200, PDF)
    page = client.get(reverse("accounts:cv_list"))
    assert page.status_code == 200
    assert "Bob Builder" in page.content.decode()


def test_an_anonymous_visitor_cannot_fetch_or_list(backend, client, participant):
    client.force_login(participant)
    upload(client, PDF)
    client.logout()
    response = client.get(reverse("accounts:cv_download", args=[participant.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(reverse("accounts:cv_list")).status_code == 302


def test_a_participant_cannot_list_cvs(participant_client):
    assert participant_client.get(reverse("accounts:cv_list")).status_code == 403
    assert participant_client.get(reverse("accounts:cv_zip")).status_code == 403


def test_download_all_streams_a_zip_of_every_cv(backend, client):
    people = [UserFactory(name=f"Person {n}") for n in range(3)]
    for n, person in enumerate(people):
        client.force_login(person)
        upload(client, PDF + str(n).encode())
    sponsor = UserFactory()
    sponsor.groups.add(sponsors_group())
    client.force_login(sponsor)
    response = client.get(reverse("accounts:cv_zip"))
    assert response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == [f"person-{n}-cv.pdf" for n in range(3)]
    assert archive.read("person-2-cv.pdf") == PDF + b"2"


def test_s3_objects_are_private(s3_server, settings, participant_client):
    client_s3 = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client_s3.create_bucket(Bucket="cog-private-check")
    settings.STORAGES = {
        **settings.STORAGES,
        "cvs": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "cog-private-check",
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": "private",
                "querystring_auth": True,
                "custom_domain": None,
            },
        },
    }
    upload(participant_client, PDF)
    key = CV.objects.get().file_name
    grants = client_s3.get_object_acl(Bucket="cog-private-check", Key=key)["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee")) for grant in grants)
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]


def test_purge_cvs_deletes_everything(backend, client):
    for _ in range(3):
        client.force_login(UserFactory())
        upload(client, PDF)
    call_command("purge_cvs", verbosity=0)
    assert not CV.objects.exists()
    assert stored_names() == []


def test_the_cv_list_query_count_does_not_grow(client, named_queries, tmp_path, settings):
    sponsor = UserFactory()
    sponsor.groups.add(sponsors_group())
    client.force_login(sponsor)

    def add(n):
        CVFactory.create_batch(n)

    add(2)
    _, few = named_queries(client.get, reverse("accounts:cv_list"))
    add(60)
    response, many = named_queries(client.get, reverse("accounts:cv_list"))
    assert len(response.context["page"].object_list) == 62
    assert (
        few
        == many
        == [
            "SELECT accounts_user",
            "SELECT auth_permission",
            "SELECT accounts_cv",  # the page's count
            "SELECT accounts_cv",  # one page of CVs with their owners
        ]
    )
