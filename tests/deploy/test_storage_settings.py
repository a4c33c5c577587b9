"""Attachments go to S3-compatible storage (MinIO) only when a bucket is configured."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _storages(extra_env: dict[str, str]) -> dict:
    code = "import json; from django.conf import settings as s; print(json.dumps(s.STORAGES))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cpims.settings", **extra_env}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_files_stay_on_disk_without_a_bucket():
    storages = _storages({"CPIMS_S3_BUCKET": ""})
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_bucket_switches_attachments_to_private_s3_storage():
    storages = _storages(
        {"CPIMS_S3_BUCKET": "cpims-attachments", "CPIMS_S3_ENDPOINT_URL": "https://minio:9000"}
    )
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storages["default"]["OPTIONS"]
    assert options["bucket_name"] == "cpims-attachments"
    assert options["endpoint_url"] == "https://minio:9000"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
