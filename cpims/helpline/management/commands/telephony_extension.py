from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cpims.helpline.telephony import extension_assign


class Command(BaseCommand):
    help = "Map a PBX extension to the counsellor who answers on it: EXTENSION USERNAME."

    def add_arguments(self, parser):
        parser.add_argument("extension")
        parser.add_argument("username")

    def handle(self, *args, extension, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username}")
        extension_assign(actor=None, extension=extension, user=user)
        self.stdout.write(f"extension {extension} → {username}")
