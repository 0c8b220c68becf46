"""The Jinja2 environment for every page: NHS.UK frontend macros plus our globals."""

from django.conf import settings
from django.contrib.messages import get_messages
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
