"""Security settings read from the environment (see docs/security.md), without touching settings.py."""

from __future__ import annotations

from pathlib import Path

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
