"""Agencies, users and services: a team per soum/district sized to its caseload."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from cpims.accounts.models import Agency, User
from cpims.core.generate.base import CASES_PER_WORKER, PREFIX, SERVICES
from cpims.core.generate.loader import insert
from cpims.geo.models import Location
from cpims.referrals.models import Coverage, Service
from cpims.registry.models import Person


class OrganisationStep:
    def _organisation(self) -> None:
        """Agencies and users, social workers per MDT sized to the soum's caseload."""
        rng = self.rng
        # Case children: one case in every soum first, the rest follow where children live.
        by_soum: dict[int, list[tuple]] = defaultdict(list)
        for child in self.children:
            by_soum[self.soum_of_loc[child[1]].pk].append(child)
        picked: list[tuple] = []
        for soum in self.soums:
            if not by_soum.get(soum.pk):
                # A tiny soum drew no child at this scale: a family moves there.
                pk, _loc, sex, age, born = rng.choice(self.children)
                Person.objects.filter(pk=pk).update(location=soum)
                by_soum[soum.pk].append((pk, soum.pk, sex, age, born))
            picked.append(rng.choice(by_soum[soum.pk]))
        remaining = self.scale.cases - len(picked)
        if remaining > 0:
            picked += [rng.choice(self.children) for _ in range(remaining)]
        self.case_children = picked[: self.scale.cases]
        per_soum = Counter(self.soum_of_loc[c[1]].pk for c in self.case_children)

        national = self._agency("national", Agency.Kind.NATIONAL, self.country, None, "National")
        helpline = self._agency("helpline", Agency.Kind.HELPLINE, self.country, national, "108")
        self.dept_of: dict[int, Agency] = {}
        self.provider_of: dict[int, Agency] = {}
        for aimag in self.aimags:
            self.dept_of[aimag.pk] = self._agency(
                f"dept-{aimag.code}", Agency.Kind.AIMAG_DEPT, aimag, national, aimag.name_en
            )
            self.provider_of[aimag.pk] = self._agency(
                f"ngo-{aimag.code}", Agency.Kind.NGO, aimag, None, f"{aimag.name_en} services"
            )
        self.mdt_of: dict[int, Agency] = {}
        for soum in self.soums:
            self.mdt_of[soum.pk] = self._agency(
                f"mdt-{soum.code}",
                Agency.Kind.MDT,
                soum,
                self.dept_of[self.aimag_of_soum[soum.pk].pk],
                f"{soum.name_en} MDT",
            )
        self._count("agencies", Agency.objects.filter(code__startswith=f"{PREFIX}-").count())

        users: list[User] = []
        counsellors = max(4, math.ceil(self.scale.contacts / 4_000))
        for i in range(counsellors):
            users.append(self._user(f"counsellor-{i}", "counsellor", helpline, self.country))
        users.append(self._user("supervisor", "helpline_supervisor", helpline, self.country))
        users.append(self._user("analyst", "national_analyst", national, self.country))
        for aimag in self.aimags:
            users.append(
                self._user(f"officer-{aimag.code}", "cp_officer", self.dept_of[aimag.pk], aimag)
            )
        for soum in self.soums:
            n = min(200, max(1, math.ceil(per_soum.get(soum.pk, 0) / CASES_PER_WORKER)))
            for i in range(n):
                users.append(
                    self._user(f"sw-{soum.code}-{i}", "social_worker", self.mdt_of[soum.pk], soum)
                )
        insert(User, users)
        self._count("users", len(users))
        self.counsellors = [u for u in users if u.username.startswith(f"{PREFIX}-counsellor-")]
        self.workers_of: dict[int, list[User]] = defaultdict(list)
        for u in users:
            if u.username.startswith(f"{PREFIX}-sw-"):
                self.workers_of[u.agency_id].append(u)

        services, coverage = [], []
        for aimag in self.aimags:
            for stype, level, unit, name_mn, name_en in SERVICES:
                services.append(
                    Service(
                        provider=self.provider_of[aimag.pk],
                        service_type=stype,
                        level=level,
                        unit=unit,
                        name_mn=f"{aimag.name_mn}: {name_mn}",
                        name_en=f"{aimag.name_en}: {name_en}",
                        capacity=rng.randint(5, 60),
                    )
                )
        insert(Service, services)
        for service in services:
            coverage.append(Coverage(service=service, location=service.provider.location))
        insert(Coverage, coverage)
        self.services_of: dict[int, list[Service]] = defaultdict(list)
        for service in services:
            self.services_of[service.provider.location_id].append(service)
        self._count("services", len(services))

    def _agency(self, code, kind, location, parent, name) -> Agency:
        return Agency.objects.create(
            code=f"{PREFIX}-{code}".lower()[:40],
            kind=kind,
            location=location,
            parent=parent,
            name_mn=name,
            name_en=name,
        )

    def _user(self, name: str, role: str, agency: Agency, scope: Location) -> User:
        return User(
            username=f"{PREFIX}-{name}",
            password=self.password,
            first_name=name,
            role=self.roles[role],
            agency=agency,
            scope=scope,
        )
