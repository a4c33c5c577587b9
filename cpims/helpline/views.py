"""The counsellor's screen: one-click contacts, drafts saved as they type, caller lookup."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cpims.core.access import get_visible_or_404, require_capability
from cpims.core.pagination import CappedPaginator
from cpims.geo.models import Location
from cpims.helpline import contact_parts, services
from cpims.helpline.choices import (
    NON_DATA_CALL_TYPES,
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
from cpims.helpline.contact_filters import FILTERS as CONTACT_FILTERS
from cpims.helpline.contact_filters import filter_contacts
from cpims.helpline.formdata import child_rows, form_values, read_contact_form
from cpims.helpline.models import Contact
from cpims.helpline.selectors import (
    callbacks_due,
    caller_lookup,
    contacts_visible_to,
    drafts_of,
    incoming_calls_for,
    taxonomy_for,
)
from cpims.registry.selectors import SearchQuery, person_search, persons_visible_to

CONTACT = "helpline.contact"
ONE_CLICK_KEYS = {t: str(i + 1) for i, t in enumerate(NON_DATA_CALL_TYPES)}


def _contact(request, pk: int) -> Contact:
    return get_visible_or_404(contacts_visible_to(request.user), pk=pk, user=request.user)


def one_click_buttons():
    return [
        {"value": t.value, "label": t.label, "key": ONE_CLICK_KEYS[t]} for t in NON_DATA_CALL_TYPES
    ]


@require_capability(CONTACT)
def screen(request):
    return render(
        request,
        "helpline/screen.html",
        {
            "one_click": one_click_buttons(),
            "channels": Channel.choices,
            "drafts": drafts_of(request.user).select_related("primary_category")[:20],
            "callbacks": callbacks_due(request.user)[:20],
            "now": timezone.now(),
        },
    )


@require_capability(CONTACT)
@require_GET
def incoming(request):
    """Polled by the screen: a call the telephony link opened for this counsellor pops here."""
    call = incoming_calls_for(request.user).first()
    if call is None:
        return HttpResponse(status=204)
    lookup = caller_lookup(user=request.user, phone=call.caller_phone, exclude_contact=call.pk)
    return render(
        request,
        "helpline/_incoming.html",
        {"call": call, "lookup": lookup, "one_click": one_click_buttons()},
    )


@require_capability(CONTACT)
@require_POST
def contact_new(request):
    channel = request.POST.get("channel", Channel.PHONE)
    if channel not in Channel.values:
        channel = Channel.PHONE
    contact = services.contact_start(actor=request.user, channel=channel, call_type=CallType.DATA)
    return redirect("helpline:contact_edit", pk=contact.pk)


@require_capability(CONTACT)
@require_POST
def one_click(request, call_type: str):
    """A non-data contact in one click (optionally the call the telephony link opened)."""
    contact = None
    if request.POST.get("contact", "").isdigit():
        contact = _contact(request, int(request.POST["contact"]))
    channel = request.POST.get("channel", Channel.PHONE)
    try:
        saved = services.contact_record_non_data(
            actor=request.user,
            call_type=call_type,
            channel=channel if channel in Channel.values else Channel.PHONE,
            contact=contact,
        )
    except (ValidationError, services.ContactLocked) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request, _("Saved: %(type)s contact.") % {"type": saved.get_call_type_display()}
        )
    return redirect("helpline:screen")


def _form_context(request, contact: Contact, **extra):
    return {
        "contact": contact,
        "values": form_values(contact),
        "children": child_rows(contact),
        "perpetrators": contact.perpetrators.select_related("person"),
        "categories": taxonomy_for(contact.taxonomy_version),
        "chosen": set(contact.categories.values_list("category_id", flat=True)),
        "actions_chosen": set(contact.actions.values_list("action", flat=True)),
        "groups_chosen": set(contact.vulnerabilities.values_list("group", flat=True)),
        "call_types": CallType.choices[:-1],
        "channels": Channel.choices,
        "caller_kinds": CallerKind.choices,
        "relationships": Relationship.choices,
        "sexes": ChildSex.choices,
        "urgencies": Urgency.choices,
        "outcomes": Outcome.choices,
        "actions": ActionTaken.choices,
        "groups": VulnerableGroup.choices,
        "lookup": caller_lookup(
            user=request.user,
            phone=contact.caller_phone,
            person_ids=contact.children.exclude(person=None).values_list("person_id", flat=True),
            exclude_contact=contact.pk,
        ),
        "problems": {},
        "escalations": contact.escalations.select_related("agency", "case"),
        **extra,
    }


@require_capability(CONTACT)
def contact_edit(request, pk: int):
    contact = _contact(request, pk)
    if not contact.is_draft:
        return redirect("helpline:contact_detail", pk=contact.pk)
    return render(request, "helpline/contact_form.html", _form_context(request, contact))


def save_from_post(request, contact: Contact) -> Contact:
    data = read_contact_form(request.POST, contact=contact, user=request.user)
    return services.contact_save(actor=request.user, contact=contact, data=data)


@require_capability(CONTACT)
@require_POST
def contact_draft(request, pk: int):
    """htmx autosave of the whole form; answers with the save status."""
    contact = _contact(request, pk)
    try:
        contact = save_from_post(request, contact)
    except services.ContactLocked:
        return render(request, "helpline/_save_status.html", {"locked": True})
    return render(
        request,
        "helpline/_save_status.html",
        {"contact": contact, "raw": contact.draft_raw},
    )


@require_capability(CONTACT)
@require_POST
def contact_complete(request, pk: int):
    contact = _contact(request, pk)
    try:
        contact = save_from_post(request, contact)
        contact = services.contact_complete(actor=request.user, contact=contact)
    except services.ContactLocked:
        return redirect("helpline:contact_detail", pk=contact.pk)
    except ValidationError as exc:
        contact.refresh_from_db()
        problems = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        context = _form_context(request, contact, problems=problems)
        return render(request, "helpline/contact_form.html", context, status=400)
    messages.success(request, _("The contact was saved."))
    return redirect("helpline:screen")


@require_capability(CONTACT)
@require_POST
def contact_discard(request, pk: int):
    contact = _contact(request, pk)
    try:
        services.contact_discard(
            actor=request.user, contact=contact, reason=request.POST.get("reason", "")
        )
    except (ValidationError, services.ContactLocked) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("helpline:contact_edit", pk=contact.pk)
    messages.info(request, _("The draft was discarded."))
    return redirect("helpline:screen")


@require_capability(CONTACT)
def contact_detail(request, pk: int):
    contact = _contact(request, pk)
    return render(
        request,
        "helpline/contact_detail.html",
        {
            "contact": contact,
            "children": contact.children.select_related("person", "location"),
            "perpetrators": contact.perpetrators.select_related("person"),
            "categories": contact.categories.select_related("category").order_by("-is_primary"),
            "escalations": contact.escalations.select_related("agency", "case"),
        },
    )


@require_capability(CONTACT)
def contact_list(request):
    contacts = contacts_visible_to(request.user).select_related("counsellor", "primary_category")
    phone = request.GET.get("phone", "").strip()
    if phone:
        lookup = caller_lookup(user=request.user, phone=phone)
        contacts = contacts.filter(caller_phone=lookup.number or "-")
    status = request.GET.get("status", "")
    if status in ("draft", "completed", "discarded"):
        contacts = contacts.filter(status=status)
    contacts = filter_contacts(
        contacts,
        user=request.user,
        **{k: request.GET.get(k, "") for k in CONTACT_FILTERS},
    )
    # Counted up to the cap: the line's million contacts are not counted for a page of 50.
    ordered = contacts.order_by("-started_at", "-pk")
    page = CappedPaginator(ordered, 50).get_page(request.GET.get("page"))
    return render(
        request, "helpline/contact_list.html", {"page": page, "phone": phone, "status": status}
    )


@require_capability(CONTACT)
@require_POST
def child_add(request, pk: int):
    contact = _contact(request, pk)
    save_from_post(request, contact)
    contact_parts.child_add(contact=contact)
    return _child_row(request, contact, contact.children.order_by("-sort", "-pk").first())


def _child_row(request, contact, child):
    row = next(r for r in child_rows(contact) if r["child"].pk == child.pk)
    return render(request, "helpline/_child_row.html", {"row": row, "sexes": ChildSex.choices})


@require_capability(CONTACT)
@require_POST
def child_remove(request, pk: int, child_id: int):
    contact = _contact(request, pk)
    if contact.is_draft:
        contact.children.filter(pk=child_id).delete()
    return HttpResponse("")


@require_capability(CONTACT)
@require_POST
def child_link(request, pk: int, child_id: int):
    contact = _contact(request, pk)
    contact = save_from_post(request, contact)
    child = contact.children.get(pk=child_id)
    person = None
    if request.POST.get("person", "").isdigit():
        person = get_visible_or_404(
            persons_visible_to(request.user), pk=int(request.POST["person"]), user=request.user
        )
    contact_parts.child_link_person(contact=contact, child=child, person=person)
    return _child_row(request, contact, child)


@require_capability(CONTACT)
@require_GET
def person_results(request, pk: int, child_id: int):
    """Registry search for one child row (search before registering a new person)."""
    contact = _contact(request, pk)
    text = request.GET.get(f"child-{child_id}-search", "").strip()
    results = person_search(user=request.user, query=SearchQuery(text=text)) if text else []
    return render(
        request,
        "helpline/_person_results.html",
        {"contact": contact, "child_id": child_id, "results": results[:10], "searched": bool(text)},
    )


@require_capability(CONTACT)
@require_POST
def perpetrator_add(request, pk: int):
    contact = _contact(request, pk)
    save_from_post(request, contact)
    item = contact_parts.perpetrator_add(contact=contact)
    return render(
        request,
        "helpline/_perp_row.html",
        {"p": item, "relationships": Relationship.choices, "sexes": ChildSex.choices},
    )


@require_capability(CONTACT)
@require_POST
def perpetrator_remove(request, pk: int, perp_id: int):
    contact = _contact(request, pk)
    if contact.is_draft:
        contact.perpetrators.filter(pk=perp_id).delete()
    return HttpResponse("")


@require_capability(CONTACT)
@require_GET
def lookup(request):
    """htmx: what is known about a phone number (and the contact's identified children)."""
    contact = None
    if request.GET.get("contact", "").isdigit():
        contact = _contact(request, int(request.GET["contact"]))
    person_ids = []
    if contact is not None:
        person_ids = contact.children.exclude(person=None).values_list("person_id", flat=True)
    result = caller_lookup(
        user=request.user,
        phone=request.GET.get("caller_phone") or request.GET.get("phone", ""),
        person_ids=person_ids,
        exclude_contact=contact.pk if contact else None,
    )
    return render(request, "helpline/_lookup.html", {"lookup": result, "contact": contact})


@require_capability(CONTACT)
@require_GET
def places(request):
    """Options for the place fields: by NSO code or by name, in either language."""
    text = next((v.strip() for v in request.GET.values() if v.strip()), "")
    found = Location.objects.none()
    if len(text) >= 2:
        if text[0].isdigit():
            found = Location.objects.filter(code__startswith=text.split()[0])
        else:
            found = Location.objects.filter(name_mn__icontains=text) | Location.objects.filter(
                name_en__icontains=text
            )
    options = list(found.select_related("parent", "parent__parent").order_by("path")[:20])
    return render(request, "helpline/_places.html", {"places": options})
