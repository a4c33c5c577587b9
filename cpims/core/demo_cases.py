"""Demo persons and cases, so the case screens mean something after `make run`."""

from datetime import date, timedelta

from django.utils import timezone

from cpims.accounts.models import Agency, User
from cpims.geo.models import Location
from cpims.registry.models import Person
from cpims.registry.services import PersonInput, person_create, relationship_add

FAMILIES = [
    # place, agency, (mother), [(child given, sex, birth date, regno)]
    (
        "110751",
        "mdt-bayangol-1",
        ("Сарнай", "Болдын"),
        [("Тэмүүжин", "M", date(2014, 3, 5), "УК14230512"), ("Номин", "F", date(2017, 9, 1), "")],
    ),
    (
        "110751",
        "mdt-bayangol-1",
        ("Оюун", "Дорж"),
        [("Ананд", "M", date(2011, 6, 20), ""), ("Хулан", "F", date(2019, 2, 14), "")],
    ),
    (
        "2101",
        "mdt-kherlen",
        ("Цэцэг", "Ганбаатар"),
        [("Батзориг", "M", date(2013, 11, 2), ""), ("Мишээл", "F", date(2016, 4, 30), "")],
    ),
]


def demo_cases_load() -> None:
    if Person.objects.filter(external_id__startswith="demo-").exists():
        return
    from cpims.cases import workflow
    from cpims.cases.services import CaseRegistration, case_register

    for index, (place_code, agency_code, (mother_name, mother_patronymic), kids) in enumerate(
        FAMILIES
    ):
        place = Location.objects.get(code=place_code)
        agency = Agency.objects.get(code=agency_code)
        worker = User.objects.filter(agency=agency).first()
        mother = person_create(
            actor=worker,
            confirmed_new=True,
            data=PersonInput(
                given_name=mother_name,
                patronymic=mother_patronymic,
                sex="F",
                location=place,
                date_of_birth=date(1988, 1, 1),
                dob_estimated=True,
                phones=[f"9911{index:02d}33"],
                external_id=f"demo-{index}-mother",
            ),
        )
        children = []
        for number, (given, sex, born, regno) in enumerate(kids):
            child = person_create(
                actor=worker,
                confirmed_new=True,
                data=PersonInput(
                    given_name=given,
                    patronymic=f"{mother_name}ын"[:100],
                    sex=sex,
                    date_of_birth=born,
                    registration_number=regno,
                    location=place,
                    external_id=f"demo-{index}-{number}",
                ),
            )
            relationship_add(actor=worker, from_person=mother, to_person=child, kind="mother")
            children.append(child)
        case = case_register(
            actor=worker,
            data=CaseRegistration(
                children=children[:1],
                location=place,
                origin="helpline" if index == 0 else "school",
                risk="high" if index == 0 else "unassessed",
                harms=["icvac2"] if index == 0 else ["icvac5"],
                reported_at=timezone.now() - timedelta(days=2 - index),
                summary="Demo case",
                safety_immediate=index != 0,
                agency=agency,
                assigned_worker=worker,
            ),
        )
        if index == 0:
            workflow.initial_assessment_record(
                actor=worker,
                case=case,
                risk="high",
                reasons="Bruises reported by the school; father drinks",
            )
            workflow.comprehensive_assessment_record(
                actor=worker,
                case=case,
                sections={
                    "safety": "Mother and children at a relative's",
                    "health": "Examined at the clinic",
                },
            )
            workflow.plan_submit(
                actor=worker,
                case=case,
                goals="The children are safe at home",
                actions=[
                    workflow.ActionInput(
                        "Weekly home visit", worker.username, date.today() + timedelta(days=7)
                    )
                ],
            )


DEMO_SERVICES = [
    # provider, type, covers, name_mn, name_en, capacity
    (
        "ngo-shelter-ub",
        "shelter",
        ["11"],
        "Хүүхдийн түр хамгаалах байр",
        "Children's temporary shelter",
        20,
    ),
    (
        "ngo-shelter-ub",
        "psychosocial",
        ["11"],
        "Сэтгэл зүйн зөвлөгөө",
        "Psychosocial counselling",
        None,
    ),
    ("ub-dept", "one_stop", ["11"], "Нэг цэгийн үйлчилгээний төв", "One-stop service centre", 12),
    ("dornod-dept", "legal_aid", ["21"], "Хууль зүйн туслалцаа", "Legal aid", None),
    (
        "national",
        "online_harm",
        ["MN"],
        "Онлайн хор хөнөөлийн тусламж",
        "Online-harm support",
        None,
    ),
]


def demo_services_load() -> None:
    from cpims.referrals.choices import TYPE_LEVEL, TYPE_UNIT
    from cpims.referrals.models import Service
    from cpims.referrals.services import service_save

    if Service.objects.exists():
        return
    for code, service_type, covers, name_mn, name_en, capacity in DEMO_SERVICES:
        service = Service(
            provider=Agency.objects.get(code=code),
            service_type=service_type,
            level=TYPE_LEVEL[service_type],
            unit=TYPE_UNIT[service_type],
            name_mn=name_mn,
            name_en=name_en,
            capacity=capacity,
            available=capacity,
            phone="7011-0108",
            hours="24/7" if service_type == "shelter" else "09-18",
        )
        service_save(
            actor=None, service=service, coverage=list(Location.objects.filter(code__in=covers))
        )
