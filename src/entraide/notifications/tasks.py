"""Background tasks of notifications: e-mail each notification in its reader's language."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from huey.contrib.djhuey import task

from entraide.notifications.models import Notification

log = logging.getLogger(__name__)


@task(retries=3, retry_delay=60)
def send_notification_emails(ids: list[int]) -> int:
    """Send the e-mail of each notification not yet sent; a failure is kept on the notification and retried."""
    sent = 0
    failed: Exception | None = None
    for n in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("user", "case"):
        language = n.user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {"n": n, "text": n.text, "site": settings.ENTRAIDE_SITE_URL.rstrip("/")}
            subject = render_to_string("notifications/email_subject.txt", context).strip()
            body = render_to_string("notifications/email.txt", context)
        try:
            send_mail(subject, body, None, [n.user.email])
        except (OSError, smtplib.SMTPException) as error:  # SMTP down or refusing: keep it, let huey retry
            log.warning("notification %s: e-mail to %s failed: %s", n.pk, n.user.email, error)
            Notification.objects.filter(pk=n.pk).update(email_error=str(error)[:500])
            failed = error
            continue
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now(), email_error="")
        sent += 1
    if failed is not None:
        raise failed
    return sent
