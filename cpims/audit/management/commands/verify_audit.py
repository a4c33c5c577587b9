from django.core.management.base import BaseCommand, CommandError

from cpims.audit.models import AuditEvent
from cpims.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit non-zero naming every altered or missing entry."

    def handle(self, *args, **options):
        problems = audit_chain_verify()
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"audit log verification FAILED: {len(problems)} problem(s)")
        self.stdout.write(f"audit log OK: {AuditEvent.objects.count()} entries verified")
