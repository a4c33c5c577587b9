import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cpims.cases.choices import ConsentPurpose
from cpims.cases.errors import TransitionError
from cpims.cases.models import Case
from cpims.cases.numbering import case_number_next
from cpims.cases.services import case_allows, consent_record, consent_withdraw
from tests.cases.helpers import register, team, worker_of
from tests.factories import location


@pytest.mark.django_db(transaction=True)
def test_case_numbers_are_unique_under_concurrency(places):
    numbers: list[str] = []
    errors: list[BaseException] = []

    def take(count: int) -> None:
        try:
            for _ in range(count):
                numbers.append(case_number_next(location=location("110751"), year=2026))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(15,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(numbers) == 45 and len(set(numbers)) == 45
    assert sorted(numbers)[-1] == "11-2026-000045"
    assert case_number_next(location=location("2101"), year=2026) == "21-2026-000001"


@pytest.mark.django_db
def test_consent_is_enforced_and_can_be_withdrawn(places):
    worker = worker_of(team())
    case = register(worker)
    assert not case_allows(case, ConsentPurpose.REFERRAL)
    with pytest.raises(ValidationError):
        consent_record(actor=worker, case=case, purpose="referral", basis="consent")  # who gave it?
    with pytest.raises(ValidationError):
        consent_record(actor=worker, case=case, purpose="referral", basis="child_safety")  # why?
    consent = consent_record(
        actor=worker,
        case=case,
        purpose="referral",
        basis="consent",
        given_by="mother",
        child_assent=True,
    )
    assert case_allows(case, ConsentPurpose.REFERRAL)
    assert not case_allows(case, ConsentPurpose.SHARING)
    consent_withdraw(actor=worker, consent=consent)
    assert not case_allows(case, ConsentPurpose.REFERRAL)
    with pytest.raises(TransitionError):
        consent_withdraw(actor=worker, consent=consent)
    consent_record(
        actor=worker,
        case=case,
        purpose="sharing",
        basis="child_safety",
        notes="caregiver is the alleged perpetrator",
    )
    assert case_allows(case, ConsentPurpose.SHARING)
    assert Case.objects.count() == 1
