"""Helpline benchmarks: caller lookup at 1,000,000 contacts and contact creation throughput
through the API (gunicorn, 4 sync workers), each against the raw database in the same run.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/helpline.py --contacts 1000000 --lookups 400 --duration 25

DATABASE_URL names a PostgreSQL *server*; the benchmark drops and creates its own database
``cpims_bench_helpline`` there (``--db`` names another; ``--keep`` reuses it and skips
loading, so a rerun takes about 5 minutes instead of 15), migrates, bootstraps,
generates the organisation, persons and cases with ``cpims.core.generate.Generator`` (no
contacts) and bulk-loads the contacts with COPY: most of them non-counselling, phone numbers
reused the way a national line sees them (a few numbers call hundreds of times, most once or
twice), a fifth of them counselling contacts with children (some identified as registry
persons) and categories, some linked to cases.

1. Lookup: ``caller_lookup()`` (the selector of GET /api/v1/contacts/lookup/ and of the
   counsellor screen) and the endpoint itself through Django's test client with an API token,
   for numbers drawn as calls arrive (hits weighted by how often a number calls, numbers of
   registered persons, misses), against hand-written SQL doing the same work; p50/p95/p99,
   app/raw, EXPLAIN of the tail's queries.
2. Throughput: gunicorn (``deploy/gunicorn.conf.py``, 4 sync workers) on loopback, N client
   threads with ``http.client`` connections (kept open where the server allows: sync workers
   close each connection after one response, so each request reconnects on loopback) and an
   API token of a counsellor, POSTing a counselling contact (/api/v1/contacts/), a
   one-click contact (/api/v1/contacts/quick/) and the line's mix of the two (a quarter
   counselling, from the call-type shares below) for ``--duration`` seconds each; then the raw
   baseline: the same rows INSERTed and COMMITted one contact at a time through psycopg with
   the same concurrency, and once more with a hash-chained audit row written under a locked
   head row (the pattern of ``audit_record``: the ceiling any audited write can reach).
   contacts/s, p50/p95/p99, errors, client and server CPU, machine busy share. The rows
   written stay in the database.

The last lines are a compact summary (with the load average) for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import itertools
import json
import os
import platform
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DB_NAME = "cpims_bench_helpline"
TARGET_LOOKUP_P95_MS = 50.0
TARGET_RATE = 200.0
GOAL_RATIO = 3.0
COPY_BATCH = 100_000
# Share of contacts by call type, as cpims.core.generate (non-counselling is the majority).
CALL_TYPES = {
    "data": 22,
    "silent": 20,
    "blank": 12,
    "hang_up": 18,
    "prank": 10,
    "wrong_number": 6,
    "abusive": 2,
    "test": 1,
    "unanswered": 9,
}
QUICK_TYPES = ["hang_up", "silent", "blank", "prank", "wrong_number"]
# The line's mix through the API: counselling contacts among those a counsellor records (the
# unanswered ones come from the telephony link, not from a POST).
DATA_SHARE = CALL_TYPES["data"] / (sum(CALL_TYPES.values()) - CALL_TYPES["unanswered"])
# Mobile prefixes the phone normaliser accepts; lookups of unknown numbers use 77/76 numbers,
# which the generated callers never have.
MOBILE_PREFIXES = ["80", "83", "85", "86", "88", "89", "90", "91", "94", "95", "96", "99"]
MISS_PREFIXES = ["76", "77"]


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--contacts", type=int, default=1_000_000, help="contacts to load")
    p.add_argument("--persons", type=int, default=50_000, help="registry persons to generate")
    p.add_argument("--cases", type=int, default=10_000, help="cases to generate")
    p.add_argument("--lookups", type=int, default=400, help="timed lookups")
    p.add_argument("--duration", type=float, default=25, help="seconds per throughput phase")
    p.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    p.add_argument("--app-workers", type=int, default=4, help="gunicorn sync workers")
    p.add_argument("--seed", type=int, default=108)
    p.add_argument(
        "--phases",
        type=lambda text: tuple(k for k in ("data", "quick", "mix") if k in text.split(",")),
        default=("data", "quick", "mix"),
        help="throughput phases to run, comma-separated: data, quick, mix (default all)",
    )
    p.add_argument(
        "--data-share",
        type=float,
        default=DATA_SHARE,
        help=f"counselling share of the mix phase (default {DATA_SHARE:.2f}, the generator's;"
        " CHI's 2023 global figure is 0.36)",
    )
    p.add_argument("--keep", action="store_true", help="reuse the database, skip loading")
    p.add_argument(
        "--db", default=DB_NAME, help=f"database to create on the server (default {DB_NAME})"
    )
    p.add_argument("--no-lookup", action="store_true", help="skip the lookup benchmark")
    p.add_argument("--no-throughput", action="store_true", help="skip the throughput benchmark")
    p.add_argument("--no-explain", action="store_true", help="skip EXPLAIN of the lookup")
    p.add_argument("--no-client", action="store_true", help="skip the endpoint (test client)")
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return p.parse_args()


def load_avg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


# --- Database and Django --------------------------------------------------------------------


def bench_database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("DATABASE_URL must be a PostgreSQL URL (postgres://user@host:port/db)")
    return urlunsplit(parts._replace(path="/" + name))


def prepare_database(server_url: str, name: str, *, keep: bool) -> bool:
    """Drop and create the benchmark database; return True when it is reused."""
    import psycopg

    if not name.replace("_", "").isalnum():
        sys.exit(f"not a database name: {name!r}")
    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if keep and exists:
            return True
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("CPIMS_DEMO", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")  # the test client's host
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdefghij"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpims.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def machine() -> dict:
    cpu = platform.processor()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = next(
        int(line.split()[1]) / 1024 / 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    from django import get_version
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": get_version(),
        "postgresql": pg,
    }


# --- Loading --------------------------------------------------------------------------------


def generate_organisation(persons: int, cases: int, seed: int) -> dict:
    """Locations, taxonomy, agencies, users (gen-counsellor-*), persons with phones, cases."""
    from cpims.core.generate import Generator, Scale

    gen = Generator(scale="small", seed=seed, log=lambda line: None)
    gen.scale = Scale(persons=persons, contacts=0, cases=cases)
    report = gen.run()
    return {"counts": dict(report.counts), "seconds": report.seconds}


class PhoneBook:
    """Who calls: a few heavy repeat callers (pranksters, regular children), the registered
    persons' numbers now and then, and a long tail that calls once or twice."""

    def __init__(self, rng: random.Random, person_numbers: list[str], contacts: int):
        self.rng = rng
        self.person_numbers = person_numbers
        self.frequent = [self._fresh() for _ in range(max(50, contacts // 500))]
        self.tail = [self._fresh() for _ in range(max(500, contacts * 2 // 5))]

    def _fresh(self) -> str:
        prefix = self.rng.choice(MOBILE_PREFIXES)
        return f"+976{prefix}{self.rng.randrange(10**6):06d}"

    def number(self) -> str:
        r = self.rng.random()
        if r < 0.18:
            return ""  # withheld or not asked
        if r < 0.33:  # 15 % of calls from ~0.2 % of numbers, Zipf-like (the top ones: 1000s)
            return self.frequent[int(len(self.frequent) * self.rng.random() ** 3)]
        if r < 0.38 and self.person_numbers:
            return self.rng.choice(self.person_numbers)
        return self.rng.choice(self.tail)


def load_contacts(n: int, seed: int) -> dict:
    """COPY n contacts (+ children and categories of the counselling ones) in batches."""
    from django.db import connection

    from cpims.cases.models import Case
    from cpims.helpline.models import Category, Contact, current_version
    from cpims.registry.models import PersonPhone

    rng = random.Random(seed)
    started = time.perf_counter()
    version = current_version()
    categories = list(
        Category.objects.filter(version=version, is_active=True).values_list("pk", flat=True)
    )
    counsellors = list(
        Contact._meta.get_field("counsellor")
        .related_model.objects.filter(username__startswith="gen-counsellor")
        .values_list("pk", flat=True)
    )
    person_numbers = list(PersonPhone.objects.values_list("number", flat=True)[:200_000])
    with connection.cursor() as cur:
        cur.execute(
            "SELECT p.id, p.location_id FROM registry_person p "
            "WHERE p.date_of_birth > now() - interval '18 years' AND p.location_id IS NOT NULL "
            "ORDER BY p.id LIMIT 200000"
        )
        children = cur.fetchall()
    helpline_cases = list(Case.objects.filter(origin="helpline").values_list("pk", flat=True))
    phones = PhoneBook(rng, person_numbers, n)
    types = list(CALL_TYPES)
    weights = list(itertools.accumulate(CALL_TYPES.values()))
    channel_weights = list(itertools.accumulate([85, 10, 5]))
    now = datetime.now(UTC)
    span = 3 * 365 * 86400

    fields = [f for f in Contact._meta.concrete_fields]
    columns = [f.column for f in fields]
    attnames = [f.attname for f in fields]
    defaults = {}
    for f in fields:
        default = f.get_default()  # "" for text columns without a default, as the ORM
        defaults[f.attname] = "{}" if f.attname == "draft_raw" else default
    child_cols = ["contact_id", "person_id", "name", "age_years", "sex", "location_id", "sort"]
    cat_cols = ["contact_id", "category_id", "is_primary"]

    with connection.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM helpline_contact")
        next_id = cur.fetchone()[0] + 1
    counts = Counter()
    done = 0
    raw = connection.connection  # the psycopg connection under Django's wrapper
    while done < n:
        size = min(COPY_BATCH, n - done)
        batch_started = time.perf_counter()
        rows, kids, cats = [], [], []
        for _ in range(size):
            pk = next_id
            next_id += 1
            call_type = rng.choices(types, cum_weights=weights)[0]
            start = now - timedelta(seconds=rng.randrange(span))
            answered = call_type != "unanswered"
            seconds = rng.randint(240, 2400) if call_type == "data" else rng.randint(3, 90)
            row = dict(defaults)
            row.update(
                id=pk,
                uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                status="completed",
                call_type=call_type,
                channel=rng.choices(["phone", "web_chat", "sms"], cum_weights=channel_weights)[0],
                started_at=start,
                answered_at=start + timedelta(seconds=5) if answered else None,
                ended_at=start + timedelta(seconds=seconds + 5),
                duration_seconds=seconds if answered else 0,
                counsellor_id=rng.choice(counsellors) if answered and counsellors else None,
                caller_phone=phones.number(),
                created_at=start,
                updated_at=start + timedelta(seconds=seconds + 60),
                completed_at=start + timedelta(seconds=seconds + 60),
                taxonomy_version_id=version.pk,
            )
            if call_type == "data":
                row.update(
                    caller_kind=rng.choice(["child", "adult"]),
                    urgency=rng.choices(["low", "medium", "high", "emergency"], [50, 30, 15, 5])[0],
                    primary_category_id=rng.choice(categories),
                    outcome=rng.choices(["counselled", "information", "referred"], [60, 25, 15])[0],
                    narrative="Хүүхэд гэртээ ганцаараа байна гэж хэлсэн.",
                )
                if row["caller_phone"] and rng.random() < 0.1:
                    row.update(
                        callback_requested=True,
                        callback_consent=True,
                        callback_number=phones.number() or row["caller_phone"],
                        callback_at=start + timedelta(hours=2),
                        callback_done_at=start + timedelta(hours=2, minutes=5),
                    )
                if helpline_cases and rng.random() < 0.1:
                    row.update(case_id=rng.choice(helpline_cases), outcome="case_created")
                for sort in range(1 if rng.random() < 0.8 else 2):
                    person_id, location_id = rng.choice(children)
                    kids.append(
                        (
                            pk,
                            person_id if rng.random() < 0.3 else None,
                            "Хүүхэд",
                            rng.randint(3, 17),
                            rng.choice("MFU"),
                            location_id,
                            sort,
                        )
                    )
                cats.append((pk, row["primary_category_id"], True))
            rows.append(tuple(map(row.__getitem__, attnames)))
            counts[call_type] += 1
        built = time.perf_counter()
        with raw.cursor() as cur:
            with cur.copy(f"COPY helpline_contact ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            with cur.copy(f"COPY helpline_contactchild ({', '.join(child_cols)}) FROM STDIN") as c:
                for row in kids:
                    c.write_row(row)
            with cur.copy(f"COPY helpline_contactcategory ({', '.join(cat_cols)}) FROM STDIN") as c:
                for row in cats:
                    c.write_row(row)
        raw.commit()
        counts["children"] += len(kids)
        done += size
        rate = done / (time.perf_counter() - started)
        print(
            f"  contacts {done:,} ({rate:,.0f}/s; this batch built in "
            f"{built - batch_started:.1f} s, copied in {time.perf_counter() - built:.1f} s)",
            flush=True,
        )
    with connection.cursor() as cur:
        for table in ("helpline_contact", "helpline_contactchild", "helpline_contactcategory"):
            cur.execute("SELECT max(id) FROM " + table)  # noqa: S608 (fixed names)
            high = cur.fetchone()[0] or 1
            cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, high])
    load_s = time.perf_counter() - started
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) helpline_contact")
        cur.execute("VACUUM (ANALYZE) helpline_contactchild")
        cur.execute("ANALYZE")
    return {
        "contacts": n,
        "by_type": dict(counts),
        "load_s": round(load_s, 1),
        "rows_per_s": round(n / load_s),
        "analyze_s": round(time.perf_counter() - t0, 1),
    }


def data_shape() -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(DISTINCT caller_phone) FILTER (WHERE caller_phone <> ''), "
            "count(*) FILTER (WHERE caller_phone = ''), count(case_id) FROM helpline_contact"
        )
        total, distinct, withheld, with_case = cur.fetchone()
        cur.execute(
            "SELECT caller_phone, count(*) c FROM helpline_contact WHERE caller_phone <> '' "
            "GROUP BY 1 ORDER BY c DESC LIMIT 1"
        )
        top = cur.fetchone()
        cur.execute(
            "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY c) FROM (SELECT count(*) c "
            "FROM helpline_contact WHERE caller_phone <> '' GROUP BY caller_phone) x"
        )
        median_calls = cur.fetchone()[0]
        cur.execute("SELECT count(*), count(person_id) FROM helpline_contactchild")
        kids, identified = cur.fetchone()
        cur.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('helpline_contact')), "
            "pg_size_pretty(pg_indexes_size('helpline_contact'))"
        )
        size, index_size = cur.fetchone()
    return {
        "contacts": total,
        "distinct_numbers": distinct,
        "withheld": withheld,
        "with_case": with_case,
        "top_number_calls": top[1] if top else 0,
        "median_calls_per_number": median_calls,
        "children": kids,
        "children_identified": identified,
        "table_size": size,
        "index_size": index_size,
    }


def bench_counsellor():
    from cpims.accounts.models import User

    return User.objects.select_related("scope", "role").get(username="gen-counsellor-0")


def api_token(user) -> str:
    from cpims.accounts.tokens import api_token_create

    _token, raw = api_token_create(
        actor=user, user=user, name="bench", scopes=["helpline.contact"], days=1
    )
    return raw


# --- Lookup ---------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def lookup_numbers(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, number as typed): 70 % incoming callers drawn from the calls (so a frequent
    caller is looked up as often as they call), 10 % numbers of registered persons, 20 %
    numbers never seen."""
    from django.db import connection

    out: list[tuple[str, str]] = []
    with connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM helpline_contact")
        high = cur.fetchone()[0]
        while len([k for k, _ in out if k == "caller"]) < count * 7 // 10:
            ids = [rng.randint(1, high) for _ in range(count)]
            cur.execute(
                "SELECT caller_phone FROM helpline_contact WHERE id = ANY(%s) "
                "AND caller_phone <> ''",
                [ids],
            )
            out += [("caller", row[0]) for row in cur.fetchall()][: count * 7 // 10]
        out = out[: count * 7 // 10]
        cur.execute(
            "SELECT number FROM registry_personphone ORDER BY random() LIMIT %s", [count // 10]
        )
        out += [("person", row[0]) for row in cur.fetchall()]
    while len(out) < count:
        prefix = rng.choice(MISS_PREFIXES)
        out.append(("miss", f"+976{prefix}{rng.randrange(10**6):06d}"))
    rng.shuffle(out)
    # Typed as a counsellor would: local 8 digits, the normaliser adds +976.
    return [(kind, number.removeprefix("+976")) for kind, number in out]


RAW_LOOKUP = {
    "holders": "SELECT person_id FROM registry_personphone WHERE number = %s LIMIT 50",
    "persons": (
        "SELECT p.*, l.* FROM registry_person p LEFT JOIN geo_location l ON l.id = p.location_id "
        "WHERE p.id = ANY(%s) AND p.merged_into_id IS NULL LIMIT 10"
    ),
    # Counting needs no order: one table's two columns ORed (a BitmapOr of their indexes);
    # the children, when the number has holders, joined by a UNION.
    "count": (
        "SELECT count(*) FROM helpline_contact WHERE status <> 'discarded' "
        "AND (caller_phone = %(n)s OR callback_number = %(n)s)"
    ),
    "count_children": (
        "SELECT count(*) FROM helpline_contact WHERE status <> 'discarded' AND id IN ("
        "SELECT id FROM helpline_contact WHERE caller_phone = %(n)s OR callback_number = %(n)s "
        "UNION ALL SELECT contact_id FROM helpline_contactchild WHERE person_id = ANY(%(p)s))"
    ),
    "contacts": (
        "SELECT c.*, cat.*, u.*, k.* FROM ("
        "(SELECT id, started_at FROM helpline_contact WHERE caller_phone = %(n)s "
        "AND status <> 'discarded' ORDER BY started_at DESC, id DESC LIMIT 10) "
        "UNION (SELECT id, started_at FROM helpline_contact WHERE callback_number = %(n)s "
        "AND status <> 'discarded' ORDER BY started_at DESC, id DESC LIMIT 10) "
        "UNION (SELECT c.id, c.started_at FROM helpline_contactchild ch JOIN helpline_contact c "
        "ON c.id = ch.contact_id WHERE ch.person_id = ANY(%(p)s) AND c.status <> 'discarded' "
        "ORDER BY c.started_at DESC, c.id DESC LIMIT 10)"
        "ORDER BY started_at DESC, id DESC LIMIT 10) t "
        "JOIN helpline_contact c ON c.id = t.id "
        "LEFT JOIN helpline_category cat ON cat.id = c.primary_category_id "
        "LEFT JOIN accounts_user u ON u.id = c.counsellor_id "
        "LEFT JOIN cases_case k ON k.id = c.case_id "
        "ORDER BY c.started_at DESC, c.id DESC"
    ),
    "case_ids": (
        "SELECT cc.case_id FROM cases_casechild cc JOIN cases_case k ON k.id = cc.case_id "
        "WHERE cc.person_id = ANY(%(p)s) AND k.is_open "
        "UNION SELECT c.case_id FROM helpline_contact c JOIN cases_case k ON k.id = c.case_id "
        "WHERE (c.caller_phone = %(n)s OR c.callback_number = %(n)s) AND c.case_id IS NOT NULL "
        "AND k.is_open"
    ),
    "cases": (
        "SELECT k.*, a.*, l.* FROM cases_case k JOIN accounts_agency a ON a.id = k.agency_id "
        "LEFT JOIN geo_location l ON l.id = k.location_id WHERE k.id = ANY(%s) AND k.is_open"
    ),
}


def raw_lookup(cur, number: str) -> tuple[int, list[int]]:
    """The same answer by hand: holders, persons, contacts (count + latest 10, each branch
    through its own index), open cases.
    A counsellor is national and sees every contact, so no scope filter is needed."""
    cur.execute(RAW_LOOKUP["holders"], [number])
    persons = [row[0] for row in cur.fetchall()]
    if persons:
        cur.execute(RAW_LOOKUP["persons"], [persons])
        cur.fetchall()
    cur.execute(RAW_LOOKUP["count_children" if persons else "count"], {"n": number, "p": persons})
    count = cur.fetchone()[0]
    shown = []
    if count:
        cur.execute(RAW_LOOKUP["contacts"], {"n": number, "p": persons})
        shown = [row[0] for row in cur.fetchall()]
    cur.execute(RAW_LOOKUP["case_ids"], {"n": number, "p": persons})
    case_ids = [row[0] for row in cur.fetchall()]
    if case_ids:
        cur.execute(RAW_LOOKUP["cases"], [case_ids])
        cur.fetchall()
    return count, shown


def run_lookups(user, token: str, numbers, *, with_client: bool) -> dict:
    from django.db import connection
    from django.test import Client

    from cpims.helpline.selectors import caller_lookup
    from cpims.registry.identity.phone import normalise_phone

    client = Client(HTTP_AUTHORIZATION=f"Token {token}") if with_client else None
    times: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    mismatches = []
    counts = []
    clock = time.perf_counter

    def app(typed):
        return caller_lookup(user=user, phone=typed)

    def endpoint(typed):
        response = client.get("/api/v1/contacts/lookup/", {"phone": typed})
        assert response.status_code == 200, response.content[:300]
        return response

    with connection.cursor() as cur:
        for _kind, typed in numbers[:50]:  # warm-up
            app(typed)
            raw_lookup(cur, normalise_phone(typed))
            if client:
                endpoint(typed)
        for i, (kind, typed) in enumerate(numbers):
            number = normalise_phone(typed)
            sides = ["app", "raw", "endpoint"] if client else ["app", "raw"]
            if i % 2:
                sides.reverse()  # alternate the order, so drift hits every side alike
            for side in sides:
                t0 = clock()
                if side == "app":
                    found = app(typed)
                elif side == "raw":
                    raw_count, raw_shown = raw_lookup(cur, number)
                else:
                    endpoint(typed)
                elapsed = (clock() - t0) * 1000
                times[side][kind].append(elapsed)
                times[side]["all"].append(elapsed)
            counts.append(found.contact_count)
            if found.contact_count != raw_count or [c.pk for c in found.contacts] != raw_shown:
                mismatches.append((typed, found.contact_count, raw_count))
    return {"times": times, "mismatches": mismatches, "contact_counts": counts}


def lookup_lines(result: dict) -> list[dict]:
    lines = []
    times = result["times"]
    for kind in ("caller", "person", "miss", "all"):
        if kind not in times["app"]:
            continue
        line = {"kind": kind, "n": len(times["app"][kind])}
        for side in ("app", "endpoint", "raw"):
            if side not in times:
                continue
            for q in (0.5, 0.95, 0.99):
                line[f"{side}_p{round(q * 100)}"] = round(pct(times[side][kind], q), 2)
        line["app_raw_p50"] = round(line["app_p50"] / line["raw_p50"], 2)
        line["app_raw_p95"] = round(line["app_p95"] / line["raw_p95"], 2)
        if "endpoint_p50" in line:
            line["endpoint_raw_p50"] = round(line["endpoint_p50"] / line["raw_p50"], 2)
            line["endpoint_raw_p95"] = round(line["endpoint_p95"] / line["raw_p95"], 2)
        lines.append(line)
    return lines


def print_lookup(lines: list[dict]) -> None:
    print(
        "\n| numbers | n | selector p50 / p95 / p99 | endpoint p50 / p95 / p99 "
        "| raw p50 / p95 / p99 | selector/raw p50, p95 | endpoint/raw p50, p95 |"
    )
    print("|---|---:|---|---|---|---|---|")
    label = {
        "caller": "incoming callers",
        "person": "registered persons' numbers",
        "miss": "unknown numbers",
        "all": "**all**",
    }
    for line in lines:
        endpoint = (
            f"{line['endpoint_p50']:.1f} / {line['endpoint_p95']:.1f} / {line['endpoint_p99']:.1f}"
            if "endpoint_p50" in line
            else "–"
        )
        ratio = (
            f"{line['endpoint_raw_p50']:.2f}, {line['endpoint_raw_p95']:.2f}"
            if "endpoint_raw_p50" in line
            else "–"
        )
        print(
            f"| {label[line['kind']]} | {line['n']} | {line['app_p50']:.1f} / {line['app_p95']:.1f}"
            f" / {line['app_p99']:.1f} | {endpoint} | {line['raw_p50']:.1f} / "
            f"{line['raw_p95']:.1f} / {line['raw_p99']:.1f} | {line['app_raw_p50']:.2f}, "
            f"{line['app_raw_p95']:.2f} | {ratio} |"
        )


def _walk(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def explain_lookup(user, typed: str) -> list[dict]:
    """EXPLAIN (ANALYZE) every query of one lookup; flags Seq Scans on the big tables."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cpims.helpline.selectors import caller_lookup

    big = {"helpline_contact", "helpline_contactchild", "registry_personphone", "registry_person"}
    with CaptureQueriesContext(connection) as captured:
        caller_lookup(user=user, phone=typed)
    out = []
    for query in captured.captured_queries:
        sql = query["sql"]
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            data = cur.fetchone()[0]
            data = json.loads(data) if isinstance(data, str) else data
            cur.execute("EXPLAIN (ANALYZE) " + sql)
            text = "\n".join(row[0] for row in cur.fetchall())
        flags = []
        for node in _walk(data[0]["Plan"]):
            if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in big:
                flags.append(f"Seq Scan on {node['Relation Name']}")
        indexes = sorted({n["Index Name"] for n in _walk(data[0]["Plan"]) if "Index Name" in n})
        out.append(
            {
                "sql": sql,
                "ms": round(data[0]["Execution Time"], 2),
                "indexes": indexes,
                "flags": flags,
                "plan": text,
            }
        )
    return out


