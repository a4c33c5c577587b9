from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpims.accounts.security_views import recent_auth_required
from cpims.core.access import get_visible_or_404, require_capability
from cpims.registry import services
from cpims.registry.forms import ImportForm, PersonForm, RelationshipForm, SearchForm
from cpims.registry.identity.regno import RegnoError, parse_regno
from cpims.registry.imports import persons_import
from cpims.registry.merge import MERGEABLE_FIELDS, person_merge, person_merge_undo
from cpims.registry.models import Person, PersonMerge
from cpims.registry.selectors import (
    SearchQuery,
    person_candidates,
    person_history,
    person_household_children,
    person_relationships,
    person_search,
    persons_visible_to,
)


@require_capability("registry.view")
def person_list(request):
    form = SearchForm(request.GET or None)
    results, searched = [], False
    if form.is_valid() and any(form.cleaned_data.values()):
        searched = True
        data = form.cleaned_data
        results = person_search(
            user=request.user,
            query=SearchQuery(
                text=data["q"] or "",
                birth_year=data["birth_year"],
                location_code=data["place"] or "",
            ),
        )
        services.persons_searched(
            actor=request.user, query=request.GET.urlencode(), count=len(results)
        )
    template = (
        "registry/_results.html"
        if request.headers.get("HX-Request")
        else "registry/person_list.html"
    )
    return render(request, template, {"form": form, "results": results, "searched": searched})


def _save_person(request, form: PersonForm, person: Person | None):
    data = form.to_input()
    try:
        if person is None:
            saved = services.person_create(
                actor=request.user, data=data, confirmed_new=form.cleaned_data["confirmed_new"]
            )
        else:
            saved = services.person_update(
                actor=request.user,
                person=person,
                data=data,
                expected_version=form.cleaned_data.get("version") or 0,
            )
    except services.PossibleDuplicate as dup:
        return None, {"candidates": dup.candidates}
    except services.VersionConflict as conflict:
        return None, {"conflict": conflict.current}
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None, {}
    for warning in services.regno_warnings(data):
        messages.warning(request, warning)
    return saved, {}


@require_capability("registry.edit")
def person_create(request):
    form = PersonForm(request.POST or None, user=request.user)
    extra = {}
    if request.method == "POST" and form.is_valid():
        person, extra = _save_person(request, form, None)
        if person is not None:
            messages.success(request, _("The person was registered."))
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, **extra})


@require_capability("registry.edit")
def person_matches(request):
    """htmx: likely matches for what has been typed so far (search before create)."""
    form = PersonForm(request.GET, user=request.user)
    candidates = None
    if form.is_valid():
        data = form.to_input()
        try:
            regno = services.clean_regno(data.registration_number)
            phones = services.clean_phones(data.phones)
        except ValidationError:
            regno, phones = "", []
        candidates = person_candidates(
            user=request.user, facts=services.facts_for(data, phones, regno)
        )
    return render(request, "registry/_candidates.html", {"candidates": candidates})


@require_capability("registry.edit")
def regno_check(request):
    """htmx: what a registration number says (birth date, sex), to offer to the user."""
    value = request.GET.get("registration_number", "")
    parsed, error = None, None
    if value.strip():
        try:
            parsed = parse_regno(value)
        except RegnoError as exc:
            error = exc.message
    return render(request, "registry/_regno.html", {"parsed": parsed, "error": error})


@require_capability("registry.view")
def person_detail(request, pk: int):
    merged = Person.objects.filter(pk=pk, merged_into__isnull=False).first()
    if (
        merged is not None
        and persons_visible_to(request.user).filter(pk=merged.merged_into_id).exists()
    ):
        messages.info(request, _("This record was merged; showing the surviving record."))
        return redirect("registry:person_detail", pk=merged.merged_into_id)
    person = get_visible_or_404(persons_visible_to(request.user), pk=pk, user=request.user)
    services.person_viewed(actor=request.user, person=person)
    regno = None
    if person.registration_number:
        try:
            regno = parse_regno(person.registration_number)
        except RegnoError:
            regno = None
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "regno": regno,
            "relationships": person_relationships(person, user=request.user),
            "household": person_household_children(person, user=request.user),
            "history": person_history(person),
            "merges": PersonMerge.objects.filter(survivor=person).select_related("merged"),
            "relationship_form": RelationshipForm(),
        },
    )


@require_capability("registry.edit")
def person_edit(request, pk: int):
    person = get_visible_or_404(persons_visible_to(request.user), pk=pk, user=request.user)
    form = PersonForm(
        request.POST or None, user=request.user, initial=PersonForm.initial_for(person)
    )
    extra = {}
    if request.method == "POST" and form.is_valid():
        saved, extra = _save_person(request, form, person)
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("registry:person_detail", pk=saved.pk)
    return render(request, "registry/person_form.html", {"form": form, "person": person, **extra})


@require_capability("registry.edit")
@require_POST
def relationship_add(request, pk: int):
    person = get_visible_or_404(persons_visible_to(request.user), pk=pk, user=request.user)
    form = RelationshipForm(request.POST)
    if form.is_valid():
        other = get_visible_or_404(
            persons_visible_to(request.user), pk=form.cleaned_data["other"], user=request.user
        )
        try:
            services.relationship_add(
                actor=request.user,
                from_person=other,
                to_person=person,
                kind=form.cleaned_data["kind"],
            )
            messages.success(request, _("Relationship added."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a relationship and a person."))
    return redirect("registry:person_detail", pk=person.pk)


@require_capability("registry.merge")
@recent_auth_required
def merge_review(request, pk: int, other: int):
    visible = persons_visible_to(request.user)
    survivor = get_visible_or_404(visible, pk=pk, user=request.user)
    merged = get_visible_or_404(visible, pk=other, user=request.user)
    if request.method == "POST":
        take = [f for f in MERGEABLE_FIELDS if request.POST.get(f"take_{f}") == "merged"]
        try:
            person_merge(
                actor=request.user,
                survivor=survivor,
                merged=merged,
                take_from_merged=take,
                reason=request.POST.get("reason", "")[:1000],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The records were merged. You can undo this below."))
            return redirect("registry:person_detail", pk=survivor.pk)
    from cpims.registry.matching import match_score
    from cpims.registry.selectors import facts_of

    rows = [
        {
            "field": f,
            "label": Person._meta.get_field(f.removesuffix("_id")).verbose_name,
            "a": getattr(survivor, f.removesuffix("_id")),
            "b": getattr(merged, f.removesuffix("_id")),
            "differs": getattr(survivor, f) != getattr(merged, f),
        }
        for f in MERGEABLE_FIELDS
    ]
    return render(
        request,
        "registry/merge_review.html",
        {
            "a": survivor,
            "b": merged,
            "rows": rows,
            "match": match_score(facts_of(survivor), facts_of(merged)),
        },
    )


@require_capability("registry.merge")
@require_POST
def merge_undo(request, pk: int):
    merge = get_object_or_404(PersonMerge, pk=pk)
    get_visible_or_404(persons_visible_to(request.user), pk=merge.survivor_id, user=request.user)
    try:
        person_merge_undo(actor=request.user, merge=merge)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The merge was undone."))
    return redirect("registry:person_detail", pk=merge.survivor_id)


@require_capability("registry.import")
def person_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = persons_import(actor=request.user, name=upload.name, content=upload.read())
    return render(request, "registry/import.html", {"form": form, "report": report})
