"""The Jinja2 environment for every page: NHS.UK frontend macros plus our globals."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.template import TemplateDoesNotExist
from django.template.backends.jinja2 import Jinja2 as DjangoJinja2
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from portal.people.banner import patient_banner
from portal.ui import presenters
from portal.ui.forms import error_list


def environment(**options):
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    # Must override, not setdefault: Django sets Undefined first, and the NHS.UK macros read
    # attributes of absent params (STACK-NOTES 4).
    options["undefined"] = ChainableUndefined
    options.setdefault("autoescape", True)
    env = Environment(**options)  # noqa: S701 - autoescape is set above
    env.globals.update(
        static=static,
        url=reverse,
        get_messages=get_messages,
        service_name=settings.SERVICE_NAME,
        nhsuk_asset_path=settings.STATIC_URL + "nhsuk/assets",
        header_params=presenters.header_params,
        form_error_list=error_list,
        patient_banner=patient_banner,
    )
    env.filters.update(
        nhs_date=presenters.format_date,
        nhs_number=presenters.format_nhs_number,
    )
    return env


class Jinja2(DjangoJinja2):
    """Django's Jinja2 backend, answering at once "not mine" for Django's templates (".html":
    allauth and the admin; ours are .jinja, the outbox's .txt). Django asks each engine in turn,
    Jinja first, and allauth renders a dozen small templates per page: each was a miss searched for
    in every template folder and turned from Jinja's exception into Django's, most of the sign-in
    page's time (ADR 0056)."""

    def get_template(self, template_name):
        if template_name.endswith(".html"):
            raise TemplateDoesNotExist(template_name, backend=self)
        return super().get_template(template_name)
