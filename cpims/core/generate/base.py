"""Shared pieces of the generator: scales, skews, the clock and small helpers."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from cpims.cases.choices import Harm, Origin, Stage
from cpims.helpline.choices import CallType
from cpims.referrals.choices import Level, ServiceType, Unit
from cpims.registry.identity.regno import RegnoError, parse_regno


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


class Clock:
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


def regno_or_none(text: str) -> str | None:
    """As the import stores it: normalised, or nothing when it cannot be read."""
    if not text.strip():
        return None
    try:
        return parse_regno(text).normalised
    except RegnoError:
        return None


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]
