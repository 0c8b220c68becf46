"""FHIR R4 Questionnaire reads for HNA checklists, on the shared base (portal.fhir.views).

Assessments (QuestionnaireResponse) and care plans (CarePlan) are types other apps make too: the shared
read and search in portal.fhir serve them, from HnaConfig.fhir_sources (`visible_to(user)`, the policy
table: HNA answers reach the care team and the patient only), and audit every one shown."""

from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from hna import fhir
from hna.models import ChecklistVersion
from portal.fhir.views import FhirView
from portal.people.roles import role_in_use


class QuestionnaireRead(FhirView):
    """A checklist version. Not patient data: any staff member may read it; nothing is audited."""

    def get(self, request, version_id):
        if role_in_use(request.user) is None:
            raise PermissionDenied("Only staff can read questionnaires")
        version = self.lookup(ChecklistVersion.objects.all(), version_id, "Questionnaire")
        categories = version.categories.prefetch_related("items").order_by("position", "name")
        current = ChecklistVersion.current()
        resource = fhir.questionnaire(
            version, categories, base=self.base(), current=current is not None and current.pk == version.pk
        )
        return Response(resource)
