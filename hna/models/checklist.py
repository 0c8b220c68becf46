"""The concerns checklist as versioned data. A service admin publishes a new version (add, rename,
retire items) without a release; every assessment keeps pointing at the version it was answered
on. Item and category `code`s are stable across versions, so answers compare across versions."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from portal.db import BaseModel


class ChecklistVersion(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    number = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="checklist_published_has_date"
            )
        ]

    def __str__(self):
        return f"Version {self.number}: {self.name} ({self.get_status_display().lower()})"

    @classmethod
    def current(cls) -> "ChecklistVersion":
        """The newest published version: new assessments are answered on it."""
        return cls.objects.filter(status=cls.Status.PUBLISHED).order_by("-number").first()


class ConcernCategory(BaseModel):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="categories")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "name"]
        verbose_name_plural = "concern categories"
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="category_code_per_version")]

    def __str__(self):
        return self.name


class ConcernItem(BaseModel):
    category = models.ForeignKey(ConcernCategory, on_delete=models.PROTECT, related_name="items")
    code = models.SlugField(max_length=60, help_text="Stable across versions, e.g. physical-pain")
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category__position", "position", "text"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="item_code_per_category")]

    def __str__(self):
        return self.text
