"""Demo helpline data: the counsellor's PBX extension and a few contacts of today."""

from datetime import timedelta

from django.utils import timezone

from cpims.accounts.models import User
from cpims.helpline import services
from cpims.helpline.models import Category, Contact, CounsellorExtension, current_version
from cpims.helpline.telephony import extension_assign


def demo_helpline_load() -> None:
    """Idempotent: nothing happens once the first demo contact exists."""
    if Contact.objects.filter(telephony_call_id="demo-1").exists():
        return
    counsellor = User.objects.filter(username="counsellor").first()
    if counsellor is None:
        return
    if not CounsellorExtension.objects.filter(extension="201").exists():
        extension_assign(actor=None, extension="201", user=counsellor)
    now = timezone.now()
    silent = services.contact_start(
        actor=counsellor, started_at=now - timedelta(minutes=40), telephony_call_id="demo-1"
    )
    services.contact_record_non_data(actor=counsellor, call_type="silent", contact=silent)

    def category(code):
        return Category.objects.get(version=current_version(), code=code)

    for call_id, minutes, code, extra in [
        ("demo-2", 30, "non_counselling.parents", {"outcome": "information"}),
        (
            "demo-3",
            20,
            "family.general",
            {
                "callback_requested": True,
                "callback_at": now + timedelta(hours=2),
                "callback_number": "+97699001122",
                "callback_consent": True,
                "caller_kind": "child",
                "caller_relationship": "self",
            },
        ),
    ]:
        contact = services.contact_start(
            actor=counsellor, started_at=now - timedelta(minutes=minutes), telephony_call_id=call_id
        )
        services.contact_save(
            actor=counsellor,
            contact=contact,
            data=services.ContactData(
                fields={"call_type": "data", "caller_phone": "+97699001122", **extra},
                categories=[category(code)],
            ),
        )
        services.contact_complete(actor=counsellor, contact=contact)
