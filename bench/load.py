"""Load test: a realistic mix of users against gunicorn (2 worker processes) and 2 job workers.

Counsellors record contacts through the API (most of them one-click non-counselling contacts,
some full records), social workers open their case list and home page (tasks), supervisors
watch the helpline board and an officer's case list. Each virtual user signs in with the
generated accounts (``manage.py generate_demo``), then loops: request, think time, request.
``/healthz`` (one ``SELECT 1`` through the same server) is sampled alongside as the floor: the
ratio app/healthz says how much of a screen's time is the app itself.

Bounded and loopback only: the server is started here on 127.0.0.1 on a free port, the run
stops after ``--duration`` seconds (at most 1,800) and every process started here is stopped.

The helpline's busiest hour is derived from the design volume (``--annual-contacts``, default
1,000,000 a year) with the generator's own seasonality: the busiest month's weight over the
average month, times the busiest hour's share of a day (``cpims.core.generate``). The report
says how many times that hour's contacts the run recorded (issue 10 asks for at least 10).

    # against an existing generated database (PostgreSQL):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpims_gen_medium \\
        .venv/bin/python bench/load.py --duration 60 --users 12
    # CI scale: a temporary SQLite database with `generate_demo --scale small`:
    .venv/bin/python bench/load.py --prepare --duration 15 --users 6
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD_ENV = "CPIMS_DEMO_PASSWORD"
DEFAULT_PASSWORD = "Demo-CPIMS-2026!"
QUICK_TYPES = ["hang_up", "silent", "blank", "prank", "wrong_number"]


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--duration", type=float, default=60, help="seconds of load (max 1800)")
    p.add_argument("--users", type=int, default=12, help="virtual users (half counsellors)")
    p.add_argument("--think", type=float, default=1.0, help="mean think time per user (s)")
    p.add_argument("--app-workers", type=int, default=2, help="gunicorn worker processes")
    p.add_argument("--job-workers", type=int, default=2, help="run_worker processes")
    p.add_argument("--prepare", action="store_true", help="temporary SQLite + generate small")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", type=Path, help="write the result here too")
    p.add_argument(
        "--annual-contacts",
        type=int,
        default=1_000_000,
        help="helpline design volume per year, for the busiest-hour multiple",
    )
    args = p.parse_args()
    args.duration = min(args.duration, 1800)
    return args


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, var_dir: str, port: int, app_workers: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cpims.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CPIMS_SSL_REDIRECT": "0",
        "CPIMS_SECURE_COOKIES": "0",
        "CPIMS_STATIC_MANIFEST": "0",
        "CPIMS_2FA_REQUIRED": "0",
        "CPIMS_DEMO": "1",
        "CPIMS_VAR_DIR": var_dir,
        "CPIMS_LOG_LEVEL": "WARNING",
        "CPIMS_WORKER_POLL_SECONDS": "1",
        "DATABASE_URL": database_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(app_workers),
        "GUNICORN_THREADS": "1",
        "GUNICORN_ACCESS_LOG": os.devnull,
        "GUNICORN_LOG_LEVEL": "warning",
    }


def prepare(env: dict) -> None:
    py = str(BIN / "python")
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [py, "manage.py", "generate_demo", "--scale", "small"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


class Client:
    """One signed-in browser: cookies, CSRF token, timed requests."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, method: str, path: str, body: dict | None = None, form: bool = False):
        data, headers = None, {"Referer": self.base + "/"}
        if body is not None:
            headers["X-CSRFToken"] = self.csrf()
            if form:
                data = urllib.parse.urlencode(body).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        url = self.base + path  # always http://127.0.0.1:<port>/...
        req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as response:
                payload = response.read()
                code = response.status
        except urllib.error.HTTPError as exc:
            payload, code = exc.read(), exc.code
        return code, payload, time.perf_counter() - started

    def login(self, username: str, password: str) -> bool:
        code, page, _ = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if code != 200 or not token:
            return False
        body = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": username,
            "password": password,
        }
        code, _page, _ = self.request("POST", "/accounts/login/", body, form=True)
        return code == 200 and any(c.name == "sessionid" for c in self.jar)


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: dict[str, str] = {}

    def add(self, kind: str, code: int, seconds: float, expect: tuple[int, ...], body: bytes):
        with self.lock:
            self.times[kind].append(seconds)
            if code not in expect:
                self.errors[kind] += 1
                self.samples.setdefault(kind, f"{code}: {body[:200]!r}")


