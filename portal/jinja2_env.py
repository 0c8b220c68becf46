"""The Jinja2 environment for every page: NHS.UK frontend macros plus our globals.

Production compiles each template once per process and keeps the compiled code on disk for the next
process (settings/production.py: auto_reload off, an unbounded template cache, `bytecode_cache_dir`;
ADR 0057). Local development keeps Django's default: reload a template when its file changes."""

import os
import stat
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.template import TemplateDoesNotExist
from django.template.backends.jinja2 import Jinja2 as DjangoJinja2
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemBytecodeCache, PackageLoader

from portal.people.banner import patient_banner
from portal.ui import presenters
from portal.ui.forms import error_list


def bytecode_cache(directory) -> FileSystemBytecodeCache:
    """Compiled templates kept in `directory`, made if missing. The files are Python code this
    process will run, so the folder must be this user's own and nobody else's (0700), as Jinja
    insists for its own default folder: refused otherwise, rather than trusted."""
    path = Path(directory)
    try:
        path.mkdir(mode=stat.S_IRWXU, parents=True, exist_ok=True)
        found = os.lstat(path)
    except OSError as exc:
        raise ImproperlyConfigured(f"The template bytecode cache {path} cannot be made: {exc}") from exc
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ImproperlyConfigured(
            f"The template bytecode cache {path} must be a folder owned by this user with mode 0700: "
            "anyone else who can write there could run code in the portal."
        )
    return FileSystemBytecodeCache(str(path))


def environment(**options):
    cache_dir = options.pop("bytecode_cache_dir", None)  # ours, not an Environment option
    if cache_dir:
        options["bytecode_cache"] = bytecode_cache(cache_dir)
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
