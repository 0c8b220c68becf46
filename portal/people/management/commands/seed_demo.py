"""Demo data for `make run`: the people (portal.people.demo), then each domain app's demo stages,
made through the apps' own services. Refuses in production; running it twice changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.people import demo
from portal.people.demo import demo_nhs_number  # noqa: F401 - tests and bench seeds import it from here
from portal.people.models import Organisation


class Command(BaseCommand):
    help = "Load demo data (refuses in production; safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Print the demo sign-ins and stages afterwards")
        parser.add_argument("--if-empty", action="store_true", help="Seed only if there are no organisations yet")

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_demo refuses to run with production settings.")
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write(self.style.SUCCESS("Demo data ready (0 new patients)."))
            stages = []
        else:
            with transaction.atomic():
                world = demo.build()
                stages = demo.app_stages(world)
            self.stdout.write(self.style.SUCCESS(f"Demo data ready ({world.new_patients} new patients)."))
        if options["list"]:
            self.stdout.write(f"\nDemo sign-ins (password for all: {settings.DEMO_PASSWORD}):")
            for email, who in demo.sign_ins():
                self.stdout.write(f"  {email:<45} {who}")
            if stages:
                self.stdout.write("\nDemo patients at each stage:")
                for stage in stages:
                    self.stdout.write(f"  {stage.line()}")
