from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cpims.audit.models import AuditEvent
from cpims.cases.models import CasePerson
from cpims.helpline import handover, services
from cpims.helpline.models import Escalation
from cpims.helpline.selectors import escalations_awaiting
from cpims.helpline.tasks import escalations_sweep
from cpims.jobs.models import Job
from cpims.jobs.worker import work_until_idle
from cpims.notifications.models import Notification
from cpims.registry.services import PossibleDuplicate
from tests.cases.helpers import officer, team, worker_of
from tests.factories import make_user
from tests.helpline.helpers import category, counsellor, data_contact
from tests.registry.helpers import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(places):
    mdt = team()
    return {
        "team": mdt,
        "worker": worker_of(mdt),
        "member": worker_of(mdt, role="mdt_member"),
        "officer": officer("11"),
        "supervisor": make_user(role="helpline_supervisor", scope="MN"),
        "counsellor": counsellor(),
    }


def emergency(user, **kw):
    return data_contact(
        user,
        urgency="emergency",
        narrative="The father is beating the child now",
        children=[(9, "F", "110751")],
        **kw,
    )


def moved(escalation_id):
    return list(
        AuditEvent.objects.filter(
            action="helpline.escalation_moved_up", object_id=str(escalation_id)
        )
        .order_by("seq")
        .values_list("changes__to", flat=True)
    )


def test_an_emergency_opens_a_case_with_the_responsible_team_and_notifies_it(people):
    contact = emergency(people["counsellor"])
    case = contact.case
    assert case is not None and case.agency == people["team"]
    assert (case.origin, case.risk, case.assigned_worker) == ("helpline", "high", people["worker"])
    assert set(case.harms.values_list("harm", flat=True)) == {"icvac2"}
    assert contact.outcome == "case_created"
    child = contact.children.get()
    assert child.person is not None and child.person.location.code == "110751"
    escalation = contact.escalations.get()
    assert (escalation.level, escalation.status, escalation.is_emergency) == ("team", "open", True)
    assert escalation.deadline_at - escalation.raised_at == timedelta(minutes=60)
    notified = set(
        Notification.objects.filter(kind="helpline_escalation").values_list("user", flat=True)
    )
    assert notified == {people["worker"].pk, people["member"].pk}
    job = Job.objects.get(name="helpline.escalation_check")
    assert job.run_after == escalation.deadline_at and job.kwargs["level"] == "team"
    assert list(escalations_awaiting(people["worker"])) == [escalation]
    assert list(escalations_awaiting(people["officer"])) == []


def test_unacknowledged_it_moves_to_the_officer_then_to_the_supervisor(people):
    escalation = emergency(people["counsellor"]).escalations.get()
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        work_until_idle(worker_id="t")
        escalation.refresh_from_db()
        assert escalation.level == "team"
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        work_until_idle(worker_id="t")
        escalation.refresh_from_db()
        assert escalation.level == "officer"
        assert Notification.objects.filter(
            user=people["officer"], kind="helpline_escalation"
        ).exists()
        assert escalation in escalations_awaiting(people["officer"])
    with time_machine.travel(start + timedelta(minutes=123), tick=False):
        work_until_idle(worker_id="t")
        escalation.refresh_from_db()
        assert escalation.level == "supervisor"
        assert Notification.objects.filter(
            user=people["supervisor"], kind="helpline_escalation"
        ).exists()
        assert escalation in escalations_awaiting(people["supervisor"])
    assert moved(escalation.pk) == ["officer", "supervisor"]
    with time_machine.travel(start + timedelta(days=1), tick=False):
        assert work_until_idle(worker_id="t") == 0  # the last level: no more jobs
    handover.escalation_acknowledge(
        actor=people["supervisor"], escalation=escalation, note="called the team"
    )
    escalation.refresh_from_db()
    assert escalation.status == "acknowledged"
    assert AuditEvent.objects.filter(
        action="helpline.escalation_acknowledged", object_id=str(escalation.pk)
    ).exists()


def test_acknowledged_in_time_nothing_moves(people):
    contact = emergency(people["counsellor"])
    escalation = contact.escalations.get()
    handover.escalation_acknowledge(actor=people["member"], escalation=escalation)
    assert Notification.objects.filter(
        user=people["counsellor"], kind="helpline_acknowledged"
    ).exists()
    with time_machine.travel(timezone.now() + timedelta(hours=3), tick=False):
        work_until_idle(worker_id="t")
    escalation.refresh_from_db()
    assert (escalation.level, escalation.status) == ("team", "acknowledged")
    assert moved(escalation.pk) == []
    with pytest.raises(ValidationError):
        handover.escalation_acknowledge(actor=people["worker"], escalation=escalation)


