"""Case list latency: the app's `case_list` page against hand-written SQL, same run.

Run from the repository root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/case_list.py --cases 500000 --queries 500

DATABASE_URL names a PostgreSQL *server* (any database on it); the benchmark drops and
creates its own database ``cpims_bench_cases`` there (``--keep`` reuses an existing one
and skips loading), migrates, bootstraps, creates one MDT per shipped soum/district and
bag/khoroo (1-3 social workers each), aimag departments with cp_officers and a helpline,
then COPY-loads N cases (~45 % in Ulaanbaatar, ~25 % open, opened over 3 years) with a
child person each (10 % two), 2-4 tasks (the last one of an open case still open, some
overdue), one or two harms and, for 4 %, a previous team. After VACUUM ANALYZE it times
what a case list page does, interleaving three sides on the same connection:

* app: ``case_list(user, ...)`` + ``prefetch_related("children__person")`` through
  Django's Paginator (its COUNT and the first page of 25, children read like the
  template does), and ``tasks_for_user`` / ``overdue_tasks_visible_to`` ``[:50]``;
* raw: hand-written SQL through ``connection.cursor()`` returning the same rows and count
  (visibility as a UNION of indexed branches, filters in the outer query);
* orm-sql: the exact SQL the ORM issued for that user (captured once), replayed through
  the cursor: app minus orm-sql is Python/ORM overhead, orm-sql minus raw is query shape.

* fix: a proposed ORM shape built here, not in cpims/ (``fix_case_list``): visibility as
  conditions on cases_case columns only, semi-joins instead of DISTINCT.

Also the whole page through Django's test Client (``/cases/?status=open`` with
``force_login``: middleware, session, template). Reports p50/p95/p99, the ratio app/raw
(goal <= 3), p95 against the target (< 100 ms at 500k) and EXPLAIN (ANALYZE, BUFFERS)
of the ORM's list query and COUNT, flagging sequential scans, big sorts and index walks.
A second pass (``--no-candidates`` skips it) creates candidate partial indexes, re-times
app, raw, fix and fix with a capped COUNT, and drops the indexes again. Every side's ids
and count are compared with the app's on every call.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "cpims_bench_cases"
BATCH = 50_000
TARGET_P95_MS = 100.0
GOAL_RATIO = 3.0
PAGE = 25
BIG_TABLES = {
    "cases_case",
    "cases_casechild",
    "cases_task",
    "cases_teamhistory",
    "cases_caseharm",
    "registry_person",
}
UB = "11"
UB_SHARE = 0.45
# Rough population of the capital's districts (thousands), as in cpims.registry.synthetic.
UB_DISTRICT_WEIGHTS = {
    "1101": 30,
    "1104": 5,
    "1107": 230,
    "1110": 380,
    "1113": 45,
    "1116": 340,
    "1119": 150,
    "1122": 220,
    "1125": 160,
}
OPEN_STAGES = [
    ("registration", 10),
    ("initial_assessment", 20),
    ("comprehensive_assessment", 15),
    ("case_plan", 15),
    ("implementation", 25),
    ("follow_up", 15),
]
RISKS = [("unassessed", 15), ("low", 35), ("medium", 30), ("high", 20)]
ORIGINS = [
    ("helpline", 30),
    ("walk_in", 15),
    ("police", 15),
    ("school", 12),
    ("health", 10),
    ("outreach", 8),
    ("other_agency", 5),
    ("self", 3),
    ("inspection", 2),
]
HARMS = [
    ("icvac2", 25),
    ("icvac4", 20),
    ("icvac5", 25),
    ("icvac3", 8),
    ("child_labour", 5),
    ("separation", 4),
    ("conflict_with_law", 4),
    ("online_harm", 3),
    ("icvac9", 2),
    ("jockey_injury", 1),
    ("trafficking", 1),
    ("child_marriage", 1),
    ("other", 1),
]
CLOSURES = ["goals_met", "goals_met", "goals_met", "transferred", "moved_away", "turned_18"]
TASK_STEPS = [
    ("first_response", 24),
    ("initial_assessment", 72),
    ("comprehensive_assessment", 21 * 24),
    ("case_plan", 30 * 24),
    ("follow_up", 90 * 24),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=500_000, help="cases to load")
    parser.add_argument("--queries", type=int, default=500, help="timed queries per variant")
    parser.add_argument("--seed", type=int, default=20265, help="generator and sampling seed")
    parser.add_argument("--keep", action="store_true", help="reuse the database, skip loading")
    parser.add_argument(
        "--budget",
        type=float,
        default=25.0,
        help="stop a variant after this many seconds even before --queries (default 25)",
    )
    parser.add_argument("--workers", type=int, default=20, help="social workers to rotate over")
    parser.add_argument("--no-explain", action="store_true", help="skip the EXPLAIN section")
    parser.add_argument(
        "--no-candidates",
        action="store_true",
        help="skip the second pass with candidate partial indexes",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args()


# --- Database and Django --------------------------------------------------------------------


def bench_database_url(server_url: str) -> str:
    parts = urlsplit(server_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("DATABASE_URL must be a PostgreSQL URL (postgres://user@host:port/db)")
    return urlunsplit(parts._replace(path="/" + DB_NAME))


def prepare_database(server_url: str, *, keep: bool) -> bool:
    """Drop and create the benchmark database; return True when it is reused."""
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
    os.environ["DEBUG"] = "1"
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdefghij"
    )
    # The test Client's host.
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
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
        cur.execute("SHOW shared_buffers")
        shared_buffers = cur.fetchone()[0]
        cur.execute("SHOW work_mem")
        work_mem = cur.fetchone()[0]
        cur.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        collation = cur.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_gb, 1),
        "cpu": cpu,
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "django": get_version(),
        "postgresql": pg,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "collation": collation,
    }


# --- Loading --------------------------------------------------------------------------------


class Picker:
    """Weighted choice by bisection over cumulative weights."""

    def __init__(self, items, weights) -> None:
        self.items = list(items)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random):
        index = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.items[min(index, len(self.items) - 1)]


def weighted(options: list[tuple[str, int]]) -> Picker:
    return Picker([o for o, _ in options], [w for _, w in options])


def soum_weight(aimag: str, soum: str) -> float:
    if aimag == UB:
        return float(UB_DISTRICT_WEIGHTS.get(soum, 100))
    if soum.endswith("01"):
        return 12.0  # the aimag centre
    return random.Random(int(soum)).uniform(0.3, 1.6)


@dataclass
class World:
    """Agencies and users the loader and the timing need (ids only)."""

    mdt_by_location: dict[int, int]  # location id -> MDT agency id
    workers_by_agency: dict[int, list[int]]
    dept_by_aimag: dict[str, int]
    helpline_id: int
    slots: Picker  # -> (location_id, aimag_code, agency_id)


def create_world(rng: random.Random) -> None:
    """One MDT per soum/district and bag/khoroo, 1-3 social workers each; an aimag department
    with two cp_officers for every aimag that has soums; a national helpline."""
    from django.contrib.auth.hashers import make_password

    from cpims.accounts.models import Agency, Role, User
    from cpims.geo.models import Location

    locations = list(Location.objects.all())
    by_code = {loc.code: loc for loc in locations}
    soums = [loc for loc in locations if loc.level == "soum"]
    bags_of: dict[int, list] = defaultdict(list)
    for loc in locations:
        if loc.level == "bag":
            bags_of[loc.parent_id].append(loc)
    aimag_codes = sorted({by_code[s.path.split("/")[1]].code for s in soums})
    agencies = [
        Agency(
            code="helpline-108",
            kind=Agency.Kind.HELPLINE,
            name_mn="108 Тусламжийн утас",
            name_en="Helpline 108",
            location=by_code["MN"],
        )
    ]
    for code in aimag_codes:
        agencies.append(
            Agency(
                code=f"dept-{code}",
                kind=Agency.Kind.AIMAG_DEPT,
                name_mn=f"{by_code[code].name_mn} ХГЗГ",
                name_en=f"{by_code[code].name_en} department",
                location=by_code[code],
            )
        )
    for loc in locations:
        if loc.level in {"soum", "bag"}:
            agencies.append(
                Agency(
                    code=f"mdt-{loc.code}",
                    kind=Agency.Kind.MDT,
                    name_mn=f"{loc.name_mn} ХБ",
                    name_en=f"{loc.name_en} MDT",
                    location=loc,
                )
            )
    Agency.objects.bulk_create(agencies)
    agencies = list(Agency.objects.all())

    password = make_password("Bench-Password-2026!")
    worker_role = Role.objects.get(code="social_worker")
    officer_role = Role.objects.get(code="cp_officer")
    users = []
    for agency in agencies:
        if agency.kind == Agency.Kind.MDT:
            for i in range(rng.randint(1, 3)):
                users.append(
                    User(
                        username=f"sw-{agency.code[4:]}-{i + 1}",
                        password=password,
                        role=worker_role,
                        agency=agency,
                        scope_id=agency.location_id,
                        first_name=f"Worker {i + 1}",
                        last_name=agency.name_en,
                    )
                )
        elif agency.kind == Agency.Kind.AIMAG_DEPT:
            for i in range(2):
                users.append(
                    User(
                        username=f"cpo-{agency.code[5:]}-{i + 1}",
                        password=password,
                        role=officer_role,
                        agency=agency,
                        scope_id=agency.location_id,
                        first_name=f"Officer {i + 1}",
                        last_name=agency.name_en,
                    )
                )
    User.objects.bulk_create(users)


def world_from_db() -> World:
    """Rebuild the World from the database (after create_world's bulk inserts)."""
    from cpims.accounts.models import Agency, User
    from cpims.geo.models import Location

    agencies = list(Agency.objects.all())
    mdt_by_location = {a.location_id: a.pk for a in agencies if a.kind == Agency.Kind.MDT}
    dept_by_aimag = {a.code[5:]: a.pk for a in agencies if a.code.startswith("dept-")}
    helpline_id = next(a.pk for a in agencies if a.code == "helpline-108")
    workers_by_agency: dict[int, list[int]] = defaultdict(list)
    for pk, agency_id in (
        User.objects.filter(role__code="social_worker")
        .order_by("pk")
        .values_list("pk", "agency_id")
    ):
        workers_by_agency[agency_id].append(pk)
    locations = list(Location.objects.all())
    soums = [loc for loc in locations if loc.level == "soum"]
    bags_of: dict[int, list] = defaultdict(list)
    for loc in locations:
        if loc.level == "bag":
            bags_of[loc.parent_id].append(loc)
    weights = {s.code: soum_weight(s.path.split("/")[1], s.code) for s in soums}
    ub_total = sum(w for s, w in weights.items() if s.startswith(UB))
    rest_total = sum(weights.values()) - ub_total
    items, item_weights = [], []
    for soum in soums:
        aimag = soum.path.split("/")[1]
        share = UB_SHARE / ub_total if aimag == UB else (1 - UB_SHARE) / rest_total
        weight = weights[soum.code] * share
        bags = bags_of.get(soum.pk, [])
        if bags:
            items.append((soum.pk, aimag, mdt_by_location[soum.pk]))
            item_weights.append(weight * 0.1)
            for bag in bags:
                items.append((bag.pk, aimag, mdt_by_location[bag.pk]))
                item_weights.append(weight * 0.9 / len(bags))
        else:
            items.append((soum.pk, aimag, mdt_by_location[soum.pk]))
            item_weights.append(weight)
    return World(
        mdt_by_location=mdt_by_location,
        workers_by_agency=dict(workers_by_agency),
        dept_by_aimag=dept_by_aimag,
        helpline_id=helpline_id,
        slots=Picker(items, item_weights),
    )


class Names:
    """Given names, patronymics and clans with their search keys, computed once per name."""

    def __init__(self) -> None:
        from cpims.registry.synthetic import CLAN_NAMES, FEMALE_NAMES, MALE_NAMES, genitive

        self.male = Picker(MALE_NAMES, [1 / (r + 8) for r in range(len(MALE_NAMES))])
        self.female = Picker(FEMALE_NAMES, [1 / (r + 8) for r in range(len(FEMALE_NAMES))])
        self.clans = list(CLAN_NAMES)
        self.genitive = genitive
        self._given: dict[str, tuple[str, str]] = {}
        self._patronymic: dict[str, tuple[str, str]] = {}
        self._family: dict[str, str] = {}

    def given(self, name: str) -> tuple[str, str]:
        keys = self._given.get(name)
        if keys is None:
            from cpims.registry.identity.translit import name_key, phonetic_key

            keys = self._given[name] = (name_key(name)[:100], phonetic_key(name)[:16])
        return keys

    def patronymic(self, text: str) -> tuple[str, str]:
        keys = self._patronymic.get(text)
        if keys is None:
            from cpims.registry.identity.names import patronymic_initial_key
            from cpims.registry.keys import patronymic_key_of

            keys = self._patronymic[text] = (
                patronymic_key_of(text)[:100],
                patronymic_initial_key(text)[:4] if text.strip() else "",
            )
        return keys

    def family(self, text: str) -> str:
        key = self._family.get(text)
        if key is None:
            from cpims.registry.identity.translit import name_key

            key = self._family[text] = name_key(text)[:100]
        return key


CASE_COLUMNS = (
    "id, number, stage, is_open, risk, origin, reported_at, reporter_description, location_id,"
    " harm_location_id, agency_id, assigned_worker_id, created_by_agency_id, created_by_id,"
    " safety_immediate, safety_notes, summary, restricted, closure_reason, opened_at,"
    " closed_at, version"
)
PERSON_COLUMNS = (
    "id, uid, external_id, family_name, patronymic, given_name, other_names, sex,"
    " date_of_birth, dob_estimated, registration_number, nationality, disability, languages,"
    " location_id, address, given_key, given_phonetic, patronymic_key, patronymic_initial,"
    " family_key, birth_year, merged_into_id, version, created_at, updated_at"
)
CHILD_COLUMNS = "id, case_id, person_id, is_primary"
TASK_COLUMNS = (
    "id, case_id, kind, title, due_at, assigned_to_id, agency_id, done_at, escalated_at, rule"
)
HARM_COLUMNS = "id, case_id, harm"
HISTORY_COLUMNS = "id, case_id, agency_id, until"


LOADED_TABLES = (
    "registry_person",
    "cases_case",
    "cases_casechild",
    "cases_task",
    "cases_caseharm",
    "cases_teamhistory",
)


def drop_secondary(cur) -> list[str]:
    """Drop the loaded tables' foreign keys, unique constraints and indexes (not the primary
    keys), returning the statements that recreate them exactly as the migrations made them."""
    tables = list(LOADED_TABLES)
    cur.execute(
        "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)"
        " FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('f', 'u')"
        " ORDER BY contype DESC, conname",
        [tables],
    )
    constraints = cur.fetchall()
    cur.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i"
        " WHERE i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        " WHERE c.conname = i.indexname AND c.contype IN ('p', 'u')) ORDER BY i.indexname",
        [tables],
    )
    indexes = cur.fetchall()
    for table, name, _kind, _definition in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    restore = [definition for _name, definition in indexes]
    # Unique constraints ('u') sort before foreign keys ('f') thanks to ORDER BY contype DESC.
    restore += [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, _kind, definition in constraints
    ]
    return restore


