"""Value sets for the health profile's index: one row per health state (11111 to 55555, 3,125 of them)
to its index value. National value sets are licensed data a deploying organisation loads with
`manage.py qol_load_value_set`; the demo one is made up and says so in its name."""

from django.db import models

from portal.db import BaseModel


class ValueSet(BaseModel):
    name = models.CharField(max_length=120, unique=True)
    source = models.CharField(max_length=300)  # the file it came from, or "demo generator"
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} (demo)" if self.is_demo else self.name

    @classmethod
    def current(cls) -> "ValueSet | None":
        """The most recently loaded value set: a real one loaded after the demo takes over from it."""
        return cls.objects.order_by("-created_at").first()


class ValueSetRow(models.Model):
    value_set = models.ForeignKey(ValueSet, on_delete=models.CASCADE, related_name="rows")
    state = models.CharField(max_length=5)  # mobility, self-care, usual activities, pain, anxiety: 1-5 each
    # Kept as the file gives it (six places covers published value sets); rounding is for display only.
    index = models.DecimalField(max_digits=9, decimal_places=6)

    class Meta:
        ordering = ["value_set", "state"]
        constraints = [models.UniqueConstraint(fields=["value_set", "state"], name="qol_value_set_state")]

    def __str__(self):
        return f"{self.state}: {self.index}"
