"""Two-factor sign-in in a real browser: the administrator requires it, an officer enrols from the QR code page,
signs in again with a code, and the auditor finds it all in the trail. No CSP violation on the way."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import Page, expect

from entraide.accounts.models import Role
from entraide.core.choices import Confidentiality
from entraide.security.models import TwoFactorDevice
from entraide.testing import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _password_step(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_required_two_factor_enrolment_and_sign_in(page: Page, live_server, artifacts) -> None:
    base = live_server.url
    UserFactory(username="admin", role=Role.ADMIN, is_staff=True, language="en")
    officer = UserFactory(username="officer", role=Role.OFFICER, language="en")
    UserFactory(username="auditor", role=Role.AUDITOR, clearance=Confidentiality.SECRET, language="en")
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    # The administrator requires two-factor sign-in of officers.
    _password_step(page, base, "admin")
    page.goto(f"{base}/security/policy/")
    page.check("#role-officer")
    page.click("button:has-text('Save')")
    expect(page.locator(".alert-success")).to_contain_text("Security policy saved")

    # The officer signs in and is taken to enrolment, with the QR code drawn as SVG.
    _password_step(page, base, "officer")
    expect(page.locator("h1")).to_have_text("Two-factor sign-in")
    expect(page.locator("#qr svg")).to_be_visible()
    page.screenshot(path=str(artifacts / "security-enrolment.png"), full_page=True)
    secret = page.locator("#totp-secret").inner_text()
    page.goto(f"{base}/cases/")  # anything else sends back to enrolment
    expect(page.locator("h1")).to_have_text("Two-factor sign-in")
    page.fill("#id_code_confirm", pyotp.TOTP(secret).now())
    page.click("button:has-text('Turn on two-factor sign-in')")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    recovery = page.locator("#recovery-codes li").first.inner_text()

    # Signing in again asks for a code; a recovery code works.
    _password_step(page, base, "officer")
    expect(page.locator("h1")).to_have_text("Enter your code")
    page.fill("#id_code", "000000")
    page.click("button:has-text('Verify')")
    expect(page.locator(".invalid-feedback")).to_contain_text("not right")
    page.fill("#id_code", recovery)
    page.click("button:has-text('Verify')")
    expect(page.locator("nav.navbar")).to_contain_text("officer")
    assert TwoFactorDevice.objects.get(user=officer).confirmed

    # The auditor sees the enrolment and the sign-ins.
    _password_step(page, base, "auditor")
    page.goto(f"{base}/security/audit/?user=officer&action=auth.")
    expect(page.locator("table")).to_contain_text("auth.2fa_enrolled")
    expect(page.locator("table")).to_contain_text("auth.2fa_verified")
    page.screenshot(path=str(artifacts / "security-audit.png"), full_page=True)
    assert not violations, violations