def load_cases(n: int, seed: int, world: World) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    rng = random.Random(seed)
    names = Names()
    stage_pick, risk_pick = weighted(OPEN_STAGES), weighted(RISKS)
    origin_pick, harm_pick = weighted(ORIGINS), weighted(HARMS)
    mdts = sorted(world.mdt_by_location.values())
    now = timezone.now()
    span = 3 * 365 * 86400.0
    started = time.perf_counter()
    # Cases are numbered and keyed in the order they were opened, as in production.
    ages = sorted((rng.random() * span for _ in range(n)), reverse=True)
    sequences: dict[tuple[str, int], int] = defaultdict(int)
    ids = {"case": 0, "person": 0, "child": 0, "task": 0, "harm": 0, "history": 0}
    counts = dict.fromkeys(ids, 0)
    copy_seconds = 0.0
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '512MB'")
        restore = drop_secondary(cur)
    for start in range(0, n, BATCH):
        cases, persons, children, tasks, harms, history = [], [], [], [], [], []
        for age in ages[start : start + BATCH]:
            opened = now - timedelta(seconds=age)
            reported = opened - timedelta(seconds=rng.random() * 2 * 86400)
            location_id, aimag, agency_id = world.slots(rng)
            workers = world.workers_by_agency[agency_id]
            worker = rng.choice(workers) if rng.random() < 0.95 else None
            days = age / 86400
            p_open = 0.75 if days < 90 else 0.4 if days < 365 else 0.12
            is_open = rng.random() < p_open
            roll = rng.random()
            creator = (
                agency_id
                if roll < 0.70
                else world.helpline_id
                if roll < 0.88
                else world.dept_by_aimag[aimag]
                if roll < 0.90
                else None
            )
            year = timezone.localtime(opened).year
            sequences[aimag, year] += 1
            ids["case"] += 1
            case_id = ids["case"]
            closed = None
            if not is_open:
                closed = min(opened + timedelta(days=rng.uniform(10, 200)), now)
            cases.append(
                (
                    case_id,
                    f"{aimag}-{year}-{sequences[aimag, year]:06d}",
                    stage_pick(rng) if is_open else "closed",
                    is_open,
                    risk_pick(rng),
                    origin_pick(rng),
                    reported,
                    "",
                    location_id,
                    None,
                    agency_id,
                    worker,
                    creator,
                    None,
                    rng.random() < 0.8,
                    "",
                    "",
                    rng.random() < 0.003,  # restricted: a staff member's own child
                    "" if is_open else rng.choice(CLOSURES),
                    opened,
                    closed,
                    1,
                )
            )
            for index in range(2 if rng.random() < 0.1 else 1):
                sex = "M" if rng.random() < 0.5 else "F"
                given = names.male(rng) if sex == "M" else names.female(rng)
                roll = rng.random()
                father = names.male(rng)
                patronymic = (
                    names.genitive(father)
                    if roll < 0.85
                    else father[0] + "."
                    if roll < 0.95
                    else ""
                )
                family = rng.choice(names.clans) if rng.random() < 0.3 else ""
                given_key, given_phonetic = names.given(given)
                patronymic_key, patronymic_initial = names.patronymic(patronymic)
                dob = timezone.localtime(opened).date() - timedelta(days=rng.randint(30, 17 * 365))
                ids["person"] += 1
                persons.append(
                    (
                        ids["person"],
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        None,
                        family,
                        patronymic,
                        given,
                        "",
                        sex,
                        dob,
                        False,
                        None,
                        "MN",
                        "none",
                        "",
                        location_id,
                        "",
                        given_key,
                        given_phonetic,
                        patronymic_key,
                        patronymic_initial,
                        names.family(family) if family else "",
                        dob.year,
                        None,
                        1,
                        opened,
                        opened,
                    )
                )
                ids["child"] += 1
                children.append((ids["child"], case_id, ids["person"], index == 0))
            due = reported
            steps = rng.randint(2, 4)
            for step in range(steps):
                kind, hours = TASK_STEPS[step]
                due = due + timedelta(hours=hours)
                last = step == steps - 1
                if is_open and last:
                    # The step in progress: due between 20 days ago and 30 days ahead.
                    due_at = now + timedelta(days=rng.uniform(-20, 30))
                    done = None
                else:
                    due_at = due
                    done = due - timedelta(hours=rng.uniform(-48, hours * 0.8))
                    done = min(done, closed or now)
                assignee = worker if (worker and rng.random() < 0.85) else None
                ids["task"] += 1
                tasks.append(
                    (ids["task"], case_id, kind, "", due_at, assignee, agency_id, done, None, "")
                )
            for harm in {harm_pick(rng) for _ in range(2 if rng.random() < 0.2 else 1)}:
                ids["harm"] += 1
                harms.append((ids["harm"], case_id, harm))
            if rng.random() < 0.04:
                ids["history"] += 1
                previous = rng.choice(mdts)
                if previous != agency_id:
                    history.append(
                        (
                            ids["history"],
                            case_id,
                            previous,
                            opened + timedelta(days=rng.randint(1, 60)),
                        )
                    )
        copy_started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as wrapper:
            cur = wrapper.cursor  # the psycopg cursor, for COPY
            for table, columns, rows in (
                ("registry_person", PERSON_COLUMNS, persons),
                ("cases_case", CASE_COLUMNS, cases),
                ("cases_casechild", CHILD_COLUMNS, children),
                ("cases_task", TASK_COLUMNS, tasks),
                ("cases_caseharm", HARM_COLUMNS, harms),
                ("cases_teamhistory", HISTORY_COLUMNS, history),
            ):
                with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                counts[table] = counts.get(table, 0) + len(rows)
        copy_seconds += time.perf_counter() - copy_started
        elapsed = time.perf_counter() - started
        done_cases = min(start + BATCH, n)
        print(
            f"  loaded {done_cases:,} cases ({ids['task']:,} tasks): "
            f"{done_cases / elapsed:,.0f} cases/s",
            flush=True,
        )
    index_started = time.perf_counter()
    with connection.cursor() as cur:
        for statement in restore:
            cur.execute(statement)
    index_seconds = time.perf_counter() - index_started
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("RESET synchronous_commit")
        for table in LOADED_TABLES:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"coalesce((SELECT max(id) FROM {table}), 1))"
            )
        # Later registrations must not reuse a number.
        for (aimag, year), last in sequences.items():
            cur.execute(
                "INSERT INTO cases_casesequence (aimag_code, year, last) VALUES (%s, %s, %s)",
                [aimag, year, last],
            )
    rows = sum(v for k, v in counts.items() if "_" in k)
    return {
        "cases": n,
        "rows": {k: v for k, v in counts.items() if "_" in k},
        "load_s": round(load_seconds, 1),
        "copy_s": round(copy_seconds, 1),
        "indexes_and_constraints_s": round(index_seconds, 1),
        "recreated": len(restore),
        "cases_per_s": round(n / load_seconds),
        "rows_per_s": round(rows / load_seconds),
        "copy_rows_per_s": round(rows / copy_seconds),
    }


