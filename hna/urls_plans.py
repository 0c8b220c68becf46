"""Care and support plans: staff pages, read-only pages for the patient and their GP, the PDF."""

from django.urls import path

from hna.views import plans

urlpatterns = [
    path("assessments/<uuid:assessment_id>/plan/", plans.start_plan, name="start_plan"),
    path("plans/<uuid:plan_id>/", plans.plan_detail, name="plan"),
    path("plans/<uuid:plan_id>/items/<uuid:item_id>/", plans.plan_item, name="plan_item"),
    path("plans/<uuid:plan_id>/add-concern/", plans.add_concern, name="plan_add_concern"),
    path("plans/<uuid:plan_id>/summary/", plans.plan_summary, name="plan_summary"),
    path("plans/<uuid:plan_id>/sharing/", plans.plan_sharing, name="plan_sharing"),
    path("plans/<uuid:plan_id>/lock/", plans.lock_plan, name="plan_lock"),
    path("plans/<uuid:plan_id>/unlock/", plans.unlock_plan, name="plan_unlock"),
    path("plans/<uuid:plan_id>/pdf/", plans.plan_pdf, name="plan_pdf"),
    path("my-plans/", plans.my_plans, name="my_plans"),
]
