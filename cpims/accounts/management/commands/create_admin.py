import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cpims.accounts.models import Role
from cpims.accounts.services import user_create
from cpims.geo.models import Location


class Command(BaseCommand):
    help = "Create a system administrator (role sysadmin) scoped to a place (default: the country)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", default="MN", help="location code of the scope")

    def handle(self, *args, username: str, scope: str, **options):
        role = Role.objects.filter(code="sysadmin").first()
        place = Location.objects.filter(code=scope).first()
        if role is None or place is None:
            raise CommandError("run `manage.py bootstrap` first (roles and places are missing)")
        password = os.environ.get("CPIMS_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        try:
            user = user_create(
                actor=None, password=password, username=username, role=role, scope=place
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"administrator {user.username} created, scope {place.code}")
