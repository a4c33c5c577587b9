"""Every main interactive screen, signed in as the role that uses it: p50/p95 and query count.

Issue 10's goal: p95 under 100 ms for every interactive screen at national scale on
PostgreSQL. On a generated database (``manage.py generate_demo``; national scale in
``cpims_national``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cpims_national \\
        .venv/bin/python bench/screens.py --runs 5

or CI-sized, on a temporary SQLite database filled with ``generate_demo --scale small``:

    .venv/bin/python bench/screens.py --prepare small --runs 3

Each screen is a GET through Django's test Client in this process (DEBUG off, signed in with
``force_login`` as the generated user of the role), the server-rendered pages from the apps'
URL confs and the API list endpoints. One warm-up request (its queries are captured: the
count and the slowest one), then ``--runs`` timed requests. Record pages open a different
record on every request, picked as a user would reach it: the busiest team's social worker
opens their own cases (then the team's), their cases' children and referrals, random persons
they can see; the counsellor opens their own contacts. Dashboards and indicator pages are
bench/dashboards.py's.

Roles the generator does not create (auditor, sysadmin, service provider) are signed in as
``bench-screens-<role>`` users, created once (unusable password) and kept. The counsellor's
contact form needs a draft: one is saved (no audit row) for the timed requests and deleted
after. Otherwise the bench only reads (the views' own audit rows and session saves aside).

Prints a Markdown table (n, p50, p95, max, queries, p95 < 100 ms) and a summary line;
``--json`` writes the rows; ``--explain`` runs EXPLAIN (ANALYZE, BUFFERS) on the slowest
query of every screen over the goal (PostgreSQL).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboards import ms, p50, p95, setup_django  # the sibling bench's helpers

GOAL_S = 0.100
BENCH_PREFIX = "bench-screens"


@dataclass
class Screen:
    label: str
    role: str
    urls: Callable[[int], str] | str  # a fixed URL, or the i-th request's URL

    @property
    def api(self) -> bool:
        return self.url(0).startswith("/api/")

    def url(self, i: int) -> str:
        return self.urls if isinstance(self.urls, str) else self.urls(i)


# --- who signs in -----------------------------------------------------------------------------
def bench_user(role_code: str, agency, scope):
    """A user of a role the generator does not create (kept for later runs)."""
    from cpims.accounts.models import Role, User

    user, created = User.objects.get_or_create(
        username=f"{BENCH_PREFIX}-{role_code}",
        defaults={
            "role": Role.objects.get(code=role_code),
            "agency": agency,
            "scope": scope,
            "first_name": role_code,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def sign_ins() -> dict:
    """The generated users of each role, the busiest team's social worker among them."""
    from django.db.models import Count, Q

    from cpims.accounts.models import Agency, User
    from cpims.cases.models import Case
    from cpims.geo.models import Location
    from cpims.helpline.models import Contact

    users = {
        "analyst": User.objects.get(username="gen-analyst"),
        "officer": User.objects.get(username="gen-officer-11"),
        "supervisor": User.objects.get(username="gen-supervisor"),
    }
    busiest = (
        Case.objects.filter(is_open=True)
        .values("agency")
        .annotate(n=Count("pk"))
        .order_by("-n", "agency")
        .first()["agency"]
    )
    team = User.objects.filter(agency_id=busiest, role__code="social_worker")
    # the team member with the most open cases of their own
    users["worker"] = (
        team.annotate(n=Count("assigned_cases", filter=Q(assigned_cases__is_open=True)))
        .order_by("-n", "pk")
        .first()
    )
    counsellor_id = (
        Contact.objects.filter(counsellor__isnull=False)
        .values("counsellor")
        .annotate(n=Count("pk"))
        .order_by("-n", "counsellor")
        .first()["counsellor"]
    )
    users["counsellor"] = User.objects.get(pk=counsellor_id)
    country = Location.objects.get(depth=0)
    national = users["analyst"].agency
    provider = Agency.objects.filter(kind=Agency.Kind.NGO).order_by("code").first() or national
    users["auditor"] = bench_user("auditor", national, country)
    users["sysadmin"] = bench_user("sysadmin", national, country)
    users["provider"] = bench_user("service_provider", provider, provider.location)
    return users


