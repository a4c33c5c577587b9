"""Case-list export: time and peak memory of the app's export against a raw cursor, same run.

Run from the repository root:

    .venv/bin/python bench/export.py --rows 100000                # SQLite, temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/export.py --rows 100000            # PostgreSQL

Without DATABASE_URL the database is a temporary SQLite file; with a PostgreSQL URL it names a
*server*: the benchmark drops and creates its own database ``cpims_bench_export`` there.
It migrates, bootstraps, and bulk-loads cases with one primary child each (a person) in two
steps: ``--small`` rows (default 10,000), measured; then up to ``--rows``, measured again.

Each measurement runs in a fresh process, twice: once for wall time and ``ru_maxrss`` (the
growth of the process's peak RSS during the export, so C allocations count too), once under
tracemalloc for the peak of Python allocations (tracemalloc slows Python down, so its run is
not timed). Sides:

* app-csv, app-xlsx: ``reports.exports.case_export`` exactly as the view calls it for a
  national cp_officer (the case selector, COUNT, the audit entry, ``case_rows`` through
  ``.iterator(chunk_size=2000)``), its response consumed into ``/dev/null`` as a client
  would read it (CSV: the StreamingHttpResponse; XLSX: written to a temporary file in
  openpyxl's write-only mode, then sent from it);
* app-csv-zip, app-xlsx-zip: the same with a password (AES-256 ZIP spooled to disk);
* raw-csv: one hand-written SQL query through a cursor (server-side on PostgreSQL) with
  ``fetchmany(2000)`` into ``csv.writer``: the floor for a CSV export;
* raw-xlsx: the same cursor into openpyxl's write-only workbook: the floor for XLSX.

Every side's row count is checked against the number of cases.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "cpims_bench_export"
BATCH = 5_000
SIDES = ["app-csv", "raw-csv", "app-xlsx", "raw-xlsx", "app-csv-zip", "app-xlsx-zip"]
RAW_OF = {"app-csv": "raw-csv", "app-csv-zip": "raw-csv", "app-xlsx": "raw-xlsx"}
RAW_OF["app-xlsx-zip"] = "raw-xlsx"
PASSWORD = "bench-export-2026"
GIVEN = ["Тэмүүжин", "Номин", "Батбаяр", "Оюунчимэг", "Ганзориг", "Сараа", "Болд", "Энхжин"]
FAMILY = ["Боржигин", "Хиад", "Сартуул", "Урианхай", "Тайчууд", ""]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="cases at the second step")
    parser.add_argument("--small", type=int, default=10_000, help="cases at the first step")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sides", default=",".join(SIDES), help="comma-separated subset")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    # Internal: one measurement in a child process.
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- Database and Django --------------------------------------------------------------------


def database_url(tmp: str) -> str:
    server = os.environ.get("DATABASE_URL", "")
    if not server:
        return f"sqlite:///{tmp}/export.sqlite3"
    parts = urlsplit(server)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("DATABASE_URL must be a PostgreSQL URL; leave it unset for SQLite")
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return urlunsplit(parts._replace(path="/" + DB_NAME))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"  # DEBUG would keep every SQL statement in memory
    os.environ["SECRET_KEY"] = "bench-only-secret-key-not-for-production-0123456789abcdefghij"
    os.environ["ALLOWED_HOSTS"] = "localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cpims.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def machine() -> dict:
    from django import get_version
    from django.db import connection

    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            database = "PostgreSQL " + cur.fetchone()[0]
        else:
            cur.execute("select sqlite_version()")
            database = "SQLite " + cur.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "django": get_version(),
        "database": database,
    }


# --- Loading --------------------------------------------------------------------------------


def prepare() -> dict:
    from django.core.management import call_command

    from cpims.accounts.models import Agency, Role
    from cpims.accounts.services import user_create
    from cpims.core.bootstrap import bootstrap
    from cpims.geo.models import Location

    call_command("migrate", verbosity=0)
    bootstrap()
    country = Location.objects.get(code="MN")
    capital = Location.objects.get(code="11")
    team = Agency.objects.create(
        code="bench-mdt", kind="mdt", name_mn="Баг", name_en="Team", location=capital
    )
    password = "Bench-Export-Password-2026!"
    worker = user_create(
        actor=None,
        password=password,
        username="bench-worker",
        role=Role.objects.get(code="social_worker"),
        scope=capital,
        agency=team,
    )
    officer = user_create(
        actor=None,
        password=password,
        username="bench-officer",
        role=Role.objects.get(code="cp_officer"),
        scope=country,
    )
    places = list(Location.objects.filter(depth__gte=2).values_list("pk", flat=True))
    return {"team": team.pk, "worker": worker.pk, "officer": officer.pk, "places": places}


def load(start: int, stop: int, world: dict, rng: random.Random) -> None:
    """Cases start..stop-1, each with a primary child, in batches (bulk INSERTs)."""
    from django.db import transaction
    from django.utils import timezone

    from cpims.cases.models import Case, CaseChild
    from cpims.registry.models import Person

    now = timezone.now()
    for first in range(start, stop, BATCH):
        count = min(BATCH, stop - first)
        places = [rng.choice(world["places"]) for _ in range(count)]
        with transaction.atomic():
            persons = Person.objects.bulk_create(
                Person(
                    given_name=rng.choice(GIVEN),
                    family_name=rng.choice(FAMILY),
                    patronymic=rng.choice(GIVEN),
                    sex=rng.choice("MF"),
                    date_of_birth=date(2008, 1, 1) + timedelta(days=rng.randrange(6500)),
                    location_id=place,
                )
                for place in places
            )
            cases = []
            for i, place in enumerate(places):
                closed = rng.random() < 0.6
                cases.append(
                    Case(
                        number=f"11-2026-{first + i:07d}",
                        stage="closed" if closed else "implementation",
                        is_open=not closed,
                        risk=rng.choice(["low", "medium", "high", "unassessed"]),
                        origin=rng.choice(["helpline", "police", "school", "walk_in"]),
                        reported_at=now - timedelta(minutes=first + i),
                        reporter_description="Neighbour",
                        location_id=place,
                        agency_id=world["team"],
                        assigned_worker_id=world["worker"],
                        created_by_agency_id=world["team"],
                        closed_at=now if closed else None,
                    )
                )
            cases = Case.objects.bulk_create(cases)
            CaseChild.objects.bulk_create(
                CaseChild(case_id=c.pk, person_id=p.pk, is_primary=True)
                for c, p in zip(cases, persons, strict=True)
            )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


# --- One measurement (child process) --------------------------------------------------------


def raw_sql() -> str:
    from cpims.accounts.models import Agency, User
    from cpims.cases.models import Case, CaseChild
    from cpims.geo.models import Location
    from cpims.registry.models import Person

    t = {m.__name__: m._meta.db_table for m in (Agency, User, Case, CaseChild, Location, Person)}
    # A national officer sees every case that is not restricted (cases_visible_to).
    return f"""
        SELECT c.number, c.opened_at, c.closed_at, c.stage, c.risk, c.origin,
               l.code, l.name_en, a.name_en, u.username,
               p.given_name, p.family_name, p.sex, p.date_of_birth
        FROM {t["Case"]} c
        JOIN {t["Location"]} l ON l.id = c.location_id
        JOIN {t["Agency"]} a ON a.id = c.agency_id
        LEFT JOIN {t["User"]} u ON u.id = c.assigned_worker_id
        LEFT JOIN {t["CaseChild"]} cc ON cc.case_id = c.id AND cc.is_primary
        LEFT JOIN {t["Person"]} p ON p.id = cc.person_id
        WHERE NOT c.restricted
        ORDER BY c.id"""  # noqa: S608 - table names from the models, no input


def raw_rows():
    """Rows straight from the database, 2,000 at a time (a server-side cursor on PostgreSQL,
    as Django's .iterator() uses, so neither side holds the result)."""
    from django.db import connection, transaction

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.connection.cursor(name="bench_export") as cur:
            cur.execute(raw_sql())
            while batch := cur.fetchmany(2000):
                yield from batch
        return
    with connection.cursor() as cur:
        cur.execute(raw_sql())
        while batch := cur.fetchmany(2000):
            yield from batch


def run_side(side: str, officer_pk: int) -> tuple[int, int]:
    """Export once into /dev/null; (rows, bytes sent)."""
    from cpims.accounts.models import User
    from cpims.reports import exports
    from cpims.reports.selectors import cases_exportable_by

    sent = rows = 0
    with open(os.devnull, "wb") as sink:
        if side.startswith("app-"):
            app_rows = exports.case_rows

            def counted_case_rows(cases):
                # The rows the app really wrote, whatever the format (a generator around
                # the app's own; about a microsecond per row).
                nonlocal rows
                for row in app_rows(cases):
                    rows += 1
                    yield row

            exports.case_rows = counted_case_rows
            user = User.objects.get(pk=officer_pk)
            response = exports.case_export(
                user=user,
                cases=cases_exportable_by(user),
                filters={},
                fmt="xlsx" if "xlsx" in side else "csv",
                password=PASSWORD if side.endswith("-zip") else "",
            )
            for chunk in response.streaming_content:
                sent += len(chunk)
                sink.write(chunk)
            response.close()
        elif side == "raw-csv":

            class Count:
                def write(self, value: str):
                    nonlocal sent
                    data = value.encode("utf-8")
                    sent += len(data)
                    sink.write(data)

            writer = csv.writer(Count())
            Count().write("\ufeff")
            writer.writerow(exports.CASE_HEADER)
            for row in raw_rows():
                writer.writerow(["" if v is None else v for v in row])
                rows += 1
        else:  # raw-xlsx

            def counted():
                nonlocal rows
                for row in raw_rows():
                    rows += 1
                    yield row

            with tempfile.TemporaryFile() as handle:
                exports.xlsx_write(handle, exports.CASE_HEADER, counted())
                sent = handle.tell()
    return rows, sent


def warm_up() -> None:
    """Import and exercise the writers on one row, so neither the time nor the memory measured
    includes loading modules (openpyxl and pyzipper import parts of themselves lazily)."""
    import io

    from cpims.reports import exports
    from cpims.reports.exports_protected import zip_spool

    exports.xlsx_write(io.BytesIO(), ["a"], [[1]])
    list(exports.csv_rows(["a"], [[1]]))
    zip_spool("w.csv", lambda out: out.write(b"a\n"), password=PASSWORD).close()


def measure(side: str, traced: bool, url: str) -> dict:
    setup_django(url)
    from django.db import connection

    from cpims.accounts.models import User

    officer = User.objects.get(username="bench-officer").pk
    connection.ensure_connection()
    warm_up()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    rows, sent = run_side(side, officer)
    seconds = time.perf_counter() - start
    result = {"rows": rows, "bytes": sent}
    if traced:
        result["traced_peak_kib"] = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
        return result
    after = resource.getrusage(resource.RUSAGE_SELF)
    result["seconds"] = seconds
    result["cpu_seconds"] = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    result["rss_before_mib"] = usage.ru_maxrss / 1024
    result["rss_growth_mib"] = (after.ru_maxrss - usage.ru_maxrss) / 1024
    return result


def in_child(side: str, url: str, *, traced: bool) -> dict:
    command = [sys.executable, __file__, "--measure", side, "--url", url]
    if traced:
        command.append("--traced")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{side} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Report ---------------------------------------------------------------------------------


def print_step(n: int, results: dict[str, dict]) -> None:
    print(f"\n{n:,} rows")
    print(
        "| side | wall (s) | CPU (s) | rows/s | peak RSS growth (MiB) | tracemalloc peak (KiB) "
        "| size (MiB) | app/raw wall | app/raw CPU |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for side, r in results.items():
        raw = results.get(RAW_OF.get(side, ""))
        wall = f"{r['seconds'] / raw['seconds']:.2f}×" if raw else ""
        cpu = f"{r['cpu_seconds'] / raw['cpu_seconds']:.2f}×" if raw else ""
        print(
            f"| {side} | {r['seconds']:.2f} | {r['cpu_seconds']:.2f} "
            f"| {r['rows'] / r['seconds']:,.0f} | {r['rss_growth_mib']:.1f} "
            f"| {r['traced_peak_kib']:,.0f} | {r['bytes'] / 2**20:.1f} | {wall} | {cpu} |"
        )


def main() -> None:
    args = parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.traced, args.url)))
        return
    sides = [s for s in args.sides.split(",") if s]
    unknown = set(sides) - set(SIDES)
    if unknown:
        sys.exit(f"unknown sides: {sorted(unknown)}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cpims-bench-export-") as tmp:
        url = database_url(tmp)
        setup_django(url)
        info = machine()
        print(json.dumps(info))
        t = time.perf_counter()
        world = prepare()
        print(f"migrate + bootstrap: {time.perf_counter() - t:.1f} s")
        rng = random.Random(args.seed)
        steps: dict[int, dict] = {}
        loaded = 0
        for n in sorted({min(args.small, args.rows), args.rows}):
            t = time.perf_counter()
            load(loaded, n, world, rng)
            loaded = n
            print(f"loaded {n:,} cases in total (+{time.perf_counter() - t:.1f} s)")
            results = {}
            for side in sides:
                timed = in_child(side, url, traced=False)
                traced = in_child(side, url, traced=True)
                if timed["rows"] != n or traced["rows"] != n:
                    sys.exit(f"{side}: {timed['rows']}/{traced['rows']} rows, expected {n}")
                results[side] = {**timed, "traced_peak_kib": traced["traced_peak_kib"]}
            steps[n] = results
            print_step(n, results)
        if len(steps) == 2:
            (small, a), (big, b) = sorted(steps.items())
            print(f"\nfrom {small:,} to {big:,} rows ({big / small:.0f}× the rows):")
            for side in sides:
                x, y = a[side], b[side]
                print(
                    f"- {side}: time {y['seconds'] / x['seconds']:.1f}×, "
                    f"tracemalloc peak {y['traced_peak_kib'] / x['traced_peak_kib']:.2f}×, "
                    f"peak RSS growth {x['rss_growth_mib']:.1f} → {y['rss_growth_mib']:.1f} MiB"
                )
        print(f"\ntotal {time.perf_counter() - started:.0f} s")
        if args.json:
            args.json.write_text(json.dumps({"machine": info, "steps": steps}, indent=1))
        if url.startswith("postgres"):
            from django.db import connections

            connections.close_all()


if __name__ == "__main__":
    main()
