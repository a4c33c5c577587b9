"""Derived search keys for a person, from what was typed (in either script)."""

from dataclasses import dataclass
from datetime import date

from cpims.registry.identity.names import patronymic_initial_key, patronymic_stem
from cpims.registry.identity.translit import name_key, phonetic_key


@dataclass(frozen=True)
class PersonKeys:
    given_key: str
    given_phonetic: str
    patronymic_key: str
    patronymic_initial: str
    family_key: str
    birth_year: int | None


def patronymic_key_of(patronymic: str) -> str:
    text = patronymic.strip().rstrip(".")
    if len(text) <= 1:
        return ""  # an initial alone carries no stem
    return name_key(patronymic_stem(text))


def person_keys(
    *, given_name: str, patronymic: str = "", family_name: str = "", date_of_birth: date | None
) -> PersonKeys:
    return PersonKeys(
        given_key=name_key(given_name)[:100],
        given_phonetic=phonetic_key(given_name)[:16],
        patronymic_key=patronymic_key_of(patronymic)[:100],
        patronymic_initial=patronymic_initial_key(patronymic)[:4] if patronymic.strip() else "",
        family_key=name_key(family_name)[:100],
        birth_year=date_of_birth.year if date_of_birth else None,
    )


def apply_keys(person) -> None:
    keys = person_keys(
        given_name=person.given_name,
        patronymic=person.patronymic,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
    )
    for name, value in keys.__dict__.items():
        setattr(person, name, value)