# --- the records a user opens -----------------------------------------------------------------
def sample(qs, n: int, rng: random.Random) -> list[int]:
    """n primary keys of a queryset drawn at random (not one cached row): random candidate
    keys between the table's first and last, kept where the queryset has them."""
    from django.db.models import Max, Min

    bounds = qs.model.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    found: list[int] = []
    for _ in range(6):
        size = min(bounds["high"] - bounds["low"] + 1, 5000)
        candidates = rng.sample(range(bounds["low"], bounds["high"] + 1), size)
        hits = set(qs.filter(pk__in=candidates).values_list("pk", flat=True))
        found += [pk for pk in candidates if pk in hits and pk not in found]
        if len(found) >= n:
            break
    if len(found) < n:  # a sparse queryset (a user's own records): take what there is
        found += [pk for pk in qs.order_by("?").values_list("pk", flat=True)[:n] if pk not in found]
    return found[:n]


def records(users: dict, n: int, rng: random.Random) -> dict[str, list]:
    from cpims.cases.models import Case, CaseChild
    from cpims.cases.selectors import cases_visible_to
    from cpims.helpline.selectors import contacts_visible_to
    from cpims.referrals.selectors import referrals_visible_to
    from cpims.registry.models import Person
    from cpims.registry.selectors import persons_visible_to

    worker, officer, counsellor = users["worker"], users["officer"], users["counsellor"]
    visible = cases_visible_to(worker)
    own = sample(visible.filter(assigned_worker=worker, is_open=True), n, rng)
    own += sample(visible.filter(agency=worker.agency_id), n - len(own), rng)
    children = list(
        CaseChild.objects.filter(case_id__in=own, is_primary=True).values_list(
            "person_id", flat=True
        )
    )
    persons = sample(persons_visible_to(worker), n, rng)
    names = list(Person.objects.filter(pk__in=persons).values_list("family_name", "given_name")[:n])
    out = {
        "worker_cases": own,
        "worker_children": children or persons,
        "worker_persons": persons,
        "searches": [f"{f[:4]} {g[:3]}".strip() for f, g in names] or ["aa"],
        "officer_cases": sample(cases_visible_to(officer), n, rng),
        "officer_persons": sample(persons_visible_to(officer), n, rng),
        "worker_referrals": sample(
            referrals_visible_to(worker).filter(case__agency=worker.agency_id), n, rng
        ),
        "provider_referrals": sample(referrals_visible_to(users["provider"]), n, rng),
        "contacts": sample(contacts_visible_to(counsellor).filter(counsellor=counsellor), n, rng),
        "places": ["11", "1107", "Улаан", "Khovd"],
    }
    phones = list(
        contacts_visible_to(counsellor)
        .filter(pk__in=out["contacts"])
        .exclude(caller_phone="")
        .values_list("caller_phone", flat=True)
    )
    out["phones"] = phones or ["99110000"]
    if not out["worker_referrals"]:
        out["worker_referrals"] = sample(referrals_visible_to(worker), n, rng)
    out["case_numbers"] = list(
        Case.objects.filter(pk__in=own).values_list("number", flat=True)
    ) or ["11"]
    return out


def first_pk(model, **filters) -> list[int]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)[:5])


