import datetime

from django.utils import timezone

from wellbeing.models import Category, Session


def make_session(capacity=3, days_ahead=7, **fields):
    starts = fields.pop("starts_at", timezone.now() + datetime.timedelta(days=days_ahead))
    return Session.objects.create(
        title=fields.pop("title", "Managing fatigue"),
        category=fields.pop("category", Category.THERAPIES),
        starts_at=starts,
        ends_at=fields.pop("ends_at", starts + datetime.timedelta(hours=1) if starts else None),
        capacity=capacity,
        online=fields.pop("online", True),
        joining_link=fields.pop("joining_link", "https://teams.example.nhs.uk/meet/fatigue"),
        **fields,
    )