def vacuum_analyze() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        for table in sorted(BIG_TABLES):
            cur.execute(f"VACUUM (ANALYZE) {table}")
        cur.execute("ANALYZE")
    return time.perf_counter() - started


# --- The calls ------------------------------------------------------------------------------


@dataclass
class Call:
    user: object
    filters: dict = field(default_factory=dict)
    replay: list[str] = field(default_factory=list)


def app_page(call: Call) -> tuple[int, list[int]]:
    """What case_list_view does before rendering, children read like the template does."""
    from django.core.paginator import Paginator

    from cpims.cases.selectors import case_list

    cases = case_list(call.user, **call.filters)
    page = Paginator(cases.prefetch_related("children__person"), PAGE).get_page(None)
    rows = list(page.object_list)
    for case in rows:
        for child in case.children.all():
            child.person.full_name  # noqa: B018
        case.location, case.agency, case.assigned_worker  # noqa: B018
    return page.paginator.count, [c.pk for c in rows]


def fix_case_list(user, **filters):
    """A proposed shape for cases_visible_to + case_list, built here (not in cpims/) to show
    what it costs on the same data: every visibility branch a condition on a cases_case
    column (team history, area and access grants as id lists fetched first), so PostgreSQL
    can BitmapOr the indexes instead of scanning the table; join filters as semi-joins
    (`pk__in`), hence no DISTINCT over the wide row and a plain COUNT(*)."""
    from django.db.models import Q
    from django.utils import timezone

    from cpims.cases.models import Case, CaseChild, CaseHarm, Task, TeamHistory
    from cpims.geo.models import Location

    if not (user.is_authenticated and user.has_capability("cases.view")):
        return Case.objects.none()
    visible = Q(assigned_worker=user)
    if user.agency_id:
        history = TeamHistory.objects.filter(agency_id=user.agency_id)
        visible |= Q(agency_id=user.agency_id) | Q(created_by_agency_id=user.agency_id)
        visible |= Q(pk__in=list(history.values_list("case_id", flat=True)))
    if user.has_capability("cases.view_area") and user.scope_id:
        area = Location.objects.filter(path__startswith=user.scope.path)
        visible |= Q(location_id__in=list(area.values_list("pk", flat=True)))
    if RESTRICTED:
        from cpims.cases.models import AccessGrant

        granted = AccessGrant.objects.filter(user=user).values_list("case_id", flat=True)
        visible &= Q(restricted=False) | Q(pk__in=list(granted))
    cases = Case.objects.filter(visible).select_related("location", "agency", "assigned_worker")
    status = filters.get("status", "")
    if status == "open":
        cases = cases.filter(is_open=True)
    elif status == "closed":
        cases = cases.filter(is_open=False)
    if filters.get("stage"):
        cases = cases.filter(stage=filters["stage"])
    if filters.get("risk"):
        cases = cases.filter(risk=filters["risk"])
    if filters.get("harm"):
        cases = cases.filter(pk__in=CaseHarm.objects.filter(harm=filters["harm"]).values("case_id"))
    if filters.get("overdue"):
        late = Task.objects.filter(done_at__isnull=True, due_at__lt=timezone.now())
        cases = cases.filter(pk__in=late.values("case_id"), is_open=True)
    if filters.get("q"):
        q = filters["q"]
        named = CaseChild.objects.filter(person__given_key__startswith=q.lower())
        cases = cases.filter(Q(number__icontains=q) | Q(pk__in=named.values("case_id")))
    return cases.order_by("-opened_at", "-pk")


