"""Queries and operations on people records, always scoped to the user."""

import re

from django.db.models import Q

from portal.people.models import Patient


def search_patients(user, query: str = ""):
    """Patients the user may see, filtered by name or NHS number (spaces ignored)."""
    patients = Patient.objects.visible_to(user).select_related("registered_practice")
    query = (query or "").strip()
    digits = re.sub(r"[\s-]", "", query)
    if digits.isdigit():
        patients = patients.filter(nhs_number__startswith=digits)
    elif query:
        for word in query.split()[:3]:
            patients = patients.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    return patients.order_by("family_name", "given_name", "pk")
