"""Forms of the resource library and services directory: the admins' add and edit forms, and the
browse pages' search forms. The add and edit forms only carry what was typed: the rules (and their
words) are the service's (services.library.check_resource, check_service), so a page shows every
problem at once and never loses what was entered."""

from django import forms

from portal.people.models import TumourSite
from portal.ui import forms as nhs
from wellbeing.models import Format, Referral, ServiceCategory, Topic

LEGEND = "nhsuk-label--s"  # a fieldset's legend at the size of the other fields' labels (NHSFieldMixin)


def _topic_choices() -> list[tuple[str, str]]:
    return [(topic.slug, topic.name) for topic in Topic.objects.all()]


class _TopicsMixin:
    def _add_topics(self):
        self.fields["topics"].choices = _topic_choices()

    def topics(self) -> list[Topic]:
        slugs = self.cleaned_data.get("topics") or []
        return list(Topic.objects.filter(slug__in=slugs))


class ResourceForm(_TopicsMixin, forms.Form):
    title = nhs.CharField(label="Title", required=False)
    summary = nhs.TextareaField(
        label="Summary", hint="One or two sentences: what it covers and who it is for", required=False
    )
    url = nhs.CharField(
        label="Link",
        hint="The full web address, starting with https://. Leave it blank if you enter the text of the resource.",
        required=False,
        input_type="url",
        spellcheck=False,
    )
    body = nhs.TextareaField(
        label="Text of the resource",
        hint="For information written here rather than on another website. Leave a blank line between paragraphs.",
        required=False,
    )
    publisher = nhs.CharField(label="Who publishes it (optional)", hint="For example, Macmillan", required=False)
    topics = nhs.MultipleChoiceField(label="Topics", hint="Select all that apply", required=False, label_classes=LEGEND)
    tumour_sites = nhs.MultipleChoiceField(
        label="Cancer types (optional)",
        hint="Leave them all unticked if it is for anyone, whatever their cancer",
        choices=TumourSite.choices,
        required=False,
        label_classes=LEGEND,
    )
    formats = nhs.MultipleChoiceField(
        label="Formats",
        hint="Select all that it comes in",
        choices=Format.choices,
        required=False,
        label_classes=LEGEND,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_topics()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        text = {name: data.get(name) or "" for name in ("title", "summary", "url", "body", "publisher")}
        return text | {
            "topics": self.topics(),
            "tumour_sites": list(data.get("tumour_sites") or []),
            "formats": list(data.get("formats") or []),
        }


class ServiceForm(_TopicsMixin, forms.Form):
    name = nhs.CharField(label="Name of the service", required=False)
    category = nhs.ChoiceField(
        label="What kind of service is it?", choices=ServiceCategory.choices, required=False, label_classes=LEGEND
    )
    offers = nhs.TextareaField(
        label="What it offers", hint="In plain words, as the person you signpost will read it", required=False
    )
    area = nhs.CharField(
        label="Area it covers", hint="For example, Riverside and district, or online and by phone", required=False
    )
    phone = nhs.CharField(label="Phone number", input_type="tel", spellcheck=False, width=20, required=False)
    email = nhs.CharField(label="Email address", input_type="email", spellcheck=False, required=False)
    website = nhs.CharField(
        label="Website", hint="The full web address, starting with https://", input_type="url", spellcheck=False,
        required=False,
    )  # fmt: skip
    how_referred = nhs.ChoiceField(
        label="How do people get to the service?", choices=Referral.choices, required=False, label_classes=LEGEND
    )
    referral_detail = nhs.TextareaField(
        label="How to be referred (optional)",
        hint="For example, the form to fill in, or who to ask",
        required=False,
    )
    topics = nhs.MultipleChoiceField(label="Topics", hint="Select all that apply", required=False, label_classes=LEGEND)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_topics()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        names = ("name", "category", "offers", "area", "phone", "email", "website", "how_referred", "referral_detail")
        return {name: data.get(name) or "" for name in names} | {"topics": self.topics()}


def resource_initial(resource) -> dict:
    fields = ("title", "summary", "url", "body", "publisher", "tumour_sites", "formats")
    return {name: getattr(resource, name) for name in fields} | {"topics": [t.slug for t in resource.topics.all()]}


def service_initial(service) -> dict:
    fields = ("name", "category", "offers", "area", "phone", "email", "website", "how_referred", "referral_detail")
    return {name: getattr(service, name) for name in fields} | {"topics": [t.slug for t in service.topics.all()]}


# The browse pages' search forms: GET, never bound (a value not in a list is dropped by the
# presenter, so a stale bookmark shows everything rather than an error).


def _with_all(choices, everything: str) -> list[tuple[str, str]]:
    return [("", everything), *choices]


class ResourceSearchForm(forms.Form):
    q = nhs.CharField(label="Search for", hint="For example, fatigue or benefits", required=False, spellcheck=True)
    topic = nhs.SelectField(label="Topic", required=False)
    site = nhs.SelectField(label="Cancer type", choices=_with_all(TumourSite.choices, "Any cancer"), required=False)
    format = nhs.SelectField(label="Format", choices=_with_all(Format.choices, "Any format"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = _with_all(_topic_choices(), "All topics")


class DirectorySearchForm(forms.Form):
    q = nhs.CharField(label="Search for", hint="For example, benefits or counselling", required=False)
    category = nhs.SelectField(
        label="Kind of service", choices=_with_all(ServiceCategory.choices, "All kinds"), required=False
    )
    topic = nhs.SelectField(label="Topic", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = _with_all(_topic_choices(), "All topics")
