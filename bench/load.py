#!/usr/bin/env python
"""Benchmark: public pages and API under load, beside a trivial Django view served the same way.

In one run, on one database: a quarter-size real registry (../shared/tools/fullscale_registry.py
--scale 0.375, about 7,700 fiches, built once into bench/out/quarter) is imported, gunicorn serves the
platform with 2 sync workers (worker timeout 60 s, as DEPLOY.md) and DEBUG off, and wrk (Debian
package, installed when missing) loads each endpoint below at each concurrency for a fixed time, after
a warm-up. The baseline is a trivial Django
JSON view mounted for this benchmark only (bench/load_urls.py), behind the same middleware. It prints
requests/s, the ratio to the baseline and the target ratio, and the errors (non-2xx/3xx answers, socket
errors), which must be 0.

Usage: python bench/load.py [--seconds 10] [--concurrency 8 64] [--smoke] [--during-import [--after-import 10]]
Database: SQLite bench/out/load.sqlite3 by default; DATABASE_URL=postgres://…/NAME uses `NAME_load`.
`--smoke`: the demo export, 1 second per endpoint, concurrency 8 (checks that the benchmark runs).

`--during-import`: the same server and endpoints, loaded while a full-scale import (about 30,700
fiches, bench/out/fullscale, `cqphub registry import` in its own process) runs into the same database,
which is made fresh for this mode (the quarter registry imported first, as the data being replaced).
Every endpoint is loaded at once (one wrk per endpoint, `--concurrency` connections shared among
them), first for `--seconds` without the import (the baseline of this run), then from the import's
start to `--after-import` seconds (default 30) after its end: each worker then builds its new search
snapshot (in a thread, answering from the old one meanwhile), which the window must cover. It prints
each endpoint's requests/s in both phases, their ratio, p99, and the errors during the import and
after: non-2xx/3xx answers, socket errors (connect, read, write) and timeouts, which must all be 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ holds rules.py: keep it off the path so that `import rules` finds django-rules
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.databases import SQLITE_COMPANIONS, bench_database_url, fresh_database  # noqa: E402

OUT = ROOT / "bench" / "out"
SHARED = Path(os.environ.get("CQPHUB_SHARED", ROOT.parent / "shared"))
BIN = Path(sys.executable).parent
DEMO_EXPORT = ROOT / "cqphub" / "web" / "demo" / "export-fiches-rncp-v4-1-demo.xml"

# (label, method, path, target ratio at concurrency 8); CODE is replaced by an active RNCP code.
ENDPOINTS = [
    ("trivial Django JSON view (baseline)", "GET", "/bench/trivial", None),
    ("home /", "GET", "/", 0.5),
    ("certification API", "GET", "/api/v1/certifications/CODE", 0.5),
    ("certification page", "GET", "/registre/CODE/", 0.4),
    ("search API ?q=gestion", "GET", "/api/v1/certifications?q=gestion", 0.3),
    ("results page ?q=gestion", "GET", "/registre/?q=gestion", 0.25),
    ("POST /api/v1/orientation", "POST", "/api/v1/orientation", 0.25),
]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing the Debian package", flush=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def ensure_export(smoke: bool) -> list[Path]:
    if smoke:
        return [DEMO_EXPORT]
    sys.path.insert(0, str(ROOT))
    from bench.fullscale import ensure_export as dated_export

    return dated_export(OUT / "quarter", scale=0.375)


def cqphub(*args: str, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "cqphub"), *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"cqphub {' '.join(args)} failed:\n{done.stderr}")
    return done


def prepare(env: dict, files: list[Path]) -> str:
    cqphub("migrate", "--noinput", "-v", "0", env=env)
    cqphub("collectstatic", "--noinput", "-v", "0", env=env)
    args = ["registry", "import", *map(str, files), "--no-progress"]
    if files == [DEMO_EXPORT]:
        args += ["--as-of", "2026-11-27"]  # the demo file's name carries no export date
    print(cqphub(*args, env=env).stdout.strip().splitlines()[-1], flush=True)
    code = cqphub(
        "shell", "-c",
        "from cqphub.registry.models import Certification as C;"
        "print(C.objects.filter(register='RNCP', withdrawn_at__isnull=True).order_by('code')"
        ".values_list('code', flat=True)[len(C.objects.all()) // 3 if C.objects.count() > 3 else 0])",
        env=env,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    return code


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, log=None) -> subprocess.Popen:
    """`log`: a file for the server's messages (the terminal when None)."""
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "cqphub.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "warning", "--pythonpath", str(ROOT)],  # the timeout of DEPLOY.md
        env=env, cwd=ROOT, start_new_session=True, stderr=log,
    )  # fmt: skip
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial", timeout=2).read()  # noqa: S310
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    sys.exit("gunicorn did not answer within 30 s")


