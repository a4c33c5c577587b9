"""Reading the counsellor's form leniently (autosave), and giving it back to render.

Autosave must never refuse what was typed: each value that can be read goes to its typed
column; one that cannot (a half-typed phone number, "ten" in an age box, an unknown place) is
kept as typed in `draft_raw` and shown back until corrected. Completing the contact is where
values are required.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cpims.core.numbers import is_number_text
from cpims.geo.models import Location
from cpims.helpline.choices import (
    ActionTaken,
    CallerKind,
    CallType,
    Channel,
    ChildSex,
    Outcome,
    Relationship,
    Urgency,
    VulnerableGroup,
)
from cpims.helpline.models import Category, Contact
from cpims.helpline.services import ChildInput, ContactData, PerpetratorInput
from cpims.registry.identity.phone import PhoneError, normalise_phone
from cpims.registry.selectors import persons_visible_to

CHOICES = {
    "call_type": CallType.values,
    "channel": Channel.values,
    "caller_kind": CallerKind.values,
    "caller_relationship": Relationship.values,
    "caller_sex": ChildSex.values,
    "urgency": Urgency.values,
    "outcome": Outcome.values,
}
TEXT = {"caller_name": 200, "narrative": 20000}
FLAGS = ["caller_anonymous", "callback_requested", "callback_consent"]
PHONES = ["caller_phone", "callback_number"]
BLANK_ALLOWED = {"call_type", "caller_relationship", "outcome"}


class Reader:
    def __init__(self, post, *, user):
        self.post = post
        self.user = user
        self.raw: dict[str, str] = {}
        self._places: dict[str, Location | None] = {}

    def text(self, name: str, limit: int = 200) -> str:
        return (self.post.get(name) or "").strip()[:limit]

    def choice(self, name: str, allowed, default: str = "") -> str:
        value = self.text(name, 40)
        if value in allowed or value == "":
            return value or default
        self.raw[name] = value
        return default

    def number(self, name: str, low: int = 0, high: int = 120) -> int | None:
        value = self.text(name, 10)
        if not value:
            return None
        if is_number_text(value) and low <= int(value) <= high:
            return int(value)
        self.raw[name] = value
        return None

    def phone(self, name: str) -> str:
        value = self.text(name, 40)
        if not value:
            return ""
        try:
            return normalise_phone(value)
        except PhoneError:
            self.raw[name] = value
            return ""

    def when(self, name: str) -> datetime | None:
        value = self.text(name, 40)
        if not value:
            return None
        parsed = parse_datetime(value)
        if parsed is None:
            self.raw[name] = value
            return None
        return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed

    def place(self, name: str) -> Location | None:
        value = self.text(name, 120)
        if not value:
            return None
        code = value.split()[0]
        if code not in self._places:
            self._places[code] = Location.objects.filter(code=code).first()
        if self._places[code] is None:
            self.raw[name] = value
        return self._places[code]

    def person(self, name: str):
        value = self.text(name, 20)
        if not is_number_text(value):
            return None
        return persons_visible_to(self.user).filter(pk=int(value)).first()

    def lives(self, name: str) -> bool | None:
        return {"yes": True, "no": False}.get(self.text(name, 3))

    def ids(self, name: str) -> list[int]:
        return [int(v) for v in self.post.getlist(name) if is_number_text(v)]


def read_contact_form(post, *, contact: Contact, user) -> ContactData:
    r = Reader(post, user=user)
    fields: dict = {}
    for name, allowed in CHOICES.items():
        default = "" if name in BLANK_ALLOWED else getattr(contact, name)
        fields[name] = r.choice(name, allowed, default)
    for name, limit in TEXT.items():
        fields[name] = r.text(name, limit)
    for name in FLAGS:
        fields[name] = bool(post.get(name))
    for name in PHONES:
        fields[name] = r.phone(name)
    fields["caller_age"] = r.number("caller_age")
    fields["caller_location"] = r.place("caller_location")
    fields["callback_at"] = r.when("callback_at")
    categories = {
        c.pk: c
        for c in Category.objects.filter(
            version=contact.taxonomy_version_id,
            pk__in=[*r.ids("categories"), *r.ids("primary_category")],
        )
    }
    primary_ids = r.ids("primary_category")
    primary = categories.get(primary_ids[0]) if primary_ids else None
    chosen = [categories[i] for i in r.ids("categories") if i in categories]
    children = [
        ChildInput(
            id=cid,
            person=r.person(f"child-{cid}-person"),
            name=r.text(f"child-{cid}-name", 100),
            age_years=r.number(f"child-{cid}-age", 0, 25),
            sex=r.choice(f"child-{cid}-sex", ChildSex.values, "U"),
            location=r.place(f"child-{cid}-location"),
        )
        for cid in r.ids("child")
    ]
    perpetrators = [
        PerpetratorInput(
            id=pid,
            person=r.person(f"perp-{pid}-person"),
            description=r.text(f"perp-{pid}-description", 300),
            relationship=r.choice(f"perp-{pid}-relationship", Relationship.values),
            lives_with_child=r.lives(f"perp-{pid}-lives"),
            sex=r.choice(f"perp-{pid}-sex", ChildSex.values, "U"),
        )
        for pid in r.ids("perp")
    ]
    return ContactData(
        fields=fields,
        categories=chosen,
        primary_category=primary,
        actions=[a for a in post.getlist("actions") if a in ActionTaken.values],
        vulnerable_groups=[
            g for g in post.getlist("vulnerable_groups") if g in VulnerableGroup.values
        ],
        children=children if "child" in post or not contact.children.exists() else None,
        perpetrators=perpetrators if "perp" in post or not contact.perpetrators.exists() else None,
        raw=r.raw,
    )


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def form_values(contact: Contact) -> dict[str, str]:
    """What each form field shows: the saved value, or what was typed and not yet readable."""
    values = {
        "call_type": contact.call_type,
        "channel": contact.channel,
        "caller_kind": contact.caller_kind,
        "caller_relationship": contact.caller_relationship,
        "caller_sex": contact.caller_sex,
        "urgency": contact.urgency,
        "outcome": contact.outcome,
        "caller_name": contact.caller_name,
        "narrative": contact.narrative,
        "caller_phone": contact.caller_phone,
        "callback_number": contact.callback_number,
        "caller_age": "" if contact.caller_age is None else str(contact.caller_age),
        "caller_location": contact.caller_location.code if contact.caller_location_id else "",
        "callback_at": _local(contact.callback_at),
    }
    values.update({k: v for k, v in (contact.draft_raw or {}).items() if k in values})
    return values


def child_rows(contact: Contact) -> list[dict]:
    raw = contact.draft_raw or {}
    rows = []
    for child in contact.children.select_related("person", "location"):
        prefix = f"child-{child.pk}-"
        rows.append(
            {
                "child": child,
                "name": child.name,
                "age": raw.get(prefix + "age", "" if child.age_years is None else child.age_years),
                "sex": child.sex,
                "location": raw.get(
                    prefix + "location", child.location.code if child.location_id else ""
                ),
            }
        )
    return rows