def lookup_benchmark(args, user, token: str, rng: random.Random) -> dict:
    from django.conf import settings

    numbers = lookup_numbers(args.lookups, rng)
    settings.DEBUG = False
    started = time.perf_counter()
    result = run_lookups(user, token, numbers, with_client=not args.no_client)
    lines = lookup_lines(result)
    counts = result["contact_counts"]
    print(
        f"\n## Caller lookup ({len(numbers)} numbers, {time.perf_counter() - started:.0f} s, "
        f"load average {load_avg()})"
    )
    print(
        f"earlier contacts per looked-up number: median {statistics.median(counts):.0f}, "
        f"max {max(counts)}; zero for {sum(1 for c in counts if not c)} numbers"
    )
    print_lookup(lines)
    if result["mismatches"]:
        print(f"\napp and raw disagree on {len(result['mismatches'])}: {result['mismatches'][:5]}")
    else:
        print("\napp and raw found the same count and the same 10 latest contacts every time.")
    plans = []
    if not args.no_explain:
        settings.DEBUG = True
        # The plan of the tail: the number whose selector time was nearest the p95.
        app_all = result["times"]["app"]["all"]
        p95 = pct(app_all, 0.95)
        index = min(range(len(app_all)), key=lambda i: abs(app_all[i] - p95))
        typed = numbers[index][1]
        plans = explain_lookup(user, typed)
        print(f"\n### EXPLAIN ANALYZE of the lookup of {typed!r} (selector p95 case)")
        for item in plans:
            flags = "; ".join(item["flags"]) or "ok"
            print(f"\n-- {item['ms']} ms, indexes {item['indexes']} -> {flags}\n{item['sql']}")
            print(item["plan"])
        settings.DEBUG = False
    return {
        "lines": lines,
        "mismatches": len(result["mismatches"]),
        "load_avg": load_avg(),
        "plans": [{k: v for k, v in p.items() if k != "plan"} for p in plans],
    }


