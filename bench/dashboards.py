"""Dashboards and the national indicator set: the app against the raw database, same run.

Against a generated dataset (``manage.py generate_demo``; national scale in
``cpims_national``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpims_national \\
        .venv/bin/python bench/dashboards.py --runs 5

or, CI-sized, on a database it creates, fills with ``generate_demo --scale small`` and drops
(``DATABASE_URL`` then names any database on the server):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/dashboards.py --prepare small --runs 3

It times, p50/p95 over ``--runs`` runs after one warm-up:

* every dashboard page through Django's test Client, signed in (``force_login``) as the
  generated user of the role: the national analyst (``/reports/my/``, ``/reports/``, the
  map, ``/finance/``), the capital's and the smallest aimag's cp_officer (``/reports/my/``,
  ``/reports/``), the busiest team's social worker and the helpline supervisor (the board);
* the national indicator set for the last 12 months: every catalogue indicator computed for
  the whole country through ``cpims.reports.indicators.compute`` (what ``/reports/`` and the
  API call), one by one and in total;
* the raw side: (a) hand-written SQL for the helpline and case-count indicators (HL1, HL2,
  CM1, CM2: totals and every breakdown), its values checked equal to the app's; (b) for every
  indicator, the exact SQL the app issued (captured once) replayed through the cursor —
  app minus replay is Python/ORM work, and the slowest replayed query is named.

The pages read the dashboards' snapshots when there are some for today (``manage.py
refresh_indicator_snapshots``; the header says which); ``--pages-only`` times the pages alone,
``--pages-only --match "my dashboard"`` only the pages whose label contains the text.

Prints a Markdown table with app/raw ratios (goal <= 2 for aggregates, pages < 1 s at
national scale) and flags what misses. See bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PREPARED_DB = "cpims_bench_dash"
GOAL_RATIO = 2.0
GOAL_PAGE_S = 1.0


def setup_django(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "0",  # no query log, no debug templates: what production runs
            "CPIMS_DEMO": "1",
            "CPIMS_2FA_REQUIRED": "0",
            "CPIMS_STATIC_MANIFEST": "0",
            "CPIMS_SSL_REDIRECT": "0",
            "CPIMS_SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": "testserver",
            "DJANGO_SETTINGS_MODULE": "cpims.settings",
        }
    )
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdefghij"
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def prepare(url: str, scale: str) -> str:
    """A fresh database with generate_demo's data; returns its URL."""
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PREPARED_DB}"')
        conn.execute(f'CREATE DATABASE "{PREPARED_DB}"')
    target = with_db(url, PREPARED_DB)
    setup_django(target)
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("generate_demo", scale=scale, seed=1, stdout=io.StringIO())
    print(
        f"prepared {PREPARED_DB}: generate_demo --scale {scale} in "
        f"{time.perf_counter() - started:.0f} s"
    )
    return target


def drop(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PREPARED_DB}"')


def timed(fn: Callable[[], object], runs: int) -> tuple[list[float], object]:
    result = fn()  # warm-up (and the value to check)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times, result


def p50(times: list[float]) -> float:
    return statistics.median(times)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


# --- who sees what --------------------------------------------------------------------------
def bench_users() -> dict:
    from django.db.models import Count

    from cpims.accounts.models import User
    from cpims.cases.models import Case

    users = {
        "analyst": User.objects.get(username="gen-analyst"),
        "officer_ub": User.objects.get(username="gen-officer-11"),
        "hl_supervisor": User.objects.get(username="gen-supervisor"),
    }
    per_aimag = Counter(
        number.split("-", 1)[0]
        for number in Case.objects.values_list("number", flat=True).iterator()
    )
    smallest = min(per_aimag, key=per_aimag.get)
    users["officer_rural"] = User.objects.get(username=f"gen-officer-{smallest}")
    busiest = (
        Case.objects.filter(is_open=True)
        .values("agency")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["agency"]
    )
    users["worker"] = (
        User.objects.filter(agency_id=busiest, role__code="social_worker").order_by("pk").first()
    )
    return users


PAGES = [
    ("national analyst: my dashboard", "analyst", "/reports/my/"),
    ("national analyst: indicators /reports/ (year to date)", "analyst", "/reports/"),
    ("national analyst: aimag map", "analyst", "/reports/map/"),
    ("national analyst: finance dashboard", "analyst", "/finance/"),
    ("officer, capital (11): my dashboard", "officer_ub", "/reports/my/"),
    ("officer, capital (11): indicators", "officer_ub", "/reports/"),
    ("officer, smallest aimag: my dashboard", "officer_rural", "/reports/my/"),
    ("officer, smallest aimag: indicators", "officer_rural", "/reports/"),
    ("social worker, busiest team: my dashboard", "worker", "/reports/my/"),
    ("helpline supervisor: board", "hl_supervisor", "/helpline/board/"),
    ("helpline supervisor: my dashboard", "hl_supervisor", "/reports/my/"),
]


def bench_pages(users: dict, runs: int, match: str = "") -> list[dict]:
    from django.test import Client

    out = []
    for label, who, url in PAGES:
        if match not in label:
            continue
        client = Client()
        client.force_login(users[who])

        def get(client=client, url=url, who=who):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} as {who}: HTTP {response.status_code}")
            return response

        times, _ = timed(get, runs)
        out.append({"label": label, "user": users[who].username, "url": url, "times": times})
        print(f"  {label:<55} p50 {ms(p50(times)):>7} ms  p95 {ms(p95(times)):>7} ms")
    return out


# --- the national indicator set -------------------------------------------------------------
def last_year():
    from django.utils import timezone

    from cpims.reports.indicators import Period

    today = timezone.localdate()
    return Period(today - timedelta(days=364), today)


def bench_indicators(users: dict, runs: int) -> tuple[list[dict], dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cpims.geo.models import Location
    from cpims.reports.indicators import CATALOGUE, compute

    country = Location.objects.get(depth=0)
    period = last_year()
    analyst = users["analyst"]
    out, results = [], {}
    for indicator in CATALOGUE:
        with CaptureQueriesContext(connection) as captured:
            results[indicator.code] = compute(
                indicator.code, period=period, place=country, user=analyst
            )
        queries = [q["sql"] for q in captured.captured_queries]

        def run(code=indicator.code):
            return compute(code, period=period, place=country, user=analyst)

        times, _ = timed(run, runs)
        replay_times, per_query = replay(queries, runs)
        slowest = max(per_query, key=lambda pair: pair[1]) if per_query else ("", 0.0)
        out.append(
            {
                "code": indicator.code,
                "times": times,
                "replay": replay_times,
                "queries": len(queries),
                "slowest": slowest,
            }
        )
        print(
            f"  {indicator.code:<5} app p50 {ms(p50(times)):>7} ms  replayed SQL "
            f"{ms(p50(replay_times)):>7} ms  ({len(queries)} queries)"
        )
    return out, results


def replay(queries: list[str], runs: int) -> tuple[list[float], list[tuple[str, float]]]:
    """The app's own SQL through the cursor: the database's share of the app's time."""
    from django.db import connection

    per_query: dict[int, list[float]] = {}
    totals = []
    with connection.cursor() as cursor:
        for run in range(runs + 1):
            total = 0.0
            for i, sql in enumerate(queries):
                sql = sql.lstrip()
                head = sql.upper()
                if head.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "CLOSE", "FETCH")):
                    continue
                if head.startswith("DECLARE"):  # .iterator(): a server-side cursor; its SELECT
                    sql = sql[head.index(" CURSOR ") :].split(" FOR ", 1)[1]
                started = time.perf_counter()
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
                elapsed = time.perf_counter() - started
                if run:  # the first pass warms the cache like the app's warm-up
                    per_query.setdefault(i, []).append(elapsed)
                    total += elapsed
            if run:
                totals.append(total)
    return totals, [(queries[i], p50(t)) for i, t in per_query.items()]


# --- hand-written SQL -------------------------------------------------------------------------
def raw_side(period) -> dict[str, Callable[[], dict]]:
    """The same counts as HL1, HL2, CM1, CM2 for the whole country, written by hand."""
    from django.conf import settings
    from django.db import connection

    from cpims.cases.models import Case, CaseChild, CaseHarm
    from cpims.geo.models import Location
    from cpims.helpline.models import Category, Contact, ContactChild
    from cpims.registry.models import Person

    t = {
        "case": Case._meta.db_table,
        "harm": CaseHarm._meta.db_table,
        "child": CaseChild._meta.db_table,
        "person": Person._meta.db_table,
        "loc": Location._meta.db_table,
        "contact": Contact._meta.db_table,
        "cchild": ContactChild._meta.db_table,
        "cat": Category._meta.db_table,
    }
    tz = settings.TIME_ZONE
    country = Location.objects.get(depth=0).path
    since, until = period.since, period.until

    def grouped(sql: str, params: list) -> dict:
        out: dict = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for dim, key, n in cursor.fetchall():
                out.setdefault(dim, {})[key] = n
        return out

    def cases(column: str, extra: str) -> Callable[[], dict]:
        # The child's age band at the case's opening, in local time (as the app computes it).
        sql = f"""
        WITH c AS (
            SELECT c.id, c.risk, c.origin, c.closure_reason, c.opened_at
            FROM {t["case"]} c JOIN {t["loc"]} l ON l.id = c.location_id
            WHERE l.path LIKE %s AND c.{column} >= %s AND c.{column} < %s
        )
        SELECT 'total', '', count(*) FROM c
        UNION ALL SELECT 'risk', risk, count(*) FROM c GROUP BY risk
        UNION ALL SELECT 'origin', origin, count(*) FROM c GROUP BY origin
        {extra}
        UNION ALL SELECT 'harm', h.harm, count(*) FROM {t["harm"]} h JOIN c ON c.id = h.case_id
            GROUP BY h.harm
        UNION ALL SELECT 'sex', p.sex, count(*) FROM {t["child"]} cc
            JOIN c ON c.id = cc.case_id JOIN {t["person"]} p ON p.id = cc.person_id
            WHERE cc.is_primary GROUP BY p.sex
        UNION ALL SELECT 'age_band', band, count(*) FROM (
            SELECT CASE
                WHEN a IS NULL THEN 'unknown' WHEN a BETWEEN 0 AND 5 THEN '0-5'
                WHEN a BETWEEN 6 AND 9 THEN '6-9' WHEN a BETWEEN 10 AND 12 THEN '10-12'
                WHEN a BETWEEN 13 AND 15 THEN '13-15' WHEN a BETWEEN 16 AND 17 THEN '16-17'
                ELSE 'unknown' END AS band
            FROM (
                -- born after the opening (a data error): no age, as the app says
                SELECT CASE WHEN p.date_of_birth > (c.opened_at AT TIME ZONE %s)::date
                    THEN NULL ELSE extract(year FROM age((c.opened_at AT TIME ZONE %s)::date,
                                                         p.date_of_birth))::int END AS a
                FROM {t["child"]} cc JOIN c ON c.id = cc.case_id
                JOIN {t["person"]} p ON p.id = cc.person_id WHERE cc.is_primary
            ) ages
        ) bands GROUP BY band
        """  # noqa: S608 - table names from the models' _meta, values as parameters
        return lambda: grouped(sql, [country + "%", since, until, tz, tz])

    closure = "UNION ALL SELECT 'closure_reason', closure_reason, count(*) FROM c GROUP BY 1, 2"
    contacts_sql = f"""
    WITH k AS (
        SELECT id, call_type, channel, primary_category_id FROM {t["contact"]}
        WHERE status = 'completed' AND started_at >= %s AND started_at < %s
    )
    SELECT 'total', '', count(*) FROM k
    UNION ALL SELECT 'call_type', call_type, count(*) FROM k GROUP BY call_type
    UNION ALL SELECT 'channel', channel, count(*) FROM k GROUP BY channel
    UNION ALL SELECT 'category', coalesce(m.code, ''), count(*) FROM k
        LEFT JOIN {t["cat"]} pc ON pc.id = k.primary_category_id
        LEFT JOIN {t["cat"]} m ON m.id = pc.main_id GROUP BY 2
    UNION ALL SELECT 'child_sex', ch.sex, count(*) FROM {t["cchild"]} ch
        JOIN k ON k.id = ch.contact_id GROUP BY ch.sex
    UNION ALL SELECT 'child_age_band', CASE
            WHEN ch.age_years BETWEEN 0 AND 5 THEN '0-5' WHEN ch.age_years BETWEEN 6 AND 9
            THEN '6-9' WHEN ch.age_years BETWEEN 10 AND 12 THEN '10-12'
            WHEN ch.age_years BETWEEN 13 AND 15 THEN '13-15'
            WHEN ch.age_years BETWEEN 16 AND 18 THEN '16-18' ELSE 'unknown' END, count(*)
        FROM {t["cchild"]} ch JOIN k ON k.id = ch.contact_id GROUP BY 2
    """  # noqa: S608
    share_sql = f"""
    SELECT 'total', '', count(*) FROM {t["contact"]}
        WHERE status = 'completed' AND started_at >= %s AND started_at < %s
    UNION ALL SELECT 'other', '', count(*) FROM {t["contact"]}
        WHERE status = 'completed' AND started_at >= %s AND started_at < %s
        AND call_type <> 'data'
    """  # noqa: S608
    return {
        "HL1": lambda: grouped(contacts_sql, [since, until]),
        "HL2": lambda: grouped(share_sql, [since, until, since, until]),
        "CM1": cases("opened_at", ""),
        "CM2": cases("closed_at", closure),
    }


def app_counts(code: str, result) -> dict:
    """The app's Result in the raw side's shape (non-zero counts only)."""
    out: dict = {"total": {"": int(result.numerator or 0)}}
    if code == "HL2":
        return {"total": {"": int(result.denominator or 0)}, "other": {"": int(result.numerator)}}
    for name, rows in result.breakdowns.items():
        counts = {key: n for key, _label, n in rows if n}
        if counts:
            out[name] = counts
    return out


def nonzero(raw: dict) -> dict:
    return {d: {k or "": n for k, n in v.items() if n} for d, v in raw.items()}


def bench_raw(results: dict, indicators: list[dict], runs: int) -> list[dict]:
    out = []
    app_times = {row["code"]: row["times"] for row in indicators}
    for code, fn in raw_side(last_year()).items():
        if code not in results:
            continue
        times, raw = timed(fn, runs)
        same = nonzero(raw) == app_counts(code, results[code])
        ratio = p50(app_times[code]) / p50(times)
        out.append({"code": code, "times": times, "same": same, "ratio": ratio})
        print(
            f"  {code:<5} raw p50 {ms(p50(times)):>7} ms  app/raw {ratio:5.1f}  "
            f"{'values equal' if same else 'VALUES DIFFER'}"
        )
        if not same:
            print(f"     app {app_counts(code, results[code])}\n     raw {nonzero(raw)}")
    return out


# --- report ---------------------------------------------------------------------------------
def counts() -> dict[str, int]:
    from cpims.audit.models import AuditEvent
    from cpims.cases.models import Case, Task
    from cpims.helpline.models import Contact
    from cpims.referrals.models import Referral
    from cpims.registry.models import Person

    return {
        m.__name__: m.objects.count() for m in (Person, Contact, Case, Task, Referral, AuditEvent)
    }


