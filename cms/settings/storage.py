"""Where uploads and private files live: the filesystem by default, S3-compatible object storage
(django-storages) when STORAGE_BACKEND=s3. Read by the production settings.

Two buckets, never one: the media bucket holds what the public site shows (images, documents)
and is publicly readable; the private bucket holds exports and report workbooks and is handed
out only through signed, short-lived URLs by permission-checked views (cms/core/storage.py, cms/core/s3.py).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def s3_options(bucket: str) -> dict:
    """The connection shared by both buckets; credentials fall back to boto3's own lookup."""
    from botocore.config import Config  # only when object storage is configured

    endpoint = os.environ.get("STORAGE_ENDPOINT_URL", "").strip() or None
    # MinIO, Ceph and most S3-compatible servers expect the bucket in the path.
    addressing = os.environ.get("STORAGE_ADDRESSING_STYLE", "path" if endpoint else "auto")
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": os.environ.get("STORAGE_REGION", "").strip() or None,
        "access_key": os.environ.get("STORAGE_ACCESS_KEY_ID", "").strip() or None,
        "secret_key": os.environ.get("STORAGE_SECRET_ACCESS_KEY", "").strip() or None,
        "file_overwrite": False,
        # An unreachable store must fail a request (and /readyz) in seconds, not minutes.
        "client_config": Config(
            signature_version="s3v4",
            s3={"addressing_style": addressing},
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    }
    return {key: value for key, value in options.items() if value is not None}


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"STORAGE_BACKEND=s3 needs the environment variable {name}.")
    return value


def media_origin() -> str | None:
    """Where editors' images are served from when media live in a bucket (for the CSP's
    img-src); None for the filesystem default, which is this site's own origin."""
    if os.environ.get("STORAGE_BACKEND", "filesystem").strip().lower() != "s3":
        return None
    if domain := os.environ.get("STORAGE_MEDIA_CUSTOM_DOMAIN", "").strip():
        return f"https://{domain}"
    if endpoint := os.environ.get("STORAGE_ENDPOINT_URL", "").strip():
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    bucket = os.environ.get("STORAGE_MEDIA_BUCKET", "").strip()
    return f"https://{bucket}.s3.amazonaws.com" if bucket else None


def storages_from_environment(base: dict, media_root: Path, private_root: Path) -> dict:
    backend = os.environ.get("STORAGE_BACKEND", "filesystem").strip().lower()
    if backend == "filesystem":
        return {
            **base,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": media_root},
            },
            "exports": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": private_root, "base_url": None},
            },
        }
    if backend != "s3":
        raise ImproperlyConfigured("STORAGE_BACKEND must be 'filesystem' or 's3'.")
    media_bucket = required("STORAGE_MEDIA_BUCKET")
    private_bucket = required("STORAGE_PRIVATE_BUCKET")
    if media_bucket == private_bucket:
        raise ImproperlyConfigured(
            "STORAGE_MEDIA_BUCKET and STORAGE_PRIVATE_BUCKET must be different buckets: the "
            "media bucket is public."
        )
    media = {**s3_options(media_bucket), "querystring_auth": False}
    if domain := os.environ.get("STORAGE_MEDIA_CUSTOM_DOMAIN", "").strip():
        media["custom_domain"] = domain  # a CDN or the bucket's public host name
    private = {
        **s3_options(private_bucket),
        "querystring_auth": True,
        "querystring_expire": int(os.environ.get("STORAGE_PRIVATE_URL_SECONDS", "60")),
        "default_acl": "private",
    }
    return {
        **base,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": media},
        "exports": {"BACKEND": "cms.core.s3.PrivateS3Storage", "OPTIONS": private},
    }
