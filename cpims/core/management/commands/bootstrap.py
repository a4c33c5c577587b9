from django.core.management.base import BaseCommand

from cpims.core.bootstrap import bootstrap


class Command(BaseCommand):
    help = "Create the default roles and the shipped location tree (idempotent)."

    def handle(self, *args, **options):
        result = bootstrap()
        self.stdout.write(
            f"{result['roles']} default roles present; "
            f"{result['locations_created']} locations added"
        )
