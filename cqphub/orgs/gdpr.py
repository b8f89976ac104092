"""Personal data: subject access (export), erasure and retention (security review M4).

Every app that stores personal data registers a provider, usually in its `AppConfig.ready()`::

    from cqphub.orgs import gdpr

    class CandidateData(gdpr.Provider):
        name = "journeys"

        def export(self, email):             # -> JSON-able data about that person, or None
            ...
        def keep_reasons(self, email):       # -> why the law requires keeping it (blocks erasure)
            return ["Certification awarded on 2026-06-01: the award and the holder's identity are kept "
                    "as proof of the certification (Code du travail, L. 6113-1)."] if awarded else []
        def erase(self, email):              # -> {"what": count} of rows erased or anonymised
            ...
        def purge(self, now):                # -> {"what": count}: the retention policy's periodic run
            ...

    gdpr.register(CandidateData())

`export(email)` gathers every provider's data; `erase(email)` first asks every provider for reasons
to keep, refuses with all of them (`ErasureRefused`) if there is any, and otherwise lets each provider
erase or anonymise in one transaction, then records the fact (without the address) in the audit
trail. `purge(now)` runs every provider's retention step: `cqphub gdpr purge`, to schedule daily.

The orgs provider (accounts, roles, second-factor devices, sessions, log-in attempts, audit trail):
- export: the account, its roles, its log-in attempts and the audit entries it wrote or concerns;
- erase: the account is anonymised (address, names, password, devices, sessions, log-in attempts),
  its roles are closed, and the audit entries keep the facts with the person replaced by a pseudonym;
- purge: log-in attempts and access logs older than `LOGIN_ATTEMPTS_DAYS`, expired sessions, and the
  personal data of audit entries older than `AUDIT_PERSONAL_DAYS` (pseudonymised, the facts kept).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

PSEUDONYM_PREFIX = "pseudonyme-"
PERSONAL_CHANGE_KEYS = {"email", "first_name", "last_name", "password", "phone", "birth_date", "address"}


def retention(key: str) -> int:
    """A retention period in days from `settings.CQPHUB_RETENTION_DAYS`."""
    return int(settings.CQPHUB_RETENTION_DAYS[key])


class ErasureRefused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class Provider:
    """One app's personal data; override what applies."""

    name = "?"

    def export(self, email: str) -> Any:
        return None

    def keep_reasons(self, email: str) -> list[str]:
        return []

    def erase(self, email: str) -> dict[str, int]:
        return {}

    def purge(self, now: datetime) -> dict[str, int]:
        return {}


_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if all(p.name != provider.name for p in _PROVIDERS):
        _PROVIDERS.append(provider)
    return provider


