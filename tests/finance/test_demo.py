from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cpims.accounts.models import User
from cpims.finance.indicators import dashboard
from cpims.finance.models import BudgetLine, Scenario, UnitCost
from cpims.referrals.choices import ServiceType

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_meaningful_finance_dashboard_and_loads_once(places, settings):
    settings.LANGUAGE_CODE = "mn"  # place names as users see them
    call_command("load_demo", stdout=StringIO())
    counts = (BudgetLine.objects.count(), UnitCost.objects.count(), Scenario.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (
        BudgetLine.objects.count(),
        UnitCost.objects.count(),
        Scenario.objects.count(),
    ) == counts
    year = timezone.localdate().year
    aimags = set(BudgetLine.objects.filter(year=year).values_list("location__code", flat=True))
    assert {"11", "21", "67"} <= aimags
    assert set(UnitCost.objects.values_list("service_type", flat=True)) == set(ServiceType.values)
    finance = User.objects.get(username="finance")
    data = dashboard(user=finance, year=year)
    assert data["totals"]["approved"] > 0 and data["totals"]["cost"] > 0
    assert data["totals"]["children"] > 1_200_000
    assert data["totals"]["cp_share"] is not None
    client = Client()
    client.force_login(finance)
    page = client.get("/finance/").content.decode()
    assert "<svg" in page and "Дорнод" in page and "Хөвсгөл" in page
    nav = client.get("/").content.decode()
    assert 'href="/finance/"' in nav
    client.force_login(User.objects.get(username="socialworker"))
    assert 'href="/finance/"' not in client.get("/").content.decode()
