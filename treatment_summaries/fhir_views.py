"""FHIR DocumentReference read and search for sent summary versions (ADR 12), on the shared base
(portal.fhir.views). Each response carries the whole PDF, so it is audited as an export: one event
per document, naming its patient, in one insert."""

from django.db.models import Prefetch

from portal.audit.models import Action
from portal.fhir.views import FhirView
from treatment_summaries import fhir
from treatment_summaries.models import GPAction, SummaryVersion


def documents_visible_to(user):
    """Sent and superseded versions the user may see, with what the builder reads."""
    return (
        SummaryVersion.objects.visible_to(user)
        .filter(status__in=fhir.SERVED_STATUSES, sent_at__isnull=False)
        .select_related("summary__patient", "summary__team__organisation", "signed_off_by")
        .prefetch_related(Prefetch("gp_actions", queryset=GPAction.objects.select_related("option")))
        .with_previous_id()
        .order_by("-sent_at", "-number", "id")
    )


def _patient(version):
    return version.summary.patient


class DocumentReferenceRead(FhirView):
    audit_action = Action.EXPORT

    def get(self, request, version_id):
        queryset = documents_visible_to(request.user)
        return self.read(queryset, version_id, "DocumentReference", fhir.document_reference, patient_of=_patient)


class DocumentReferenceSearch(FhirView):
    audit_action = Action.EXPORT

    def get(self, request):
        queryset = documents_visible_to(request.user)
        return self.search(queryset, fhir.document_reference, patient_path="summary__patient", patient_of=_patient)