def fix_page(call: Call, *, capped: bool = False) -> tuple[int, list[int]]:
    """The proposed shape through the Paginator; `capped` counts at most COUNT_CAP + 1 rows
    (the page would show "1000+"), the usual cure for COUNT over a whole area."""
    from django.core.paginator import Paginator
    from django.utils.functional import cached_property

    class CappedPaginator(Paginator):
        @cached_property
        def count(self) -> int:
            return self.object_list.order_by()[: COUNT_CAP + 1].count()

    cases = fix_case_list(call.user, **call.filters).prefetch_related("children__person")
    page = (CappedPaginator if capped else Paginator)(cases, PAGE).get_page(None)
    rows = list(page.object_list)
    for case in rows:
        for child in case.children.all():
            child.person.full_name  # noqa: B018
        case.location, case.agency, case.assigned_worker  # noqa: B018
    return page.paginator.count, [c.pk for c in rows]


def app_tasks(call: Call) -> tuple[int, list[int]]:
    from cpims.cases.selectors import tasks_for_user

    rows = list(tasks_for_user(call.user)[:50])
    for task in rows:
        task.case.number  # noqa: B018
    return len(rows), [t.pk for t in rows]


def app_overdue(call: Call) -> tuple[int, list[int]]:
    from cpims.cases.selectors import overdue_tasks_visible_to

    rows = list(overdue_tasks_visible_to(call.user)[:50])
    for task in rows:
        task.case.number, task.assigned_to  # noqa: B018
    return len(rows), [t.pk for t in rows]


def restriction_rule() -> bool:
    """Whether the working tree's cases_visible_to hides restricted cases from all but named
    users (AccessGrant); the raw side follows it, and the row check catches any drift."""
    import inspect

    from cpims.cases import selectors

    source = inspect.getsource(selectors.cases_visible_to)
    if hasattr(selectors, "case_visibility"):  # the rules moved there; cases_visible_to calls it
        source += inspect.getsource(selectors.case_visibility)
    return "restricted" in source or "_restriction(" in source


