from django.core.management.base import BaseCommand

from cpims.privacy.retention import retention_apply, retention_plan


class Command(BaseCommand):
    help = "Anonymise closed cases (and their persons) whose retention periods have passed."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="show what would be done")

    def handle(self, *args, dry_run: bool, **options):
        plan = retention_plan()
        for case in plan.cases:
            self.stdout.write(f"case {case.number} closed {case.closed_at:%Y-%m-%d}")
        self.stdout.write(
            f"{len(plan.cases)} case(s) and {len(plan.persons)} person(s) "
            + ("would be anonymised (dry run, nothing changed)" if dry_run else "anonymised")
        )
        if not dry_run and (plan.cases or plan.persons):
            retention_apply(plan=plan)