# --- Throughput -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Production settings (not DEBUG) for the server under test; bench/profile_contact.py too.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "cpims.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdefghij",
    "ALLOWED_HOSTS": "127.0.0.1",
    "CPIMS_SSL_REDIRECT": "0",
    "CPIMS_SECURE_COOKIES": "0",
    "CPIMS_STATIC_MANIFEST": "0",
    "CPIMS_DEMO": "0",
    "CPIMS_LOG_LEVEL": "WARNING",
}


def start_gunicorn(database_url: str, workers: int, var_dir: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {
        **os.environ,
        **SERVER_ENV,
        "CPIMS_VAR_DIR": var_dir,
        "DATABASE_URL": database_url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": "1",  # sync workers
        "GUNICORN_ACCESS_LOG": os.devnull,
        "GUNICORN_LOG_LEVEL": "warning",
    }
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "cpims.wsgi"],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, port
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise SystemExit("gunicorn did not answer within 60 s")
        time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def tree_cpu_seconds(pid: int) -> float:
    """utime + stime of a process and its children (gunicorn master and workers), with the
    master's reaped children (workers recycled by `max_requests` during a phase)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(x) for x in children.read_text().split()]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
        if p == pid:  # cutime + cstime: the workers the master has reaped
            total += (int(fields[13]) + int(fields[14])) / tick
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def contact_bodies(rng: random.Random, categories: list[str], places: list[str]):
    def data() -> dict:
        codes = rng.sample(categories, 2)
        return {
            "caller_phone": f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**6):06d}",
            "caller_kind": "adult",
            "caller_relationship": rng.choice(["parent", "grandparent", "other_relative"]),
            "caller_name": "Оюунаа",
            "caller_age": rng.randint(25, 60),
            "caller_sex": "F",
            "caller_location": rng.choice(places),
            "urgency": rng.choice(["low", "medium", "high"]),
            "primary_category": codes[0],
            "categories": codes,
            "actions": ["counselling", "information"],
            "vulnerable_groups": ["single_parent"],
            "children": [
                {
                    "name": "Тэмүүлэн",
                    "age_years": rng.randint(4, 17),
                    "sex": rng.choice("MF"),
                    "location": rng.choice(places),
                }
            ],
            "perpetrators": [{"description": "хойд эцэг", "relationship": "step_parent"}],
            "narrative": "Ээж нь хүүхдээ хойд эцэг нь зоддог гэж ярьсан. Зөвлөгөө өгсөн.",
        }

    def quick() -> dict:
        return {"call_type": rng.choice(QUICK_TYPES)}

    return data, quick


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.errors = 0
        self.sample = ""

    def add(self, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.times.append(seconds)
            if not ok:
                self.errors += 1
                self.sample = self.sample or detail


def drive(clients: int, duration: float, work) -> dict:
    """`clients` threads each calling work(state, rng) -> (ok, detail) until the deadline."""
    rec = Recorder()
    stop_at = time.monotonic() + duration
    barrier = threading.Barrier(clients + 1)

    def loop(index: int):
        rng = random.Random(index)
        state: dict = {}
        barrier.wait()
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                ok, detail = work(state, rng)
            except Exception as exc:  # counted as an error; the run goes on
                ok, detail = False, repr(exc)[:200]
                state.clear()
            rec.add(time.perf_counter() - t0, ok, detail)
        if "close" in state:
            state["close"]()

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    busy0 = machine_busy()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join(timeout=duration + 60)
    elapsed = time.perf_counter() - started
    usage1 = resource.getrusage(resource.RUSAGE_SELF)
    busy1 = machine_busy()
    client_cpu = (usage1.ru_utime - usage0.ru_utime) + (usage1.ru_stime - usage0.ru_stime)
    machine_share = (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1])
    ok_times = rec.times
    return {
        "requests": len(ok_times),
        "errors": rec.errors,
        "error_sample": rec.sample,
        "seconds": round(elapsed, 1),
        "rate": round((len(ok_times) - rec.errors) / elapsed, 1),
        "p50_ms": round(pct(ok_times, 0.5) * 1000, 1),
        "p95_ms": round(pct(ok_times, 0.95) * 1000, 1),
        "p99_ms": round(pct(ok_times, 0.99) * 1000, 1),
        "client_cpu_s": round(client_cpu, 1),
        "client_cores": round(client_cpu / elapsed, 2),
        "machine_busy": round(machine_share * 100),
        "load_avg": load_avg(),
    }


def api_work(port: int, token: str, choose):
    """POSTs of what `choose(rng)` returns: (path, body)."""
    headers = {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }

    def work(state: dict, rng: random.Random):
        conn = state.get("conn")
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            state["conn"], state["close"] = conn, conn.close
        path, body = choose(rng)
        conn.request("POST", path, json.dumps(body).encode(), headers)
        response = conn.getresponse()
        payload = response.read()
        if response.getheader("Connection", "").lower() == "close":
            conn.close()  # sync workers answer one request per connection; reopened next time
        if response.status != 201:
            return False, f"{response.status}: {payload[:200]!r}"
        return True, ""

    return work


def raw_work(url: str, kind: str, ids: dict, share: float = DATA_SHARE):
    """One contact per transaction through psycopg: the rows the API writes (contact, and for
    a counselling contact its child, perpetrator, categories, actions, vulnerable group), no
    audit, no response body."""
    import psycopg

    contact_sql = (
        "INSERT INTO helpline_contact (uid, status, call_type, channel, line, started_at, "
        "ended_at, completed_at, duration_seconds, counsellor_id, telephony_call_id, "
        "caller_anonymous, caller_kind, caller_relationship, caller_name, caller_phone, "
        "caller_age, caller_sex, caller_location_id, urgency, primary_category_id, outcome, "
        "is_repeat, narrative, callback_requested, callback_number, callback_consent, "
        "callback_note, taxonomy_version_id, form_version, draft_raw, created_at, updated_at) "
        "VALUES (%s, 'completed', %s, 'phone', '108', now(), now(), now(), 0, %s, '', false, "
        "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, false, %s, false, '', false, '', %s, %s, "
        "'{}', now(), now()) RETURNING id"
    )

    def quick_row(rng: random.Random) -> list:
        """A one-click contact's columns, in contact_sql's order."""
        call_type = rng.choice(QUICK_TYPES)
        fixed = ["unknown", "", "", "", None, "U", None, "low", None, "", ""]
        return [uuid.uuid4(), call_type, ids["counsellor"], *fixed, ids["version"], ids["form"]]

    def work(state: dict, rng: random.Random):
        conn = state.get("conn")
        if conn is None:
            conn = psycopg.connect(url)
            state["conn"], state["close"] = conn, conn.close
        with conn.cursor() as cur:
            if kind == "quick_chained":
                cur.execute(contact_sql, quick_row(rng))
                pk = cur.fetchone()[0]
                # The audit chain's pattern: lock the head, append an entry hashed on the
                # previous one, move the head; held until COMMIT.
                cur.execute("SELECT seq, hash FROM bench_chain_head WHERE id = 1 FOR UPDATE")
                seq, prev = cur.fetchone()
                digest = hashlib.sha256(f"{prev}|{seq + 1}|{pk}".encode()).hexdigest()
                cur.execute(
                    "INSERT INTO bench_chain_event (seq, contact_id, prev_hash, hash) "
                    "VALUES (%s, %s, %s, %s)",
                    [seq + 1, pk, prev, digest],
                )
                cur.execute(
                    "UPDATE bench_chain_head SET seq = %s, hash = %s WHERE id = 1",
                    [seq + 1, digest],
                )
            elif kind == "quick" or (kind == "mix" and rng.random() >= share):
                cur.execute(contact_sql, quick_row(rng))
            else:
                cats = rng.sample(ids["categories"], 2)
                cur.execute(
                    contact_sql,
                    [
                        uuid.uuid4(),
                        "data",
                        ids["counsellor"],
                        "adult",
                        "parent",
                        "Оюунаа",
                        f"+976{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**6):06d}",
                        40,
                        "F",
                        rng.choice(ids["places"]),
                        "medium",
                        cats[0],
                        "counselled",
                        "Ээж нь хүүхдээ ... Зөвлөгөө өгсөн.",
                        ids["version"],
                        ids["form"],
                    ],
                )
                pk = cur.fetchone()[0]
                cur.execute(
                    "INSERT INTO helpline_contactchild (contact_id, name, age_years, sex, "
                    "location_id, sort) VALUES (%s, 'Тэмүүлэн', 9, 'M', %s, 0)",
                    [pk, rng.choice(ids["places"])],
                )
                cur.execute(
                    "INSERT INTO helpline_contactperpetrator (contact_id, description, "
                    "relationship, sex, sort) VALUES (%s, 'хойд эцэг', 'step_parent', 'U', 0)",
                    [pk],
                )
                cur.execute(
                    "INSERT INTO helpline_contactcategory (contact_id, category_id, is_primary) "
                    "VALUES (%s, %s, true), (%s, %s, false)",
                    [pk, cats[0], pk, cats[1]],
                )
                cur.execute(
                    "INSERT INTO helpline_contactaction (contact_id, action) VALUES "
                    "(%s, 'counselling'), (%s, 'information')",
                    [pk, pk],
                )
                cur.execute(
                    'INSERT INTO helpline_contactvulnerability (contact_id, "group") '
                    "VALUES (%s, 'single_parent')",
                    [pk],
                )
        conn.commit()
        return True, ""

    return work


def queries_per_request(token: str, data_body, quick_body) -> dict:
    """What one POST costs in SQL, in-process through the test client (same middleware)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    out = {}
    for label, path, body in (
        ("data", "/api/v1/contacts/", data_body),
        ("quick", "/api/v1/contacts/quick/", quick_body),
    ):
        client.post(path, body(), content_type="application/json")  # warm caches
        with CaptureQueriesContext(connection) as captured:
            response = client.post(path, body(), content_type="application/json")
        assert response.status_code == 201, response.content[:300]
        kinds = Counter()
        for q in captured.captured_queries:
            sql = q["sql"].lstrip()
            word = sql.split(None, 1)[0].upper()
            if word in {"SAVEPOINT", "RELEASE", "ROLLBACK"}:
                kinds["savepoint"] += 1
                continue
            marker = {"INSERT": "INSERT INTO ", "UPDATE": "UPDATE "}.get(word, " FROM ")
            table = sql.split(marker, 1)[1].split(None, 1)[0].strip('"') if marker in sql else ""
            kinds[f"{word} {table}"] += 1
        out[label] = {"queries": len(captured.captured_queries), "by_kind": dict(kinds)}
    return out


