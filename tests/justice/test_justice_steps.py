from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cpims.audit.models import AuditEvent
from cpims.cases.models import Task
from cpims.jobs.models import Job
from cpims.jobs.worker import work_until_idle
from cpims.justice import services
from cpims.justice.selectors import interview_counts, justice_section
from cpims.notifications.models import Notification
from tests.justice.helpers import dv_case
from tests.registry.helpers import make_person

pytestmark = pytest.mark.django_db


def _reminders(user):
    return Notification.objects.filter(user=user, kind="hearing_reminder")


def test_police_report_and_status_are_audited_on_the_record_and_neutral_on_the_case(places):
    case, worker = dv_case()
    report = services.police_report_record(
        actor=worker, case=case, number="102-77", channel="line_102", reported_on=date(2026, 3, 1)
    )
    assert report.status == "reported" and report.status_changed_on == date(2026, 3, 1)
    services.police_status_set(actor=worker, report=report, status="investigating")
    services.police_status_set(actor=worker, report=report, status="prosecutor")
    report.refresh_from_db()
    assert report.status == "prosecutor"
    detail = AuditEvent.objects.filter(object_type="justice.PoliceReport", object_id=str(report.pk))
    assert [e.action for e in detail.order_by("seq")] == [
        "justice.police_report",
        "justice.police_status",
        "justice.police_status",
    ]
    on_case = AuditEvent.objects.filter(object_type="cases.Case", object_id=str(case.pk))
    restricted = on_case.filter(action="cases.restricted_updated")
    assert restricted.count() == 3
    assert all(e.changes == {} for e in restricted), "the case timeline holds no justice detail"
    assert not any("102-77" in str(e.changes) for e in on_case)


def test_hearing_reminder_goes_to_the_accompanying_worker_the_day_before(places):
    case, worker = dv_case()
    court = services.court_case_record(actor=worker, case=case, number="C-1")
    assert court.accompanying_worker == worker, "defaults to the case worker"
    start = timezone.now()
    hearing_at = start + timedelta(days=5)
    with time_machine.travel(start, tick=False) as clock:
        services.hearing_schedule(actor=worker, court_case=court, scheduled_at=hearing_at)
        job = Job.objects.get(name="justice.hearing_remind")
        assert job.run_after == hearing_at - timedelta(days=1)
        work_until_idle(worker_id="t")
        assert not _reminders(worker).exists(), "not before the day before"
        clock.move_to(hearing_at - timedelta(hours=23))
        work_until_idle(worker_id="t")
        assert _reminders(worker).count() == 1
        assert case.number in _reminders(worker).get().message
        work_until_idle(worker_id="t")
    assert _reminders(worker).count() == 1, "once"


def test_a_moved_hearing_reminds_at_the_new_time_and_a_cancelled_one_never(places):
    case, worker = dv_case()
    court = services.court_case_record(actor=worker, case=case, prosecution_number="P-9")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        hearing = services.hearing_schedule(
            actor=worker, court_case=court, scheduled_at=start + timedelta(days=3)
        )
        later = start + timedelta(days=10)
        services.hearing_update(actor=worker, hearing=hearing, scheduled_at=later)
        other = services.hearing_schedule(
            actor=worker, court_case=court, scheduled_at=start + timedelta(days=4)
        )
        services.hearing_update(actor=worker, hearing=other, cancelled=True)
        clock.move_to(start + timedelta(days=3, hours=1))
        work_until_idle(worker_id="t")
        assert not _reminders(worker).exists(), "the old time and the cancelled hearing are silent"
        clock.move_to(later - timedelta(hours=12))
        work_until_idle(worker_id="t")
    assert _reminders(worker).count() == 1
    hearing.refresh_from_db()
    assert hearing.reminded_at is not None


def test_court_outcome_and_legal_aid(places):
    case, worker = dv_case()
    court = services.court_case_record(actor=worker, case=case, number="C-2")
    services.court_outcome_record(
        actor=worker,
        court_case=court,
        outcome="convicted",
        decided_on=date(2026, 5, 1),
        sentence="2 years",
    )
    services.legal_aid_record(
        actor=worker, case=case, kind="representation", provided_on=date(2026, 4, 1), provider="LAC"
    )
    section = justice_section(worker, case)
    assert section["court_cases"][0].outcome == "convicted"
    assert section["legal_aid"][0].provider == "LAC"


def test_interviews_are_counted_per_child_and_flagged_above_the_limit(places, settings):
    settings.CPIMS_INTERVIEWS_PER_CHILD_MAX = 1
    case, worker = dv_case()
    child = case.children.get().person
    for day in (1, 2):
        services.interview_record(
            actor=worker,
            case=case,
            child=child,
            held_on=date(2026, 3, day),
            place="child_room",
            interviewer="Inspector",
            recorded=True,
            support_person_present=True,
        )
    counts = interview_counts(justice_section(worker, case)["interviews"])
    assert counts == [{"child": child, "count": 2, "too_many": True}]
    stranger = make_person(given_name="Болд")
    with pytest.raises(ValidationError) as not_on_case:
        services.interview_record(
            actor=worker,
            case=case,
            child=stranger,
            held_on=date(2026, 3, 3),
            place="police",
            interviewer="X",
        )
    assert "child" in not_on_case.value.message_dict, "the child is not on the case"


def test_child_in_conflict_with_the_law_gets_probation_follow_ups(places):
    case, worker = dv_case()
    child = case.children.get().person
    record = services.conflict_record(
        actor=worker, case=case, child=child, offence="theft", path="pending"
    )
    assert case.harms.filter(harm="conflict_with_law").exists()
    probation = Task.objects.filter(case=case, rule="explicit:probation")
    assert not probation.exists(), "no follow-up before a measure"
    decided = timezone.localdate()
    services.conflict_decide(
        actor=worker,
        record=record,
        path="diversion",
        measure="probation",
        decided_on=decided,
        probation_until=decided + timedelta(days=75),
    )
    first = probation.get(done_at__isnull=True)
    assert timezone.localtime(first.due_at).date() == decided + timedelta(days=30)
    services.probation_visit_record(
        actor=worker, record=record, held_on=decided + timedelta(days=29), compliance="compliant"
    )
    first.refresh_from_db()
    assert first.done_at is not None
    second = probation.get(done_at__isnull=True)
    assert timezone.localtime(second.due_at).date() == decided + timedelta(days=59)
    services.probation_visit_record(
        actor=worker, record=record, held_on=decided + timedelta(days=60), compliance="partial"
    )
    assert not probation.filter(done_at__isnull=True).exists(), "no visit after probation ends"
    assert record.visits.count() == 2
