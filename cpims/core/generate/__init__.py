"""A realistic, national-size synthetic dataset, bulk-loaded (``manage.py generate_demo``).

Builds, for every aimag and every soum/district of the location tree: an aimag department with a
child protection officer, a soum/district multidisciplinary team (MDT) with social workers sized
to its caseload, and a service provider; a helpline with counsellors and a supervisor; persons
(names from :func:`cpims.registry.synthetic.generate_persons`, with their search keys and phones);
helpline contacts (most of them non-counselling: silent, blank, hang-ups, pranks, unanswered);
cases with their child, harms, initial assessment, tasks (some overdue), referrals and service
deliveries. Skews: the capital holds ~45 % of the people (so of the cases), remote soums are
small; contacts and cases peak in winter (Tsagaan Sar) and the summer holidays (Naadam), and
calls peak in the evening.

Rows are inserted in bulk, never one save per row: ``COPY`` on PostgreSQL, ``bulk_create`` on
SQLite (:mod:`.loader`); timestamps normally set by ``auto_now``/``auto_now_add`` are given
explicitly so the history spreads over three years. The audit events the records imply are
chained and appended at the end (:mod:`.audit`), so ``manage.py verify_audit`` passes.
Deterministic for a given ``(scale, seed)`` apart from the current date.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from cpims.accounts.models import Agency, Role
from cpims.cases.models import Assessment, Case, Task
from cpims.core.bootstrap import bootstrap
from cpims.core.generate.audit import AuditLog
from cpims.core.generate.base import (
    PREFIX,
    SCALES,
    AlreadyGenerated,
    Clock,
    Report,
    Scale,
    given_timestamps,
)
from cpims.core.generate.cases import CasesStep
from cpims.core.generate.contacts import ContactsStep
from cpims.core.generate.loader import tune_session
from cpims.core.generate.organisation import OrganisationStep
from cpims.core.generate.persons import PersonsStep
from cpims.core.generate.referrals import ReferralsStep
from cpims.geo.models import Location
from cpims.helpline.models import Category, Contact, current_version
from cpims.referrals.models import Delivery, Referral

__all__ = ["SCALES", "AlreadyGenerated", "Generator", "Report", "Scale", "generate_demo"]


class Generator(PersonsStep, OrganisationStep, CasesStep, ReferralsStep, ContactsStep):
    def __init__(
        self,
        *,
        scale: str,
        seed: int = 1,
        log: Callable[[str], None] = lambda _: None,
        now: datetime | None = None,
    ):
        self.scale_name = scale
        self.scale = SCALES[scale]
        self.seed = seed
        self.rng = random.Random(seed)
        self.log = log
        self.now = now or timezone.now()
        self.clock = Clock(self.rng, self.now)
        self.report = Report(scale=scale)
        self.password = make_password(settings.CPIMS_DEMO_PASSWORD)
        self.audit = AuditLog()

    def run(self) -> Report:
        if Agency.objects.filter(code=f"{PREFIX}-helpline").exists():
            raise AlreadyGenerated("generated data is already present: use a fresh database")
        tune_session()
        self._step("setup", self._setup)
        self._step("persons", self._persons)
        self._step("organisation", self._organisation)
        with given_timestamps(Case, Task, Referral, Delivery, Contact, Assessment):
            self._step("cases", self._cases)
            self._step("referrals", self._referrals)
            self._step("contacts", self._contacts)
        self._step("audit", self._audit)
        self._step("analyze", analyze)
        return self.report

    def _audit(self) -> None:
        self._count("audit_events", self.audit.write())

    def _step(self, name: str, fn: Callable[[], None]) -> None:
        started = time.perf_counter()
        fn()
        self.report.seconds[name] = round(time.perf_counter() - started, 2)
        self.log(f"{name}: {self.report.seconds[name]} s")

    def _count(self, name: str, n: int) -> None:
        self.report.counts[name] += n

    def _setup(self) -> None:
        bootstrap()
        locations = list(Location.objects.filter(is_active=True))
        self.by_code = {loc.code: loc for loc in locations}
        self.country = next(loc for loc in locations if loc.depth == 0)
        self.aimags = [loc for loc in locations if loc.level == Location.Level.AIMAG]
        self.soums = [loc for loc in locations if loc.level == Location.Level.SOUM]
        # An aimag whose soums are not in the tree (the shipped tree has a few aimags in full)
        # stands for itself: its own team, people and cases, so every aimag has data.
        with_soums = {s.parent_id for s in self.soums}
        self.soums += [a for a in self.aimags if a.pk not in with_soums]
        self.bags_of: dict[int, list[Location]] = defaultdict(list)
        soum_by_id = {s.pk: s for s in self.soums}
        for loc in locations:
            if loc.level == Location.Level.BAG and loc.parent_id in soum_by_id:  # khoroo
                self.bags_of[loc.parent_id].append(loc)
        self.soum_of_loc = {s.pk: s for s in self.soums}
        for soum_id, bags in self.bags_of.items():
            for bag in bags:
                self.soum_of_loc[bag.pk] = soum_by_id[soum_id]
        self.aimag_of_soum = {s.pk: self.by_code[s.path.split("/")[1]] for s in self.soums}
        self.places = [(self.aimag_of_soum[s.pk].code, s.code) for s in self.soums]
        self.roles = {r.code: r for r in Role.objects.all()}
        self.taxonomy = current_version()
        self.categories = list(Category.objects.filter(version=self.taxonomy).values_list("pk"))
        self.categories = [pk for (pk,) in self.categories]


def analyze() -> None:
    """Planner statistics for the bulk-loaded tables, as a bulk load should end: without them
    (a server with autovacuum off, or queries before it catches up) PostgreSQL plans every
    query on default estimates — 40 agencies, 405 cases for a team of 32,652 — and picks
    nested loops and sequential scans a national database cannot afford."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def generate_demo(*, scale: str, seed: int = 1, log: Callable[[str], None] = print) -> Report:
    if not settings.CPIMS_DEMO:
        raise RuntimeError("generated data is only loaded in demo mode (CPIMS_DEMO=1)")
    return Generator(scale=scale, seed=seed, log=log).run()
