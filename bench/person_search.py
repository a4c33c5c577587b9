"""Person search latency: the app's `person_search` against hand-written SQL, same run.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/person_search.py --n 500000 --queries 2000

DATABASE_URL names a PostgreSQL *server* (any database on it); the benchmark drops and
creates its own database ``cpims_bench_search`` there (``--keep`` reuses an existing one
and skips loading), migrates, bootstraps, imports N synthetic persons through
``persons_import`` in chunks, runs VACUUM ANALYZE, then times a realistic query mix for
a national user (cp_officer, scope MN) and a district social worker:

* app: ``person_search(user=..., query=SearchQuery(...))`` including ORM evaluation;
* raw: hand-written SQL through the same connection doing the same lookups (same
  filters, scope, ordering and limit, same round trips) with keys computed beforehand.

Reports p50/p95/p99 per query kind and overall, the ratio app/raw (goal <= 3), the p95
against the target (< 100 ms at 500k), and EXPLAIN (ANALYZE, BUFFERS) of one ORM query
of each kind, flagging sequential scans and index walks without an index condition.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "cpims_bench_search"
CHUNK = 50_000
TARGET_P95_MS = 100.0
GOAL_RATIO = 3.0
BIG_TABLES = {"registry_person", "registry_personphone"}

# Query kinds and their share of the mix (weights), roughly what a helpline or case
# worker types into the search box.
KINDS: dict[str, tuple[str, int]] = {
    "name_cyr": ("given name, Cyrillic (Батбаяр)", 18),
    "name_lat": ("given name, Latin (batbayar)", 10),
    "initial_name": ("initial + name (Б. Батбаяр)", 14),
    "patronymic_name": ("patronymic + name (Батын Батбаяр)", 6),
    "prefix": ("3-4 letter prefix (Батб)", 10),
    "name_year": ("name + birth year", 10),
    "name_place": ("name + aimag/soum code", 10),
    "regno": ("registration number", 14),
    "phone": ("phone number", 8),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=500_000, help="persons to load")
    parser.add_argument("--queries", type=int, default=2000, help="timed queries per user")
    parser.add_argument("--seed", type=int, default=20260, help="generator and sampling seed")
    parser.add_argument("--keep", action="store_true", help="reuse the database, skip loading")
    parser.add_argument(
        "--soum", default="1110", help="district/soum code of the social worker (default 1110)"
    )
    parser.add_argument(
        "--out-of-scope",
        type=float,
        default=0.2,
        help="share of the social worker's queries for persons outside the district",
    )
    parser.add_argument("--no-explain", action="store_true", help="skip the EXPLAIN section")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args()


# --- Database and Django --------------------------------------------------------------------


def bench_database_url(server_url: str) -> str:
    parts = urlsplit(server_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("DATABASE_URL must be a PostgreSQL URL (postgres://user@host:port/db)")
    return urlunsplit(parts._replace(path="/" + DB_NAME))


def prepare_database(server_url: str, *, keep: bool) -> bool:
    """Drop and create the benchmark database; return True when it already held data."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if keep and exists:
            return True
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return False


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdefghij"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    from django import get_version
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
        cur.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        collation = cur.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_gb, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": get_version(),
        "postgresql": pg,
        "collation": collation,
    }


# --- Loading --------------------------------------------------------------------------------


def ensure_user(username: str, role: str, scope: str):
    from cpims.accounts.models import Role, User
    from cpims.accounts.services import user_create
    from cpims.geo.models import Location

    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            actor=None,
            password="Bench-Password-2026!",
            username=username,
            role=Role.objects.get(code=role),
            scope=Location.objects.get(code=scope),
        )
    return User.objects.select_related("scope", "role").get(pk=user.pk)


