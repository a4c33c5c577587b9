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

Rows are inserted with ``bulk_create`` in batches inside one transaction per batch, never one
save per row; timestamps normally set by ``auto_now``/``auto_now_add`` are given explicitly so
the history spreads over three years. No audit events are written for generated rows.
Deterministic for a given ``(scale, seed)`` apart from the current date.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cpims.accounts.models import Agency, Role, User
from cpims.cases.choices import Harm, Origin, Risk, Stage, TaskKind
from cpims.cases.models import Assessment, Case, CaseChild, CaseHarm, CaseSequence, Task
from cpims.core.bootstrap import bootstrap
from cpims.geo.models import Location
from cpims.helpline.choices import CallerKind, CallType, Channel, ChildSex, Outcome, Status, Urgency
from cpims.helpline.models import Category, Contact, ContactCategory, ContactChild, current_version
from cpims.referrals.choices import Level, ServiceType, Unit
from cpims.referrals.choices import Status as ReferralStatus
from cpims.referrals.choices import Urgency as ReferralUrgency
from cpims.referrals.models import Coverage, Delivery, Referral, Service
from cpims.registry.identity.phone import PhoneError, normalise_phone
from cpims.registry.identity.regno import RegnoError, parse_regno
from cpims.registry.keys import apply_keys
from cpims.registry.models import Person, PersonPhone
from cpims.registry.synthetic import generate_persons


@dataclass(frozen=True)
class Scale:
    persons: int
    contacts: int
    cases: int


SCALES: dict[str, Scale] = {
    "small": Scale(persons=2_000, contacts=2_000, cases=500),
    "medium": Scale(persons=50_000, contacts=50_000, cases=15_000),
    "national": Scale(persons=1_000_000, contacts=1_000_000, cases=300_000),
}

PREFIX = "gen"
BATCH = 2_000
PERSON_CHUNK = 50_000  # generate_persons is called per chunk, so memory stays flat
CASES_PER_WORKER = 80  # cases (open and closed, three years) per generated social worker
HISTORY_YEARS = 3
# Relative volume per month (Jan..Dec): Tsagaan Sar in winter, school holidays and Naadam.
MONTH_WEIGHTS = (1.15, 1.25, 0.95, 0.9, 1.0, 1.25, 1.45, 1.3, 0.85, 0.9, 0.95, 1.05)
# Calls per hour of the day (local time): quiet at night, peak after school and in the evening.
HOUR_WEIGHTS = (
    (0.3,) * 6 + (0.5, 0.8, 1.0, 1.1, 1.2, 1.2) + (1.3, 1.4, 1.6, 1.8, 2.0, 2.2) + (2.1, 1.8)
) + (1.4, 1.0, 0.7, 0.4)
# Non-counselling contacts are the large majority on a national child helpline.
CALL_TYPE_WEIGHTS = {
    CallType.DATA: 22,
    CallType.SILENT: 20,
    CallType.BLANK: 12,
    CallType.HANG_UP: 18,
    CallType.PRANK: 10,
    CallType.WRONG_NUMBER: 6,
    CallType.ABUSIVE: 2,
    CallType.TEST: 1,
    CallType.UNANSWERED: 9,
}
HARM_WEIGHTS = {
    Harm.PHYSICAL: 30,
    Harm.NEGLECT: 25,
    Harm.PSYCHOLOGICAL: 15,
    Harm.SEXUAL: 8,
    Harm.CHILD_LABOUR: 5,
    Harm.ONLINE_HARM: 5,
    Harm.SEPARATION: 4,
    Harm.CONFLICT_WITH_LAW: 4,
    Harm.OTHER: 4,
}
ORIGIN_WEIGHTS = {
    Origin.HELPLINE: 30,
    Origin.POLICE: 20,
    Origin.SCHOOL: 15,
    Origin.HEALTH: 10,
    Origin.WALK_IN: 10,
    Origin.OUTREACH: 5,
    Origin.OTHER_AGENCY: 7,
    Origin.SELF: 3,
}
OPEN_STAGES = (
    Stage.REGISTRATION,
    Stage.INITIAL_ASSESSMENT,
    Stage.COMPREHENSIVE_ASSESSMENT,
    Stage.CASE_PLAN,
    Stage.IMPLEMENTATION,
    Stage.FOLLOW_UP,
)
SERVICES = (
    # type, level, unit, name_mn, name_en
    (
        ServiceType.PSYCHOSOCIAL,
        Level.PROTECTION,
        Unit.SESSION,
        "Сэтгэл зүйн зөвлөгөө",
        "Counselling",
    ),
    (ServiceType.SHELTER, Level.EMERGENCY, Unit.NIGHT, "Түр хамгаалах байр", "Temporary shelter"),
    (ServiceType.MEDICAL, Level.EMERGENCY, Unit.EXAMINATION, "Эрүүл мэндийн үзлэг", "Medical"),
    (ServiceType.LEGAL_AID, Level.PROTECTION, Unit.CONSULTATION, "Хууль зүйн туслалцаа", "Legal"),
)


