"""Fixtures shared by every app's tests: personas and a matter one of them works on."""

from __future__ import annotations

from typing import Any

import pytest

from entraide.accounts.models import Role
from entraide.core.choices import Confidentiality
from entraide.testing import PASSWORD, UserFactory, make_case, national_authority


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_at_once() -> None:
    """Background tasks run in the test's own thread and transaction (huey's immediate mode, in memory)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def head(db: Any) -> Any:
    return UserFactory(username="t_head", role=Role.HEAD, clearance=Confidentiality.SECRET)


@pytest.fixture
def officer(db: Any) -> Any:
    """The officer who has the case."""
    return UserFactory(username="t_officer", role=Role.OFFICER)


@pytest.fixture
def officer2(db: Any) -> Any:
    """A colleague without need-to-know."""
    return UserFactory(username="t_officer2", role=Role.OFFICER)


@pytest.fixture
def clerk(db: Any) -> Any:
    return UserFactory(username="t_clerk", role=Role.CLERK)


@pytest.fixture
def auditor(db: Any) -> Any:
    return UserFactory(username="t_auditor", role=Role.AUDITOR, clearance=Confidentiality.SECRET)


@pytest.fixture
def admin_user(db: Any) -> Any:
    return UserFactory(username="t_admin", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def prosecutor(db: Any) -> Any:
    return UserFactory(username="t_prosecutor", role=Role.REQUESTING, authority=national_authority())


@pytest.fixture
def executor(db: Any) -> Any:
    return UserFactory(username="t_executor", role=Role.EXECUTING, authority=national_authority("police"))


@pytest.fixture
def case(officer: Any, head: Any) -> Any:
    """An incoming MLA matter assigned to ``officer``."""
    from entraide.cases import actions

    registered = make_case(head)
    return actions.assign(registered, officer, actor=head)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_by_default(settings: Any) -> Any:
    """Tests read messages in English unless they ask for another language."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_security_policy() -> Any:
    """Each process keeps the security policy a few seconds (``security.middleware.policy``); a test starts from
    the policy in its own database, not the one an earlier test set."""
    from entraide.security.middleware import forget_policy

    forget_policy()
    yield
    forget_policy()