def providers() -> list[Provider]:
    return list(_PROVIDERS)


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def pseudonym(email: str) -> str:
    """A stable pseudonym for an address (keyed with SECRET_KEY: not reversible without it)."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{normalise(email)}".encode()).hexdigest()[:12]
    return f"{PSEUDONYM_PREFIX}{digest}"


def export(email: str) -> dict[str, Any]:
    email = normalise(email)
    data: dict[str, Any] = {"email": email, "exported_at": timezone.now().isoformat()}
    for provider in _PROVIDERS:
        value = provider.export(email)
        if value:
            data[provider.name] = value
    return data


def keep_reasons(email: str) -> list[str]:
    email = normalise(email)
    return [f"{p.name}: {reason}" for p in _PROVIDERS for reason in p.keep_reasons(email)]


def erase(email: str, *, actor=None) -> dict[str, dict[str, int]]:
    """Erase or anonymise everything about `email`; ErasureRefused when the law requires keeping."""
    email = normalise(email)
    reasons = keep_reasons(email)
    if reasons:
        raise ErasureRefused(reasons)
    with transaction.atomic():
        report = {p.name: p.erase(email) for p in _PROVIDERS}
        from cqphub.orgs import audit
        from cqphub.orgs.models import User

        marker = User(email=pseudonym(email))
        audit.record(actor, "gdpr_erase", marker, changes={"pseudonym": [None, pseudonym(email)]})
    return report


def purge(now: datetime | None = None) -> dict[str, dict[str, int]]:
    now = now or timezone.now()
    return {p.name: p.purge(now) for p in _PROVIDERS}


# --- the orgs provider -----------------------------------------------------------------------


def _force_update(queryset: models.QuerySet, **values) -> int:
    """UPDATE on the append-only audit trail, for pseudonymisation only (bypasses the guard)."""
    return models.QuerySet.update(queryset, **values)


def _scrub_changes(changes: dict, email: str | None = None) -> dict:
    scrubbed = {}
    for key, value in (changes or {}).items():
        if key in PERSONAL_CHANGE_KEYS or (email and email in str(value).lower()):
            scrubbed[key] = (
                ["[pseudonymisé]" if v not in (None, "") else v for v in value]
                if isinstance(value, list)
                else "[pseudonymisé]"
            )
        else:
            scrubbed[key] = value
    return scrubbed


class OrgsData(Provider):
    name = "orgs"

    def _user(self, email: str):
        from cqphub.orgs.models import User

        return User.objects.filter(email__iexact=email).first()

    def export(self, email: str) -> Any:
        from axes.models import AccessAttempt, AccessLog

        from cqphub.orgs.models import AuditEntry

        user = self._user(email)
        data: dict[str, Any] = {}
        if user is not None:
            data["account"] = {
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "is_active": user.is_active,
                "date_joined": user.date_joined.isoformat(),
                "last_login": user.last_login.isoformat() if user.last_login else None,
                "second_factor": user.totpdevice_set.filter(confirmed=True).exists(),
            }
            data["roles"] = [
                {
                    "role": m.role,
                    "organisation": m.organisation_name,
                    "active": m.active,
                    "since": m.created.isoformat(),
                }
                for m in user.memberships.select_related("branch", "centre")
            ]
            written = AuditEntry.objects.filter(actor=user)
        else:
            written = AuditEntry.objects.filter(actor_repr__iexact=email)
        data["audit_entries_written"] = [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "object": e.object_type,
                "object_repr": e.object_repr,
            }
            for e in written.order_by("at")[:10000]
        ]
        about = AuditEntry.objects.filter(changes__icontains=email) if email else AuditEntry.objects.none()
        if user is not None:
            about = about | AuditEntry.objects.filter(object_type="orgs.user", object_id=str(user.pk))
        data["audit_entries_about"] = [
            {"at": e.at.isoformat(), "action": e.action, "object": e.object_type, "changes": e.changes}
            for e in about.distinct().order_by("at")[:10000]
        ]
        data["login_attempts"] = [
            {"at": a.attempt_time.isoformat(), "ip": a.ip_address, "user_agent": a.user_agent}
            for a in AccessAttempt.objects.filter(username__iexact=email)
        ]
        data["access_log"] = [
            {
                "at": a.attempt_time.isoformat(),
                "ip": a.ip_address,
                "user_agent": a.user_agent,
                "logout": a.logout_time.isoformat() if a.logout_time else None,
            }
            for a in AccessLog.objects.filter(username__iexact=email)
        ]
        return data if (user is not None or any(data.values())) else None

    def erase(self, email: str) -> dict[str, int]:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django.contrib.sessions.models import Session
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from cqphub.orgs.models import AuditEntry

        report: dict[str, int] = {}
        alias = pseudonym(email)
        user = self._user(email)
        if user is not None:
            report["devices"] = TOTPDevice.objects.filter(user=user).delete()[0]
            uid = str(user.pk)
            stale = [s.pk for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == uid]
            report["sessions"] = Session.objects.filter(pk__in=stale).delete()[0]
            report["roles_closed"] = user.memberships.filter(active=True).update(active=False)
            user.email = f"{alias}@invalid"
            user.first_name = user.last_name = ""
            user.is_active = user.is_staff = user.is_superuser = False
            user.set_unusable_password()
            user.save()
            report["audit_about"] = _force_update(
                AuditEntry.objects.filter(object_type="orgs.user", object_id=uid), object_repr=alias
            )
            report["audit_written"] = _force_update(AuditEntry.objects.filter(actor=user), actor_repr=alias)
        report["audit_written"] = report.get("audit_written", 0) + _force_update(
            AuditEntry.objects.filter(actor_repr__iexact=email), actor_repr=alias
        )
        mentioned = 0
        for entry in AuditEntry.objects.filter(changes__icontains=email):
            mentioned += _force_update(
                AuditEntry.objects.filter(pk=entry.pk), changes=_scrub_changes(entry.changes, email)
            )
        report["audit_mentions"] = mentioned
        report["login_attempts"] = (
            AccessAttempt.objects.filter(username__iexact=email).delete()[0]
            + AccessLog.objects.filter(username__iexact=email).delete()[0]
            + AccessFailureLog.objects.filter(username__iexact=email).delete()[0]
        )
        return report

    def purge(self, now: datetime) -> dict[str, int]:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django.contrib.sessions.models import Session

        from cqphub.orgs.models import AuditEntry

        attempts_before = now - timedelta(days=retention("login_attempts"))
        report = {
            "login_attempts": AccessAttempt.objects.filter(attempt_time__lt=attempts_before).delete()[0]
            + AccessLog.objects.filter(attempt_time__lt=attempts_before).delete()[0]
            + AccessFailureLog.objects.filter(attempt_time__lt=attempts_before).delete()[0],
            "expired_sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
        }
        audit_before = now - timedelta(days=retention("audit_personal"))
        done = 0
        old = AuditEntry.objects.filter(at__lt=audit_before, pseudonymised_at__isnull=True)
        for entry in old.iterator():
            alias = pseudonym(entry.actor_repr) if entry.actor_repr else ""
            values: dict[str, Any] = {
                "actor": None,
                "actor_repr": alias,
                "changes": _scrub_changes(entry.changes),
                "pseudonymised_at": now,
            }
            if entry.object_type == "orgs.user":
                values["object_repr"] = f"{PSEUDONYM_PREFIX}{entry.object_id}"
            done += _force_update(AuditEntry.objects.filter(pk=entry.pk), **values)
        report["audit_entries_pseudonymised"] = done
        return report


register(OrgsData())