def counsellor(client: Client, rng: random.Random, rec: Recorder, categories: list[str]):
    if rng.random() < 0.75 or not categories:
        body = {"call_type": rng.choice(QUICK_TYPES)}
        code, out, t = client.request("POST", "/api/v1/contacts/quick/", body)
        rec.add("contact quick (API)", code, t, (201,), out)
    else:
        body = {
            "caller_phone": f"99{rng.randrange(10**6):06d}",
            "caller_relationship": "self",
            "urgency": rng.choice(["low", "medium", "high"]),
            "primary_category": rng.choice(categories),
            "actions": ["counselling"],
            "children": [{"name": "Хүүхэд", "age_years": rng.randint(6, 17), "sex": "F"}],
            "narrative": "load test",
        }
        code, out, t = client.request("POST", "/api/v1/contacts/", body)
        rec.add("contact full (API)", code, t, (201,), out)


def social_worker(client: Client, rng: random.Random, rec: Recorder, _):
    path, kind = rng.choice([("/cases/", "case list"), ("/", "home (my tasks)")])
    code, out, t = client.request("GET", path)
    rec.add(kind, code, t, (200,), out)


def supervisor(client: Client, rng: random.Random, rec: Recorder, _):
    code, out, t = client.request("GET", "/helpline/board/")
    rec.add("helpline board", code, t, (200,), out)


def officer(client: Client, rng: random.Random, rec: Recorder, _):
    path, kind = rng.choice([("/cases/", "officer case list"), ("/", "officer home")])
    code, out, t = client.request("GET", path)
    rec.add(kind, code, t, (200,), out)