def throughput_benchmark(args, url: str, token: str, user) -> dict:
    from django.db import connection

    from cpims.helpline.choices import FORM_VERSION
    from cpims.helpline.models import Category, current_version

    version = current_version()
    cats = list(
        Category.objects.filter(version=version, is_active=True, depth__gte=1).values_list(
            "pk", "code"
        )
    )
    with connection.cursor() as cur:
        cur.execute("SELECT id, code FROM geo_location WHERE level = 'soum' ORDER BY code")
        places = cur.fetchall()
    rng = random.Random(args.seed)
    data_body, quick_body = contact_bodies(rng, [c for _, c in cats], [c for _, c in places])
    from django.conf import settings

    settings.DEBUG = True
    per_request = queries_per_request(token, data_body, quick_body)
    settings.DEBUG = False
    for label, item in per_request.items():
        top = ", ".join(f"{k} {v}" for k, v in Counter(item["by_kind"]).most_common(8))
        print(f"queries per {label} POST: {item['queries']} ({top})")
    ids = {
        "counsellor": user.pk,
        "categories": [pk for pk, _ in cats],
        "places": [pk for pk, _ in places],
        "version": version.pk,
        "form": FORM_VERSION,
    }
    connection.close()  # the server and the raw clients get their own connections
    results: dict = {"queries_per_request": per_request}
    var_dir = tempfile.mkdtemp(prefix="cpims-hbench-")
    proc, port = start_gunicorn(url, args.app_workers, var_dir)
    try:
        for label in args.phases:
            choose = api_choice(label, data_body, quick_body, args.data_share)
            drive(args.clients, 2, api_work(port, token, choose))  # warm-up
            checkpoint(url)
            cpu0 = tree_cpu_seconds(proc.pid)
            result = drive(args.clients, args.duration, api_work(port, token, choose))
            result["server_cpu_s"] = round(tree_cpu_seconds(proc.pid) - cpu0, 1)
            result["server_cpu_ms_per_request"] = round(
                result["server_cpu_s"] * 1000 / max(1, result["requests"]), 1
            )
            results[f"app_{label}"] = result
            print(f"app {label}: {json.dumps(result, ensure_ascii=False)}", flush=True)
    finally:
        stop(proc)
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_chain_head (id int PRIMARY KEY, seq bigint, "
            "hash text)"
        )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_chain_event (id bigserial PRIMARY KEY, seq bigint, "
            "contact_id bigint, prev_hash text, hash text)"
        )
        conn.execute("INSERT INTO bench_chain_head VALUES (1, 0, '') ON CONFLICT DO NOTHING")
    chained = ("quick_chained",) if "quick" in args.phases else ()
    for label in (*args.phases, *chained):
        checkpoint(url)
        result = drive(args.clients, args.duration, raw_work(url, label, ids, args.data_share))
        results[f"raw_{label}"] = result
        print(f"raw {label}: {json.dumps(result, ensure_ascii=False)}", flush=True)
    for label, app_label in (*((p, p) for p in args.phases), *((c, "quick") for c in chained)):
        app, raw = results[f"app_{app_label}"], results[f"raw_{label}"]
        results[f"ratio_{label}"] = round(raw["rate"] / app["rate"], 2) if app["rate"] else None
    return results


