from django.core.management.base import BaseCommand, CommandError

from cpims.core.generate import SCALES, AlreadyGenerated, generate_demo


class Command(BaseCommand):
    help = (
        "Bulk-load a realistic synthetic dataset (persons, helpline contacts, cases with tasks, "
        "referrals and deliveries across every aimag and soum). Demo mode only; use a fresh "
        "database. Also appends the audit events the records imply (verify_audit passes). "
        "Time on PostgreSQL: small seconds, medium minutes, national about 7 minutes of CPU "
        "(35 minutes on a busy 2-core machine; see docs/deployment.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale, seed, **options):
        target = SCALES[scale]
        self.stdout.write(
            f"generating {scale}: {target.persons:,} persons, {target.contacts:,} contacts, "
            f"{target.cases:,} cases"
        )
        try:
            report = generate_demo(scale=scale, seed=seed, log=self.stdout.write)
        except (RuntimeError, AlreadyGenerated) as exc:
            raise CommandError(str(exc)) from exc
        for name, count in sorted(report.counts.items()):
            self.stdout.write(f"  {name:<22} {count:>10,}")
        self.stdout.write(f"  total {sum(report.seconds.values()):.1f} s {report.seconds}")
