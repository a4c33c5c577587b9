"""Demo staff, courses, training sessions and supervision, so the workforce screens and the
capacity indicators mean something after `make run`. Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cpims.accounts.models import Agency, User
from cpims.cases.models import Case
from cpims.geo.models import Location
from cpims.workforce import services
from cpims.workforce.models import Course, StaffMember, TrainingSession

# username or name, kind, agency, place, position, qualification, vacant
STAFF = [
    ("socialworker", "social_worker", "mdt-bayangol-1", "110751", "Хорооны нийгмийн ажилтан",
     "sw_degree", False),
    ("Должин Бат", "social_worker", "mdt-bayangol-1", "110753", "Хорооны нийгмийн ажилтан",
     "related_degree", False),
    ("", "social_worker", "mdt-bayangol-1", "110755", "Хорооны нийгмийн ажилтан", "none", True),
    ("officer-ub", "supervisor", "ub-dept", "11", "Хүүхэд хамгааллын мэргэжилтэн", "sw_degree",
     False),
    ("mdt", "mdt_member", "mdt-kherlen", "2101", "Сургуулийн нийгмийн ажилтан", "certificate",
     False),
    ("Гэрэлмаа Дорж", "social_worker", "mdt-kherlen", "2101", "Сумын нийгмийн ажилтан",
     "sw_degree", False),
    ("Отгонбаяр Лхам", "social_worker", "dornod-dept", "2128", "Сумын нийгмийн ажилтан", "none",
     False),
    ("officer", "supervisor", "dornod-dept", "21", "Хүүхэд хамгааллын мэргэжилтэн", "sw_degree",
     False),
    ("Сэлэнгэ Мөнх", "social_worker", "mdt-moron", "6701", "Сумын нийгмийн ажилтан",
     "related_degree", False),
    ("", "social_worker", "khovsgol-dept", "6749", "Сумын нийгмийн ажилтан", "none", True),
    ("Батсүх Ганзориг", "police", "mdt-kherlen", "2101", "Хэсгийн байцаагч", "none", False),
    ("Уранчимэг Сод", "health", "mdt-moron", "6701", "Өрхийн эмч", "related_degree", False),
    ("counsellor", "counsellor", "helpline-108", "MN", "Зөвлөх", "related_degree", False),
]  # fmt: skip

COURSES = [
    ("cm-basic", "Хэрэг хөтлөлтийн үндэс", "Case management basics", "case_management", "40",
     "Identification, assessment, case plan, follow-up, closure; consent; data protection"),
    ("dv-law", "Гэр бүлийн хүчирхийлэл", "Domestic violence response", "dv", "16",
     "Law on Combating Domestic Violence; danger and situation assessment; protection orders"),
    ("forensic", "Хүүхдэд ээлтэй ярилцлага", "Child-friendly forensic interviewing", "justice",
     "24", "Single interview principle; recorded interviews; support persons"),
    ("jockeys", "Хүүхэд унаачийн аюулгүй байдал", "Child jockey safety", "child_labour", "8",
     "Minimum age 7; winter ban; MNS 6264:2011 protective gear; accident insurance"),
    ("supervision", "Мэргэжлийн хяналт", "Professional supervision", "supervision", "16",
     "Supervision under the 2024 revision of the Law on Child Protection"),
]  # fmt: skip


def _person(username_or_name: str) -> tuple[User | None, str]:
    user = User.objects.filter(username=username_or_name).first()
    return user, "" if user else username_or_name


def demo_workforce_load() -> None:
    if StaffMember.objects.exists():
        return
    admin = User.objects.filter(username="officer-ub").first()
    today = timezone.localdate()
    staff = {}
    for index, (who, kind, agency, place, position, qualification, vacant) in enumerate(STAFF):
        user, name = _person(who)
        staff[who or f"vacant-{index}"] = services.staff_save(
            actor=admin,
            staff=StaffMember(
                user=user,
                name=name,
                kind=kind,
                agency=Agency.objects.get(code=agency),
                location=Location.objects.get(code=place),
                position=position,
                qualification=qualification,
                is_vacant=vacant,
                started_on=today - timedelta(days=400 + 90 * index),
            ),
        )
    courses = {
        code: services.course_save(
            actor=admin,
            course=Course(
                code=code,
                title_mn=title_mn,
                title_en=title_en,
                topic=topic,
                hours=Decimal(hours),
                curriculum=curriculum,
            ),
        )
        for code, title_mn, title_en, topic, hours, curriculum in COURSES
    }
    plan = [  # course, days ago, place, trainer, participants
        ("cm-basic", 200, "11", "ХГБХХЕГ-ын сургагч",
         ["socialworker", "Должин Бат", "Гэрэлмаа Дорж"]),
        ("dv-law", 120, "21", "Хууль зүйн сургагч", ["Гэрэлмаа Дорж", "officer", "mdt"]),
        ("forensic", 45, "11", "Цагдаагийн академи", ["socialworker", "officer-ub"]),
        ("jockeys", 30, "67", "ХГБХХЕГ-ын сургагч", ["Сэлэнгэ Мөнх"]),
        ("supervision", 500, "11", "Их сургуулийн багш", ["officer", "officer-ub"]),
    ]  # fmt: skip
    for code, days, place, trainer, people in plan:
        start = today - timedelta(days=days)
        session = services.training_session_save(
            actor=admin,
            session=TrainingSession(
                course=courses[code],
                starts_on=start,
                ends_on=start + timedelta(days=2),
                location=Location.objects.get(code=place),
                venue="Сургалтын танхим",
                trainer=trainer,
            ),
        )
        services.attendance_record(
            actor=admin, session=session, staff=[staff[p] for p in people], completed=True
        )
    cases = list(Case.objects.filter(agency__code="mdt-bayangol-1").order_by("pk")[:2])
    for days, discussed in ((60, cases[:1]), (25, cases), (5, cases[1:])):
        services.supervision_record(
            actor=admin,
            supervisor=staff["officer-ub"],
            worker=staff["socialworker"],
            held_on=today - timedelta(days=days),
            cases=discussed,
            follow_up="Гэр бүлийн уулзалтыг төлөвлөх; хамгаалах тушаалын хугацааг хянах",
            next_on=today - timedelta(days=days) + timedelta(days=30),
        )
    services.supervision_record(
        actor=admin,
        supervisor=staff["officer"],
        worker=staff["Гэрэлмаа Дорж"],
        held_on=today - timedelta(days=40),
        kind="group",
        follow_up="Хүүхэд унаачийн хяналтын төлөвлөгөө",
    )