RESTRICTED = None  # set in main()


def _visible_sql(user, params: list, *, alias: str = "c") -> str:
    """Visibility by hand: every branch a condition on a cases_case column, so the planner
    can BitmapOr the single-column indexes; team history, area and grants as arrays."""
    c = alias
    conds = [f"{c}.assigned_worker_id = %s"]
    params.append(user.pk)
    if user.agency_id:
        conds += [
            f"{c}.agency_id = %s",
            f"{c}.created_by_agency_id = %s",
            f"{c}.id = ANY(ARRAY(SELECT case_id FROM cases_teamhistory WHERE agency_id = %s))",  # noqa: S608
        ]
        params += [user.agency_id] * 3
    if user.has_capability("cases.view_area") and user.scope_id:
        conds.append(
            f"{c}.location_id = ANY(ARRAY(SELECT id FROM geo_location WHERE path LIKE %s))"  # noqa: S608
        )
        params.append(like_prefix(user.scope.path))
    sql = "(" + " OR ".join(conds) + ")"
    if RESTRICTED:
        sql += (
            f" AND (NOT {c}.restricted"  # noqa: S608
            f" OR {c}.id = ANY(ARRAY(SELECT case_id FROM cases_accessgrant WHERE user_id = %s)))"
        )
        params.append(user.pk)
    return sql


def like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filters_sql(call: Call, params: list, now) -> str:
    where = []
    f = call.filters
    if f.get("status") == "open":
        where.append("c.is_open")
    elif f.get("status") == "closed":
        where.append("NOT c.is_open")
    if f.get("stage"):
        where.append("c.stage = %s")
        params.append(f["stage"])
    if f.get("risk"):
        where.append("c.risk = %s")
        params.append(f["risk"])
    if f.get("overdue"):
        where.append(
            "c.is_open AND EXISTS (SELECT 1 FROM cases_task t WHERE t.case_id = c.id"
            " AND t.done_at IS NULL AND t.due_at < %s)"
        )
        params.append(now)
    if f.get("q"):
        q = f["q"]
        where.append(
            "(upper(c.number) LIKE upper(%s) OR EXISTS (SELECT 1 FROM cases_casechild cc"
            " JOIN registry_person p ON p.id = cc.person_id"
            " WHERE cc.case_id = c.id AND p.given_key LIKE %s))"
        )
        params += ["%" + like_prefix(q)[:-1] + "%", like_prefix(q.lower())]
    return "".join(" AND " + w for w in where)


def raw_page(cur, call: Call) -> tuple[int, list[int]]:
    from django.utils import timezone

    now = timezone.now()
    params: list = []
    where = "WHERE " + _visible_sql(call.user, params) + _filters_sql(call, params, now)
    cur.execute("SELECT count(*) FROM cases_case c " + where, params)  # noqa: S608
    count = cur.fetchone()[0]
    cur.execute(
        "SELECT c.*, l.*, a.*, u.* FROM cases_case c"  # noqa: S608
        " JOIN geo_location l ON l.id = c.location_id"
        " JOIN accounts_agency a ON a.id = c.agency_id"
        " LEFT JOIN accounts_user u ON u.id = c.assigned_worker_id "
        + where
        + " ORDER BY c.opened_at DESC, c.id DESC LIMIT %s",
        [*params, PAGE],
    )
    rows = cur.fetchall()
    ids = [row[0] for row in rows]
    cur.execute(
        "SELECT cc.*, p.* FROM cases_casechild cc JOIN registry_person p ON p.id = cc.person_id"
        " WHERE cc.case_id = ANY(%s) ORDER BY cc.id",
        [ids],
    )
    cur.fetchall()
    return count, ids


def raw_tasks(cur, call: Call) -> tuple[int, list[int]]:
    user = call.user
    params: list = [user.pk]
    mine = "t.assigned_to_id = %s"
    if user.agency_id:
        mine = f"({mine} OR (t.agency_id = %s AND t.assigned_to_id IS NULL))"
        params.append(user.agency_id)
    visible = _visible_sql(user, params)
    cur.execute(
        "SELECT t.*, c.* FROM cases_task t JOIN cases_case c ON c.id = t.case_id"  # noqa: S608
        f" WHERE t.done_at IS NULL AND {mine} AND c.is_open AND {visible}"
        " ORDER BY t.due_at, t.id LIMIT 50",
        params,
    )
    ids = [row[0] for row in cur.fetchall()]
    return len(ids), ids


def raw_overdue(cur, call: Call) -> tuple[int, list[int]]:
    from django.utils import timezone

    params: list = [timezone.now()]
    visible = _visible_sql(call.user, params)
    cur.execute(
        "SELECT t.*, c.*, u.* FROM cases_task t JOIN cases_case c ON c.id = t.case_id"  # noqa: S608
        " LEFT JOIN accounts_user u ON u.id = t.assigned_to_id"
        f" WHERE t.done_at IS NULL AND t.due_at < %s AND c.is_open AND {visible}"
        " ORDER BY t.due_at, t.id LIMIT 50",
        params,
    )
    ids = [row[0] for row in cur.fetchall()]
    return len(ids), ids


def replay(cur, call: Call) -> None:
    for sql in call.replay:
        cur.execute(sql)
        cur.fetchall()


def capture(app: Callable, call: Call) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        app(call)
    return [q["sql"] for q in captured.captured_queries]


# --- Timing ---------------------------------------------------------------------------------


