"""Message text from template files: `<app>/jinja2/outbox/<code>.subject.txt` and `<code>.body.txt`.

A template code is a file name, not a key in a registry, so any app can ship its own messages."""

import functools
import re

from django.template import engines
from jinja2 import Environment, StrictUndefined, TemplateNotFound

from portal.outbox.models import TEMPLATE_CODE_RE, Notification


class TemplateMissing(LookupError):
    pass


@functools.cache
def _environment():
    # Same search path as our pages (every app's jinja2/ folder), but plain-text rules: no HTML
    # escaping ("&" must stay "&" in an email), and a missing variable is an error, not a blank.
    return Environment(
        loader=engines["jinja2"].env.loader,
        undefined=StrictUndefined,
        autoescape=False,  # noqa: S701 - plain text for email and SMS, never served as HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def template_names(code, channel):
    """The files a message needs: SMS has a body only."""
    if not re.fullmatch(TEMPLATE_CODE_RE, code):
        raise TemplateMissing(f"invalid template code {code!r}")
    parts = ["body"] if channel == Notification.Channel.SMS else ["subject", "body"]
    return {part: f"outbox/{code}.{part}.txt" for part in parts}


def check_templates(code, channel):
    """Fail in the caller's transaction, not minutes later in a worker, when a template is missing."""
    for name in template_names(code, channel).values():
        try:
            _environment().get_template(name)
        except TemplateNotFound:
            raise TemplateMissing(f"no template file {name}") from None


def render(code, channel, context):
    """Returns (subject, body); subject is "" for SMS and always one line (mail headers)."""
    names = template_names(code, channel)
    env = _environment()
    try:
        subject = env.get_template(names["subject"]).render(context) if "subject" in names else ""
        body = env.get_template(names["body"]).render(context)
    except TemplateNotFound:
        raise TemplateMissing(f"no template file for {code}") from None
    if context.get("support_lines"):  # how the patient can reach the team (outbox.services, ADR 0052)
        body = body.rstrip("\n") + "\n\n" + context["support_lines"] + "\n"
    return " ".join(subject.split()), body