DATA_PATH, QUICK_PATH = "/api/v1/contacts/", "/api/v1/contacts/quick/"


def checkpoint(url: str) -> None:
    """Start a phase with the WAL written out: the previous phase's inserts (thousands a second
    on the raw side) otherwise trigger a checkpoint in the middle of the next one, and a run's
    figures then depend on what ran before it (measured: 194 against 270 contacts/s)."""
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")
    except psycopg.Error as exc:  # not a superuser: measured without it
        print(f"CHECKPOINT refused ({exc}); phases may overlap a checkpoint", flush=True)


def api_choice(label: str, data_body, quick_body, share: float = DATA_SHARE):
    def choose(rng: random.Random) -> tuple[str, dict]:
        if label == "data" or (label == "mix" and rng.random() < share):
            return DATA_PATH, data_body()
        return QUICK_PATH, quick_body()

    return choose


def print_throughput(args, res: dict) -> None:
    print(
        f"\n## Contact creation ({args.clients} client threads, {args.app_workers} sync "
        f"workers, {args.duration:g} s per phase)\n"
    )
    print(
        "| what | contacts/s | p50 ms | p95 ms | p99 ms | errors | client CPU (cores) "
        "| server CPU ms/contact | machine busy | load average |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    names = {
        "app_data": "API, counselling contact (POST /api/v1/contacts/)",
        "app_quick": "API, one-click contact (POST /api/v1/contacts/quick/)",
        "app_mix": f"API, the line's mix ({args.data_share:.0%} counselling, the rest one-click)",
        "raw_data": "raw psycopg, the same rows, one transaction per contact",
        "raw_quick": "raw psycopg, one INSERT + COMMIT per contact",
        "raw_mix": "raw psycopg, the same mix of rows",
        "raw_quick_chained": "raw psycopg, INSERT + hash-chained audit row (head locked) + COMMIT",
    }
    for key, name in names.items():
        if key not in res:
            continue
        r = res[key]
        server = r.get("server_cpu_ms_per_request", "–")
        print(
            f"| {name} | {r['rate']:.1f} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} "
            f"| {r['errors']} | {r['client_cores']} | {server} | {r['machine_busy']} % "
            f"| {r['load_avg']} |"
        )
    for label in args.phases:
        if res[f"app_{label}"]["error_sample"]:
            print(f"\nfirst {label} error: {res[f'app_{label}']['error_sample']}")
    kinds = {"data": "counselling", "quick": "one-click", "mix": "mix"}
    ratios = ", ".join(f"{kinds[p]} {res[f'ratio_{p}']}x" for p in args.phases)
    if "ratio_quick_chained" in res:
        ratios += f" (one-click against the chained raw insert: {res['ratio_quick_chained']}x)"
    print(f"\nraw/app throughput: {ratios}")


