"""Deprivation by postcode (issue 12 item 7, ADR 0039): each postcode's Index of Multiple
Deprivation decile (1 most deprived, 10 least), loaded as data with `manage.py qol_load_deprivation`,
so the dashboard can group responses by it. Postcodes are kept upper case without spaces, the form
the dashboard's join normalises the patient's postcode to."""

from django.db import models
from django.db.models import Q


def postcode_key(postcode: str) -> str:
    return "".join((postcode or "").split()).upper()


class PostcodeDeprivation(models.Model):
    postcode = models.CharField(max_length=8, primary_key=True)
    decile = models.PositiveSmallIntegerField()
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["postcode"]
        constraints = [models.CheckConstraint(condition=Q(decile__gte=1, decile__lte=10), name="qol_decile_1_to_10")]

    def __str__(self):
        return f"{self.postcode}: decile {self.decile}"