def screens(users: dict, rec: dict) -> list[Screen]:
    from cpims.finance.models import AllocationProposal, Scenario
    from cpims.justice.models import Inspection
    from cpims.workforce.models import StaffMember, TrainingSession

    def each(key: str, fmt: str) -> Callable[[int], str] | None:
        values = rec.get(key) or []
        if not values:
            return None
        return lambda i: fmt.format(values[i % len(values)])

    rows: list[tuple[str, str, Callable | str | None]] = [
        ("home", "worker", "/"),
        ("case list", "worker", "/cases/"),
        ("case list, open, high risk", "worker", "/cases/?status=open&risk=high"),
        ("case search by number", "worker", each("case_numbers", "/cases/?q={}")),
        ("case detail (own cases)", "worker", each("worker_cases", "/cases/{}/")),
        ("task list", "worker", "/cases/tasks/"),
        ("register a case (form)", "worker", "/cases/new/"),
        ("person search", "worker", each("searches", "/registry/?q={}")),
        ("person page (case children)", "worker", each("worker_children", "/registry/{}/")),
        ("person page (random visible)", "worker", each("worker_persons", "/registry/{}/")),
        ("referrals: directory", "worker", "/services/"),
        ("referral page", "worker", each("worker_referrals", "/services/{}/")),
        ("justice overview", "worker", "/justice/"),
        ("labour inspections", "worker", "/justice/inspections/"),
        ("notifications", "worker", "/notifications/"),
        ("my workforce record", "worker", "/workforce/me/"),
        ("trainings", "worker", "/workforce/trainings/"),
        ("supervision", "worker", "/workforce/supervision/"),
        ("places", "worker", "/places/"),
        ("places: capital", "worker", "/places/11/"),
        ("case list (capital)", "officer", "/cases/"),
        ("case list (capital), overdue", "officer", "/cases/?overdue=on"),
        ("case detail (area)", "officer", each("officer_cases", "/cases/{}/")),
        ("person page (area)", "officer", each("officer_persons", "/registry/{}/")),
        ("staff list", "officer", "/workforce/"),
        ("referral activities", "officer", "/services/activities/"),
        ("helpline screen", "counsellor", "/helpline/"),
        ("contact list", "counsellor", "/helpline/contacts/"),
        ("contact list by phone", "counsellor", each("phones", "/helpline/contacts/?phone={}")),
        ("contact detail (own)", "counsellor", each("contacts", "/helpline/contacts/{}/")),
        ("caller lookup (htmx)", "counsellor", each("phones", "/helpline/lookup/?phone={}")),
        ("place picker (htmx)", "counsellor", each("places", "/helpline/places/?q={}")),
        ("callbacks queue", "counsellor", "/helpline/callbacks/"),
        ("supervisor board", "supervisor", "/helpline/board/"),
        ("staffing", "supervisor", "/helpline/staffing/"),
        ("callbacks queue", "supervisor", "/helpline/callbacks/"),
        ("taxonomy", "supervisor", "/helpline/taxonomy/"),
        ("referrals inbox", "provider", "/services/inbox/"),
        ("referral page (received)", "provider", each("provider_referrals", "/services/{}/")),
        ("finance: costs", "analyst", "/finance/costs/"),
        ("finance: gap", "analyst", "/finance/gap/"),
        ("finance: budget", "analyst", "/finance/budget/"),
        ("finance: reference data", "analyst", "/finance/reference/"),
        ("finance: unit costs", "analyst", "/finance/unit-costs/"),
        ("finance: scenarios", "analyst", "/finance/scenarios/"),
        ("finance: allocations", "analyst", "/finance/allocations/"),
        ("referral report", "analyst", "/services/report/"),
        ("audit log", "auditor", "/audit/"),
        ("jobs", "sysadmin", "/jobs/"),
        ("users", "sysadmin", "/accounts/users/"),
        ("agencies", "sysadmin", "/accounts/agencies/"),
        ("API cases", "worker", "/api/v1/cases/"),
        ("API case", "worker", each("worker_cases", "/api/v1/cases/{}/")),
        ("API tasks", "worker", "/api/v1/tasks/"),
        ("API persons", "worker", "/api/v1/persons/"),
        ("API person", "worker", each("worker_persons", "/api/v1/persons/{}/")),
        ("API referrals", "worker", "/api/v1/referrals/"),
        ("API cases (capital)", "officer", "/api/v1/cases/"),
        ("API contacts", "counsellor", "/api/v1/contacts/"),
        ("API contact", "counsellor", each("contacts", "/api/v1/contacts/{}/")),
        ("API callbacks", "counsellor", "/api/v1/callbacks/"),
    ]
    # detail pages of records the generator does not make: timed only where there are some
    for label, role, model, fmt in [
        ("staff member", "officer", StaffMember, "/workforce/staff/{}/"),
        ("training", "officer", TrainingSession, "/workforce/trainings/{}/"),
        ("labour inspection", "worker", Inspection, "/justice/inspections/{}/"),
        ("finance: scenario", "analyst", Scenario, "/finance/scenarios/{}/"),
        ("finance: allocation", "analyst", AllocationProposal, "/finance/allocations/{}/"),
    ]:
        rec[label] = first_pk(model)
        rows.append((label, role, each(label, fmt)))
    return [Screen(label, role, urls) for label, role, urls in rows if urls]


# --- timing -------------------------------------------------------------------------------------
def draft_for(counsellor, phone: str):
    """A draft contact for the contact form (saved without an audit row; deleted after)."""
    from cpims.helpline.services import _draft

    contact = _draft(actor=counsellor, caller_phone=phone, call_type="data")
    contact.save()
    return contact


