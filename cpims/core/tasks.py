from datetime import timedelta

from django.utils import timezone

from cpims.core.idempotency import KEY_LIFETIME
from cpims.core.models import IdempotencyKey
from cpims.jobs.registry import task


@task(every=timedelta(hours=1))
def idempotency_keys_purge() -> int:
    """Forget idempotency keys older than their lifetime (a client retries within minutes)."""
    cutoff = timezone.now() - KEY_LIFETIME
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
