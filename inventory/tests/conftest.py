import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from inventory.tests.sheet_server import SheetServer

BUCKET = "cog-pictures-test"


@pytest.fixture
def sheet_server(settings):
    # The sheet is served on 127.0.0.1, which production refuses (SHEET_IMPORT_ALLOW_PRIVATE).
    settings.SHEET_IMPORT_ALLOW_PRIVATE = True
    with SheetServer() as server:
        yield server


@pytest.fixture(scope="session")
def media_s3_storage(s3_server):
    """STORAGES["default"] exactly as the settings build it from the MEDIA_S3_* variables (in
    a fresh process, so the variables are read as a server reads them), on moto's S3."""
    env = {
        **os.environ,
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": s3_server,
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_ACCESS_KEY_ID": "test",
        "MEDIA_S3_SECRET_ACCESS_KEY": "test",
    }
    script = "import json; from cogproject import settings; print(json.dumps(settings.STORAGES))"
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)["default"]


@pytest.fixture
def local_media(settings, tmp_path):
    """The default storage as configured (local files), in a fresh folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def s3_media(settings, media_s3_storage):
    """The default storage on an empty bucket of moto's S3 server, as MEDIA_S3_* configure it."""
    s3 = boto3.client(
        "s3",
        endpoint_url=media_s3_storage["OPTIONS"]["endpoint_url"],
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": media_s3_storage}
    yield s3
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)


@pytest.fixture(params=["local", "s3"])
def media_storage(request):
    """Public picture storage: local files under MEDIA_ROOT, or a bucket on moto's S3 server."""
    request.getfixturevalue({"local": "local_media", "s3": "s3_media"}[request.param])
    return request.param
