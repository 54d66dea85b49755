"""Sign-in: password policy, two-factor enrolment and use, recovery codes, lockout, idle sessions."""

from __future__ import annotations

import time
from typing import Any

import pyotp
import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token

from entraide.audit.log import verify
from entraide.audit.models import AuditRecord
from entraide.security import actions
from entraide.security.middleware import LAST_SEEN, forget_policy
from entraide.security.models import RecoveryCode, SecurityPolicy, TwoFactorDevice
from entraide.testing import PASSWORD

LOGIN = "/accounts/login/"


def _sign_in(client: Any, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _enrol(user: Any) -> tuple[TwoFactorDevice, list[str]]:
    device = actions.start_enrolment(actor=user)
    codes = actions.confirm_enrolment(pyotp.TOTP(device.secret).now(), actor=user)
    device.refresh_from_db()
    return device, codes


def _next_code(device: TwoFactorDevice) -> str:
    """A valid code for a time step after the one already used (no waiting 30 s in a test)."""
    return pyotp.TOTP(device.secret).at((device.last_step + 1) * 30)


@pytest.fixture(autouse=True)
def _fresh_policy() -> Any:
    forget_policy()
    yield
    forget_policy()


def test_the_password_policy_refuses_short_common_and_numeric_passwords(officer):
    for weak in ("short", "password1234", "123456789012", "t_officer123"):
        with pytest.raises(ValidationError):
            validate_password(weak, officer)
    validate_password("a long sentence nobody guesses", officer)


def test_enrolment_shows_a_qr_code_as_inline_svg_and_turns_on_with_a_right_code(client, officer):
    client.force_login(officer)
    page = client.get(reverse("security:two-factor"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    device = TwoFactorDevice.objects.get(user=officer)
    assert device.secret in html and not device.confirmed
    assert device.secret.encode() not in bytes(device.sealed_secret)  # sealed with the master key
    wrong = client.post(reverse("security:two-factor"), {"operation": "confirm", "code": "000000"})
    assert "not right" in wrong.content.decode()
    right = client.post(
        reverse("security:two-factor"), {"operation": "confirm", "code": pyotp.TOTP(device.secret).now()}
    )
    codes = right.context["codes"]
    assert len(codes) == 10 and codes[0] in right.content.decode()
    assert all(code not in r.code_hash for code in codes for r in RecoveryCode.objects.filter(user=officer))
    assert AuditRecord.objects.filter(action="auth.2fa_enrolled", actor=officer).exists()


def test_sign_in_asks_for_the_code_and_refuses_wrong_and_replayed_codes(client, officer):
    device, _codes = _enrol(officer)
    response = _sign_in(client, "t_officer")
    assert response.url == reverse("security:verify")
    assert "_auth_user_id" not in client.session  # not signed in before the second factor
    assert client.get(reverse("cases:my-work")).status_code == 302
    bad = client.post(reverse("security:verify"), {"code": "123456"})
    assert "not right" in bad.content.decode()
    replay = pyotp.TOTP(device.secret).at(device.last_step * 30)  # the code used at enrolment
    assert "not right" in client.post(reverse("security:verify"), {"code": replay}).content.decode()
    assert AuditRecord.objects.filter(action="auth.2fa_replayed").exists()
    good = client.post(reverse("security:verify"), {"code": _next_code(device)})
    assert good.status_code == 302
    assert client.get(reverse("cases:my-work")).status_code == 200
    assert AuditRecord.objects.filter(action="auth.2fa_verified", actor=officer).exists()


def test_a_recovery_code_works_once(client, officer):
    _device, codes = _enrol(officer)
    _sign_in(client, "t_officer")
    assert client.post(reverse("security:verify"), {"code": codes[0].lower()}).status_code == 302
    client.logout()
    _sign_in(client, "t_officer")
    assert "not right" in client.post(reverse("security:verify"), {"code": codes[0]}).content.decode()
    assert actions.remaining_recovery_codes(officer) == 9


def test_five_wrong_codes_end_the_sign_in(client, officer):
    _enrol(officer)
    _sign_in(client, "t_officer")
    for _ in range(4):
        client.post(reverse("security:verify"), {"code": "111111"})
    last = client.post(reverse("security:verify"), {"code": "111111"})
    assert last.url == reverse("login")


def test_another_login_door_does_not_skip_the_second_factor(client, officer):
    _enrol(officer)
    client.force_login(officer)  # as the admin site's login page would
    response = client.get(reverse("cases:my-work"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert AuditRecord.objects.filter(action="auth.2fa_bypass_refused").exists()


def test_roles_chosen_by_the_administrator_must_enrol(client, officer, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("security:policy"), {"operation": "policy", "two_factor_roles": ["officer", "head"], "idle_minutes": 20}
    )
    assert response.status_code == 302
    policy = SecurityPolicy.current()
    assert policy.two_factor_roles == ["head", "officer"] and policy.idle_minutes == 20
    assert AuditRecord.objects.filter(action="security.policy", actor=admin_user).exists()
    client.force_login(officer)
    blocked = client.get(reverse("cases:my-work"))
    assert blocked.url == reverse("security:two-factor")
    assert client.get(reverse("security:two-factor")).status_code == 200
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"
    # Once enrolled (this session passed the code), the officer works.
    device = TwoFactorDevice.objects.get(user=officer)
    client.post(reverse("security:two-factor"), {"operation": "confirm", "code": pyotp.TOTP(device.secret).now()})
    assert client.get(reverse("cases:my-work")).status_code == 200
    # A required role cannot turn it off.
    device.refresh_from_db()
    with pytest.raises(actions.ActionError):
        actions.disable_two_factor(_next_code(device), actor=officer)


def test_only_the_administrator_sets_the_policy(officer):
    with pytest.raises(actions.ActionError):
        actions.set_policy(actor=officer, two_factor_roles=[], idle_minutes=10)


def test_the_administrator_resets_a_lost_authenticator(officer, admin_user):
    _enrol(officer)
    actions.reset_two_factor(officer, actor=admin_user, reason="Phone stolen, identity checked in person")
    assert not actions.has_device(officer)
    assert AuditRecord.objects.filter(action="auth.2fa_reset", object_id=str(officer.pk)).exists()


def test_password_guessing_locks_the_account_with_a_clear_message(client, officer):
    for _ in range(5):
        assert _sign_in(client, "t_officer", "wrong-password").status_code == 200
    locked = _sign_in(client, "t_officer")  # even the right password is refused now
    assert locked.status_code == 200
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditRecord.objects.filter(action="auth.login_failed").count() >= 5
    assert AuditRecord.objects.filter(action="auth.refused_locked").exists()
    # The API token door is locked too.
    api = client.post("/api/v1/auth/token/", {"username": "t_officer", "password": PASSWORD})
    assert api.status_code == 400
    assert verify().ok


def test_the_lock_lifts_after_the_window(client, officer, settings):
    from datetime import timedelta

    from entraide.security.models import LoginFailure

    for _ in range(5):
        _sign_in(client, "t_officer", "wrong-password")
    LoginFailure.objects.update(at=LoginFailure.objects.first().at - timedelta(minutes=16))  # type: ignore[union-attr]
    assert _sign_in(client, "t_officer").status_code == 302
    assert not LoginFailure.objects.filter(username="t_officer").exists()


def test_an_idle_session_is_signed_out(client, officer):
    assert _sign_in(client, "t_officer").status_code == 302
    assert client.get(reverse("cases:my-work")).status_code == 200
    session = client.session
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("cases:my-work"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("cases:my-work")).status_code == 302
    assert AuditRecord.objects.filter(action="auth.session_expired", actor=officer).exists()


def test_a_password_alone_gets_no_api_token_for_a_two_factor_account(client, officer):
    device, codes = _enrol(officer)
    refused = client.post("/api/v1/auth/token/", {"username": "t_officer", "password": PASSWORD})
    assert refused.status_code == 403 and refused.json()["code"] == "two_factor_required"
    _sign_in(client, "t_officer")
    client.post(reverse("security:verify"), {"code": _next_code(device)})
    page = client.post(reverse("security:two-factor"), {"operation": "token", "code": codes[1]})
    token = Token.objects.get(user=officer)
    assert token.key in page.content.decode()


def test_api_calls_and_refused_tokens_are_audited(client, officer, case):
    token = Token.objects.create(user=officer)
    ok = client.get(f"/api/v1/cases/{case.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert ok.status_code == 200
    call = AuditRecord.objects.filter(action="api.call", actor=officer).latest("id")
    assert call.after["path"] == f"/api/v1/cases/{case.pk}/" and call.after["status"] == 200
    forged = client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token forged-token-value")
    assert forged.status_code == 401
    assert AuditRecord.objects.filter(action="api.refused").latest("id").after["status"] == 401


def test_api_calls_beyond_the_rate_limit_are_refused_and_recorded(client, officer, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setenv("ENTRAIDE_API_RATE_PER_MINUTE", "3")
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start - start % 60 + 10)  # one window for the whole test
    token = Token.objects.create(user=officer)
    statuses = [client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code for _ in range(5)]
    cache.clear()
    assert statuses == [200, 200, 200, 429, 429]
    assert AuditRecord.objects.filter(action="api.rate_limited").count() == 1


def test_a_token_issued_for_a_password_is_recorded(client, officer):
    response = client.post("/api/v1/auth/token/", {"username": "t_officer", "password": PASSWORD})
    assert response.status_code == 200
    assert AuditRecord.objects.filter(action="auth.token_issued", actor=officer).exists()
