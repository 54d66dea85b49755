"""The API rate limits are counted in a cache that every server process shares (files, or Redis)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache
from rest_framework.authtoken.models import Token

from entraide.audit.models import AuditRecord
from entraide.security import ratelimit

SRC = Path(__file__).resolve().parents[3]


def test_the_configured_cache_is_shared_not_per_process() -> None:
    backend = settings.CACHES["default"]["BACKEND"]
    assert "locmem" not in backend and "dummy" not in backend
    if not settings.ENTRAIDE_REDIS_URL:
        assert backend.endswith("FileBasedCache")


def test_two_cache_clients_on_the_same_files_share_the_count(tmp_path: Path, settings: Any) -> None:
    location = str(tmp_path / "cache")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": location}
    }
    one, two = FileBasedCache(location, {}), FileBasedCache(location, {})
    assert ratelimit.hit("k") == 1  # through django.core.cache.caches
    one.incr("k")
    two.incr("k")
    assert ratelimit.hit("k") == 4
    assert one.get("k") == two.get("k") == 4


def _hammer(location: str, key: str, times: int) -> subprocess.Popen[bytes]:
    code = textwrap.dedent(
        f"""
        import django
        django.setup()
        from entraide.security import ratelimit
        for _ in range({times}):
            ratelimit.hit({key!r})
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "entraide.settings", "ENTRAIDE_CACHE_DIR": location}
    env.pop("ENTRAIDE_REDIS_URL", None)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen([sys.executable, "-c", code], env=env)  # noqa: S603 - our own interpreter


def test_two_processes_counting_at_once_lose_no_request(tmp_path: Path) -> None:
    """Two server processes count 150 requests each in the same window: the shared count is 300, none lost."""
    location = str(tmp_path / "cache")
    workers = [_hammer(location, "entraide:api-rate:shared:1", 150) for _ in range(2)]
    assert [w.wait(timeout=120) for w in workers] == [0, 0]
    assert FileBasedCache(location, {}).get("entraide:api-rate:shared:1") == 300


# --- Redis --------------------------------------------------------------------------------------------------


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_with_redis_two_connections_share_the_count_and_the_api_limit(
    redis_url: str, settings: Any, client: Any, officer: Any, monkeypatch: Any
) -> None:
    from django.core.cache.backends.redis import RedisCache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    other_process = RedisCache(redis_url, {})  # its own connection pool, as another server process would have
    monkeypatch.setenv("ENTRAIDE_API_RATE_PER_MINUTE", "3")
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start - start % 60 + 10)
    token = Token.objects.create(user=officer)
    assert client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    # The other process served two calls of the same token in this window.
    import hashlib

    identity = hashlib.sha256(f"Token {token.key}".encode()).hexdigest()[:32]
    key = f"entraide:api-rate:{identity}:{int(time.time() // 60)}"
    assert other_process.get(key) == 1
    other_process.incr(key, 2)
    assert client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 429
    assert AuditRecord.objects.filter(action="api.rate_limited").count() == 1
