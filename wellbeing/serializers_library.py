"""API shapes for the resource library and services directory (read-only reference data). Codes
are plain strings with their values listed in the help text, as the sessions' are: an enum per field
would collide in the schema with other apps' fields of the same name."""

from rest_framework import serializers

from portal.people.models import TumourSite
from wellbeing.models import Format, Referral, Resource, ServiceCategory, SupportService, Topic


def _one_of(values) -> str:
    return "One of: " + ", ".join(values)


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]
        read_only_fields = fields


class ResourceSerializer(serializers.ModelSerializer):
    topics = TopicSerializer(many=True, read_only=True)
    tumour_sites = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text=f"The cancer types it is for; empty: for anyone. {_one_of(TumourSite.values)}",
    )  # fmt: skip
    formats = serializers.ListField(child=serializers.CharField(), read_only=True, help_text=_one_of(Format.values))
    url = serializers.CharField(read_only=True, help_text="A link to the resource, or empty when it has a body")
    body = serializers.CharField(read_only=True, help_text="Its text (paragraphs split by blank lines), or empty")

    class Meta:
        model = Resource
        fields = [
            "id",
            "title",
            "summary",
            "topics",
            "tumour_sites",
            "formats",
            "url",
            "body",
            "publisher",
            "updated_at",
        ]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer):
    topics = TopicSerializer(many=True, read_only=True)
    category = serializers.CharField(read_only=True, help_text=_one_of(ServiceCategory.values))
    how_referred = serializers.CharField(read_only=True, help_text=_one_of(Referral.values))
    email = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)

    class Meta:
        model = SupportService
        fields = [
            "id", "name", "category", "offers", "area", "phone", "email", "website", "how_referred",
            "referral_detail", "topics", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields
