"""Demo inspections and justice / domestic-violence records, so the screens mean something after
`make run`. Idempotent: each part loads once."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cpims.accounts.models import Agency, User
from cpims.geo.models import Location
from cpims.justice import dv, labour, services
from cpims.justice.models import Inspection, PoliceReport, RestrictedPeriod

PERIODS = [
    ("winter", "Өвөл", "Winter", "12,1,2"),
    ("early_spring", "Хаврын эхэн", "Early spring", "3,4"),
]

# kind, (month, day) in the past year, place, event, organiser, ages, rides, gear, insured,
# injuries, deaths
INSPECTIONS = [
    ("horse_race", (7, 11), "6701", "Мөрөн сумын наадам", "Сумын ЗДТГ",
     [7, 8, 8, 9, 10, 10, 11, 12, 12, 13], 18, 10, 9, 1, 0),
    ("horse_race", (2, 20), "6749", "Цагаан сарын уралдаан", "Малчдын холбоо",
     [6, 8, 9, 10, 11, 14], 6, 3, 2, 2, 0),
    ("horse_race", (4, 12), "2101", "Хаврын уралдаан", "Уяачдын холбоо",
     [9, 10, 12, 13, 15], 5, 5, 5, 0, 0),
    ("horse_race", (7, 12), "2101", "Хэрлэн сумын наадам", "Сумын ЗДТГ",
     [7, 8, 9, 9, 10, 11, 11, 12, 13, 14, 15, 15], 24, 12, 12, 1, 0),
    ("horse_race", (9, 5), "6728", "Намрын уралдаан", "Уяачдын холбоо",
     [8, 9, 10, 12], 4, 2, 1, 0, 0),
    ("workplace", (10, 3), "2101", "Захын худалдаа", "Хувиараа хөдөлмөр эрхлэгч",
     [13, 14, 16], 3, 0, 0, 0, 0),
]  # fmt: skip


def _past(month: int, day: int) -> date:
    today = timezone.localdate()
    candidate = date(today.year, month, day)
    return candidate if candidate < today else date(today.year - 1, month, day)


def demo_inspections_load() -> None:
    for code, name_mn, name_en, months in PERIODS:
        RestrictedPeriod.objects.get_or_create(
            code=code, defaults={"name_mn": name_mn, "name_en": name_en, "months": months}
        )
    if Inspection.objects.exists():
        return
    officer = User.objects.filter(username="officer").first()
    agency = Agency.objects.filter(code="dornod-dept").first()
    created = []
    for kind, (
        month,
        day,
    ), place, event, organiser, ages, rides, gear, insured, hurt, dead in INSPECTIONS:
        created.append(
            labour.inspection_save(
                actor=officer,
                data=labour.InspectionInput(
                    kind=kind,
                    held_on=_past(month, day),
                    location=Location.objects.get(code=place),
                    place=event,
                    event=event,
                    organiser=organiser,
                    inspected_by=agency,
                    inspectors="Хүүхэд хамгааллын мэргэжилтэн, цагдаа",
                    children=len(ages),
                    ages=ages,
                    rides=rides,
                    with_gear=gear,
                    insured=insured,
                    injuries=hurt,
                    deaths=dead,
                    violations="Хамгаалах хэрэгсэлгүй хүүхэд унаач" if gear < len(ages) else "",
                    reported_to="Сумын цагдаагийн хэсэг" if gear < len(ages) else "",
                ),
            )
        )
    kherlen_race = created[3]
    found = labour.found_child_add(
        actor=officer,
        inspection=kherlen_race,
        given_name="Билгүүн",
        patronymic="Батын",
        sex="M",
        age=9,
        home=Location.objects.get(code="2101"),
        injury="Мориноос унаж гар хугарсан",
    )
    labour.found_child_add(
        actor=officer,
        inspection=created[0],
        given_name="Төгөлдөр",
        sex="M",
        age=8,
        injury="Толгойн гэмтэл, эмнэлэгт хүргэсэн",
    )
    labour.found_child_open_case(actor=officer, found=found, confirmed_new=True)


def demo_sectors_load() -> None:
    """Justice and DV records on the first demo case (a high-risk physical violence case)."""
    from cpims.cases.models import Case
    from cpims.referrals.models import Service

    if PoliceReport.objects.exists():
        return
    case = Case.objects.filter(children__person__external_id="demo-0-0").first()
    if case is None or not case.is_open:
        return
    worker = case.assigned_worker
    child = case.children.first().person
    today = timezone.localdate()
    report = services.police_report_record(
        actor=worker,
        case=case,
        number="102-2026-04417",
        channel="line_102",
        reported_on=today - timedelta(days=2),
        unit="Баянгол дүүргийн цагдаагийн газар",
    )
    services.police_status_set(actor=worker, report=report, status="investigating")
    court_case = services.court_case_record(
        actor=worker, case=case, prosecution_number="П-2026-118", police_report=report
    )
    services.hearing_schedule(
        actor=worker,
        court_case=court_case,
        scheduled_at=timezone.make_aware(datetime.combine(today + timedelta(days=9), time(10))),
        place="Баянгол дүүргийн шүүх",
        purpose="Урьдчилсан хэлэлцүүлэг",
    )
    for days, place in ((2, "police"), (1, "child_room")):
        services.interview_record(
            actor=worker,
            case=case,
            child=child,
            held_on=today - timedelta(days=days),
            place=place,
            interviewer="Цагдаагийн мөрдөгч",
            recorded=place == "child_room",
            support_person_present=place == "child_room",
            support_person="Нийгмийн ажилтан" if place == "child_room" else "",
        )
    services.legal_aid_record(
        actor=worker,
        case=case,
        kind="consultation",
        provided_on=today,
        provider="Хууль зүйн туслалцааны төв",
    )
    dv.dv_assessment_record(
        actor=worker,
        case=case,
        kind="police_danger",
        level="high",
        assessed_on=today - timedelta(days=2),
        assessed_by="Цагдаа",
    )
    dv.dv_assessment_record(
        actor=worker,
        case=case,
        kind="situation",
        level="high",
        assessed_on=today - timedelta(days=1),
    )
    dv.protection_order_record(
        actor=worker,
        case=case,
        kind="restraining",
        issuing_body="police",
        issued_on=today - timedelta(days=2),
        expires_on=today + timedelta(days=5),
        conditions="Хүүхэд, эхтэй 100 метрээс ойртохгүй",
    )
    shelter = Service.objects.filter(service_type="shelter").first()
    if shelter is not None:
        stay = dv.stay_admit(
            actor=worker,
            case=case,
            child=child,
            service=shelter,
            admitted_on=today - timedelta(days=2),
            reason="dv_danger",
        )
        dv.stay_discharge(actor=worker, stay=stay, discharged_on=today, discharged_to="Эмээгийндээ")


def demo_justice_load() -> None:
    demo_inspections_load()
    demo_sectors_load()
