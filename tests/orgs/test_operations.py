"""Security review M4 (retention, export, erasure, privacy page), M5 (backup and restore), /healthz."""

import json
import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cqphub.orgs import audit, gdpr
from cqphub.orgs.backup import sqlite_backup
from cqphub.orgs.models import AuditEntry, User
from tests.factories.orgs import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _attempt(email, when):
    attempt = AccessAttempt.objects.create(
        username=email,
        ip_address="192.0.2.1",
        user_agent=f"ua {when.isoformat()}",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
        failures_since_start=1,
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)  # auto_now_add otherwise
    return attempt


# --- M4 -------------------------------------------------------------------------------------------


def test_M4_retention_purges_attempts_and_sessions_and_pseudonymises_old_audit_entries(client):
    now = timezone.now()
    admin = MembershipFactory().user
    old_attempt = _attempt("someone@example.org", now - timedelta(days=400))
    recent_attempt = _attempt("someone@example.org", now - timedelta(days=2))
    invitee = UserFactory(email="victim@example.org", first_name="Véra")
    old = audit.record(
        admin, "invite", invitee, changes={"email": [None, invitee.email], "role": [None, "x"]}
    )
    recent = audit.record(admin, "update", invitee, changes={"first_name": ["A", "B"]})
    models.QuerySet.update(AuditEntry.objects.filter(pk=old.pk), at=now - timedelta(days=4 * 365))
    client.force_login(admin)
    from django.contrib.sessions.models import Session

    Session.objects.update(expire_date=now - timedelta(days=1))
    report = gdpr.purge(now)["orgs"]
    assert report["login_attempts"] >= 1 and report["expired_sessions"] >= 1
    assert not AccessAttempt.objects.filter(pk=old_attempt.pk).exists()
    assert AccessAttempt.objects.filter(pk=recent_attempt.pk).exists()
    old = AuditEntry.objects.get(pk=old.pk)
    assert old.action == "invite" and old.object_type == "orgs.user"  # the fact is kept
    assert old.actor is None and old.actor_repr.startswith("pseudonyme-")
    assert old.changes["email"] == [None, "[pseudonymisé]"] and old.changes["role"] == [None, "x"]
    assert old.pseudonymised_at is not None and "victim" not in json.dumps(old.changes)
    assert AuditEntry.objects.get(pk=recent.pk).actor == admin  # within the period: untouched
    assert gdpr.purge(now)["orgs"]["audit_entries_pseudonymised"] == 0  # done once


def test_M4_gdpr_export_gathers_everything(capsys):
    membership = MembershipFactory(user=UserFactory(email="claire@example.org", first_name="Claire"))
    _attempt("claire@example.org", timezone.now())
    audit.record(membership.user, "update", membership.branch, changes={"name": ["a", "b"]})
    call_command("gdpr", "export", "Claire@Example.org")
    data = json.loads(capsys.readouterr().out)
    orgs = data["orgs"]
    assert orgs["account"]["first_name"] == "Claire"
    assert orgs["roles"][0]["role"] == "branch_admin"
    assert orgs["login_attempts"] and orgs["audit_entries_written"]


def test_M4_gdpr_erase_anonymises_and_keeps_the_facts(capsys):
    user = UserFactory(email="claire@example.org", first_name="Claire", last_name="Martin")
    membership = MembershipFactory(user=user)
    TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    entry = audit.record(user, "update", membership.branch, changes={"name": ["a", "b"]})
    about = audit.record(None, "invite", user, changes={"email": [None, "claire@example.org"]})
    _attempt("claire@example.org", timezone.now())
    AccessLog.objects.create(username="claire@example.org", ip_address="192.0.2.1", user_agent="x")
    call_command("gdpr", "erase", "claire@example.org")
    user.refresh_from_db()
    assert user.email.startswith("pseudonyme-") and not user.first_name and not user.is_active
    assert not user.has_usable_password() and not TOTPDevice.objects.filter(user=user).exists()
    assert not user.memberships.filter(active=True).exists()
    assert not AccessAttempt.objects.filter(username="claire@example.org").exists()
    assert not AccessLog.objects.filter(username="claire@example.org").exists()
    entry.refresh_from_db()
    about.refresh_from_db()
    assert entry.action == "update" and entry.actor_repr.startswith("pseudonyme-")
    assert "claire" not in json.dumps(about.changes) and "claire" not in about.object_repr.lower()
    assert AuditEntry.objects.filter(action="gdpr_erase").exists()
    assert not User.objects.filter(email="claire@example.org").exists()


def test_M4_gdpr_erase_is_refused_where_the_law_requires_keeping(monkeypatch):
    class Awards(gdpr.Provider):
        name = "juries-test"

        def keep_reasons(self, email):
            return ["CQP awarded on 2026-06-01: the award and the holder's identity are kept"]

    monkeypatch.setattr(gdpr, "_PROVIDERS", [*gdpr.providers(), Awards()])
    UserFactory(email="laureate@example.org")
    with pytest.raises(CommandError) as error:
        call_command("gdpr", "erase", "laureate@example.org")
    assert "CQP awarded" in str(error.value) and "juries-test" in str(error.value)
    assert User.objects.filter(email="laureate@example.org", is_active=True).exists()