@dataclass
class Variant:
    key: str
    label: str
    calls: list[Call]
    app: Callable
    raw: Callable | None
    kind: str = "page"  # page | tasks | client
    fix: Callable | None = None


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def run_variant(
    variant: Variant, *, queries: int, budget: float, sides: list[str] | None = None
) -> dict:
    from django.db import connection

    if sides is None:
        sides = ["app"] + (["raw", "orm_sql"] if variant.raw is not None else [])
        if variant.fix is not None:
            sides.append("fix")
    times: dict[str, list[float]] = {s: [] for s in sides}
    mismatches: list[str] = []
    results: list[int] = []
    clock = time.perf_counter
    with connection.cursor() as cur:

        def run(side: str, call: Call):
            if side == "app":
                return variant.app(call)
            if side == "raw":
                return variant.raw(cur, call)
            if side == "fix":
                return variant.fix(call)
            if side == "fix_cap":
                return fix_page(call, capped=True)
            return replay(cur, call)

        def prepare(call: Call) -> None:
            # The ORM's SQL for this call, captured once (untimed) for the orm-sql side.
            if "orm_sql" in sides and not call.replay:
                call.replay = capture(variant.app, call)

        # Warm up: every call once on every side, within a third of the budget.
        started = clock()
        for call in variant.calls:
            prepare(call)
            for side in sides:
                run(side, call)
            if clock() - started > budget / 3:
                break
        started = clock()
        for i in range(queries):
            call = variant.calls[i % len(variant.calls)]
            prepare(call)
            order = sides[i % len(sides) :] + sides[: i % len(sides)]
            out = {}
            for side in order:
                t0 = clock()
                out[side] = run(side, call)
                times[side].append((clock() - t0) * 1000)
            results.append(out["app"][0])
            if "fix_cap" in out:
                count, ids = out["app"]
                out["fix_cap_expected"] = (min(count, COUNT_CAP + 1), ids)
            for other in ("raw", "fix", "fix_cap"):
                expected = out.get(f"{other}_expected", out["app"])
                if other in out and expected != out[other]:
                    mismatches.append(
                        f"{other}: user {call.user.username} {call.filters}: app "
                        f"{out['app'][0]} {out['app'][1][:3]}… {other} {out[other][0]} "
                        f"{out[other][1][:3]}…"
                    )
            if clock() - started > budget:
                break
    line = {
        "key": variant.key,
        "label": variant.label,
        "n": len(times["app"]),
        "users": len(variant.calls),
        "count_median": statistics.median(results) if results else 0,
        "mismatches": len(mismatches),
        "mismatch_examples": mismatches[:3],
        "queries_per_call": statistics.fmean(len(c.replay) for c in variant.calls if c.replay)
        if any(c.replay for c in variant.calls)
        else None,
    }
    for side, values in times.items():
        for q in (0.5, 0.95, 0.99):
            line[f"{side}_p{round(q * 100)}"] = round(pct(values, q), 2)
    if "raw" in times:
        line["ratio_p50"] = round(line["app_p50"] / line["raw_p50"], 2)
        line["ratio_p95"] = round(line["app_p95"] / line["raw_p95"], 2)
    return line


def print_table(lines: list[dict]) -> None:
    print(
        "\n| variant | n | users | rows/count (median) | app p50 | app p95 | app p99 "
        "| raw p50 | raw p95 | raw p99 | orm-sql p50 | orm-sql p95 | app/raw p50 | app/raw p95 "
        "| p95 < 100 ms | fix p50 | fix p95 | fix+cap p50 | fix+cap p95 |"
    )
    print(
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"
    )

    def fmt(line, key):
        value = line.get(key)
        return "—" if value is None else f"{value:.2f}"

    for line in lines:
        ok = "yes" if line["app_p95"] < TARGET_P95_MS else "**NO**"
        ratio = line.get("ratio_p50")
        ratio_s = "—" if ratio is None else f"{ratio:.2f}" + (" (>3)" if ratio > GOAL_RATIO else "")
        print(
            f"| {line['label']} | {line['n']} | {line['users']} | {line['count_median']:,.0f} "
            f"| {fmt(line, 'app_p50')} | {fmt(line, 'app_p95')} | {fmt(line, 'app_p99')} "
            f"| {fmt(line, 'raw_p50')} | {fmt(line, 'raw_p95')} | {fmt(line, 'raw_p99')} "
            f"| {fmt(line, 'orm_sql_p50')} | {fmt(line, 'orm_sql_p95')} "
            f"| {ratio_s} | {fmt(line, 'ratio_p95')} | {ok} "
            f"| {fmt(line, 'fix_p50')} | {fmt(line, 'fix_p95')} "
            f"| {fmt(line, 'fix_cap_p50')} | {fmt(line, 'fix_cap_p95')} |"
        )


# --- Plans ----------------------------------------------------------------------------------


def _walk(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def plan_flags(plan: dict) -> list[str]:
    flags = []
    for node in _walk(plan["Plan"]):
        relation = node.get("Relation Name", "")
        kind = node["Node Type"]
        index = node.get("Index Name", "")
        rows = node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
        if relation in BIG_TABLES:
            if kind == "Seq Scan":
                flags.append(f"Seq Scan on {relation} ({rows:,} rows out)")
            removed = node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1)
            # An ordered walk that stops at the LIMIT is the good case; flag long walks.
            long_walk = "Index Cond" not in node and rows + removed > 5000
            if kind in {"Index Scan", "Index Only Scan"} and long_walk:
                flags.append(
                    f"index walk: {kind} using {index} with no Index Cond reads "
                    f"{rows + removed:,} rows"
                )
            if removed > 5000:
                flags.append(f"{kind} on {index or relation} discards {removed:,} rows by Filter")
            if rows > 20_000 and kind != "Seq Scan":
                flags.append(f"{kind} on {index or relation} reads {rows:,} rows")
        if kind == "Sort" and rows > 5000:
            method = node.get("Sort Method", "")
            space = node.get("Sort Space Used", 0)
            flags.append(
                f"Sort of {rows:,} rows ({method}, {space} kB, key {node.get('Sort Key', [])[:2]})"
            )
        if kind in {"Unique", "HashAggregate"} and rows > 5000:
            flags.append(f"{kind} over {rows:,} rows")
        if kind == "Hash Join" and rows > 50_000:
            flags.append(f"Hash Join producing {rows:,} rows")
    return list(dict.fromkeys(flags))


def explain(sql: str, params=None) -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        data = cur.fetchone()[0]
        data = json.loads(data) if isinstance(data, str) else data
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        text = "\n".join(row[0] for row in cur.fetchall())
    plan = data[0]
    return {
        "sql": sql,
        "plan": text,
        "execution_ms": round(plan.get("Execution Time", 0.0), 2),
        "flags": plan_flags(plan),
    }


def explain_variant(variant: Variant, *, fix: bool = False) -> list[dict]:
    """EXPLAIN the ORM's COUNT and list query (the prefetches are point lookups)."""
    call = variant.calls[0]
    out = []
    for sql in capture(variant.fix if fix else variant.app, call):
        if "cases_case" not in sql and "cases_task" not in sql:
            continue
        if "accounts_role" in sql or "django_session" in sql:
            continue
        what = "count" if sql.lstrip().upper().startswith("SELECT COUNT") else "list"
        if '"cases_casechild"' in sql.split("FROM", 1)[1][:40]:
            what = "prefetch children"
        item = explain(sql)
        label = variant.label + (" [proposed shape]" if fix else "")
        item.update(variant=variant.key, label=label, what=what, user=call.user.username)
        out.append(item)
    return out


# --- Main -----------------------------------------------------------------------------------


# Partial indexes tried in a second pass (created, timed, dropped again).
CANDIDATE_INDEXES = {
    "bench_case_open_opened": "ON cases_case (opened_at DESC, id DESC) WHERE is_open",
    "bench_case_open_location": "ON cases_case (location_id) WHERE is_open",
    "bench_case_open_creator": "ON cases_case (created_by_agency_id) WHERE is_open",
    "bench_task_open_due": "ON cases_task (due_at) WHERE done_at IS NULL",
}
COUNT_CAP = 1000


def drop_candidates() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for name in CANDIDATE_INDEXES:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        cur.execute("ANALYZE cases_case")
        cur.execute("ANALYZE cases_task")