# --- Main -----------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url:
        sys.exit("set DATABASE_URL to the PostgreSQL server (postgres://user@host:port/db)")
    url = bench_database_url(server_url, args.db)
    print(f"load average at start {load_avg()}", flush=True)
    reused = prepare_database(server_url, args.db, keep=args.keep)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection

    from cpims.core.bootstrap import bootstrap

    info = machine()
    print(f"machine: {json.dumps(info, ensure_ascii=False)}", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    bootstrap()
    print(f"migrated and bootstrapped in {time.perf_counter() - started:.1f} s", flush=True)
    load = None
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM helpline_contact")
        have = cur.fetchone()[0]
    if reused and have:
        print(f"--keep: reusing {args.db} with {have:,} contacts (no load)", flush=True)
    else:
        t0 = time.perf_counter()
        org = generate_organisation(args.persons, args.cases, args.seed)
        print(f"generated organisation in {time.perf_counter() - t0:.0f} s: {org}", flush=True)
        load = load_contacts(args.contacts, args.seed)
        load["organisation"] = org
        print(f"load: {json.dumps(load)}", flush=True)
    shape = data_shape()
    print(f"data: {json.dumps(shape, ensure_ascii=False)}", flush=True)
    user = bench_counsellor()
    token = api_token(user)
    rng = random.Random(args.seed)
    report: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": info,
        "command": " ".join(sys.argv),
        "load": load,
        "data": shape,
    }
    if not args.no_lookup:
        report["lookup"] = lookup_benchmark(args, user, token, rng)
    if not args.no_throughput:
        report["throughput"] = throughput_benchmark(args, url, token, user)
        print_throughput(args, report["throughput"])
    summary(args, report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        print(f"figures written to {args.json}")


def summary(args, report: dict) -> None:
    print("\n## Summary")
    print(
        f"started {report['date']}, ended {datetime.now(UTC).isoformat(timespec='seconds')} · "
        f"{report['machine']['nproc']} CPUs · PostgreSQL "
        f"{report['machine']['postgresql']} · {report['data']['contacts']:,} contacts · "
        f"load average now {load_avg()}"
    )
    if "lookup" in report:
        line = next(x for x in report["lookup"]["lines"] if x["kind"] == "all")
        ok = "OK" if line["app_p95"] < TARGET_LOOKUP_P95_MS else "ABOVE TARGET"
        ratio_ok = "OK" if line["app_raw_p50"] <= GOAL_RATIO else "ABOVE GOAL"
        endpoint = (
            f"; endpoint p50 {line['endpoint_p50']:.1f} p95 {line['endpoint_p95']:.1f} ms "
            f"(endpoint/raw p50 {line['endpoint_raw_p50']:.2f})"
            if "endpoint_p50" in line
            else ""
        )
        print(
            f"lookup: selector p50 {line['app_p50']:.1f} p95 {line['app_p95']:.1f} ms "
            f"[target p95 < {TARGET_LOOKUP_P95_MS:g} ms: {ok}]; raw p50 {line['raw_p50']:.1f} "
            f"p95 {line['raw_p95']:.1f} ms; selector/raw p50 {line['app_raw_p50']:.2f} "
            f"[goal <= {GOAL_RATIO:g}: {ratio_ok}]{endpoint}; load {report['lookup']['load_avg']}"
        )
    if "throughput" in report:
        res = report["throughput"]
        for label in args.phases:
            app, raw = res[f"app_{label}"], res[f"raw_{label}"]
            ok = "OK" if app["rate"] >= TARGET_RATE else "BELOW TARGET"
            print(
                f"create {label}: API {app['rate']:.1f}/s (p95 {app['p95_ms']} ms, "
                f"{app['errors']} errors) [target >= {TARGET_RATE:g}/s: {ok}]; raw "
                f"{raw['rate']:.1f}/s; raw/app {res[f'ratio_{label}']}; load {app['load_avg']}"
            )


if __name__ == "__main__":
    main()