def warm_up(url: str, body: str | None) -> None:
    """One request per worker, waited for: the first answer after an import loads the search snapshot."""
    for _ in range(2):
        request = urllib.request.Request(url, data=body.encode() if body else None)  # noqa: S310
        if body:
            request.add_header("Content-Type", "application/json")
        urllib.request.urlopen(request, timeout=120).read()  # noqa: S310 - http://127.0.0.1 only


WRK_LUA = """
wrk.method = "{method}"
{body}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %f %d %d %d %d %d %f\\n", summary.requests, summary.duration / 1e6,
    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(99) / 1000))
end
"""


def run_wrk(wrk: str, url: str, method: str, body: str | None, seconds: float, connections: int) -> dict:
    script = _wrk_script(method, body)
    try:
        out = subprocess.run(
            [wrk, "-t", "2", "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "-s", script, url],
            capture_output=True, text=True, timeout=seconds + 60,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script)
    return _wrk_result(out, url)


def _wrk_script(method: str, body: str | None) -> str:
    """The path of a temporary Lua script for wrk: the method, the JSON body, the RESULT line at the end."""
    lua = WRK_LUA.format(
        method=method,
        body=(
            f"wrk.body = {json.dumps(body)}\nwrk.headers['Content-Type'] = 'application/json'" if body else ""
        ),
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    return script.name


def _wrk_result(out: str, url: str) -> dict:
    """The RESULT line the script prints: rate, p99 and each kind of error."""
    match = re.search(r"RESULT (\d+) ([\d.]+) (\d+) (\d+) (\d+) (\d+) (\d+) ([\d.]+)", out)
    if match is None:
        sys.exit(f"wrk gave no result for {url}:\n{out}")
    requests, duration, connect, read, write, status, timeout, p99 = match.groups()
    socket_errors = int(connect) + int(read) + int(write)
    return {
        "rps": int(requests) / float(duration),
        "requests": int(requests),
        "errors": socket_errors + int(status) + int(timeout),
        "non2xx": int(status),
        "socket": socket_errors,
        "timeouts": int(timeout),  # no answer within wrk's 2 s (counted in errors)
        "p99_ms": float(p99),
    }


def start_wrk(wrk: str, url: str, method: str, body: str | None, connections: int) -> tuple:
    """A wrk process loading `url` until it is sent SIGINT (then it reports, as at its normal end)."""
    script = _wrk_script(method, body)
    proc = subprocess.Popen(
        [wrk, "-t", "1", "-c", str(connections), "-d", "3600s", "-s", script, url],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    return proc, script, url


def stop_wrk(proc: subprocess.Popen, script: str, url: str) -> dict:
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    os.unlink(script)
    return _wrk_result(out, url)


def load_all(wrk: str, port: int, code: str, body: str, connections: int, until) -> list[dict]:
    """Every endpoint loaded at once until `until()` returns; one result per endpoint."""
    share = max(1, connections // len(ENDPOINTS))
    running = []
    for _label, method, path, _target in ENDPOINTS:
        url = f"http://127.0.0.1:{port}{path.replace('CODE', code)}"
        running.append(start_wrk(wrk, url, method, body if method == "POST" else None, share))
    try:
        until()
    finally:
        results = [stop_wrk(*started) for started in running]
    return results


def during_import(wrk: str, port: int, code: str, body: str, env: dict, args) -> bool:
    """Load every endpoint without, then during, a full-scale import; print the table; True if errors."""
    sys.path.insert(0, str(ROOT))
    from bench.fullscale import ensure_export as dated_export

    files = dated_export(OUT / "fullscale")
    connections = args.concurrency[0]
    for _label, method, path, _target in ENDPOINTS:  # each worker warm (search snapshot loaded)
        warm_up(f"http://127.0.0.1:{port}{path.replace('CODE', code)}", body if method == "POST" else None)
    baseline = load_all(wrk, port, code, body, connections, lambda: time.sleep(args.seconds))
    uptime_before = os.getloadavg()
    log = OUT / "during-import.log"
    started = time.perf_counter()
    ended = {}

    server_log = OUT / "during-import-server.log"
    seen = server_log.stat().st_size if server_log.exists() else 0

    def import_then_reload() -> None:
        """Until the import has ended and `--after-import` seconds more (the workers' snapshot reload),
        noting when each worker says it answers from the new snapshot."""
        nonlocal seen
        importer.wait()
        ended["at"], ended["load"] = time.perf_counter(), os.getloadavg()
        ended["reloads"] = []
        while (now := time.perf_counter()) < ended["at"] + args.after_import:
            with open(server_log, "rb") as log_file:
                log_file.seek(seen)
                new = log_file.read()
            seen += len(new)
            ended["reloads"] += [now - ended["at"] for line in new.splitlines() if b"search snapshot" in line]
            time.sleep(0.25)

    with open(log, "w") as out:
        importer = subprocess.Popen(
            [str(BIN / "cqphub"), "registry", "import", *map(str, files), "--no-progress", "--allow-mass-withdrawal"],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        during = load_all(wrk, port, code, body, connections, import_then_reload)
    window = time.perf_counter() - started
    seconds = ended["at"] - started
    uptime_after = os.getloadavg()
    said = log.read_text().strip().splitlines()
    if importer.returncode:
        sys.exit(f"the import failed:\n{log.read_text()}")
    backend = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite (WAL)"
    print(
        f"\n{backend}, gunicorn 2 sync workers, every endpoint at once ({len(ENDPOINTS)} wrk, "
        f"{max(1, connections // len(ENDPOINTS))} connection(s) each), {code}"
    )
    print(f"full-scale import: {seconds:.0f} s; it says: {said[-1]}")
    print(
        f"measured from its start to {window - seconds:.0f} s after its end ({window:.0f} s); load average "
        f"{_load(uptime_before)} at its start, {_load(ended['load'])} at its end, {_load(uptime_after)} "
        "at the window's end"
    )
    reloads = ", ".join(f"{at:.1f} s" for at in ended["reloads"]) or "none"
    print(f"workers answering from the new search snapshot (after the import's end, ±0.25 s): {reloads}")
    covered = len(ended["reloads"]) >= 2
    if not covered:
        print(
            f"NOT COVERED: both workers must rebuild their snapshot within --after-import {args.after_import:g}"
        )
    print(
        f"{'endpoint':<38} {'base r/s':>9} {'import r/s':>10} {'ratio':>6} {'p99 ms':>8} "
        f"{'non-2xx':>8} {'socket':>7} {'timeouts':>9}"
    )
    failed = not covered
    for (label, *_rest), base, r in zip(ENDPOINTS, baseline, during, strict=True):
        ratio = r["rps"] / base["rps"] if base["rps"] else 0.0
        errors = r["non2xx"] + r["socket"] + r["timeouts"]
        failed |= errors > 0 or r["requests"] == 0
        print(
            f"{label:<38} {base['rps']:>9.1f} {r['rps']:>10.1f} {ratio:>6.2f} {r['p99_ms']:>8.1f} "
            f"{r['non2xx']:>8} {r['socket']:>7} {r['timeouts']:>9}"
        )
    return failed


def _load(averages: tuple[float, float, float]) -> str:
    return " ".join(f"{a:.2f}" for a in averages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per endpoint (default 10)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 64])
    parser.add_argument("--smoke", action="store_true", help="demo data, 1 s, concurrency 8")
    parser.add_argument(
        "--during-import", action="store_true", help="load every endpoint at once during a full-scale import"
    )
    parser.add_argument(
        "--after-import",
        type=float,
        default=30.0,
        help="with --during-import: seconds measured after the import ends (the snapshot reload; default 30)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.concurrency = 1.0, [8]
    OUT.mkdir(parents=True, exist_ok=True)
    wrk = ensure_wrk()
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("BENCH_LOAD_DATABASE_URL")
        or bench_database_url("_load", OUT / "load.sqlite3", fresh=False),
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "0",
        "SECRET_KEY": "bench-load-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # plain HTTP on the loopback, as behind a TLS-terminating proxy; no request log on the terminal
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "REQUEST_LOG": "0",
    }
    if args.smoke:
        env["DATABASE_URL"] = f"sqlite:///{OUT / 'load-smoke.sqlite3'}"
    files = ensure_export(args.smoke)
    if args.during_import:
        # starts from an empty database each time (a previous run left the full registry)
        fresh_database(env["DATABASE_URL"], force=True, companions=(*SQLITE_COMPANIONS, ".import-lock"))
    code = prepare(env, files)
    body = json.dumps({"certification": code, "person": {"status": "employee"}, "on": "2026-06-01"})
    port = free_port()
    server_log = open(OUT / "during-import-server.log", "ab") if args.during_import else None  # noqa: SIM115
    server = start_gunicorn(env, port, server_log)
    if args.during_import:
        try:
            failed = during_import(wrk, port, code, body, env, args)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        if failed:
            sys.exit("errors under load during the import")
        return
    results: dict[int, list[tuple]] = {}
    try:
        for connections in args.concurrency:
            rows = []
            for label, method, path, target in ENDPOINTS:
                url = f"http://127.0.0.1:{port}{path.replace('CODE', code)}"
                warm_up(url, body if method == "POST" else None)
                run_wrk(wrk, url, method, body if method == "POST" else None, 1.0, connections)  # warm-up
                rows.append(
                    (
                        label,
                        target,
                        run_wrk(
                            wrk, url, method, body if method == "POST" else None, args.seconds, connections
                        ),
                    )
                )
            results[connections] = rows
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    backend = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    failed = False
    for connections, rows in results.items():
        base = rows[0][2]["rps"]
        print(
            f"\n{backend}, gunicorn 2 sync workers, wrk -c {connections}, {args.seconds:g} s per endpoint ({code})"
        )
        print(f"{'endpoint':<38} {'req/s':>9} {'ratio':>7} {'target':>7} {'p99 ms':>8} {'errors':>7}")
        for label, target, r in rows:
            ratio = r["rps"] / base if base else 0.0
            ok = target is None or connections != 8 or ratio >= target
            mark = "" if ok else "  MISSED"
            failed |= r["errors"] > 0
            timeouts = f" ({r['timeouts']} timeouts)" if r["timeouts"] else ""
            print(
                f"{label:<38} {r['rps']:>9.0f} {ratio:>7.3f} {target if target else '':>7} "
                f"{r['p99_ms']:>8.1f} {r['errors']:>7}{mark}{timeouts}"
            )
    if failed:
        sys.exit("errors under load")


if __name__ == "__main__":
    main()
