"""Display helpers shared by every app: dates, NHS numbers, the header."""

from datetime import date, datetime

from django.apps import apps
from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html


def format_date(value) -> str:
    """NHS style: 3 March 2026 (no leading zero); times in UK local time."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
        return f"{value.day} {value:%B %Y} at {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def format_nhs_number(value: str) -> str:
    """485 777 3456: the 3-3-4 spacing people read aloud."""
    digits = (value or "").replace(" ", "")
    if len(digits) != 10:
        return value or ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def pagination(page, query) -> dict | None:
    """Parameters for the NHS.UK pagination macro: numbered page links (long runs elided) that keep
    the rest of the query string, so a filtered list stays filtered. None for a single page."""
    paginator = page.paginator
    if paginator.num_pages < 2:
        return None

    def href(number) -> str:
        kept = query.copy()
        kept["page"] = str(number)
        return f"?{kept.urlencode()}"

    items = [
        {"ellipsis": True}
        if number == paginator.ELLIPSIS
        else {"number": number, "href": href(number), "current": number == page.number}
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    params = {"items": items}
    if page.has_previous():
        params["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": href(page.next_page_number())}
    return params


def header_params(request) -> dict:
    """Parameters for the NHS.UK header macro: service name, then the signed-in user, the role
    in use (with a link to change it when they hold several) and sign out."""
    params = {"service": {"text": settings.SERVICE_NAME, "href": "/"}}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return params
    items = [{"text": user.get_full_name() or user.email, "icon": True}]
    role = getattr(request, "role", None)
    if role is not None:
        label = str(role)
        from portal.people.roles import holds_several_roles  # imported late, as hub is below: models

        if holds_several_roles(request):
            items.append({"href": reverse("choose_role"), "text": f"{label} (change role)"})
        else:
            items.append({"text": label})
    elif hasattr(user, "patient"):
        items.append({"text": "Patient"})
    items.append({"href": "/account/sessions/", "text": "Your sessions"})
    items.append({"href": "/account/api-tokens/", "text": "Your API tokens"})
    # The header macro's own sign-out form has no CSRF token, so we give it ours.
    items.append({"html": sign_out_form(request)})
    params["account"] = {"items": items}
    nav = navigation(role, request.path)
    if nav:
        params["navigation"] = {"items": nav}
    return params


def navigation(role, path: str) -> list[dict]:
    """Header links for the role in use; patients and roles with one page get none."""
    if role is None:
        return []
    # Short labels: the navigation must fit a 320 px screen without JavaScript.
    if role.role in ("cns", "support_worker", "clinician"):
        links = [
            ("/worklist/", "Worklist"),
            ("/patients/", "Patients"),
            ("/hna/", "HNAs"),
            ("/treatment-summaries/", "Summaries"),
            ("/follow-up/", "Follow-up"),
        ]
    elif role.role in ("gp", "practice_staff"):
        links = [
            ("/worklist/", "Worklist"),
            ("/patients/", "Patients"),
            ("/treatment-summaries/inbox/", "Summaries"),
            ("/care-reviews/", "Reviews"),
        ]
    elif role.role == "auditor":
        links = [("/audit/", "Access log")]
    else:
        return []
    return [{"href": href, "text": text, "current": path.startswith(href)} for href, text in links]


def sign_out_form(request):
    return format_html(
        '<form class="nhsuk-header__account-form" action="{}" method="post" novalidate>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button class="nhsuk-header__account-button" type="submit">Sign out</button></form>',
        reverse("account_logout"),
        get_token(request),
    )


class HomePresenter:
    """What a home page says about where the person works, for the role in use."""

    TITLES = {
        "cns": "Your team",
        "support_worker": "Your team",
        "clinician": "Your team",
        "gp": "Your practice",
        "practice_staff": "Your practice",
        "service_admin": "Wellbeing services admin",
        "auditor": "Access audit",
    }

    def __init__(self, user, role):
        self.user = user
        self.role = role
        self.team = role.team if role is not None else None
        self.organisation = role.organisation if role is not None else None

    @property
    def title(self) -> str:
        if self.role is None:
            return "My care" if hasattr(self.user, "patient") else "No role yet"
        return self.TITLES[self.role.role]

    @property
    def heading(self) -> str:
        if self.team is not None:
            return self.team.name
        if self.organisation is not None:
            return self.organisation.name
        return self.title

    @property
    def first_name(self) -> str:
        return self.user.first_name or self.user.email

    @property
    def my_care_links(self) -> list[tuple[str, str]]:
        """Links that apps add to My care for this patient, [(text, href)] (ADR 0023's hook shape:
        an app config's `my_care_links(user)`; follow-up links its pages only with an open pathway)."""
        links = []
        for config in apps.get_app_configs():
            provide = getattr(config, "my_care_links", None)
            if callable(provide):
                links.extend(provide(self.user))
        return links

    @cached_property
    def my_care_sections(self) -> list:
        """Sections apps add to My care (portal.people.hub; wellbeing's "Suggested for you")."""
        from portal.people import hub

        return hub.my_care_sections(self.user)

    PRACTICE_ROLES = ("gp", "practice_staff")

    @cached_property
    def practice_sections(self) -> list:
        """For a GP practice: each app's counts of the practice's work, and short lists of what is most
        pressing (portal.people.hub, ADR 0049); empty for any other role."""
        from portal.people import hub

        if self.role is None or self.role.role not in self.PRACTICE_ROLES:
            return []
        return hub.practice_home_sections(self.user)

    @property
    def practice_lists(self) -> list:
        """The sections that name records, for the page's lists under the counts."""
        return [s for s in self.practice_sections if s.entries]

    # The care team's pages, each with what it is for (the header links only the first four).
    TEAM_PAGES = [
        ("/worklist/", "Your team's worklist", "assessments to review, results to check and requests for help"),
        ("/patients/", "Find a patient", "each patient's assessments, care plans and treatment summaries"),
        ("/hna/", "Holistic needs assessments", "every assessment your team has set up, by status"),
        ("/hna/reports/", "HNA reports", "how many were offered and completed, and the national cancer dataset export"),
        ("/treatment-summaries/", "Treatment summaries", "drafts to finish, summaries to sign off and send"),
        ("/treatment-summaries/letters/", "Letters to print", "treatment summaries for patients who get them by post"),
        ("/follow-up/", "Follow-up caseload", "patients on follow-up, overdue tests, results to review and concerns"),
        ("/follow-up/concerns/", "Concerns to triage", "symptoms patients on follow-up have raised, red first"),
        ("/follow-up/results/", "Follow-up results", "test results to review and tell, and unmatched ones"),
        ("/follow-up/letters/", "Follow-up letters to print", "reminders and check-ins for patients on post"),
        ("/quality-of-life/dashboard/", "Quality of life survey results", "response rates and scores by group"),
        ("/quality-of-life/team/paper/", "Key in a paper survey", "a quality of life survey returned by post"),
        ("/quality-of-life/letters/", "Survey letters to print", "quality of life survey invitations and reminders"),
        ("/wellbeing/resources/", "Resource library", "information to signpost patients to, by topic and cancer"),
        ("/wellbeing/directory/", "Support services directory", "services to signpost or refer patients to"),
        ("/wellbeing/sessions/", "Wellbeing sessions", "group sessions patients and carers can book"),
    ]

    @property
    def team_pages(self) -> list[dict]:
        """For a care team: the pages the team works from, linked from its home."""
        if self.team is None:
            return []
        return [{"href": href, "text": text, "about": about} for href, text, about in self.TEAM_PAGES]

    @property
    def team_contacts(self) -> list[dict]:
        """For a patient: the care teams they can contact."""
        patient = getattr(self.user, "patient", None)
        if patient is None:
            return []
        return [
            {"name": t.name, "phone": t.phone, "email": t.email, "out_of_hours": t.out_of_hours_phone}
            for t in patient.care_teams.all()
        ]
