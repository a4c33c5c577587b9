from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One entry of the append-only audit log, hash-chained to the entry before it.

    The actor is stored as a plain id and a label, not a foreign key, so that nothing done to a
    user account can cascade into the log.
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("record type"), max_length=64, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("from"), null=True, blank=True)
    path = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor_id", "at"], name="audit_actor_at_idx"),
            models.Index(fields=["action", "at"], name="audit_action_at_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditChainHead(models.Model):
    """A single row holding the last sequence number and hash; locking it orders the chain."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain head #{self.seq}"
