"""The annual Child Helpline International data submission, as CSV and XLSX.

Counted: completed contacts that started in the year (local time); unanswered calls and
discarded drafts are not contacts. A data contact is counted once under its main reason (its
primary category's CHI main category) with the age band and sex of its first child (no child,
no age or an age above 18: unknown). The subcategory table counts each contact once per CHI
category it touches, extensions rolled up, so its rows add up to more than the total.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cpims.helpline.choices import AGE_BANDS, CallType, Channel, ChildSex, Status, age_band
from cpims.helpline.models import Category, ContactCategory, ContactChild, current_version
from cpims.helpline.selectors import contacts_visible_to
from cpims.helpline.stats import day_start

SEXES = [ChildSex.BOY, ChildSex.GIRL, ChildSex.NON_BINARY, ChildSex.UNKNOWN]
BANDS = [label for label, _low, _high in AGE_BANDS] + ["unknown"]
COLUMNS = [(band, sex) for band in BANDS for sex in SEXES]
UNCATEGORISED = "uncategorised"


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


def _year_contacts(user, year: int):
    start, end = day_start(date(year, 1, 1)), day_start(date(year + 1, 1, 1))
    return (
        contacts_visible_to(user)
        .filter(status=Status.COMPLETED, started_at__gte=start, started_at__lt=end)
        .exclude(call_type=CallType.UNANSWERED)
    )


def _first_child(ref: str):
    return ContactChild.objects.filter(contact=OuterRef(ref)).order_by("sort", "pk")


def _label(node: Category | None, code: str) -> str:
    if node is None:
        return code
    return node.label_en if (get_language() or "mn").startswith("en") else node.label_mn


def _grid_header(first: str) -> list[str]:
    sex_names = {s: str(ChildSex(s).label) for s in SEXES}
    return [_("code"), first, *[f"{b} {sex_names[s]}" for b, s in COLUMNS], _("total")]


def _grid_rows(counts: dict, order: list[tuple[str, str]]) -> list[list]:
    rows = []
    for code, label in order:
        cells = [counts.get((code, band, sex), 0) for band, sex in COLUMNS]
        rows.append([code, label, *cells, sum(cells)])
    return rows


def _add(counts: dict, code: str, age, sex, n: int) -> None:
    key = (code, age_band(age), sex if sex in SEXES else ChildSex.UNKNOWN)
    counts[key] = counts.get(key, 0) + n


def chi_submission(user, year: int) -> list[Table]:
    contacts = _year_contacts(user, year)
    data = contacts.filter(call_type=CallType.DATA)
    version = current_version()
    nodes = {c.code: c for c in Category.objects.filter(version=version, is_chi=True)}
    mains = [c for c in nodes.values() if c.parent_id is None]
    mains.sort(key=lambda c: c.sort)

    by_main: dict = {}
    rows = (
        data.annotate(
            child_age=Subquery(_first_child("pk").values("age_years")[:1]),
            child_sex=Subquery(_first_child("pk").values("sex")[:1]),
        )
        .values("primary_category__main__code", "child_age", "child_sex")
        .annotate(n=Count("pk"))
    )
    for r in rows:
        code = r["primary_category__main__code"] or UNCATEGORISED
        _add(by_main, code, r["child_age"], r["child_sex"], r["n"])
    order = [(m.code, _label(m, m.code)) for m in mains]
    if any(k[0] == UNCATEGORISED for k in by_main):
        order.append((UNCATEGORISED, _("No category")))
    main_table = Table("main", _("Data contacts by main category"), _grid_header(_("category")))
    main_table.rows = _grid_rows(by_main, order)

    by_sub: dict = {}
    links = (
        ContactCategory.objects.filter(contact__in=data.values("pk"))
        .annotate(
            child_age=Subquery(_first_child("contact_id").values("age_years")[:1]),
            child_sex=Subquery(_first_child("contact_id").values("sex")[:1]),
        )
        .values("contact_id", "category__reports_under__code", "child_age", "child_sex")
        .distinct()
    )
    seen = set()
    for r in links:
        code = r["category__reports_under__code"] or UNCATEGORISED
        if "." not in code and code != UNCATEGORISED:
            code = f"{code}.other"  # reported under a main category alone
        if (r["contact_id"], code) in seen:
            continue
        seen.add((r["contact_id"], code))
        _add(by_sub, code, r["child_age"], r["child_sex"], 1)
    subs = sorted((c for c in nodes.values() if c.parent_id), key=lambda c: (c.sort, c.code))
    sub_table = Table(
        "subcategories",
        _("Data contacts by category (each category a contact touches)"),
        _grid_header(_("category")),
    )
    sub_table.rows = _grid_rows(by_sub, [(c.code, _label(c, c.code)) for c in subs])

    per_channel: dict[str, dict[str, int]] = {}
    for r in contacts.values("channel", "call_type").annotate(n=Count("pk")):
        slot = per_channel.setdefault(r["channel"], {"data": 0, "other": 0})
        slot["data" if r["call_type"] == CallType.DATA else "other"] += r["n"]
    channel_table = Table(
        "channels",
        _("Contacts by channel"),
        [_("code"), _("channel"), _("data contacts"), _("non-data contacts"), _("total")],
    )
    for code, label in Channel.choices:
        slot = per_channel.get(code, {"data": 0, "other": 0})
        channel_table.rows.append(
            [code, str(label), slot["data"], slot["other"], slot["data"] + slot["other"]]
        )

    per_type = dict(contacts.values_list("call_type").annotate(n=Count("pk")))
    type_table = Table(
        "call_types", _("Contacts by call type"), [_("code"), _("call type"), _("total")]
    )
    for code, label in CallType.choices:
        if code != CallType.UNANSWERED:
            type_table.rows.append([code, str(label), per_type.get(code, 0)])
    return [main_table, sub_table, channel_table, type_table]


def to_csv(tables: list[Table], *, year: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("CHI data submission"), year])
    for table in tables:
        writer.writerow([])
        writer.writerow([f"# {table.key}", table.title])
        writer.writerow(table.header)
        writer.writerows(table.rows)
    return out.getvalue()


def to_xlsx(tables: list[Table], *, year: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(title=table.key[:31])
        sheet.append([f"{table.title} — {year}"])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        sheet.freeze_panes = "C3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