class AlreadyGenerated(RuntimeError):
    pass


@dataclass
class Report:
    scale: str
    counts: Counter = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulk(model, objs: list, *, ignore_conflicts: bool = False) -> list:
    """Insert in batches, one transaction per batch; returns the objects (with pks)."""
    for batch in _batches(objs):
        with transaction.atomic():
            model.objects.bulk_create(batch, ignore_conflicts=ignore_conflicts)
    return objs


@contextmanager
def given_timestamps(*models) -> Iterator[None]:
    """Let generated rows carry their own history: switch `auto_now`/`auto_now_add` off."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class _Clock:
    """Datetimes over the last HISTORY_YEARS with the seasonal and daily skews."""

    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now
        self.start = now - timedelta(days=365 * HISTORY_YEARS)
        self.tz = timezone.get_default_timezone()
        self.months = list(itertools.accumulate(MONTH_WEIGHTS))
        self.hours = list(itertools.accumulate(HOUR_WEIGHTS))

    def moment(self) -> datetime:
        rng = self.rng
        while True:
            year = self.now.year - rng.randrange(HISTORY_YEARS + 1)
            month = rng.choices(range(1, 13), cum_weights=self.months)[0]
            day = rng.randint(1, 28)
            hour = rng.choices(range(24), cum_weights=self.hours)[0]
            value = datetime(year, month, day, hour, rng.randrange(60), rng.randrange(60))
            value = value.replace(tzinfo=self.tz)
            if self.start <= value <= self.now:
                return value


def _regno(text: str) -> str | None:
    """As the import stores it: normalised, or nothing when it cannot be read."""
    if not text.strip():
        return None
    try:
        return parse_regno(text).normalised
    except RegnoError:
        return None


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


class Generator:
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
        self.clock = _Clock(self.rng, self.now)
        self.report = Report(scale=scale)
        self.password = make_password(settings.CPIMS_DEMO_PASSWORD)

    # --- driver ---------------------------------------------------------------------------
    def run(self) -> Report:
        if Agency.objects.filter(code=f"{PREFIX}-helpline").exists():
            raise AlreadyGenerated("generated data is already present: use a fresh database")
        self._step("setup", self._setup)
        self._step("persons", self._persons)
        self._step("organisation", self._organisation)
        with given_timestamps(Case, Task, Referral, Delivery, Contact, Assessment):
            self._step("cases", self._cases)
            self._step("referrals", self._referrals)
            self._step("contacts", self._contacts)
        return self.report

    def _step(self, name: str, fn: Callable[[], None]) -> None:
        started = time.perf_counter()
        fn()
        self.report.seconds[name] = round(time.perf_counter() - started, 2)
        self.log(f"{name}: {self.report.seconds[name]} s")

    def _count(self, name: str, n: int) -> None:
        self.report.counts[name] += n

    # --- setup ----------------------------------------------------------------------------
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

    # --- persons --------------------------------------------------------------------------
    def _persons(self) -> None:
        """Persons in chunks; keeps only what later steps need about children and phones."""
        self.children: list[tuple[int, int, str, int]] = []  # pk, location, sex, age
        self.phones: list[str] = []
        today = self.now.date()
        done = 0
        chunk_no = 0
        while done < self.scale.persons:
            n = min(PERSON_CHUNK, self.scale.persons - done)
            rows, _ = generate_persons(n=n, seed=self.seed * 1000 + chunk_no, places=self.places)
            persons, phones = [], []
            for row in rows:
                soum = self.by_code.get(row["soum_code"]) or self.by_code.get(row["aimag_code"])
                location = soum
                if soum is not None and self.bags_of.get(soum.pk) and self.rng.random() < 0.7:
                    location = self.rng.choice(self.bags_of[soum.pk])
                dob = date.fromisoformat(row["date_of_birth"]) if row["date_of_birth"] else None
                person = Person(
                    external_id=f"{PREFIX}-{self.seed}-{chunk_no}-{row['external_id']}",
                    family_name=row["family_name"],
                    patronymic=row["patronymic"],
                    given_name=row["given_name"],
                    sex=row["sex"] or Person.Sex.UNKNOWN,
                    date_of_birth=dob,
                    registration_number=_regno(row["registration_number"]),
                    location=location,
                )
                apply_keys(person)
                persons.append(person)
                phones.append(row["phone"])
            _bulk(Person, persons)
            links = []
            for person, typed in zip(persons, phones, strict=True):
                if typed:
                    try:
                        number = normalise_phone(typed, strict=False)
                    except PhoneError:
                        number = ""
                    if number:
                        links.append(PersonPhone(person=person, number=number, as_typed=typed[:40]))
                        if len(self.phones) < 100_000:
                            self.phones.append(number)
                dob = person.date_of_birth
                if dob and person.location_id:
                    age = (today - dob).days // 365
                    if age < 18:
                        self.children.append((person.pk, person.location_id, person.sex, age))
            _bulk(PersonPhone, links, ignore_conflicts=True)
            self._count("persons", len(persons))
            self._count("person_phones", len(links))
            done += n
            chunk_no += 1
            self.log(f"  persons {done:,}")

    # --- organisation ---------------------------------------------------------------------
    def _organisation(self) -> None:
        """Agencies and users, social workers per MDT sized to the soum's caseload."""
        rng = self.rng
        # Case children: one case in every soum first, the rest follow where children live.
        by_soum: dict[int, list[tuple]] = defaultdict(list)
        for child in self.children:
            by_soum[self.soum_of_loc[child[1]].pk].append(child)
        picked: list[tuple] = []
        for soum in self.soums:
            if not by_soum.get(soum.pk):
                # A tiny soum drew no child at this scale: a family moves there.
                pk, _loc, sex, age = rng.choice(self.children)
                Person.objects.filter(pk=pk).update(location=soum)
                by_soum[soum.pk].append((pk, soum.pk, sex, age))
            picked.append(rng.choice(by_soum[soum.pk]))
        remaining = self.scale.cases - len(picked)
        if remaining > 0:
            picked += [rng.choice(self.children) for _ in range(remaining)]
        self.case_children = picked[: self.scale.cases]
        per_soum = Counter(self.soum_of_loc[c[1]].pk for c in self.case_children)

        national = self._agency("national", Agency.Kind.NATIONAL, self.country, None, "National")
        helpline = self._agency("helpline", Agency.Kind.HELPLINE, self.country, national, "108")
        self.dept_of: dict[int, Agency] = {}
        self.provider_of: dict[int, Agency] = {}
        for aimag in self.aimags:
            self.dept_of[aimag.pk] = self._agency(
                f"dept-{aimag.code}", Agency.Kind.AIMAG_DEPT, aimag, national, aimag.name_en
            )
            self.provider_of[aimag.pk] = self._agency(
                f"ngo-{aimag.code}", Agency.Kind.NGO, aimag, None, f"{aimag.name_en} services"
            )
        self.mdt_of: dict[int, Agency] = {}
        for soum in self.soums:
            self.mdt_of[soum.pk] = self._agency(
                f"mdt-{soum.code}",
                Agency.Kind.MDT,
                soum,
                self.dept_of[self.aimag_of_soum[soum.pk].pk],
                f"{soum.name_en} MDT",
            )
        self._count("agencies", Agency.objects.filter(code__startswith=f"{PREFIX}-").count())

        users: list[User] = []
        counsellors = max(4, math.ceil(self.scale.contacts / 4_000))
        for i in range(counsellors):
            users.append(self._user(f"counsellor-{i}", "counsellor", helpline, self.country))
        users.append(self._user("supervisor", "helpline_supervisor", helpline, self.country))
        users.append(self._user("analyst", "national_analyst", national, self.country))
        for aimag in self.aimags:
            users.append(
                self._user(f"officer-{aimag.code}", "cp_officer", self.dept_of[aimag.pk], aimag)
            )
        for soum in self.soums:
            n = min(200, max(1, math.ceil(per_soum.get(soum.pk, 0) / CASES_PER_WORKER)))
            for i in range(n):
                users.append(
                    self._user(f"sw-{soum.code}-{i}", "social_worker", self.mdt_of[soum.pk], soum)
                )
        _bulk(User, users)
        self._count("users", len(users))
        self.counsellors = [u for u in users if u.username.startswith(f"{PREFIX}-counsellor-")]
        self.workers_of: dict[int, list[User]] = defaultdict(list)
        for u in users:
            if u.username.startswith(f"{PREFIX}-sw-"):
                self.workers_of[u.agency_id].append(u)

        services, coverage = [], []
        for aimag in self.aimags:
            for stype, level, unit, name_mn, name_en in SERVICES:
                services.append(
                    Service(
                        provider=self.provider_of[aimag.pk],
                        service_type=stype,
                        level=level,
                        unit=unit,
                        name_mn=f"{aimag.name_mn}: {name_mn}",
                        name_en=f"{aimag.name_en}: {name_en}",
                        capacity=rng.randint(5, 60),
                    )
                )
        _bulk(Service, services)
        for service in services:
            coverage.append(Coverage(service=service, location=service.provider.location))
        _bulk(Coverage, coverage)
        self.services_of: dict[int, list[Service]] = defaultdict(list)
        for service in services:
            self.services_of[service.provider.location_id].append(service)
        self._count("services", len(services))

    def _agency(self, code, kind, location, parent, name) -> Agency:
        return Agency.objects.create(
            code=f"{PREFIX}-{code}".lower()[:40],
            kind=kind,
            location=location,
            parent=parent,
            name_mn=name,
            name_en=name,
        )

    def _user(self, name: str, role: str, agency: Agency, scope: Location) -> User:
        return User(
            username=f"{PREFIX}-{name}",
            password=self.password,
            first_name=name,
            role=self.roles[role],
            agency=agency,
            scope=scope,
        )

    # --- cases ----------------------------------------------------------------------------
    def _cases(self) -> None:
        rng = self.rng
        sequences: dict[tuple[str, int], int] = {
            (s.aimag_code, s.year): s.last for s in CaseSequence.objects.all()
        }
        moments = sorted(self.clock.moment() for _ in self.case_children)
        rng.shuffle(self.case_children)
        self.cases: list[Case] = []
        for (pk, loc_id, _sex, _age), reported in zip(self.case_children, moments, strict=True):
            soum = self.soum_of_loc[loc_id]
            aimag = self.aimag_of_soum[soum.pk]
            agency = self.mdt_of[soum.pk]
            key = (aimag.code, reported.year)
            sequences[key] = sequences.get(key, 0) + 1
            age_days = (self.now - reported).days
            closed = rng.random() < min(0.92, age_days / 400)
            stage = Stage.CLOSED if closed else rng.choice(OPEN_STAGES)
            risk = (
                Risk.UNASSESSED
                if stage == Stage.REGISTRATION
                else rng.choices([Risk.LOW, Risk.MEDIUM, Risk.HIGH], [5, 3, 1])[0]
            )
            case = Case(
                number=f"{aimag.code}-{reported.year}-{sequences[key]:06d}",
                stage=stage,
                is_open=not closed,
                risk=risk,
                origin=_pick(rng, ORIGIN_WEIGHTS),
                reported_at=reported,
                location_id=loc_id,
                agency=agency,
                assigned_worker=rng.choice(self.workers_of[agency.pk]),
                created_by_agency=agency,
                safety_immediate=rng.random() > 0.1,
                opened_at=reported + timedelta(minutes=rng.randint(5, 600)),
                closed_at=reported + timedelta(days=rng.randint(20, 300)) if closed else None,
                closure_reason="goals_met" if closed else "",
            )
            case.closed_at = min(case.closed_at, self.now) if case.closed_at else None
            case._child = pk
            self.cases.append(case)
        _bulk(Case, self.cases)
        for (aimag_code, year), last in sequences.items():
            CaseSequence.objects.update_or_create(
                aimag_code=aimag_code, year=year, defaults={"last": last}
            )
        children, harms, tasks, assessments = [], [], [], []
        for case in self.cases:
            children.append(CaseChild(case=case, person_id=case._child, is_primary=True))
            for harm in set(rng.choices(list(HARM_WEIGHTS), list(HARM_WEIGHTS.values()), k=2)):
                harms.append(CaseHarm(case=case, harm=harm))
                if rng.random() < 0.6:
                    break
            if case.stage != Stage.REGISTRATION:
                assessments.append(
                    Assessment(
                        case=case,
                        kind=Assessment.Kind.INITIAL,
                        risk=case.risk,
                        completed_at=case.opened_at + timedelta(hours=rng.randint(2, 72)),
                        completed_by=case.assigned_worker,
                    )
                )
            tasks += self._tasks_for(case)
        _bulk(CaseChild, children)
        _bulk(CaseHarm, harms)
        _bulk(Assessment, assessments)
        _bulk(Task, tasks)
        self._count("cases", len(self.cases))
        self._count("open_cases", sum(c.is_open for c in self.cases))
        self._count("case_harms", len(harms))
        self._count("assessments", len(assessments))
        self._count("tasks", len(tasks))
        self._count("overdue_tasks", sum(t.done_at is None and t.due_at < self.now for t in tasks))

    def _tasks_for(self, case: Case) -> list[Task]:
        rng = self.rng
        steps = [TaskKind.FIRST_RESPONSE, TaskKind.INITIAL_ASSESSMENT, TaskKind.CASE_PLAN]
        steps += [TaskKind.FOLLOW_UP] * rng.randint(0, 2)
        tasks = []
        due = case.opened_at
        for i, kind in enumerate(steps):
            due = due + timedelta(hours=rng.choice([24, 72, 168, 336]))
            is_last = i == len(steps) - 1
            if case.is_open and is_last:
                done_at = None  # the current step; overdue when its due date has passed
            elif case.is_open and due > self.now:
                done_at = None
            else:
                done_at = min(due - timedelta(hours=rng.randint(0, 20)), self.now)
            tasks.append(
                Task(
                    case=case,
                    kind=kind,
                    due_at=due,
                    assigned_to=case.assigned_worker,
                    agency=case.agency,
                    done_at=done_at,
                    rule=f"generated:{kind}",
                )
            )
        return tasks

    # --- referrals and deliveries ---------------------------------------------------------
    def _referrals(self) -> None:
        rng = self.rng
        referrals: list[Referral] = []
        for case in self.cases:
            if rng.random() > 0.35:
                continue
            aimag = self.aimag_of_soum[self.soum_of_loc[case.location_id].pk]
            service = rng.choice(self.services_of[aimag.pk])
            sent = case.opened_at + timedelta(hours=rng.randint(4, 240))
            if sent > self.now:
                sent = self.now
            status = (
                rng.choices(
                    [
                        ReferralStatus.COMPLETED,
                        ReferralStatus.DECLINED,
                        ReferralStatus.NOT_COMPLETED,
                    ],
                    [8, 1, 1],
                )[0]
                if not case.is_open
                else rng.choice(
                    [
                        ReferralStatus.SENT,
                        ReferralStatus.ACCEPTED,
                        ReferralStatus.IN_PROGRESS,
                        ReferralStatus.COMPLETED,
                    ]
                )
            )
            urgency = rng.choices(list(ReferralUrgency), [1, 3, 6])[0]
            hours = settings.CPIMS_REFERRAL_RESPONSE_HOURS[urgency]
            answered = status != ReferralStatus.SENT
            referrals.append(
                Referral(
                    reference=f"R-{case.number}",
                    case=case,
                    service=service,
                    to_agency_id=service.provider_id,
                    urgency=urgency,
                    reason="generated",
                    status=status,
                    due_at=sent + timedelta(hours=hours),
                    referred_by_id=case.assigned_worker_id,
                    sent_at=sent,
                    received_at=sent + timedelta(hours=1) if answered else None,
                    responded_at=sent + timedelta(hours=hours // 2) if answered else None,
                    started_at=sent + timedelta(days=1)
                    if status in (ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED)
                    else None,
                    finished_at=sent + timedelta(days=14)
                    if status == ReferralStatus.COMPLETED
                    else None,
                )
            )
        _bulk(Referral, referrals)
        deliveries = []
        for referral in referrals:
            if referral.started_at is None:
                continue
            service = referral.service
            deliveries.append(
                Delivery(
                    case=referral.case,
                    referral=referral,
                    service=service,
                    provider_id=service.provider_id,
                    service_type=service.service_type,
                    level=service.level,
                    location_id=referral.case.location_id,
                    delivered_on=referral.started_at.date(),
                    ended_on=referral.finished_at.date() if referral.finished_at else None,
                    units=Decimal(rng.randint(1, 12)),
                    unit=service.unit,
                    recorded_by_id=referral.referred_by_id,
                    recorded_at=referral.started_at,
                )
            )
        _bulk(Delivery, deliveries)
        self._count("referrals", len(referrals))
        self._count("deliveries", len(deliveries))

    # --- helpline contacts ----------------------------------------------------------------
    def _contacts(self) -> None:
        rng = self.rng
        helpline_cases = [c for c in self.cases if c.origin == Origin.HELPLINE]
        types = list(CALL_TYPE_WEIGHTS)
        weights = list(itertools.accumulate(CALL_TYPE_WEIGHTS.values()))
        done = 0
        while done < self.scale.contacts:
            n = min(BATCH * 5, self.scale.contacts - done)
            contacts: list[Contact] = []
            for _ in range(n):
                started = self.clock.moment()
                call_type = rng.choices(types, cum_weights=weights)[0]
                data = call_type == CallType.DATA
                answered = call_type != CallType.UNANSWERED
                seconds = rng.randint(240, 2400) if data else rng.randint(3, 90) if answered else 0
                contact = Contact(
                    status=Status.COMPLETED,
                    call_type=call_type,
                    channel=rng.choices(
                        [Channel.PHONE, Channel.WEB_CHAT, Channel.SMS], [85, 10, 5]
                    )[0],
                    started_at=started,
                    answered_at=started + timedelta(seconds=rng.randint(2, 40))
                    if answered
                    else None,
                    ended_at=started + timedelta(seconds=seconds + 40),
                    duration_seconds=seconds,
                    counsellor=rng.choice(self.counsellors) if answered else None,
                    caller_phone=rng.choice(self.phones)
                    if self.phones and rng.random() < 0.8
                    else "",
                    taxonomy_version=self.taxonomy,
                    created_at=started,
                    updated_at=started + timedelta(seconds=seconds + 60),
                    completed_at=started + timedelta(seconds=seconds + 60),
                )
                if data:
                    contact.caller_kind = rng.choice([CallerKind.CHILD, CallerKind.ADULT])
                    contact.urgency = rng.choices(list(Urgency), [50, 30, 15, 5])[0]
                    contact.primary_category_id = (
                        rng.choice(self.categories) if self.categories else None
                    )
                    contact.outcome = rng.choices(
                        [Outcome.COUNSELLED, Outcome.INFORMATION, Outcome.REFERRED],
                        [60, 25, 15],
                    )[0]
                    if helpline_cases and rng.random() < 0.1:
                        case = rng.choice(helpline_cases)
                        contact.case = case
                        contact.outcome = Outcome.CASE_CREATED
                contacts.append(contact)
            _bulk(Contact, contacts)
            children, categories = [], []
            for contact in contacts:
                if contact.call_type != CallType.DATA:
                    continue
                pk, loc_id, sex, age = rng.choice(self.children)
                children.append(
                    ContactChild(
                        contact=contact,
                        person_id=pk if rng.random() < 0.5 else None,
                        age_years=age,
                        sex=sex if sex in ChildSex.values else ChildSex.UNKNOWN,
                        location_id=loc_id,
                    )
                )
                if contact.primary_category_id:
                    categories.append(
                        ContactCategory(
                            contact=contact,
                            category_id=contact.primary_category_id,
                            is_primary=True,
                        )
                    )
            _bulk(ContactChild, children)
            _bulk(ContactCategory, categories)
            self._count("contacts", len(contacts))
            self._count("counselling_contacts", len(children))
            done += n
            self.log(f"  contacts {done:,}")


def generate_demo(*, scale: str, seed: int = 1, log: Callable[[str], None] = print) -> Report:
    if not settings.CPIMS_DEMO:
        raise RuntimeError("generated data is only loaded in demo mode (CPIMS_DEMO=1)")
    return Generator(scale=scale, seed=seed, log=log).run()
