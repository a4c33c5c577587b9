"""Cases with their child, harms, initial assessment and tasks (some overdue)."""

from __future__ import annotations

from datetime import timedelta

from cpims.cases.choices import Risk, Stage, TaskKind
from cpims.cases.models import Assessment, Case, CaseChild, CaseHarm, CaseSequence, Task
from cpims.core.generate.base import HARM_WEIGHTS, OPEN_STAGES, ORIGIN_WEIGHTS, pick
from cpims.core.generate.loader import insert

# The step a done task stands for (the initial assessment has its own entry, with the risk).
TASK_ACTIONS = {
    TaskKind.FIRST_RESPONSE: "first_response",
    TaskKind.CASE_PLAN: "plan_approved",
    TaskKind.FOLLOW_UP: "follow_up",
}


class CasesStep:
    def _cases(self) -> None:
        rng = self.rng
        sequences: dict[tuple[str, int], int] = {
            (s.aimag_code, s.year): s.last for s in CaseSequence.objects.all()
        }
        moments = sorted(self.clock.moment() for _ in self.case_children)
        rng.shuffle(self.case_children)
        self.cases: list[Case] = []
        for (pk, loc_id, _sex, _age, born), reported in zip(
            self.case_children, moments, strict=True
        ):
            if reported.date() <= born:  # a young child: reported during its life, not before
                reported = min(self.now, reported + (born - reported.date() + timedelta(days=30)))
            soum = self.soum_of_loc[loc_id]
            aimag = self.aimag_of_soum[soum.pk]
            agency = self.mdt_of[soum.pk]
            key = (aimag.code, reported.year)
            sequences[key] = sequences.get(key, 0) + 1
            age_days = (self.now - reported).days
            closed = rng.random() < min(0.92, age_days / 400)
            stage = Stage.CLOSED if closed else rng.choice(OPEN_STAGES)
            risk = (
                Risk.UNASSESSED
                if stage == Stage.REGISTRATION
                else rng.choices([Risk.LOW, Risk.MEDIUM, Risk.HIGH], [5, 3, 1])[0]
            )
            case = Case(
                number=f"{aimag.code}-{reported.year}-{sequences[key]:06d}",
                stage=stage,
                is_open=not closed,
                risk=risk,
                origin=pick(rng, ORIGIN_WEIGHTS),
                reported_at=reported,
                location_id=loc_id,
                agency=agency,
                assigned_worker=rng.choice(self.workers_of[agency.pk]),
                created_by_agency=agency,
                safety_immediate=rng.random() > 0.1,
                opened_at=reported + timedelta(minutes=rng.randint(5, 600)),
                closed_at=reported + timedelta(days=rng.randint(20, 300)) if closed else None,
                closure_reason="goals_met" if closed else "",
            )
            case.closed_at = min(case.closed_at, self.now) if case.closed_at else None
            case._child = pk
            self.cases.append(case)
        insert(Case, self.cases)
        for (aimag_code, year), last in sequences.items():
            CaseSequence.objects.update_or_create(
                aimag_code=aimag_code, year=year, defaults={"last": last}
            )
        children, harms, tasks, assessments = [], [], [], []
        for case in self.cases:
            children.append(CaseChild(case=case, person_id=case._child, is_primary=True))
            for harm in set(rng.choices(list(HARM_WEIGHTS), list(HARM_WEIGHTS.values()), k=2)):
                harms.append(CaseHarm(case=case, harm=harm))
                if rng.random() < 0.6:
                    break
            if case.stage != Stage.REGISTRATION:
                assessments.append(
                    Assessment(
                        case=case,
                        kind=Assessment.Kind.INITIAL,
                        risk=case.risk,
                        completed_at=case.opened_at + timedelta(hours=rng.randint(2, 72)),
                        completed_by=case.assigned_worker,
                    )
                )
            tasks += self._tasks_for(case)
        insert(CaseChild, children)
        insert(CaseHarm, harms)
        insert(Assessment, assessments)
        insert(Task, tasks)
        self._audit_cases(assessments, tasks)
        self._count("cases", len(self.cases))
        self._count("open_cases", sum(c.is_open for c in self.cases))
        self._count("case_harms", len(harms))
        self._count("assessments", len(assessments))
        self._count("tasks", len(tasks))
        self._count("overdue_tasks", sum(t.done_at is None and t.due_at < self.now for t in tasks))

    def _tasks_for(self, case: Case) -> list[Task]:
        rng = self.rng
        steps = [TaskKind.FIRST_RESPONSE, TaskKind.INITIAL_ASSESSMENT, TaskKind.CASE_PLAN]
        steps += [TaskKind.FOLLOW_UP] * rng.randint(0, 2)
        tasks = []
        due = case.opened_at
        for i, kind in enumerate(steps):
            due = due + timedelta(hours=rng.choice([24, 72, 168, 336]))
            is_last = i == len(steps) - 1
            if case.is_open and is_last:
                done_at = None  # the current step; overdue when its due date has passed
            elif case.is_open and due > self.now:
                done_at = None
            else:
                done_at = min(due - timedelta(hours=rng.randint(0, 20)), self.now)
            tasks.append(
                Task(
                    case=case,
                    kind=kind,
                    due_at=due,
                    assigned_to=case.assigned_worker,
                    agency=case.agency,
                    done_at=done_at,
                    rule=f"generated:{kind}",
                )
            )
        return tasks

    def _audit_cases(self, assessments: list[Assessment], tasks: list[Task]) -> None:
        """The entries the case services would have written for these steps."""
        log = self.audit
        for case in self.cases:
            worker = case.assigned_worker
            log.case(
                case,
                case.opened_at,
                worker,
                "registered",
                number=case.number,
                agency=case.agency_id,
                worker=worker.pk,
                risk=Risk.UNASSESSED,
                origin=case.origin,
                children=[case._child],
            )
            if case.closed_at:
                log.case(case, case.closed_at, worker, "closed", reason=case.closure_reason)
        for assessment in assessments:
            log.case(
                assessment.case,
                assessment.completed_at,
                assessment.completed_by,
                "initial_assessment",
                risk=assessment.risk,
            )
        for task in tasks:
            action = TASK_ACTIONS.get(task.kind)
            if action and task.done_at:
                log.case(task.case, task.done_at, task.assigned_to, action, task=task.pk)
