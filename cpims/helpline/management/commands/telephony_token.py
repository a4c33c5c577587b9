from django.core.management.base import BaseCommand, CommandError

from cpims.helpline.models import IntegrationToken
from cpims.helpline.telephony import token_create


class Command(BaseCommand):
    help = (
        "Create (--create NAME), list (--list) or revoke (--revoke NAME) a telephony integration "
        "token. The token and its signing secret are printed once; only a hash is stored."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--create", metavar="NAME")
        group.add_argument("--revoke", metavar="NAME")
        group.add_argument("--list", action="store_true")

    def handle(self, *args, **options):
        if options["create"]:
            if IntegrationToken.objects.filter(name=options["create"]).exists():
                raise CommandError("a token with this name exists; revoke it or choose another")
            token, plain, secret = token_create(actor=None, name=options["create"])
            self.stdout.write(f"token:          {plain}")
            self.stdout.write(f"signing secret: {secret}")
            self.stdout.write(
                "Keep both now: they are not shown again. Send 'Authorization: Bearer <token>' "
                "and 'X-CPIMS-Signature: sha256=<HMAC-SHA256 of the raw body with the secret>'."
            )
        elif options["revoke"]:
            updated = IntegrationToken.objects.filter(name=options["revoke"]).update(
                is_active=False
            )
            if not updated:
                raise CommandError("no such token")
            self.stdout.write(f"revoked {options['revoke']}")
        else:
            for token in IntegrationToken.objects.order_by("name"):
                state = "active" if token.is_active else "revoked"
                used = token.last_used_at.isoformat() if token.last_used_at else "never"
                self.stdout.write(f"{token.name}\t{token.prefix}…\t{state}\tlast used {used}")