def load_persons(n: int, seed: int, actor) -> dict:
    from cpims.registry.imports import COLUMNS, persons_import
    from cpims.registry.synthetic import generate_persons

    started = time.perf_counter()
    rows, _truth = generate_persons(n=n, seed=seed)
    generated = time.perf_counter() - started
    print(f"generated {len(rows):,} rows in {generated:.1f} s", flush=True)
    created = rejected = 0
    load_started = time.perf_counter()
    for start in range(0, len(rows), CHUNK):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows[start : start + CHUNK])
        report = persons_import(
            actor=actor, name="persons.csv", content=out.getvalue().encode("utf-8")
        )
        created += report.created
        rejected += len(report.rejected)
        elapsed = time.perf_counter() - load_started
        print(
            f"  imported {start + min(CHUNK, len(rows) - start):,}: created {created:,}, "
            f"rejected {rejected:,}, {created / elapsed:,.0f} rows/s",
            flush=True,
        )
    load_seconds = time.perf_counter() - load_started
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) registry_person")
        cur.execute("VACUUM (ANALYZE) registry_personphone")
        cur.execute("ANALYZE")
    analyze_seconds = time.perf_counter() - started
    return {
        "generated_s": round(generated, 1),
        "load_s": round(load_seconds, 1),
        "created": created,
        "rejected": rejected,
        "rows_per_s": round(created / load_seconds) if load_seconds else 0,
        "analyze_s": round(analyze_seconds, 1),
    }


# --- The query mix --------------------------------------------------------------------------


@dataclass
class Sample:
    given_name: str
    patronymic: str
    birth_year: int | None
    regno: str
    phone: str
    soum_code: str
    aimag_code: str


@dataclass
class Case:
    kind: str
    text: str
    birth_year: int | None = None
    location_code: str = ""
    raw: dict = field(default_factory=dict)
    app_ms: float = 0.0


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def fetch_samples(ids: list[int]) -> list[Sample]:
    from django.db import connection

    sql = """
        SELECT p.id, p.given_name, p.patronymic, p.birth_year,
               coalesce(p.registration_number, ''),
               coalesce((SELECT ph.as_typed FROM registry_personphone ph
                         WHERE ph.person_id = p.id ORDER BY ph.id LIMIT 1), ''),
               coalesce(l.code, ''), coalesce(a.code, ''), coalesce(l.level, '')
        FROM registry_person p
        LEFT JOIN geo_location l ON l.id = p.location_id
        LEFT JOIN geo_location a ON a.id = l.parent_id
        WHERE p.id = ANY(%s)
    """
    with connection.cursor() as cur:
        cur.execute(sql, [ids])
        by_id = {row[0]: row for row in cur.fetchall()}
    samples = []
    for pid in ids:
        row = by_id.get(pid)
        if row is None:
            continue
        _, given, patronymic, year, regno, phone, code, parent, level = row
        soum, aimag = (code, parent) if level == "soum" else ("", code)
        samples.append(Sample(given, patronymic, year, regno, phone, soum, aimag))
    return samples


def _make_case(kind: str, s: Sample, rng: random.Random) -> Case | None:
    from cpims.registry.identity.translit import to_latin

    name = s.given_name.strip()
    if kind not in {"regno", "phone"} and (
        not _is_cyrillic(name) or " " in name or len(name.strip(".-")) < 2
    ):
        return None  # a name mistyped at entry (Latin, swapped, initial): not typed in search
    if kind == "name_cyr":
        return Case(kind, name)
    if kind == "name_lat":
        return Case(kind, to_latin(name, preserve_case=True))
    if kind == "initial_name":
        patronymic = s.patronymic.strip()
        if not patronymic or not _is_cyrillic(patronymic[0]):
            return None
        return Case(kind, f"{patronymic[0].upper()}. {name}")
    if kind == "patronymic_name":
        patronymic = s.patronymic.strip().rstrip(".")
        if len(patronymic) < 4 or not _is_cyrillic(patronymic):
            return None
        return Case(kind, f"{patronymic} {name}")
    if kind == "prefix":
        letters = name.replace("-", "")
        size = rng.choice((3, 4))
        if len(letters) <= size:
            return None
        return Case(kind, letters[:size])
    if kind == "name_year":
        return Case(kind, name, birth_year=s.birth_year) if s.birth_year else None
    if kind == "name_place":
        code = s.soum_code if (s.soum_code and rng.random() < 0.5) else s.aimag_code
        return Case(kind, name, location_code=code) if code else None
    if kind == "regno":
        return Case(kind, s.regno) if s.regno else None
    if kind == "phone":
        return Case(kind, s.phone) if s.phone else None
    raise ValueError(kind)


def build_cases(pool: list[Sample], count: int, rng: random.Random) -> list[Case]:
    names = list(KINDS)
    weights = [KINDS[k][1] for k in names]
    cases: list[Case] = []
    index = 0
    while len(cases) < count:
        kind = rng.choices(names, weights)[0]
        for _ in range(len(pool)):
            sample = pool[index % len(pool)]
            index += 1
            case = _make_case(kind, sample, rng)
            if case is not None:
                cases.append(case)
                break
    return cases


def sample_ids(rng: random.Random, count: int, scope_path: str | None) -> list[int]:
    from django.db import connection

    with connection.cursor() as cur:
        if scope_path is None:
            cur.execute("SELECT min(id), max(id) FROM registry_person")
            low, high = cur.fetchone()
            return [rng.randint(low, high) for _ in range(count)]
        cur.execute(
            "SELECT p.id FROM registry_person p JOIN geo_location l ON l.id = p.location_id "
            "WHERE l.path LIKE %s ORDER BY p.id",
            [scope_path + "%"],
        )
        ids = [row[0] for row in cur.fetchall()]
    return [rng.choice(ids) for _ in range(count)]


# --- Raw SQL side ---------------------------------------------------------------------------

# Everything the ORM selects (person + select_related location), the same joins.
_SELECT = "SELECT p.*, l.* FROM registry_person p "
_ORDER = " ORDER BY p.given_key, p.id"


def raw_plan(case: Case, *, limit: int = 50) -> dict:
    """The same decisions as person_search, made up front (keys are not timed on this side)."""
    from cpims.registry.identity.names import patronymic_initial_key, split_patronymic
    from cpims.registry.identity.phone import PhoneError, normalise_phone
    from cpims.registry.identity.regno import RegnoError, parse_regno
    from cpims.registry.identity.translit import name_key
    from cpims.registry.keys import patronymic_key_of

    text = case.text.strip()
    plan: dict = {"year": case.birth_year, "place": case.location_code, "limit": limit}
    try:
        plan["regno"] = parse_regno(text).normalised
        return plan
    except RegnoError:
        pass
    if sum(ch.isdigit() for ch in text) >= 6:
        try:
            plan["phone"] = normalise_phone(text)
        except PhoneError:
            plan["empty"] = True
        return plan
    patronymic, given = split_patronymic(text)
    words = [w for w in given.replace(",", " ").split() if w]
    if not words:
        plan["empty"] = True
        return plan
    plan["given_key"] = name_key(words[-1])
    other = " ".join(words[:-1]) or patronymic
    if other:
        initial, key = patronymic_initial_key(other), patronymic_key_of(other)
        plan["narrow"] = ("initial", initial) if not key else ("stem", key[:3], initial)
    return plan


def _like(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def raw_search(cur, plan: dict, scope_path: str, national: bool) -> list[tuple]:
    if plan.get("empty"):
        return []
    where = ["p.merged_into_id IS NULL"]
    params: list = []
    if national:
        join = "LEFT JOIN geo_location l ON l.id = p.location_id "
        where.append("(l.path LIKE %s OR p.location_id IS NULL)")
    else:
        join = "JOIN geo_location l ON l.id = p.location_id "
        where.append("l.path LIKE %s")
    params.append(_like(scope_path))
    if plan["year"]:
        where.append("p.birth_year = %s")
        params.append(plan["year"])
    if plan["place"]:
        cur.execute("SELECT path FROM geo_location WHERE code = %s", [plan["place"]])
        row = cur.fetchone()
        if row is None:
            return []
        where.append("l.path LIKE %s")
        params.append(_like(row[0]))
    limit = plan["limit"]
    if "regno" in plan:
        sql = _SELECT + join + "WHERE " + " AND ".join([*where, "p.registration_number = %s"])
        cur.execute(sql + _ORDER + " LIMIT %s", [*params, plan["regno"], limit])
        return cur.fetchall()
    if "phone" in plan:
        # (person, number) is unique, so the join cannot repeat a person: no DISTINCT.
        sql = (
            _SELECT
            + "JOIN registry_personphone ph ON ph.person_id = p.id "
            + join
            + "WHERE "
            + " AND ".join([*where, "ph.number = %s"])
        )
        cur.execute(sql + _ORDER + " LIMIT %s", [*params, plan["phone"], limit])
        return cur.fetchall()
    narrow = plan.get("narrow")
    if narrow and narrow[0] == "initial":
        where.append("p.patronymic_initial = %s")
        params.append(narrow[1])
    elif narrow:
        where.append(
            "(p.patronymic_key LIKE %s OR (p.patronymic_initial = %s AND p.patronymic_key = ''))"
        )
        params += [_like(narrow[1]), narrow[2]]
    key = plan["given_key"]
    base = _SELECT + join + "WHERE " + " AND ".join(where)
    cur.execute(base + " AND p.given_key = %s ORDER BY p.id LIMIT %s", [*params, key, limit])
    rows = cur.fetchall()
    if len(rows) < limit:
        # Prefix through the pattern-ops index; ~<~ is byte order, the same as the
        # database's C.UTF-8 collation for the ASCII keys, so the order is the ORM's.
        cur.execute(
            base + " AND p.given_key LIKE %s AND p.given_key <> %s"
            " ORDER BY p.given_key USING ~<~, p.id LIMIT %s",
            [*params, _like(key), key, limit * 2],
        )
        seen = {row[0] for row in rows}
        rows += [row for row in cur.fetchall() if row[0] not in seen][: limit - len(rows)]
    return rows


# --- Timing ---------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def run_user(user, cases: list[Case], *, warmup: int) -> dict:
    from django.db import connection

    from cpims.registry.selectors import SearchQuery, person_search

    scope_path = user.scope.path
    national = user.scope.parent_id is None
    for case in cases:
        case.raw = raw_plan(case)

    def app(case: Case) -> list:
        return person_search(
            user=user,
            query=SearchQuery(case.text, case.birth_year, case.location_code),
        )

    with connection.cursor() as cur:
        for case in cases[:warmup]:
            app(case)
            raw_search(cur, case.raw, scope_path, national)
        app_ms: dict[str, list[float]] = defaultdict(list)
        raw_ms: dict[str, list[float]] = defaultdict(list)
        rows: dict[str, list[int]] = defaultdict(list)
        mismatches: list[tuple[str, str]] = []
        clock = time.perf_counter
        for i, case in enumerate(cases):
            # Interleave and alternate the order, so drift hits both sides alike.
            if i % 2 == 0:
                t0 = clock()
                found = app(case)
                t1 = clock()
                raw_rows = raw_search(cur, case.raw, scope_path, national)
                t2 = clock()
                app_t, raw_t = t1 - t0, t2 - t1
            else:
                t0 = clock()
                raw_rows = raw_search(cur, case.raw, scope_path, national)
                t1 = clock()
                found = app(case)
                t2 = clock()
                raw_t, app_t = t1 - t0, t2 - t1
            case.app_ms = app_t * 1000
            app_ms[case.kind].append(app_t * 1000)
            raw_ms[case.kind].append(raw_t * 1000)
            rows[case.kind].append(len(found))
            if [p.pk for p in found] != [r[0] for r in raw_rows]:
                mismatches.append((case.kind, case.text))
    return {"app": app_ms, "raw": raw_ms, "rows": rows, "mismatches": mismatches}


def summarise(result: dict) -> list[dict]:
    lines = []
    kinds = [k for k in KINDS if k in result["app"]]
    for kind in [*kinds, "overall"]:
        if kind == "overall":
            app = [v for k in kinds for v in result["app"][k]]
            raw = [v for k in kinds for v in result["raw"][k]]
            found = [v for k in kinds for v in result["rows"][k]]
        else:
            app, raw, found = result["app"][kind], result["raw"][kind], result["rows"][kind]
        line = {"kind": kind, "n": len(app), "rows": round(statistics.fmean(found), 1)}
        for side, values in (("app", app), ("raw", raw)):
            for q in (0.5, 0.95, 0.99):
                line[f"{side}_p{round(q * 100)}"] = round(pct(values, q), 2)
        line["ratio_p50"] = round(line["app_p50"] / line["raw_p50"], 2)
        line["ratio_p95"] = round(line["app_p95"] / line["raw_p95"], 2)
        lines.append(line)
    return lines


def print_table(title: str, lines: list[dict]) -> None:
    print(f"\n#### {title}\n")
    print(
        "| query kind | n | rows | app p50 | app p95 | app p99 | raw p50 | raw p95 | raw p99 "
        "| app/raw p50 | app/raw p95 | p95 < 100 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for line in lines:
        label = "**overall (mix)**" if line["kind"] == "overall" else KINDS[line["kind"]][0]
        ok = "yes" if line["app_p95"] < TARGET_P95_MS else "**NO**"
        ratio_ok = "" if line["ratio_p50"] <= GOAL_RATIO else " (>3)"
        print(
            f"| {label} | {line['n']} | {line['rows']} | {line['app_p50']:.2f} "
            f"| {line['app_p95']:.2f} | {line['app_p99']:.2f} | {line['raw_p50']:.2f} "
            f"| {line['raw_p95']:.2f} | {line['raw_p99']:.2f} | {line['ratio_p50']:.2f}{ratio_ok} "
            f"| {line['ratio_p95']:.2f} | {ok} |"
        )


# --- Plans ----------------------------------------------------------------------------------


def _walk(node: dict, depth: int = 0):
    yield node, depth
    for child in node.get("Plans", []):
        yield from _walk(child, depth + 1)


def plan_flags(plan: dict) -> list[str]:
    """Seq Scans and index walks without an Index Cond on the big tables, and scans that
    read many more rows than a page of results needs."""
    flags = []
    for node, _ in _walk(plan["Plan"]):
        relation = node.get("Relation Name", "")
        kind = node["Node Type"]
        if relation not in BIG_TABLES:
            continue
        index = node.get("Index Name", "")
        where = f"{kind} using {index}" if index else f"{kind} on {relation}"
        if kind == "Seq Scan":
            flags.append(f"Seq Scan on {relation}")
        elif kind in {"Index Scan", "Index Only Scan"} and "Index Cond" not in node:
            flags.append(f"full index walk: {where} with no Index Cond")
        loops = node.get("Actual Loops", 1)
        read = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * loops
        if read > 5000:
            removed = node.get("Rows Removed by Filter", 0) * loops
            flags.append(f"{where} reads {read:,} rows ({removed:,} removed by Filter)")
        if node.get("Actual Total Time", 0) > TARGET_P95_MS:
            flags.append(f"{where} takes {node['Actual Total Time']:.0f} ms")
    return flags


def explain_kinds(user, cases: list[Case]) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cpims.registry.selectors import SearchQuery, person_search

    # One query per kind: the one whose timed app latency was nearest the kind's p95,
    # so the plan shown is the tail's plan, not a lucky one.
    by_kind: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_kind[case.kind].append(case)
    out = []
    for kind in KINDS:
        if not by_kind[kind]:
            continue
        p95 = pct([c.app_ms for c in by_kind[kind]], 0.95)
        case = min(by_kind[kind], key=lambda c: abs(c.app_ms - p95))
        with CaptureQueriesContext(connection) as captured:
            person_search(
                user=user, query=SearchQuery(case.text, case.birth_year, case.location_code)
            )
        for query in captured.captured_queries:
            sql = query["sql"]
            if "registry_person" not in sql:
                continue
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                data = cur.fetchone()[0]
                data = json.loads(data) if isinstance(data, str) else data
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                text = "\n".join(row[0] for row in cur.fetchall())
            plan = data[0]
            out.append(
                {
                    "kind": kind,
                    "text": case.text,
                    "timed_app_ms": round(case.app_ms, 2),
                    "birth_year": case.birth_year,
                    "location_code": case.location_code,
                    "sql": sql,
                    "plan": text,
                    "execution_ms": round(plan.get("Execution Time", 0.0), 2),
                    "flags": plan_flags(plan),
                }
            )
    return out


def print_plans(title: str, plans: list[dict]) -> None:
    print(f"\n### EXPLAIN (ANALYZE, BUFFERS), {title}")
    for item in plans:
        extra = []
        if item["birth_year"]:
            extra.append(f"birth_year={item['birth_year']}")
        if item["location_code"]:
            extra.append(f"location_code={item['location_code']}")
        flags = "; ".join(item["flags"]) or "ok"
        print(
            f"\n--- {item['kind']}: {item['text']!r} {' '.join(extra)} (timed app "
            f"{item['timed_app_ms']} ms, this statement {item['execution_ms']} ms) -> {flags}"
        )
        print(item["sql"])
        print(item["plan"])


# --- Main -----------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url:
        sys.exit(
            "set DATABASE_URL to the PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    url = bench_database_url(server_url)
    reused = prepare_database(server_url, keep=args.keep)
    setup_django(url)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from cpims.core.bootstrap import bootstrap

    info = machine()
    print(f"machine: {json.dumps(info, ensure_ascii=False)}", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    bootstrap()
    print(f"migrated and bootstrapped in {time.perf_counter() - started:.1f} s", flush=True)
    officer = ensure_user("bench-officer-mn", "cp_officer", "MN")
    worker = ensure_user(f"bench-worker-{args.soum}", "social_worker", args.soum)

    load = None
    if reused:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM registry_person")
            have = cur.fetchone()[0]
        print(f"--keep: reusing {DB_NAME} with {have:,} persons (no load)", flush=True)
        n = have
    else:
        load = load_persons(args.n, args.seed, officer)
        n = load["created"]
        print(f"load: {json.dumps(load)}", flush=True)

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM registry_personphone")
        phones = cur.fetchone()[0]
        cur.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('registry_person')), "
            "pg_size_pretty(pg_indexes_size('registry_person'))"
        )
        size, index_size = cur.fetchone()
    print(f"registry_person: {n:,} rows, {size} total ({index_size} indexes); {phones:,} phones")

    # Timings as in production: no query logging (DEBUG only for setup and EXPLAIN capture).
    settings.DEBUG = False
    rng = random.Random(args.seed)
    national_pool = fetch_samples(sample_ids(rng, args.queries * 3, None))
    national_cases = build_cases(national_pool, args.queries, rng)
    local_pool = fetch_samples(sample_ids(rng, args.queries * 3, worker.scope.path))
    away_pool = fetch_samples(sample_ids(rng, args.queries, None))
    away_count = round(args.queries * args.out_of_scope)
    local_cases = build_cases(local_pool, args.queries - away_count, rng)
    local_cases += build_cases(away_pool, away_count, rng)
    rng.shuffle(local_cases)

    warmup = min(200, args.queries)
    results = {}
    for label, user, cases in (
        ("national cp_officer (scope MN)", officer, national_cases),
        (f"social_worker (scope {args.soum}, {worker.scope.path})", worker, local_cases),
    ):
        print(f"\ntiming {len(cases)} queries for {label} ...", flush=True)
        started = time.perf_counter()
        result = run_user(user, cases, warmup=warmup)
        lines = summarise(result)
        results[label] = {
            "lines": lines,
            "mismatches": len(result["mismatches"]),
            "mismatch_examples": result["mismatches"][:5],
            "cases": cases,
            "user": user,
        }
        load_avg = os.getloadavg()
        results[label]["load_avg"] = [round(x, 2) for x in load_avg]
        print(
            f"  done in {time.perf_counter() - started:.1f} s; load average "
            f"{load_avg[0]:.2f} {load_avg[1]:.2f} {load_avg[2]:.2f} on {os.cpu_count()} cores",
            flush=True,
        )

    print("\n## Person search results")
    print(f"N = {n:,} persons, {args.queries} timed queries per user after {warmup} warm-up")
    print("Times in ms, measured around person_search(...) (app) and the raw SQL (raw).")
    for label, data in results.items():
        print_table(label, data["lines"])
        if data["mismatches"]:
            print(
                f"\nresult differences app vs raw: {data['mismatches']} "
                f"(e.g. {data['mismatch_examples']})"
            )
        else:
            print("\napp and raw returned the same persons in the same order for every query.")

    plans_out = {}
    if not args.no_explain:
        settings.DEBUG = True
        for label, data in results.items():
            plans = explain_kinds(data["user"], data["cases"])
            plans_out[label] = plans
            print_plans(label, plans)
        print("\n### Plan findings")
        for label, plans in plans_out.items():
            for item in plans:
                flags = "; ".join(item["flags"]) or "ok: index conditions only, no scan"
                print(
                    f"- {label} / {item['kind']} {item['text']!r} "
                    f"({item['execution_ms']} ms): {flags}"
                )

    if args.json:
        payload = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": info,
            "n": n,
            "load": load,
            "queries": args.queries,
            "results": {
                k: {x: v[x] for x in ("lines", "mismatches", "load_avg")}
                for k, v in results.items()
            },
            "plans": plans_out,
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2))
        print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()
