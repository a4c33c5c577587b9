from datetime import date
from decimal import Decimal

from cpims.accounts.models import Agency
from cpims.workforce import services
from cpims.workforce.models import Course, StaffMember, TrainingSession
from tests.factories import location


def agency(code: str = "dornod-dept", place: str = "21") -> Agency:
    found, _ = Agency.objects.get_or_create(
        code=code,
        defaults={
            "kind": "aimag_dept",
            "name_mn": code,
            "name_en": code,
            "location": location(place),
        },
    )
    return found


def post(
    place: str, *, kind: str = "social_worker", name: str = "Worker", user=None, **kw
) -> StaffMember:
    return services.staff_save(
        actor=None,
        staff=StaffMember(
            name=name if not kw.get("is_vacant") else "",
            user=user,
            kind=kind,
            agency=kw.pop("agency", None) or agency(),
            location=location(place),
            **kw,
        ),
    )


def course(code: str = "cm", hours: str = "40") -> Course:
    return services.course_save(
        actor=None,
        course=Course(
            code=code, title_mn=code, title_en=code, topic="case_management", hours=Decimal(hours)
        ),
    )


def training(on: date, people, *, completed: bool = True, place: str = "21", code: str = "cm"):
    found = Course.objects.filter(code=code).first() or course(code)
    session = services.training_session_save(
        actor=None,
        session=TrainingSession(
            course=found, starts_on=on, ends_on=on, location=location(place), trainer="T"
        ),
    )
    services.attendance_record(actor=None, session=session, staff=list(people), completed=completed)
    return session
