"""Persons (with their search keys and phones), in chunks so memory stays flat."""

from __future__ import annotations

from datetime import date

from cpims.core.generate.base import PERSON_CHUNK, PREFIX, regno_or_none
from cpims.core.generate.loader import insert
from cpims.registry.identity.phone import PhoneError, normalise_phone
from cpims.registry.keys import apply_keys
from cpims.registry.models import Person, PersonPhone
from cpims.registry.synthetic import generate_persons


class PersonsStep:
    def _persons(self) -> None:
        """Persons in chunks; keeps only what later steps need about children and phones."""
        self.children: list[tuple[int, int, str, int, date]] = []  # pk, place, sex, age, born
        self.phones: list[str] = []
        today = self.now.date()
        done = 0
        chunk_no = 0
        while done < self.scale.persons:
            n = min(PERSON_CHUNK, self.scale.persons - done)
            rows, _ = generate_persons(n=n, seed=self.seed * 1000 + chunk_no, places=self.places)
            persons, phones = [], []
            for row in rows:
                soum = self.by_code.get(row["soum_code"]) or self.by_code.get(row["aimag_code"])
                location = soum
                if soum is not None and self.bags_of.get(soum.pk) and self.rng.random() < 0.7:
                    location = self.rng.choice(self.bags_of[soum.pk])
                dob = date.fromisoformat(row["date_of_birth"]) if row["date_of_birth"] else None
                person = Person(
                    external_id=f"{PREFIX}-{self.seed}-{chunk_no}-{row['external_id']}",
                    family_name=row["family_name"],
                    patronymic=row["patronymic"],
                    given_name=row["given_name"],
                    sex=row["sex"] or Person.Sex.UNKNOWN,
                    date_of_birth=dob,
                    registration_number=regno_or_none(row["registration_number"]),
                    location=location,
                )
                apply_keys(person)
                persons.append(person)
                phones.append(row["phone"])
            insert(Person, persons)
            links = []
            for person, typed in zip(persons, phones, strict=True):
                if typed:
                    try:
                        number = normalise_phone(typed, strict=False)
                    except PhoneError:
                        number = ""
                    if number:
                        links.append(PersonPhone(person=person, number=number, as_typed=typed[:40]))
                        if len(self.phones) < 100_000:
                            self.phones.append(number)
                dob = person.date_of_birth
                if dob and person.location_id:
                    age = (today - dob).days // 365
                    if age < 18:
                        self.children.append((person.pk, person.location_id, person.sex, age, dob))
            insert(PersonPhone, links)  # one number per person: no conflicts
            self._count("persons", len(persons))
            self._count("person_phones", len(links))
            done += n
            chunk_no += 1
            self.log(f"  persons {done:,}")
