"""Helpline contacts: most of them non-counselling; counselling ones with a child."""

from __future__ import annotations

import itertools
from datetime import timedelta

from cpims.cases.choices import Origin
from cpims.core.generate.base import BATCH, CALL_TYPE_WEIGHTS
from cpims.core.generate.loader import insert
from cpims.helpline.choices import CallerKind, CallType, Channel, ChildSex, Outcome, Status, Urgency
from cpims.helpline.models import Contact, ContactCategory, ContactChild


class ContactsStep:
    def _contacts(self) -> None:
        rng = self.rng
        helpline_cases = [c for c in self.cases if c.origin == Origin.HELPLINE]
        types = list(CALL_TYPE_WEIGHTS)
        weights = list(itertools.accumulate(CALL_TYPE_WEIGHTS.values()))
        done = 0
        while done < self.scale.contacts:
            n = min(BATCH * 5, self.scale.contacts - done)
            contacts: list[Contact] = []
            for _ in range(n):
                started = self.clock.moment()
                call_type = rng.choices(types, cum_weights=weights)[0]
                data = call_type == CallType.DATA
                answered = call_type != CallType.UNANSWERED
                seconds = rng.randint(240, 2400) if data else rng.randint(3, 90) if answered else 0
                contact = Contact(
                    status=Status.COMPLETED,
                    call_type=call_type,
                    channel=rng.choices(
                        [Channel.PHONE, Channel.WEB_CHAT, Channel.SMS], [85, 10, 5]
                    )[0],
                    started_at=started,
                    answered_at=started + timedelta(seconds=rng.randint(2, 40))
                    if answered
                    else None,
                    ended_at=started + timedelta(seconds=seconds + 40),
                    duration_seconds=seconds,
                    counsellor=rng.choice(self.counsellors) if answered else None,
                    caller_phone=rng.choice(self.phones)
                    if self.phones and rng.random() < 0.8
                    else "",
                    taxonomy_version=self.taxonomy,
                    created_at=started,
                    updated_at=started + timedelta(seconds=seconds + 60),
                    completed_at=started + timedelta(seconds=seconds + 60),
                )
                if data:
                    contact.caller_kind = rng.choice([CallerKind.CHILD, CallerKind.ADULT])
                    contact.urgency = rng.choices(list(Urgency), [50, 30, 15, 5])[0]
                    contact.primary_category_id = (
                        rng.choice(self.categories) if self.categories else None
                    )
                    contact.outcome = rng.choices(
                        [Outcome.COUNSELLED, Outcome.INFORMATION, Outcome.REFERRED],
                        [60, 25, 15],
                    )[0]
                    if helpline_cases and rng.random() < 0.1:
                        case = rng.choice(helpline_cases)
                        contact.case = case
                        contact.outcome = Outcome.CASE_CREATED
                contacts.append(contact)
            insert(Contact, contacts)
            children, categories = [], []
            for contact in contacts:
                if contact.call_type != CallType.DATA:
                    continue
                pk, loc_id, sex, age, _born = rng.choice(self.children)
                children.append(
                    ContactChild(
                        contact=contact,
                        person_id=pk if rng.random() < 0.5 else None,
                        age_years=age,
                        sex=sex if sex in ChildSex.values else ChildSex.UNKNOWN,
                        location_id=loc_id,
                    )
                )
                if contact.primary_category_id:
                    categories.append(
                        ContactCategory(
                            contact=contact,
                            category_id=contact.primary_category_id,
                            is_primary=True,
                        )
                    )
            insert(ContactChild, children)
            insert(ContactCategory, categories)
            self._audit_contacts(contacts)
            self._count("contacts", len(contacts))
            self._count("counselling_contacts", len(children))
            done += n
            self.log(f"  contacts {done:,}")

    def _audit_contacts(self, contacts: list[Contact]) -> None:
        """One entry per contact, as the helpline services write on completion."""
        add = self.audit.add
        shared: dict[tuple, dict] = {}  # a million contacts share a few dozen detail sets
        for c in contacts:
            if c.call_type == CallType.DATA:
                action = "helpline.contact_completed"
                key = (c.call_type, c.channel, c.outcome, c.urgency, c.primary_category_id)
                fields = ("call_type", "channel", "outcome", "urgency", "primary_category")
            else:
                action = "helpline.contact_non_data"
                key = (c.call_type, c.channel)
                fields = ("call_type", "channel")
            changes = shared.get(key)
            if changes is None:
                changes = shared[key] = dict(zip(fields, key, strict=True))
            add(c.completed_at, c.counsellor, action, "helpline.Contact", c.pk, changes)
