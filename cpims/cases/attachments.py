"""Attachments: checked by content (not by the file name), size-limited, stored through Django's
storage (S3-compatible in production), served only through an access check and never inline."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cpims.cases.models import Attachment, Case
from cpims.cases.services import case_event

SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"PK\x03\x04", "application/zip"),  # docx/xlsx/odt are zip containers, checked below
]
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
OFFICE = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
}


def sniff(head: bytes, name: str) -> str:
    """The real type of a file from its first bytes; ValidationError when not allowed."""
    for magic, kind in SIGNATURES:
        if head.startswith(magic):
            if kind == "application/zip":
                ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
                if ext in OFFICE:
                    return OFFICE[ext]
                break
            return kind
    raise ValidationError({"file": _("Only PDF, JPEG, PNG and office documents can be attached.")})


@transaction.atomic
def attachment_add(*, actor, case: Case, upload) -> Attachment:
    limit = settings.CPIMS_ATTACHMENT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)s MB.")
                % {"mb": settings.CPIMS_ATTACHMENT_MAX_MB}
            }
        )
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head, upload.name)
    name = upload.name.replace("/", "_")[-200:]
    office_ext = {v: k for k, v in OFFICE.items()}
    extension = EXTENSIONS.get(content_type) or office_ext[content_type]
    attachment = Attachment(
        case=case,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    # The stored name is ours (random), never the uploader's: no path tricks, no double extensions.
    attachment.file.save(f"case-{case.pk}-{uuid.uuid4().hex}{extension}", upload, save=False)
    attachment.save()
    case_event(
        case,
        actor=actor,
        action="attachment_added",
        attachment=attachment.pk,
        name=name,
        content_type=content_type,
        size=attachment.size,
    )
    return attachment