def busiest_hour_contacts(annual: int) -> float:
    """Contacts in the helpline's busiest hour of the year, from the generator's seasonality."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")
    os.environ.setdefault("DEBUG", "1")  # settings only; this process opens no connection
    import django

    django.setup()
    from cpims.core.generate.base import HOUR_WEIGHTS, MONTH_WEIGHTS

    month = max(MONTH_WEIGHTS) / statistics.fmean(MONTH_WEIGHTS)
    hour = max(HOUR_WEIGHTS) / sum(HOUR_WEIGHTS)
    return annual / 365 * month * hour


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def users_for(count: int) -> list[tuple[str, object]]:
    plan: list[tuple[str, object]] = []
    counsellors = max(1, count // 2)
    workers = max(1, (count - counsellors) * 2 // 3)
    for i in range(counsellors):
        plan.append((f"gen-counsellor-{i}", counsellor))
    # Social workers of the busiest capital districts (the largest case lists).
    districts = ["1107", "1116", "1110", "1122", "1119", "1125", "1101", "1104", "1113"]
    for i in range(workers):
        plan.append(
            (f"gen-sw-{districts[i % len(districts)]}-{i // len(districts)}", social_worker)
        )
    rest = count - len(plan)
    for i in range(rest):
        plan.append(("gen-supervisor", supervisor) if i % 2 == 0 else ("gen-officer-11", officer))
    return plan


def main() -> None:
    args = parse_args()
    tmp = tempfile.mkdtemp(prefix="cpims-load-")
    database_url = os.environ.get("DATABASE_URL", "")
    if args.prepare or not database_url:
        database_url = f"sqlite:///{tmp}/load.sqlite3"
    port = free_port()
    env = server_env(database_url, tmp, port, args.app_workers)
    if args.prepare or database_url.startswith("sqlite:///" + tmp):
        print("preparing a temporary SQLite database with generate_demo --scale small ...")
        prepare(env)
    procs = [
        subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "cpims.wsgi"],
            cwd=ROOT,
            env=env,
        )
    ]
    for _ in range(args.job_workers):
        procs.append(
            subprocess.Popen(
                [str(BIN / "python"), "manage.py", "run_worker"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
            )
        )
    base = f"http://127.0.0.1:{port}"
    try:
        result = run(args, base)
        result["database"] = database_url.split("@")[-1].replace(tmp, "<tmp>")
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))


def run(args: argparse.Namespace, base: str) -> dict:
    probe = Client(base)
    deadline = time.monotonic() + 60
    while True:
        try:
            if probe.request("GET", "/healthz")[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("the server did not start within 60 s")
        time.sleep(0.3)
    password = os.environ.get(PASSWORD_ENV, DEFAULT_PASSWORD)
    rec = Recorder()
    sessions = []
    for username, behaviour in users_for(args.users):
        client = Client(base)
        if not client.login(username, password):
            raise SystemExit(f"cannot sign in as {username}: run generate_demo on this database")
        sessions.append((username, behaviour, client))
    _code, out, _ = sessions[0][2].request("GET", "/api/v1/taxonomy/")
    categories = [c["code"] for c in json.loads(out) if c.get("is_active", True)][:40]

    stop = time.monotonic() + args.duration
    started = time.monotonic()

    def loop(index: int, behaviour, client: Client):
        rng = random.Random(args.seed * 1000 + index)
        time.sleep(rng.uniform(0, args.think))  # users do not start in step
        while time.monotonic() < stop:
            behaviour(client, rng, rec, categories)
            time.sleep(rng.expovariate(1 / args.think))

    def floor():
        rng = random.Random(args.seed)
        client = Client(base)
        while time.monotonic() < stop:
            code, out, t = client.request("GET", "/healthz")
            rec.add("healthz (floor)", code, t, (200,), out)
            time.sleep(rng.uniform(0.5, 1.5))

    threads = [
        threading.Thread(target=loop, args=(i, b, c), daemon=True)
        for i, (_, b, c) in enumerate(sessions)
    ]
    threads.append(threading.Thread(target=floor, daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=args.duration + 60)
    elapsed = time.monotonic() - started
    floor_p50 = statistics.median(rec.times["healthz (floor)"] or [float("nan")])
    rows = []
    for kind, values in sorted(rec.times.items()):
        rows.append(
            {
                "kind": kind,
                "count": len(values),
                "errors": rec.errors.get(kind, 0),
                "p50_ms": round(pct(values, 0.5) * 1000, 1),
                "p95_ms": round(pct(values, 0.95) * 1000, 1),
                "p99_ms": round(pct(values, 0.99) * 1000, 1),
                "max_ms": round(max(values) * 1000, 1),
                "p50_vs_floor": round(pct(values, 0.5) / floor_p50, 1),
            }
        )
    everything = [v for k, vs in rec.times.items() if k != "healthz (floor)" for v in vs]
    total_errors = sum(v for k, v in rec.errors.items() if k != "healthz (floor)")
    print(f"\n{'kind':<22}{'n':>6}{'err':>5}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'x floor':>9}")
    for r in rows:
        print(
            f"{r['kind']:<22}{r['count']:>6}{r['errors']:>5}{r['p50_ms']:>8}{r['p95_ms']:>8}"
            f"{r['p99_ms']:>8}{r['max_ms']:>8}{r['p50_vs_floor']:>9}"
        )
    print(
        f"total {len(everything)} requests in {elapsed:.0f} s = {len(everything) / elapsed:.1f} "
        f"req/s, errors {total_errors}, p95 {pct(everything, 0.95) * 1000:.0f} ms"
    )
    contacts = sum(len(v) for k, v in rec.times.items() if k.startswith("contact"))
    per_hour = contacts / elapsed * 3600
    peak = busiest_hour_contacts(args.annual_contacts)
    print(
        f"contacts recorded: {contacts} = {per_hour:,.0f}/hour; the busiest hour at "
        f"{args.annual_contacts:,} contacts a year is {peak:,.0f}/hour, so this run was "
        f"x{per_hour / peak:.1f} of it"
    )
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}",
        "duration_s": round(elapsed, 1),
        "users": args.users,
        "think_s": args.think,
        "app_workers": args.app_workers,
        "job_workers": args.job_workers,
        "requests": len(everything),
        "throughput_rps": round(len(everything) / elapsed, 2),
        "errors": total_errors,
        "error_samples": rec.samples,
        "p50_ms": round(pct(everything, 0.5) * 1000, 1),
        "p95_ms": round(pct(everything, 0.95) * 1000, 1),
        "p99_ms": round(pct(everything, 0.99) * 1000, 1),
        "contacts_per_hour": round(per_hour),
        "busiest_hour_contacts": round(peak),
        "busiest_hour_multiple": round(per_hour / peak, 1),
        "by_kind": rows,
    }


if __name__ == "__main__":
    main()
