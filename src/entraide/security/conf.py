"""Security settings read from the environment (see docs/security.md), without touching settings.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

from entraide.core.env import envbool, envint, envlist, envstr


def debug() -> bool:
    # settings.DEBUG is forced off under tests; the development fallbacks follow the configured value.
    return envbool("ENTRAIDE_DEBUG", True)


def master_key_value() -> str:
    return envstr("ENTRAIDE_MASTER_KEY", "")


def previous_master_keys() -> list[str]:
    return envlist("ENTRAIDE_PREVIOUS_MASTER_KEYS", [])


def development_key_path() -> Path:
    return Path(settings.DATA_DIR) / "master.key"


def login_failures_before_lockout() -> int:
    return envint("ENTRAIDE_LOGIN_MAX_FAILURES", 5, minimum=1)


def lockout_minutes() -> int:
    return envint("ENTRAIDE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)


def address_failures_per_window() -> int:
    """Failed sign-ins one address may make within the lockout window, whatever the user names."""
    return envint("ENTRAIDE_LOGIN_MAX_FAILURES_PER_ADDRESS", 30, minimum=1)


def idle_minutes_default() -> int:
    return envint("ENTRAIDE_SESSION_IDLE_MINUTES", 30, minimum=1)


def backup_dir() -> Path:
    return Path(envstr("ENTRAIDE_BACKUP_DIR", str(Path(settings.DATA_DIR) / "backups")))


def api_rate_per_minute() -> int:
    """API requests per minute for one token or signed-in user (per server process, or shared with a shared cache)."""
    return envint("ENTRAIDE_API_RATE_PER_MINUTE", 1200, minimum=1)


def api_anonymous_rate_per_minute() -> int:
    return envint("ENTRAIDE_API_ANONYMOUS_RATE_PER_MINUTE", 300, minimum=1)


def s3_bucket() -> str:
    """The bucket of the encrypted documents; empty: they stay on the local disk (MEDIA_ROOT)."""
    return envstr("ENTRAIDE_S3_BUCKET", "")


def s3_settings() -> dict[str, Any]:
    """The options of ``security.storage.EncryptedS3Storage`` (django-storages' S3Storage) from the environment."""
    options: dict[str, Any] = {
        "bucket_name": s3_bucket(),
        "endpoint_url": envstr("ENTRAIDE_S3_ENDPOINT_URL", "") or None,
        "region_name": envstr("ENTRAIDE_S3_REGION", "") or None,
        "access_key": envstr("ENTRAIDE_S3_ACCESS_KEY_ID", "") or None,
        "secret_key": envstr("ENTRAIDE_S3_SECRET_ACCESS_KEY", "") or None,
        "location": envstr("ENTRAIDE_S3_PREFIX", "").strip("/"),
        "addressing_style": envstr("ENTRAIDE_S3_ADDRESSING_STYLE", "") or None,
        "verify": None if envbool("ENTRAIDE_S3_VERIFY_TLS", True) else False,
        # Never overwrite a stored document: a second file of the same name gets a new name.
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "max_memory_size": 8 * 1024 * 1024,
    }
    return options
