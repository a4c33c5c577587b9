"""Aggregate reports: child jockeys and child labour by aimag and season; justice and
domestic-violence counts by aimag. Counts and rates only — never a name, a number or a date
from a justice or DV record."""

from collections import Counter, defaultdict

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from cpims.cases.models import Case
from cpims.core.numbers import is_number_text
from cpims.geo.models import Location
from cpims.justice.choices import (
    ConflictPath,
    CourtOutcome,
    DangerLevel,
    InspectionKind,
    PoliceStatus,
    Season,
)
from cpims.justice.jockeys import summarise
from cpims.justice.models import (
    ConflictRecord,
    CourtCase,
    DangerAssessment,
    ForensicInterview,
    Inspection,
    LegalAid,
    OrderViolation,
    PoliceReport,
    ProtectionOrder,
    ShelterStay,
)

ALL = "*"


def parse_year(value) -> int | None:
    """A year from a query string, or None unless it is a plausible one."""
    text = str(value or "").strip()
    return int(text) if is_number_text(text) and 1990 <= int(text) <= 2100 else None


def _aimag_code(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return parts[1] if len(parts) > 1 else parts[0]


def _aimag_names(codes) -> dict[str, str]:
    return {loc.code: loc.name for loc in Location.objects.filter(code__in=set(codes))}


def jockey_report(inspections: QuerySet[Inspection], *, year: int | None = None) -> dict:
    """By aimag and season, plus a total: children riding, rides, injuries and deaths, injuries
    per 1,000 rides, compliance rates."""
    inspections = inspections.filter(kind=InspectionKind.HORSE_RACE)
    if year:
        inspections = inspections.filter(held_on__year=year)
    items = []
    for row in inspections.values(
        "location__path",
        "season",
        "children",
        "rides",
        "under_min_age",
        "season_violations",
        "with_gear",
        "insured",
        "injuries",
        "deaths",
    ):
        row["aimag"] = _aimag_code(row.pop("location__path"))
        items.append(row)
    names = _aimag_names(i["aimag"] for i in items)
    seasons = dict(Season.choices)
    rows = summarise(items)
    for row in rows:
        aimag, season = row["group"]
        row["aimag"], row["aimag_name"] = aimag, names.get(aimag, aimag)
        row["season"], row["season_name"] = season, seasons.get(season, season)
    total = summarise(items, key=lambda _item: (ALL, ALL))
    return {"rows": rows, "total": total[0] if total else None, "year": year}


JOCKEY_COLUMNS = [
    ("aimag_name", _("Aimag")),
    ("season_name", _("Season")),
    ("inspections", _("Races inspected")),
    ("children", _("Children riding")),
    ("rides", _("Rides")),
    ("injuries", _("Injuries")),
    ("deaths", _("Deaths")),
    ("injuries_per_1000_rides", _("Injuries per 1,000 rides")),
    ("min_age_compliance", _("Minimum age compliance %")),
    ("season_compliance", _("Season rule compliance %")),
    ("gear_compliance", _("Protective gear %")),
    ("insurance_compliance", _("Accident insurance %")),
    ("compliant_inspections", _("Races fully compliant %")),
]


def jockey_table(report: dict) -> tuple[list, list[list]]:
    header = [label for _key, label in JOCKEY_COLUMNS]
    rows = [[row.get(key) for key, _label in JOCKEY_COLUMNS] for row in report["rows"]]
    if report["total"]:
        total = {**report["total"], "aimag_name": str(_("Total")), "season_name": ""}
        rows.append([total.get(key) for key, _label in JOCKEY_COLUMNS])
    return header, rows


# --- Justice and DV: counts only ------------------------------------------------------------
def cases_countable_by(user) -> QuerySet[Case]:
    """Cases an aggregate reader may count (never list): those living inside their scope."""
    if not (user and user.is_authenticated and user.has_capability("reports.aggregate")):
        return Case.objects.none()
    if not user.scope_id:
        return Case.objects.none()
    return Case.objects.filter(location__path__startswith=user.scope.path)


SECTOR_COLUMNS = [
    ("police_reports", _("Police reports")),
    ("sent_to_prosecutor", _("Sent to the prosecutor")),
    ("closed_without_charge", _("Closed without charge")),
    ("court_cases", _("Court cases")),
    ("convictions", _("Convictions")),
    ("children_interviewed", _("Children interviewed")),
    ("interviews", _("Forensic interviews")),
    ("interviewed_more_than_limit", _("Children interviewed more than the limit")),
    ("legal_aid", _("Legal aid given")),
    ("children_in_conflict", _("Children in conflict with the law")),
    ("diverted", _("Diverted")),
    ("dv_high", _("High DV danger assessments")),
    ("orders", _("Protection orders")),
    ("violations", _("Order violations")),
    ("stays", _("Shelter / one-stop stays")),
    ("stay_units", _("Nights and days costed")),
]


def sector_counts(user, *, year: int | None = None) -> list[dict]:
    """Per aimag: counts of justice and DV records on cases the user may count."""
    cases = cases_countable_by(user)
    if year:
        cases = cases.filter(opened_at__year=year)
    within = cases.values("pk")
    rows: dict[str, Counter] = defaultdict(Counter)

    def add(column: str, qs, path: str = "case__location__path", value=None):
        for place, n in qs.values_list(path).annotate(n=value or Count("id")).order_by():
            rows[_aimag_code(place)][column] += n or 0

    police = PoliceReport.objects.filter(case__in=within)
    add("police_reports", police)
    add("sent_to_prosecutor", police.filter(status=PoliceStatus.PROSECUTOR))
    add("closed_without_charge", police.filter(status=PoliceStatus.CLOSED))
    courts = CourtCase.objects.filter(case__in=within)
    add("court_cases", courts)
    add("convictions", courts.filter(outcome=CourtOutcome.CONVICTED))
    interviews = ForensicInterview.objects.filter(case__in=within)
    add("interviews", interviews)
    per_child = interviews.values_list("case__location__path", "case_id", "child_id").annotate(
        n=Count("id")
    )
    for place, _case, _child, n in per_child.order_by():
        rows[_aimag_code(place)]["children_interviewed"] += 1
        if n > settings.CPIMS_INTERVIEWS_PER_CHILD_MAX:
            rows[_aimag_code(place)]["interviewed_more_than_limit"] += 1
    add("legal_aid", LegalAid.objects.filter(case__in=within))
    conflict = ConflictRecord.objects.filter(case__in=within)
    add("children_in_conflict", conflict)
    add("diverted", conflict.filter(path=ConflictPath.DIVERSION))
    add("dv_high", DangerAssessment.objects.filter(case__in=within, level=DangerLevel.HIGH))
    add("orders", ProtectionOrder.objects.filter(case__in=within))
    add(
        "violations",
        OrderViolation.objects.filter(order__case__in=within),
        "order__case__location__path",
    )
    stays = ShelterStay.objects.filter(case__in=within)
    add("stays", stays)
    add("stay_units", stays.filter(delivery__isnull=False), value=Sum("delivery__units"))
    names = _aimag_names(rows)
    return [
        {
            "aimag": code,
            "aimag_name": names.get(code, code),
            **{key: int(rows[code].get(key, 0)) for key, _label in SECTOR_COLUMNS},
        }
        for code in sorted(rows)
    ]


def sector_table(rows: list[dict]) -> tuple[list, list[list]]:
    header = [_("Aimag"), *[label for _key, label in SECTOR_COLUMNS]]
    body = [[row["aimag_name"], *[row[key] for key, _label in SECTOR_COLUMNS]] for row in rows]
    return header, body
