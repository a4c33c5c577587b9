"""Demo agencies and one user per role across two aimags (Dornod, Khövsgöl) and the capital."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from cpims.accounts.models import Agency, Role, User
from cpims.accounts.services import agency_save, user_create
from cpims.core.bootstrap import bootstrap
from cpims.geo.models import Location

DEMO_AGENCIES = [
    # code, kind, location code, parent code, name_mn, name_en
    (
        "national",
        "national",
        "MN",
        None,
        "Хүүхэд, гэр бүлийн хөгжил, хамгааллын ерөнхий газар",
        "General Authority for Child, Family Development and Protection",
    ),
    (
        "helpline-108",
        "helpline",
        "MN",
        "national",
        "Хүүхдийн тусламжийн утас 108",
        "Child Helpline 108",
    ),
    (
        "ub-dept",
        "aimag_dept",
        "11",
        "national",
        "Нийслэлийн хүүхэд, гэр бүлийн хэлтэс",
        "Ulaanbaatar children and family department",
    ),
    (
        "dornod-dept",
        "aimag_dept",
        "21",
        "national",
        "Дорнод аймгийн хүүхэд, гэр бүлийн хэлтэс",
        "Dornod children and family department",
    ),
    (
        "khovsgol-dept",
        "aimag_dept",
        "67",
        "national",
        "Хөвсгөл аймгийн хүүхэд, гэр бүлийн хэлтэс",
        "Khövsgöl children and family department",
    ),
    (
        "mdt-bayangol-1",
        "mdt",
        "110751",
        "ub-dept",
        "Баянгол дүүргийн 1-р хорооны хамтарсан баг",
        "Bayangol 1st khoroo MDT",
    ),
    ("mdt-kherlen", "mdt", "2101", "dornod-dept", "Хэрлэн сумын хамтарсан баг", "Kherlen soum MDT"),
    ("mdt-moron", "mdt", "6701", "khovsgol-dept", "Мөрөн сумын хамтарсан баг", "Mörön soum MDT"),
    (
        "ngo-shelter-ub",
        "ngo",
        "11",
        None,
        "Хүүхдийн түр хамгаалах байр ТББ",
        "Children's temporary shelter NGO",
    ),
]

DEMO_USERS = [
    # username, role, agency, scope code, first name, last name
    ("admin", "sysadmin", "national", "MN", "Болд", "Администратор"),
    ("counsellor", "counsellor", "helpline-108", "MN", "Сарангэрэл", "Дорж"),
    ("supervisor", "helpline_supervisor", "helpline-108", "MN", "Оюунчимэг", "Батын"),
    ("socialworker", "social_worker", "mdt-bayangol-1", "110751", "Энхжаргал", "Ганбаатар"),
    ("mdt", "mdt_member", "mdt-kherlen", "2101", "Тэмүүлэн", "Сүхийн"),
    ("officer", "cp_officer", "dornod-dept", "21", "Нандин-Эрдэнэ", "Мөнхийн"),
    ("officer-ub", "cp_officer", "ub-dept", "11", "Золзаяа", "Батын"),
    ("provider", "service_provider", "ngo-shelter-ub", "11", "Хонгорзул", "Түвшин"),
    ("analyst", "national_analyst", "national", "MN", "Ариунзаяа", "Золбоо"),
    ("finance", "finance_officer", "national", "MN", "Ганболд", "Саран"),
    ("auditor", "auditor", "national", "MN", "Үүрийнтуяа", "Жаргал"),
]


@dataclass
class DemoLogin:
    username: str
    role: str


@transaction.atomic
def demo_load() -> list[DemoLogin]:
    if not settings.CPIMS_DEMO:
        raise RuntimeError("demo data is only loaded in demo mode (CPIMS_DEMO=1)")
    bootstrap()
    locations = {
        loc.code: loc
        for loc in Location.objects.filter(
            code__in={a[2] for a in DEMO_AGENCIES} | {u[3] for u in DEMO_USERS}
        )
    }
    agencies: dict[str, Agency] = {}
    for code, kind, location_code, parent_code, name_mn, name_en in DEMO_AGENCIES:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            agency = agency_save(
                actor=None,
                agency=Agency(
                    code=code,
                    kind=kind,
                    location=locations[location_code],
                    parent=agencies.get(parent_code),
                    name_mn=name_mn,
                    name_en=name_en,
                ),
            )
        agencies[code] = agency
    roles = {role.code: role for role in Role.objects.all()}
    logins = []
    for username, role_code, agency_code, scope_code, first_name, last_name in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            user_create(
                actor=None,
                password=settings.CPIMS_DEMO_PASSWORD,
                username=username,
                first_name=first_name,
                last_name=last_name,
                role=roles[role_code],
                agency=agencies[agency_code],
                scope=locations[scope_code],
            )
        logins.append(DemoLogin(username=username, role=roles[role_code].name_en))
    from cpims.core.demo_cases import demo_cases_load, demo_services_load

    demo_cases_load()
    demo_services_load()
    from cpims.finance.demo import demo_finance_load

    demo_finance_load()
    from cpims.justice.demo import demo_justice_load
    from cpims.workforce.demo import demo_workforce_load

    demo_justice_load()
    demo_workforce_load()
    from cpims.helpline.demo import demo_helpline_load

    demo_helpline_load()
    return logins