def print_tables(pages: list[dict], indicators: list[dict], raw: list[dict]) -> None:
    print("\n| page (signed in as) | p50 ms | p95 ms | < 1 s |")
    print("|---|---:|---:|---|")
    for row in pages:
        ok = "yes" if p95(row["times"]) < GOAL_PAGE_S else "**no**"
        print(
            f"| {row['label']} (`{row['url']}`) | {ms(p50(row['times']))} | "
            f"{ms(p95(row['times']))} | {ok} |"
        )
    if not indicators:
        return
    raw_by = {row["code"]: row for row in raw}
    total_app = sum(p50(r["times"]) for r in indicators)
    total_replay = sum(p50(r["replay"]) for r in indicators)
    print(
        "\n| indicator | queries | app p50 ms | app p95 ms | app's SQL replayed p50 ms | "
        "app/replay | hand-written SQL p50 ms | app/raw | slowest query (p50 ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in indicators:
        r = raw_by.get(row["code"])
        app, rep = p50(row["times"]), p50(row["replay"])
        ratio_cell = "—"
        if r:
            ratio_cell = f"{r['ratio']:.1f}" + ("" if r["same"] else " (values differ)")
        sql, t = row["slowest"]
        snippet = " ".join(sql.split())[:70].replace("|", "\\|")
        print(
            f"| {row['code']} | {row['queries']} | {ms(app)} | {ms(p95(row['times']))} | "
            f"{ms(rep)} | {app / rep if rep else 0:.1f} | "
            f"{ms(p50(r['times'])) if r else '—'} | "
            f"{ratio_cell} | "
            f"{ms(t)}: `{snippet}` |"
        )
    print(
        f"| **all {len(indicators)}** | | **{ms(total_app)}** | | **{ms(total_replay)}** | "
        f"**{total_app / total_replay if total_replay else 0:.1f}** | | | |"
    )


def snapshots() -> str:
    """The dashboards' snapshots the pages may read (manage.py refresh_indicator_snapshots)."""
    from django.db.models import Count, Max, Min

    from cpims.reports.models import IndicatorSnapshot

    found = IndicatorSnapshot.objects.aggregate(
        n=Count("pk"), first=Min("computed_at"), last=Max("computed_at")
    )
    if not found["n"]:
        return "none (pages compute live)"
    return f"{found['n']} computed {found['first']:%Y-%m-%d %H:%M}–{found['last']:%H:%M} UTC"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--prepare", choices=["small", "medium", "national"], default=None)
    parser.add_argument("--keep", action="store_true", help="keep the prepared database")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument(
        "--pages-only", action="store_true", help="skip the live indicator set and its raw SQL"
    )
    parser.add_argument(
        "--match", default="", help='time only the pages whose label contains this ("my dash")'
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database")
    if args.prepare:
        url = prepare(url, args.prepare)
    else:
        setup_django(url)
    try:
        print(f"{platform.node()} · {os.cpu_count()} CPUs · {platform.python_version()}")
        print(f"load: {Path('/proc/loadavg').read_text().strip()}")
        print(f"data: {counts()}")
        users = bench_users()
        print(f"users: { {k: u.username for k, u in users.items()} }")
        print(f"snapshots: {snapshots()}")
        pages = [] if args.no_pages else bench_pages(users, args.runs, args.match)
        if args.pages_only:
            print(f"load after: {Path('/proc/loadavg').read_text().strip()}")
            print_tables(pages, [], [])
            return
        print(f"indicators, whole country, {last_year()}:")
        indicators, results = bench_indicators(users, args.runs)
        raw = bench_raw(results, indicators, args.runs)
        print(f"load after: {Path('/proc/loadavg').read_text().strip()}")
        print_tables(pages, indicators, raw)
        if not all(r["same"] for r in raw):
            sys.exit("hand-written SQL and the app disagree (see above)")
    finally:
        if args.prepare and not args.keep:
            drop(url)


if __name__ == "__main__":
    main()