def test_M4_privacy_page_states_the_retention_periods(client, settings):
    response = client.get(reverse("web:privacy"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{settings.CQPHUB_RETENTION_DAYS['login_attempts']} jours" in body
    assert "pseudonyme" in body and "CNIL" in body
    assert reverse("web:privacy") in client.get("/").content.decode()  # linked from the footer


# --- M5 -------------------------------------------------------------------------------------------


def test_M5_sqlite_backup_of_a_database_being_written(tmp_path):
    """The online backup of a WAL database under continuous writes is a consistent snapshot."""
    live = tmp_path / "live.sqlite3"
    con = sqlite3.connect(live)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, total INTEGER NOT NULL)")
    con.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL)")
    con.execute("INSERT INTO t VALUES (1, 0)")
    con.commit()
    stop = threading.Event()

    def writer():
        w = sqlite3.connect(live, timeout=30)
        while not stop.is_set():
            with w:  # one transaction: a ledger row and the running total move together
                w.execute("INSERT INTO ledger (amount) VALUES (3)")
                w.execute("UPDATE t SET total = total + 3 WHERE id = 1")
        w.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.3)
        source = sqlite3.connect(live, timeout=30)
        copies = []
        for n in range(3):
            target = tmp_path / f"copy{n}.sqlite3"
            sqlite_backup(source, target)
            copies.append(target)
            time.sleep(0.1)
        source.close()
    finally:
        stop.set()
        thread.join()
    for target in copies:
        copy = sqlite3.connect(target)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        total = copy.execute("SELECT total FROM t").fetchone()[0]
        ledger = copy.execute("SELECT COALESCE(SUM(amount), 0) FROM ledger").fetchone()[0]
        assert total == ledger > 0  # never a torn copy
        copy.close()


@pytest.mark.django_db(transaction=True)
def test_M5_backup_then_restore_elsewhere_gives_the_same_data(tmp_path, settings):
    MembershipFactory.create_batch(3)
    media = tmp_path / "media"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "scan.pdf").write_bytes(b"%PDF-1.7 test")
    settings.MEDIA_ROOT = media
    out = tmp_path / "backup"
    call_command("backup", str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tables"]["orgs_membership"] == 3
    assert (out / "KEYS-README.txt").read_text().count("SECRET_KEY") >= 1
    assert "media.tar.gz" in manifest["files"]
    (media / "evidence" / "scan.pdf").unlink()
    if connection.vendor == "sqlite":
        target_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        sqlite3.connect(tmp_path / "restored.sqlite3").close()
    else:
        name = f"{connection.settings_dict['NAME']}_restore"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        db = connection.settings_dict
        target_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    call_command("restore", str(out), "--database-url", target_url, "--yes")
    assert (media / "evidence" / "scan.pdf").read_bytes() == b"%PDF-1.7 test"
    from cqphub.orgs.backup import _db_settings, table_counts

    restored = table_counts(_db_settings(target_url))
    assert restored == manifest["tables"]
    if connection.vendor == "sqlite":
        con = sqlite3.connect(tmp_path / "restored.sqlite3")
        emails = sorted(r[0] for r in con.execute("SELECT email FROM orgs_user"))
        con.close()
        assert emails == sorted(User.objects.values_list("email", flat=True))


@pytest.mark.django_db(transaction=True)
def test_M5_restore_refuses_a_damaged_backup(tmp_path):
    out = tmp_path / "backup"
    call_command("backup", str(out))
    name = next(iter(json.loads((out / "manifest.json").read_text())["files"]))
    with (out / name).open("ab") as handle:
        handle.write(b"corruption")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(out), "--yes")


# --- health ----------------------------------------------------------------------------------------


def test_healthz(client, settings, tmp_path):
    settings.CQPHUB_WORKER_HEARTBEAT = tmp_path / "beat"
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "worker": "unknown"},
    }
    from cqphub.web.health import beat

    beat()
    assert client.get("/healthz").json()["checks"]["worker"] == "ok"
    old = time.time() - 3600
    import os

    os.utime(Path(settings.CQPHUB_WORKER_HEARTBEAT), (old, old))
    assert client.get("/healthz").json()["checks"]["worker"] == "unknown"  # idle, or gone
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.model._meta.db_table in connection.introspection.table_names():
        waiting = DBTaskResult.objects.create(
            status="READY",
            args_kwargs={},
            task_path="x.y",
            queue_name="default",
            backend_name="default",
            run_after=timezone.now() - timedelta(hours=1),
        )
        stale = client.get("/healthz")
        assert stale.status_code == 200 and stale.json()["status"] == "degraded"
        waiting.delete()
