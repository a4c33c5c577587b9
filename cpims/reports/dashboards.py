"""The personal sections of "My dashboard": a counsellor's day, a social worker's tasks and
caseload, a supervisor's team. Each figure is one count (or one grouped count) over the selector
of its record type — `case_list`/`cases_visible_to`, `tasks_for_user`, `contacts_visible_to`,
`callbacks_due`, `approvals_waiting_for` — and the list it links to runs the same filter, so the
number and the list agree. A figure links to its list only when the reader may open that list
(the capability the list's view requires)."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpims.cases.choices import Risk, Stage
from cpims.cases.models import Task
from cpims.cases.selectors import (
    approvals_waiting_for,
    awaiting_referral,
    case_list,
    due_buckets,
    overdue_step,
    tasks_for_user,
    without_approved_plan,
)
from cpims.helpline.choices import Status as ContactStatus
from cpims.helpline.contact_filters import filter_contacts
from cpims.helpline.selectors import callbacks_due, contacts_visible_to


@dataclass
class Figure:
    label: str
    value: object
    url: str | None = None  # the list behind the number, when the reader may open it
    key: str = ""  # stable name for tests and the browser


@dataclass
class Section:
    key: str
    title: str
    groups: list[tuple[str, list[Figure]]] = field(default_factory=list)
    rows: list = field(default_factory=list)  # tables of the section (per worker, per area)
    extra: dict = field(default_factory=dict)


def list_url(user, name: str, *, args=(), anchor: str = "", **query) -> str | None:
    """The URL of a list with its filters, or None when the reader may not open the list: the
    capability is read from the list's own view, so the rule cannot drift from the view's."""
    path = reverse(name, args=args)
    needed = getattr(resolve(path).func, "required_capability", None)
    if needed is None or not user.has_capability(needed):
        return None
    params = urlencode({k: v for k, v in query.items() if v not in ("", None, False)})
    return path + (f"?{params}" if params else "") + (f"#{anchor}" if anchor else "")


def counsellor_section(user) -> Section:
    today = timezone.localdate().isoformat()
    contacts = contacts_visible_to(user)
    mine_today = filter_contacts(contacts, user=user, counsellor="me", on=today)
    by_status = dict(mine_today.order_by().values_list("status").annotate(n=Count("pk")))
    now = timezone.now()
    callbacks = callbacks_due(user).aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(callback_at__lt=now))
    )
    callbacks_url = list_url(user, "helpline:callbacks")

    def contacts_url(**query):
        return list_url(user, "helpline:contact_list", counsellor="me", **query)

    escalated = [
        Figure(
            label,
            filter_contacts(contacts, user=user, counsellor="me", escalation=state).count(),
            contacts_url(escalation=state),
            f"escalations-{state}",
        )
        for state, label in [
            ("open", _("Waiting for acknowledgement")),
            ("overdue", _("Of which past the deadline")),
            ("acknowledged", _("Acknowledged")),
        ]
    ]
    return Section(
        "counsellor",
        _("My helpline work"),
        [
            (
                _("My contacts today"),
                [
                    Figure(
                        _("Completed"),
                        by_status.get(ContactStatus.COMPLETED, 0),
                        contacts_url(on=today, status="completed"),
                        "contacts-completed",
                    ),
                    Figure(
                        _("In progress"),
                        by_status.get(ContactStatus.DRAFT, 0),
                        contacts_url(on=today, status="draft"),
                        "contacts-draft",
                    ),
                ],
            ),
            (
                _("Callbacks due"),
                [
                    Figure(_("All due"), callbacks["total"], callbacks_url, "callbacks-due"),
                    Figure(
                        _("Overdue"),
                        callbacks["overdue"],
                        list_url(user, "helpline:callbacks", overdue=1),
                        "callbacks-overdue",
                    ),
                ],
            ),
            (_("My escalated contacts"), escalated),
        ],
    )


TASK_LABELS = {
    "overdue": _("Overdue"),
    "today": _("Due today"),
    "week": _("Due in the next 7 days"),
    "later": _("Later"),
}


def worker_section(user, visible) -> Section:
    """`visible`: the reader's `cases_visible_to(user)`, looked up once for the whole page."""
    buckets = due_buckets()
    tasks = tasks_for_user(user, visible=visible).aggregate(
        **{name: Count("pk", filter=q) for name, q in buckets.items()}
    )
    task_figures = [
        Figure(TASK_LABELS[name], tasks[name], list_url(user, "cases:tasks", due=name), name)
        for name in buckets
    ]
    mine = case_list(user, status="open", worker="me", visible=visible)
    risk: dict[str, int] = {}
    stage: dict[str, int] = {}
    waiting = 0  # the list's `referral=awaiting` condition, counted in the same query
    for risk_code, stage_code, n, awaiting in (
        mine.order_by()
        .values_list("risk", "stage")
        .annotate(n=Count("pk"), waiting=Count("pk", filter=awaiting_referral()))
    ):
        risk[risk_code] = risk.get(risk_code, 0) + n
        stage[stage_code] = stage.get(stage_code, 0) + n
        waiting += awaiting

    def cases_url(**query):
        return list_url(user, "cases:list", status="open", worker="me", **query)

    by_risk = [
        Figure(label, risk.get(code, 0), cases_url(risk=code), f"risk-{code}")
        for code, label in reversed(Risk.choices)
    ]
    by_stage = [
        Figure(label, stage.get(code, 0), cases_url(stage=code), f"stage-{code}")
        for code, label in Stage.choices
        if code != Stage.CLOSED
    ]
    return Section(
        "worker",
        _("My casework"),
        [
            (_("My tasks by urgency"), task_figures),
            (
                _("My open cases by risk"),
                [Figure(_("All"), sum(risk.values()), cases_url(), "caseload"), *by_risk],
            ),
            (_("My open cases by stage"), by_stage),
            (
                _("Referrals"),
                [
                    Figure(
                        _("My cases with a referral awaiting a response"),
                        waiting,
                        cases_url(referral="awaiting"),
                        "referrals-awaiting",
                    )
                ],
            ),
        ],
    )


