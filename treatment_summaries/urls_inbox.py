"""The GP inbox (practice staff) and the patient's own summaries (My care)."""

from django.urls import path

from treatment_summaries.views import inbox, patient

urlpatterns = [
    path("inbox/", inbox.inbox_list, name="inbox"),
    path("inbox/<uuid:delivery_id>/", inbox.delivery_detail, name="inbox_delivery"),
    path("inbox/<uuid:delivery_id>/pdf/", inbox.delivery_pdf, name="inbox_delivery_pdf"),
    path("inbox/<uuid:delivery_id>/acknowledge/", inbox.acknowledge, name="inbox_acknowledge"),
    path("inbox/<uuid:delivery_id>/actions/<uuid:action_id>/", inbox.respond, name="inbox_action"),
    path("mine/", patient.my_summaries, name="my_summaries"),
    path("mine/<uuid:version_id>/pdf/", patient.my_summary_pdf, name="my_summary_pdf"),
]
