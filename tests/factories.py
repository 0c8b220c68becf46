"""factory-boy factories. Role traits live on RoleAssignmentFactory; the fixed cast is in conftest."""

import datetime

import factory
from django.conf import settings
from faker import Faker

from portal.people.management.commands.seed_demo import demo_nhs_number
from portal.people.models import CareTeam, Diagnosis, Organisation, Patient, Role, RoleAssignment, User

_FAKE = Faker("en_GB")


def plain_name(kind: str) -> str:
    """A Faker name without an apostrophe (O'Sullivan): tests compare names with HTML, where Jinja
    escapes it, and a random name must not make a test fail one run in fifty. Escaping itself is
    tested on purpose (tests/treatment_summaries/test_summary_pdf.py, tests/hna/test_plan_pdf.py)."""
    return getattr(_FAKE, kind)().replace("'", "")


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("ods_code",)

    kind = Organisation.Kind.TRUST
    ods_code = factory.Sequence(lambda n: f"R{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Trust {n}")


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("ods_code",)

    kind = Organisation.Kind.GP_PRACTICE
    ods_code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"Practice {n}")


class CareTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareTeam

    organisation = factory.SubFactory(TrustFactory)
    tumour_site = "breast"
    name = factory.Sequence(lambda n: f"Care team {n}")
    phone = "0113 496 0000"
    email = factory.Sequence(lambda n: f"team{n}@example.com")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.LazyFunction(lambda: plain_name("first_name"))
    last_name = factory.LazyFunction(lambda: plain_name("last_name"))
    password = factory.PostGenerationMethodCall("set_password", settings.DEMO_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.CNS
    organisation = factory.SubFactory(TrustFactory)
    team = None


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient
        skip_postgeneration_save = True

    nhs_number = factory.Sequence(lambda n: demo_nhs_number(1000 + n))
    given_name = factory.LazyFunction(lambda: plain_name("first_name"))
    family_name = factory.LazyFunction(lambda: plain_name("last_name"))
    date_of_birth = datetime.date(1960, 5, 17)
    postcode = "LS1 4AP"
    email = factory.Sequence(lambda n: f"patient{n}@example.com")
    preferred_contact = Patient.Contact.EMAIL
    registered_practice = factory.SubFactory(PracticeFactory)

    @factory.post_generation
    def care_teams(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.care_teams.set(extracted)


class DiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnosis

    patient = factory.SubFactory(PatientFactory)
    tumour_site = "breast"
    icd10_code = "C50.9"
    date_of_diagnosis = datetime.date(2025, 3, 1)