def overdue_by_location(visibility) -> dict[int | None, tuple[int, int]]:
    """Overdue steps on the open cases the reader sees, by the case's location: (steps, cases
    with one). One query for two figures: the supervisor's "Overdue steps" (all the steps: the
    task list's overdue section, `overdue_tasks_visible_to`) and the area section's "With
    overdue steps" (the cases of its places: the case list's `overdue=1`)."""
    rows = (
        Task.objects.filter(visibility.through("case"), overdue_step(), case__is_open=True)
        .order_by()
        .values_list("case__location")
        .annotate(steps=Count("pk"), cases=Count("case", distinct=True))
    )
    return {location: (steps, cases) for location, steps, cases in rows}


TEAM_ROWS = 50


def supervisor_section(user, visible, overdue: dict) -> Section:
    """One query over the open cases the reader sees, grouped by worker, counts the team table
    and the high-risk cases without an approved plan (the list's `plan=none` condition);
    `overdue` is `overdue_by_location` (shared with the area section)."""
    open_cases = case_list(user, status="open", visible=visible).order_by()
    rows = list(
        open_cases.values(
            "assigned_worker",
            "assigned_worker__first_name",
            "assigned_worker__last_name",
            "assigned_worker__username",
        ).annotate(
            n=Count("pk"),
            high=Count("pk", filter=Q(risk=Risk.HIGH)),
            no_plan=Count("pk", filter=Q(risk=Risk.HIGH) & without_approved_plan()),
        )
    )
    no_plan = sum(row["no_plan"] for row in rows)
    # busiest first; "not assigned" after the workers with as many cases
    rows.sort(key=lambda r: (-r["n"], r["assigned_worker"] is None, r["assigned_worker"] or 0))
    team = []
    for row in rows[:TEAM_ROWS]:
        worker = row["assigned_worker"]
        name = " ".join(
            p for p in (row["assigned_worker__first_name"], row["assigned_worker__last_name"]) if p
        )
        query = {"status": "open", "worker": worker} if worker else None
        team.append(
            {
                "name": (name or row["assigned_worker__username"]) if worker else _("Not assigned"),
                "open": Figure(
                    _("Open cases"),
                    row["n"],
                    list_url(user, "cases:list", **query) if query else None,
                ),
                "high": Figure(
                    _("High risk"),
                    row["high"],
                    list_url(user, "cases:list", risk=Risk.HIGH, **query) if query else None,
                ),
            }
        )
    return Section(
        "supervisor",
        _("My team"),
        [
            (
                _("Waiting for action"),
                [
                    Figure(
                        _("Overdue steps"),
                        sum(steps for steps, _cases in overdue.values()),
                        list_url(user, "cases:tasks", anchor="overdue"),
                        "overdue-steps",
                    ),
                    Figure(
                        _("Approvals waiting for you"),
                        approvals_waiting_for(user, visible=visible).count(),
                        list_url(user, "cases:tasks", anchor="approvals"),
                        "approvals",
                    ),
                    Figure(
                        _("High-risk cases without an approved plan"),
                        no_plan,
                        list_url(user, "cases:list", status="open", risk=Risk.HIGH, plan="none"),
                        "high-risk-no-plan",
                    ),
                ],
            )
        ],
        rows=team,
        extra={"capped": len(team) == TEAM_ROWS},
    )