def candidate_pass(variants: list[Variant], args) -> tuple[list[dict], list[dict], float]:
    """Time app, raw and the proposed shape again with the candidate indexes in place."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        for name, definition in CANDIDATE_INDEXES.items():
            cur.execute(f'CREATE INDEX IF NOT EXISTS "{name}" {definition}')
        cur.execute("ANALYZE cases_case")
        cur.execute("ANALYZE cases_task")
    built = time.perf_counter() - started
    lines, plans = [], []
    try:
        for variant in variants:
            if variant.key not in {
                "open",
                "overdue",
                "busiest",
                "officer_ub",
                "officer_rural",
                "overdue_tasks",
            }:
                continue
            print(f"\ntiming with candidate indexes: {variant.label} ...", flush=True)
            sides = ["app", "raw"] + (["fix"] if variant.fix else [])
            if variant.key in {"busiest", "officer_ub", "officer_rural"}:
                sides.append("fix_cap")
            line = run_variant(variant, queries=args.queries, budget=args.budget / 2, sides=sides)
            line["ratio_p50"] = round(line["app_p50"] / line["raw_p50"], 2)
            line["ratio_p95"] = round(line["app_p95"] / line["raw_p95"], 2)
            lines.append(line)
            print(
                f"  n={line['n']} app {line['app_p50']}/{line['app_p95']} ms, raw "
                f"{line['raw_p50']}/{line['raw_p95']} ms, fix {line.get('fix_p50')}/"
                f"{line.get('fix_p95')} ms, fix+capped count {line.get('fix_cap_p50')}/"
                f"{line.get('fix_cap_p95')} ms, {line['mismatches']} mismatches",
                flush=True,
            )
            if variant.key in {"busiest", "officer_ub"} and not args.no_explain:
                for item in explain_variant(variant, fix=True):
                    item["label"] += " + candidate indexes"
                    plans.append(item)
    finally:
        drop_candidates()
    return lines, plans, built


def load_user(pk: int):
    from cpims.accounts.models import User

    return User.objects.select_related("scope", "role", "agency").get(pk=pk)


def pick_users(rng: random.Random, count: int) -> dict:
    """Social workers (uniform over MDT workers), the busiest team's worker, officers."""
    from django.db import connection

    from cpims.accounts.models import User

    with connection.cursor() as cur:
        cur.execute(
            "SELECT u.id, count(c.id) FILTER (WHERE c.is_open), count(c.id)"
            " FROM accounts_user u JOIN accounts_agency a ON a.id = u.agency_id"
            " LEFT JOIN cases_case c ON c.agency_id = u.agency_id"
            " WHERE a.kind = 'mdt' GROUP BY u.id ORDER BY u.id"
        )
        workers = cur.fetchall()
    chosen = rng.sample(workers, min(count, len(workers)))
    busiest = max(workers, key=lambda row: (row[1], -row[0]))
    officer_ub = User.objects.get(username=f"cpo-{UB}-1")
    rural = sorted(
        {
            u.split("-")[1]
            for u in User.objects.filter(username__startswith="cpo-").values_list(
                "username", flat=True
            )
        }
        - {UB}
    )
    officer_rural = User.objects.get(username=f"cpo-{rural[0]}-1")
    return {
        "workers": [load_user(row[0]) for row in chosen],
        "team_open": sorted(row[1] for row in chosen),
        "busiest": load_user(busiest[0]),
        "busiest_open": busiest[1],
        "officer_ub": load_user(officer_ub.pk),
        "officer_rural": load_user(officer_rural.pk),
    }


def client_variant(workers: list, queries: int, budget: float) -> dict:
    from django.test import Client

    clients = []
    for user in workers:
        client = Client()
        client.force_login(user)
        clients.append(client)
    times = []
    for i in range(min(len(clients) * 2, 40)):
        clients[i % len(clients)].get("/cases/?status=open")
    started = time.perf_counter()
    sizes = []
    for i in range(queries):
        t0 = time.perf_counter()
        response = clients[i % len(clients)].get("/cases/?status=open")
        times.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"/cases/ answered {response.status_code}")
        sizes.append(len(response.content))
        if time.perf_counter() - started > budget:
            break
    line = {
        "key": "client",
        "label": "full page, test Client `/cases/?status=open` (worker)",
        "n": len(times),
        "users": len(clients),
        "count_median": statistics.median(sizes),
    }
    for q in (0.5, 0.95, 0.99):
        line[f"app_p{round(q * 100)}"] = round(pct(times, q), 2)
    return line


