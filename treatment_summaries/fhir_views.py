"""FHIR DocumentReference read and search for sent summary versions (ADR 12). Built on the HNA
FHIR plumbing (`hna.fhir_views.FhirView`): DRF authentication, `application/fhir+json`,
OperationOutcome errors, `?patient=` by NHS number. Each response carries the whole PDF, so it is
audited as an export: one `export` event per document, naming its patient, in two queries."""

from django.db.models import OuterRef, Subquery
from rest_framework.response import Response

from hna import fhir as hna_fhir
from hna.fhir_views import SEARCH_LIMIT, FhirView
from portal.audit.models import Action, AuditEvent
from portal.audit.services import record
from treatment_summaries import fhir
from treatment_summaries.models import SummaryVersion

WHO = ("occurred_at", "actor_id", "actor_label", "role", "organisation_id", "ip_address", "request_id")


def documents_visible_to(user):
    """Sent and superseded versions the user may see, with what the builder reads."""
    previous = SummaryVersion.objects.filter(summary=OuterRef("summary"), number=OuterRef("number") - 1)
    return (
        SummaryVersion.objects.visible_to(user)
        .filter(status__in=fhir.SERVED_STATUSES, sent_at__isnull=False)
        .select_related("summary__patient", "summary__team__organisation", "signed_off_by")
        .annotate(previous_id=Subquery(previous.values("pk")[:1]))
        .order_by("-sent_at", "-number", "id")
    )


def audit_export(request, versions) -> None:
    """One EXPORT event per document: the first written by the Auditor, the rest copying its
    who, when and where in one insert (as hna.services.reports does for CSV exports)."""
    if not versions:
        return
    first, *rest = versions
    event = record(Action.EXPORT, request=request, patient=first.summary.patient, obj=first)
    who = {name: getattr(event, name) for name in WHO}
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action=Action.EXPORT,
            patient_id=version.summary.patient_id,
            object_type=version._meta.label_lower,
            object_id=str(version.pk),
            **who,
        )
        for version in rest
    )


class DocumentReferenceRead(FhirView):
    def get(self, request, version_id):
        version = self.lookup(documents_visible_to(request.user), version_id, "DocumentReference")
        audit_export(request, [version])
        return Response(fhir.document_reference(version, base=self.base()))


class DocumentReferenceSearch(FhirView):
    def get(self, request):
        number = self.nhs_number_searched()
        queryset = documents_visible_to(request.user).filter(summary__patient__nhs_number=number)
        versions = list(queryset[:SEARCH_LIMIT])
        audit_export(request, versions)
        base = self.base()
        resources = [fhir.document_reference(version, base=base) for version in versions]
        return Response(hna_fhir.searchset(resources, base=base, self_url=request.build_absolute_uri()))
