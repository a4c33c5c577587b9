"""What the monitoring module may count. Aggregate readers (`reports.aggregate`) count records
inside their location scope — never row by row: these querysets feed counts and sums only, and
no page, export or endpoint built on them shows a name or a case number. Personal exports use
the case selector (`cases_visible_to`) and need `exports.personal`."""

from django.db.models import QuerySet
from django.http import Http404

from cpims.cases.models import Case, CaseChild, CasePlan, Task
from cpims.cases.selectors import cases_visible_to
from cpims.finance.models import ChildPopulation
from cpims.geo.models import Location
from cpims.helpline.choices import Status as ContactStatus
from cpims.helpline.models import Contact, Escalation
from cpims.referrals.models import Activity, Delivery, Referral
from cpims.reports.models import ReferenceValue

AGGREGATE = "reports.aggregate"


def can_aggregate(user) -> bool:
    return bool(user and user.is_authenticated and user.has_capability(AGGREGATE) and user.scope_id)


def place_for(user, code: str | None) -> Location:
    """The place a user asked for, which must lie inside their scope (404 otherwise)."""
    if not can_aggregate(user):
        raise Http404
    if not code:
        return user.scope
    place = Location.objects.filter(code=code, path__startswith=user.scope.path).first()
    if place is None:
        raise Http404
    return place


def areas_of(place: Location) -> list[Location]:
    """The places one level down (aimags of the country, soums of an aimag, …)."""
    return list(Location.objects.filter(parent=place, is_active=True).order_by("code"))


class Counting:
    """Querysets for counting inside `place` (which the caller has checked against the scope)."""

    def __init__(self, place: Location):
        self.place = place
        self.prefix = place.path

    def cases(self) -> QuerySet[Case]:
        return Case.objects.filter(location__path__startswith=self.prefix)

    def case_children(self) -> QuerySet[CaseChild]:
        return CaseChild.objects.filter(case__location__path__startswith=self.prefix)

    def plans(self) -> QuerySet[CasePlan]:
        return CasePlan.objects.filter(case__location__path__startswith=self.prefix)

    def tasks(self) -> QuerySet[Task]:
        return Task.objects.filter(case__location__path__startswith=self.prefix)

    def contacts(self) -> QuerySet[Contact]:
        """Completed helpline contacts; the national helpline counts every contact, an area
        counts those whose caller's place lies inside it."""
        done = Contact.objects.filter(status=ContactStatus.COMPLETED)
        if self.place.depth == 0:
            return done
        return done.filter(caller_location__path__startswith=self.prefix)

    def escalations(self) -> QuerySet[Escalation]:
        """Helpline escalations, where the child of their case lives."""
        return Escalation.objects.filter(case__location__path__startswith=self.prefix)

    def referrals(self) -> QuerySet[Referral]:
        return Referral.objects.filter(case__location__path__startswith=self.prefix)

    def deliveries(self) -> QuerySet[Delivery]:
        return Delivery.objects.filter(location__path__startswith=self.prefix)

    def activities(self) -> QuerySet[Activity]:
        return Activity.objects.filter(location__path__startswith=self.prefix)

    def populations(self) -> QuerySet[ChildPopulation]:
        return ChildPopulation.objects.filter(location__path__startswith=self.prefix)


def reference_values_visible_to(user) -> QuerySet[ReferenceValue]:
    if not can_aggregate(user):
        return ReferenceValue.objects.none()
    return ReferenceValue.objects.all()


def cases_exportable_by(user) -> QuerySet[Case]:
    if not (user and user.is_authenticated and user.has_capability("exports.personal")):
        return Case.objects.none()
    return cases_visible_to(user)
