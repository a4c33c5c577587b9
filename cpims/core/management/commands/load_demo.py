from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cpims.core.demo import demo_load


class Command(BaseCommand):
    help = "Load demo agencies and one user per role (demo mode only; safe to run twice)."

    def handle(self, *args, **options):
        try:
            logins = demo_load()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo logins (password: {settings.CPIMS_DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.role}")