def test_without_an_officer_it_goes_straight_to_the_supervisor(places):
    mdt = team("mdt-kherlen", "2101")
    worker_of(mdt)
    supervisor = make_user(role="helpline_supervisor", scope="MN")
    contact = data_contact(counsellor(), urgency="emergency", children=[(5, "M", "2101")])
    escalation = contact.escalations.get()
    with time_machine.travel(timezone.now() + timedelta(minutes=61), tick=False):
        work_until_idle(worker_id="t")
    escalation.refresh_from_db()
    assert escalation.level == "supervisor"
    assert escalation in escalations_awaiting(supervisor)
    event = AuditEvent.objects.get(action="helpline.escalation_moved_up")
    assert event.changes["no_officer"] is True


def test_the_periodic_sweep_moves_an_escalation_whose_job_was_lost(people):
    escalation = emergency(people["counsellor"]).escalations.get()
    Job.objects.filter(name="helpline.escalation_check").delete()
    with time_machine.travel(timezone.now() + timedelta(minutes=61), tick=False):
        assert escalations_sweep() == 1
        assert escalations_sweep() == 0
    escalation.refresh_from_db()
    assert escalation.level == "officer"


def test_the_acknowledgement_time_is_configurable_and_longer_when_not_an_emergency(
    people, settings
):
    settings.CPIMS_ESCALATION_ACK_MINUTES_OTHER = 90
    contact = data_contact(people["counsellor"], urgency="medium", children=[(14, "M", "110751")])
    escalation = handover.contact_escalate(actor=people["counsellor"], contact=contact)
    assert not escalation.is_emergency
    assert escalation.deadline_at - escalation.raised_at == timedelta(minutes=90)
    assert escalation.case.risk == "medium"


def test_perpetrators_and_reporter_go_to_the_case(people):
    user = people["counsellor"]
    contact = services.contact_create(
        actor=user,
        data=services.ContactData(
            fields={"call_type": "data", "urgency": "high", "caller_relationship": "neighbour"},
            categories=[category("violence.online_harms.sextortion")],
            children=[services.ChildInput(name="Сараа", age_years=15, sex="F")],
            perpetrators=[
                services.PerpetratorInput(
                    description="man met online", relationship="online_contact"
                )
            ],
        ),
    )
    services.contact_save(
        actor=user,
        contact=contact.__class__.objects.create(
            started_at=timezone.now(), taxonomy_version=contact.taxonomy_version
        ),
        data=services.ContactData(),
    )
    with pytest.raises(ValidationError, match="place"):
        handover.contact_create_case(actor=user, contact=contact)
    child = contact.children.get()
    child.location = team().location
    child.save()
    case = handover.contact_create_case(actor=user, contact=contact)
    assert set(case.harms.values_list("harm", flat=True)) == {"icvac3", "online_harm"}
    perpetrator = CasePerson.objects.get(case=case, role="perpetrator")
    assert perpetrator.description == "man met online"
    assert "Neighbour" in case.reporter_description or "Хөрш" in case.reporter_description


def test_search_before_registering_the_child(people):
    existing = make_person(
        given_name="Болормаа", sex="F", date_of_birth=date(timezone.localdate().year - 9, 1, 1)
    )
    user = people["counsellor"]
    contact = services.contact_create(
        actor=user,
        data=services.ContactData(
            fields={"call_type": "data", "urgency": "high"},
            categories=[category("violence.neglect")],
            children=[
                services.ChildInput(
                    name="Болормаа", age_years=9, sex="F", location=existing.location
                )
            ],
        ),
    )
    with pytest.raises(PossibleDuplicate) as dup:
        handover.contact_escalate(actor=user, contact=contact)
    assert [c.person for c in dup.value.candidates.visible] == [existing]
    assert not Escalation.objects.exists()
    escalation = handover.contact_escalate(actor=user, contact=contact, confirm_new=True)
    assert escalation.case.children.get().person != existing


def test_a_contact_can_be_linked_to_an_existing_case(people):
    first = emergency(people["counsellor"])
    second = data_contact(people["counsellor"], primary="family.general")
    handover.contact_link_case(actor=people["counsellor"], contact=second, case=first.case)
    second.refresh_from_db()
    assert second.case == first.case
    assert first.case.helpline_contacts.count() == 2
    assert Notification.objects.filter(user=people["worker"], kind="helpline_contact").exists()
    assert AuditEvent.objects.filter(
        action="cases.helpline_contact_linked", object_id=str(first.case.pk)
    ).exists()
    other = data_contact(
        people["counsellor"], urgency="emergency", children=[(3, "M", "110751", "Тулга")]
    )
    with pytest.raises(ValidationError):
        handover.contact_link_case(actor=people["counsellor"], contact=second, case=other.case)
