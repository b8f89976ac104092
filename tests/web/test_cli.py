"""`cqphub --help` answers without starting Django; `make run` prints the address and the accounts."""

import subprocess
import sys
import time

import pytest

from cqphub.cli import fast_answer, project_commands


def test_help_lists_the_project_commands_without_django():
    text = fast_answer(["--help"])
    assert "registry" in text and "demo" in text and "cqphub help --commands" in text
    assert fast_answer(["migrate"]) is None
    assert {"registry", "demo", "rules"} <= {name for name, _ in project_commands()}


def test_help_starts_fast_in_a_fresh_process():
    code = "import sys, cqphub.cli as c; c.main(['--help']); print('django' in sys.modules, 'django.conf' in sys.modules)"
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    elapsed = time.perf_counter() - start
    assert out.strip().endswith("False False")  # Django was never imported
    assert elapsed < 2.0, elapsed  # < 1 s on an idle machine; slack for a loaded CI box


def test_django_starts_without_the_signing_libraries():
    """The credentials' receivers load pyld and requests on first use, not in every process's start-up
    (a registry import, a web worker): 0.24 s each."""
    code = (
        "import os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cqphub.settings');"
        "import django; django.setup(); print('pyld' in sys.modules, 'requests' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False False")


@pytest.mark.django_db
def test_demo_accounts_print_the_url_and_every_account():
    from io import StringIO

    from django.core.management import call_command

    from cqphub.orgs.demo import ACCOUNTS, DEMO_PASSWORD

    out = StringIO()
    call_command("demo", "accounts", "--url", "http://127.0.0.1:8001/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8001/" in text and DEMO_PASSWORD in text
    assert all(account[0] in text for account in ACCOUNTS)