def measure(client, screen: Screen, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get(i: int):
        url = screen.url(i)
        response = client.get(url, HTTP_ACCEPT="application/json" if screen.api else "text/html")
        if response.status_code not in (200, 204):
            raise RuntimeError(f"{url} as {screen.role}: HTTP {response.status_code}")
        return response

    with CaptureQueriesContext(connection) as captured:
        response = get(0)  # warm-up; its queries are counted
    queries = [(float(q["time"] or 0), q["sql"]) for q in captured.captured_queries]
    times = []
    for i in range(1, runs + 1):
        started = time.perf_counter()
        get(i)
        times.append(time.perf_counter() - started)
    slowest = max(queries, default=(0.0, ""))
    return {
        "label": screen.label,
        "role": screen.role,
        "url": screen.url(1),
        "n": len(times),
        "times": times,
        "p50": p50(times),
        "p95": p95(times),
        "max": max(times),
        "queries": len(queries),
        "bytes": len(response.content),
        "slowest_ms": slowest[0] * 1000,
        "slowest_sql": slowest[1],
        "ok": p95(times) < GOAL_S,
    }


def bench(users: dict, rec: dict, runs: int, match: str) -> list[dict]:
    from django.test import Client

    clients: dict[str, Client] = {}
    out = []
    # As a server worker: gunicorn freezes the heap it preloaded (deploy/gunicorn.conf.py), so
    # a full garbage collection does not walk Django, the app and here the bench's own setup
    # (without it one request in ~15 paid a 100 ms collection, and with n = 5 p95 is the max).
    gc.collect()
    gc.freeze()
    for screen in screens(users, rec):
        if match not in screen.label:
            continue
        if screen.role not in clients:
            clients[screen.role] = Client()
            clients[screen.role].force_login(users[screen.role])
        row = measure(clients[screen.role], screen, runs)
        out.append(row)
        print(
            f"  {screen.role:<10} {screen.label:<32} p50 {ms(row['p50']):>6} ms  "
            f"p95 {ms(row['p95']):>6} ms  {row['queries']:>3} queries",
            flush=True,
        )
    if match in "contact form (draft)":
        out.append(contact_form(clients.get("counsellor"), users["counsellor"], rec, runs))
    return out


def contact_form(client, counsellor, rec: dict, runs: int) -> dict:
    from django.test import Client

    if client is None:
        client = Client()
        client.force_login(counsellor)
    draft = draft_for(counsellor, rec["phones"][0])
    edit_url = f"/helpline/contacts/{draft.pk}/edit/"
    try:
        row = measure(
            client,
            Screen("contact form (new draft)", "counsellor", edit_url),
            runs,
        )
    finally:
        draft.delete()
    print(
        f"  counsellor {row['label']:<32} p50 {ms(row['p50']):>6} ms  "
        f"p95 {ms(row['p95']):>6} ms  {row['queries']:>3} queries"
    )
    return row


def explain(sql: str) -> str:
    from django.db import connection

    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


# --- report -----------------------------------------------------------------------------------
def print_table(rows: list[dict]) -> None:
    print("\n| screen | signed in as | URL | n | p50 ms | p95 ms | max ms | queries | < 100 ms |")
    print("|---|---|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['label']} | {r['role']} | `{r['url']}` | {r['n']} | {ms(r['p50'])} | "
            f"{ms(r['p95'])} | {ms(r['max'])} | {r['queries']} | "
            f"{'yes' if r['ok'] else '**no**'} |"
        )
    over = [r for r in rows if not r["ok"]]
    print(
        f"\n{len(rows) - len(over)} of {len(rows)} screens have p95 < 100 ms"
        + (f"; over: {', '.join(r['role'] + ' ' + r['label'] for r in over)}" if over else "")
    )


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        return "n/a"


def prepare_sqlite(scale: str, tmp: str) -> str:
    url = f"sqlite:///{tmp}/screens.sqlite3"
    setup_django(url)
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("generate_demo", scale=scale, seed=1, stdout=io.StringIO())
    print(
        f"prepared SQLite: generate_demo --scale {scale} in {time.perf_counter() - started:.0f} s"
    )
    return url


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prepare", choices=["small"], default=None)
    parser.add_argument("--match", default="", help="time only the screens whose label has this")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest query")
    parser.add_argument("--json", type=Path, help="write the rows here too")
    args = parser.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="cpims-screens-") if args.prepare else None
    try:
        if args.prepare:
            prepare_sqlite(args.prepare, tmp)
        else:
            setup_django(os.environ.get("DATABASE_URL", ""))
        from django.db import connection

        print(f"{platform.node()} · {os.cpu_count()} CPUs · {connection.vendor}")
        print(f"load before: {loadavg()}")
        users = sign_ins()
        print(f"users: { {k: u.username for k, u in users.items()} }")
        rec = records(users, args.runs + 1, random.Random(args.seed))
        rows = bench(users, rec, args.runs, args.match)
        print(f"load after: {loadavg()}")
        print_table(rows)
        if args.explain:
            for r in rows:
                if not r["ok"] and r["slowest_sql"]:
                    print(f"\n### {r['role']} {r['label']}: slowest query {r['slowest_ms']:.0f} ms")
                    print(r["slowest_sql"][:2000])
                    print(explain(r["slowest_sql"]))
        if args.json:
            payload = {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "vendor": connection.vendor,
                "load": loadavg(),
                "runs": args.runs,
                "screens": rows,
            }
            args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
        return rows
    finally:
        if tmp:
            from django.db import connections

            connections.close_all()
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
