"""Reference values: what people of a given age band and sex score on average, for the personal
report ("people of a similar age and sex") and the dashboard (compared with the general population).
Published norms are data a deploying organisation loads; the demo set is made up and says so."""

from django.db import models

from portal.db import BaseModel

# The report's and dashboard's age bands, as (label, lowest age, highest age or None).
AGE_BANDS = (("16-44", 16, 44), ("45-54", 45, 54), ("55-64", 55, 64), ("65-74", 65, 74), ("75+", 75, None))


def age_band(age: int) -> str | None:
    for label, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return None


class ReferenceSet(BaseModel):
    name = models.CharField(max_length=120, unique=True)
    source = models.CharField(max_length=300)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} (demo)" if self.is_demo else self.name

    @classmethod
    def current(cls) -> "ReferenceSet | None":
        return cls.objects.order_by("-created_at").first()


class ReferenceValue(models.Model):
    """One mean: a cancer-30 scale (QL, PF, FA...) or the profile's "index" or "health_today", for an
    age band and sex (PERSON STATED GENDER CODE 1 or 2; "" for everyone in the band)."""

    reference_set = models.ForeignKey(ReferenceSet, on_delete=models.CASCADE, related_name="values")
    instrument = models.CharField(max_length=40)
    measure = models.CharField(max_length=20)
    age_band = models.CharField(max_length=10)
    sex = models.CharField(max_length=2, blank=True)
    mean = models.DecimalField(max_digits=9, decimal_places=4)

    class Meta:
        ordering = ["reference_set", "instrument", "measure", "age_band", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference_set", "instrument", "measure", "age_band", "sex"], name="qol_reference_value_once"
            )
        ]

    def __str__(self):
        return f"{self.measure} {self.age_band} {self.sex or 'all'}: {self.mean}"