def main() -> None:
    args = parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url:
        sys.exit(
            "set DATABASE_URL to the PostgreSQL server, "
            "e.g. postgres://postgres@127.0.0.1:5432/postgres"
        )
    run_started = time.perf_counter()
    url = bench_database_url(server_url)
    reused = prepare_database(server_url, keep=args.keep)
    setup_django(url)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from cpims.core.bootstrap import bootstrap

    info = machine()
    print(f"machine: {json.dumps(info, ensure_ascii=False)}", flush=True)
    rng = random.Random(args.seed)
    load = None
    if reused:
        call_command("migrate", verbosity=0)  # the schema may have moved on since the load
        drop_candidates()  # left over from an interrupted run
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM cases_case")
            n = cur.fetchone()[0]
        print(f"--keep: reusing {DB_NAME} with {n:,} cases (no load)", flush=True)
    else:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        bootstrap()
        print(f"migrated and bootstrapped in {time.perf_counter() - started:.1f} s", flush=True)
        create_world(rng)
        from cpims.accounts.models import Agency, User

        print(
            f"agencies: {Agency.objects.count()} ({Agency.objects.filter(kind='mdt').count()} "
            f"MDTs), users: {User.objects.count()}",
            flush=True,
        )
        world = world_from_db()
        load = load_cases(args.cases, args.seed, world)
        n = args.cases
        load["vacuum_analyze_s"] = round(vacuum_analyze(), 1)
        print(f"load: {json.dumps(load)}", flush=True)

    with connection.cursor() as cur:
        cur.execute(
            "SELECT relname, n_live_tup, pg_size_pretty(pg_total_relation_size(relid))"
            " FROM pg_stat_user_tables WHERE relname = ANY(%s) ORDER BY relname",
            [sorted(BIG_TABLES)],
        )
        sizes = cur.fetchall()
        cur.execute("SELECT count(*) FILTER (WHERE is_open), count(*) FROM cases_case")
        open_cases, total = cur.fetchone()
        cur.execute("SELECT count(*) FROM cases_task WHERE done_at IS NULL AND due_at < now()")
        overdue_tasks = cur.fetchone()[0]
    for name, rows, size in sizes:
        print(f"  {name}: ~{rows:,} rows, {size}")
    print(f"open cases {open_cases:,} of {total:,}; overdue tasks {overdue_tasks:,}")

    global RESTRICTED
    RESTRICTED = restriction_rule()
    print(f"selector hides restricted cases (raw side follows): {RESTRICTED}")
    settings.DEBUG = False  # no query log while timing (CaptureQueriesContext forces it)
    # Its own generator, so a --keep run times the same users as the run that loaded.
    users = pick_users(random.Random(args.seed + 1), args.workers)
    workers = users["workers"]
    print(
        f"timing over {len(workers)} social workers (their team's open cases: "
        f"min {users['team_open'][0]}, median {statistics.median(users['team_open'])}, "
        f"max {users['team_open'][-1]}); busiest team {users['busiest'].username} "
        f"({users['busiest_open']} open); officers {users['officer_ub'].username}, "
        f"{users['officer_rural'].username}",
        flush=True,
    )
    from cpims.cases.selectors import case_list

    q_calls = []
    for user in workers:
        sample = case_list(user).order_by("?").values_list("number", flat=True).first() or "11-"
        q_calls.append(Call(user, {"q": sample[:11]}))
    variants = [
        Variant(
            "open",
            "worker: open cases (the default list)",
            [Call(u, {"status": "open"}) for u in workers],
            app_page,
            raw_page,
            fix=fix_page,
        ),
        Variant(
            "high",
            "worker: open + risk=high",
            [Call(u, {"status": "open", "risk": "high"}) for u in workers],
            app_page,
            raw_page,
            fix=fix_page,
        ),
        Variant(
            "overdue",
            "worker: overdue=True",
            [Call(u, {"overdue": True}) for u in workers],
            app_page,
            raw_page,
            fix=fix_page,
        ),
        Variant(
            "stage",
            "worker: stage=initial_assessment",
            [Call(u, {"stage": "initial_assessment"}) for u in workers],
            app_page,
            raw_page,
            fix=fix_page,
        ),
        Variant(
            "q",
            "worker: q=case number prefix (11 chars)",
            q_calls,
            app_page,
            raw_page,
            fix=fix_page,
        ),
        Variant(
            "busiest",
            "busiest team's worker: open cases",
            [Call(users["busiest"], {"status": "open"})],
            app_page,
            raw_page,
            fix=fix_page,
        ),
        Variant(
            "officer_ub",
            f"cp_officer, area {UB} (Ulaanbaatar): open cases",
            [Call(users["officer_ub"], {"status": "open"})],
            app_page,
            raw_page,
            fix=fix_page,
        ),
        Variant(
            "officer_rural",
            f"cp_officer, area {users['officer_rural'].scope.code}: open cases",
            [Call(users["officer_rural"], {"status": "open"})],
            app_page,
            raw_page,
            fix=fix_page,
        ),
        Variant(
            "tasks",
            "tasks_for_user(worker)[:50]",
            [Call(u) for u in workers],
            app_tasks,
            raw_tasks,
            "tasks",
        ),
        Variant(
            "overdue_tasks",
            f"overdue_tasks_visible_to(officer {UB})[:50]",
            [Call(users["officer_ub"])],
            app_overdue,
            raw_overdue,
            "tasks",
        ),
    ]
    lines = []
    for variant in variants:
        started = time.perf_counter()
        print(f"\ntiming {variant.label} ...", flush=True)
        line = run_variant(variant, queries=args.queries, budget=args.budget)
        lines.append(line)
        print(
            f"  n={line['n']} app p50/p95 {line['app_p50']}/{line['app_p95']} ms, raw "
            f"{line['raw_p50']}/{line['raw_p95']} ms, orm-sql {line['orm_sql_p50']}/"
            f"{line['orm_sql_p95']} ms, fix {line.get('fix_p50')}/{line.get('fix_p95')} ms, "
            f"{line['mismatches']} mismatches "
            f"({time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        for example in line["mismatch_examples"]:
            print(f"    mismatch: {example}")
    print("\ntiming the full page through the test Client ...", flush=True)
    client = client_variant(workers, args.queries, args.budget)
    main_line = lines[0]
    client["ratio_p50"] = round(client["app_p50"] / main_line["raw_p50"], 2)
    client["ratio_p95"] = round(client["app_p95"] / main_line["raw_p95"], 2)
    lines.append(client)

    print("\n## Case list results")
    print(
        f"N = {n:,} cases ({open_cases:,} open), up to {args.queries} timed calls per variant "
        f"(budget {args.budget:.0f} s), {len(workers)} social workers rotated. Times in ms. "
        "raw = hand-written SQL, orm-sql = the ORM's own SQL replayed through the cursor; "
        "the Client row's ratio is against the raw side of the default list."
    )
    print_table(lines)

    plans: list[dict] = []
    if not args.no_explain:
        for variant in variants:
            if variant.key in {
                "open",
                "busiest",
                "officer_ub",
                "overdue",
                "q",
                "tasks",
                "overdue_tasks",
            }:
                plans += explain_variant(variant)
            if variant.key in {"open", "busiest", "officer_ub", "q"} and variant.fix is not None:
                plans += explain_variant(variant, fix=True)
        # The hand-written list for comparison.
        call = variants[0].calls[0]
        params: list = []
        where = "WHERE " + _visible_sql(call.user, params) + _filters_sql(call, params, None)
        raw_item = explain(
            "SELECT c.id FROM cases_case c " + where + " ORDER BY c.opened_at DESC, c.id DESC"  # noqa: S608
            " LIMIT 25",
            params,
        )
        raw_item.update(variant="open", label="raw list", what="raw list", user="")
        plans.append(raw_item)
        print("\n### EXPLAIN (ANALYZE, BUFFERS)")
        for item in plans:
            print(
                f"\n--- {item['label']} / {item['what']} ({item['user']}): "
                f"{item['execution_ms']} ms -> {'; '.join(item['flags']) or 'ok'}"
            )
            print(item["sql"])
            print(item["plan"])
        print("\n### Plan findings")
        for item in plans:
            flags = "; ".join(item["flags"]) or "no scan or big sort"
            print(f"- {item['label']} / {item['what']} ({item['execution_ms']} ms): {flags}")

    candidate_lines: list[dict] = []
    if not args.no_candidates:
        candidate_lines, candidate_plans, built = candidate_pass(variants, args)
        print("\n## With candidate partial indexes (created for this pass, dropped after)")
        print(
            f"Built in {built:.1f} s: "
            + "; ".join(f"{name} {d}" for name, d in CANDIDATE_INDEXES.items())
            + f". Budget {args.budget / 2:.0f} s per variant; orm-sql not re-timed."
        )
        print_table(candidate_lines)
        for item in candidate_plans:
            print(
                f"\n--- {item['label']} / {item['what']} ({item['user']}): "
                f"{item['execution_ms']} ms -> {'; '.join(item['flags']) or 'ok'}"
            )
            print(item["sql"])
            print(item["plan"])
        plans += candidate_plans

    total = time.perf_counter() - run_started
    print(f"\ntotal run {total:.0f} s")
    if args.json:
        payload = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": info,
            "n": n,
            "open": open_cases,
            "overdue_tasks": overdue_tasks,
            "load": load,
            "lines": lines,
            "candidate_lines": candidate_lines,
            "candidate_indexes": CANDIDATE_INDEXES,
            "plans": [{k: v for k, v in p.items()} for p in plans],
            "total_s": round(total),
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
