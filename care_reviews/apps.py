from django.apps import AppConfig


class CareReviewsConfig(AppConfig):
    name = "care_reviews"
    verbose_name = "Cancer care reviews"

    # What the portal's shared pages ask every app (ADR 0023); imported late: models load after apps.
    def my_care_links(self, user):
        """My care links the patient's reviews and asking for one (ADR 0023's hook)."""
        return [("Your cancer care reviews, and asking your GP for one", "/care-reviews/mine/")]

    def practice_home_sections(self, user):
        """Reviews overdue and due, and patients' requests, on the practice's home (ADR 0049)."""
        from care_reviews.practice_home import practice_home_sections

        return practice_home_sections(user)

    def audit_record_labels(self, model, ids):
        """The access log's words: "Cancer care review", "Early contact", "Request for a review". The
        auditor may not read reviews (the policy table), so only the kind is read, never content."""
        from care_reviews.models import Kind, Review, ReviewRequest

        if model is ReviewRequest:
            return dict.fromkeys(ids, "Request for a cancer care review")
        if model is not Review:
            return {}
        kinds = Review.objects.filter(pk__in=ids).values_list("pk", "kind")  # unscoped-ok: kinds only
        words = {Kind.EARLY_CONTACT: "Early contact", Kind.REVIEW: "Cancer care review"}
        return {str(pk): words[kind] for pk, kind in kinds}

    def demo_stages(self, world):
        """Demo patients at each stage of an early contact and a review, for seed_demo (ADR 0023)."""
        from care_reviews.demo import demo_stages

        return demo_stages(world)

    def demo_after(self, world, stages):
        """The practices' past reviews of everyone else, once every app has made its patients."""
        from care_reviews.demo import demo_after

        demo_after(world, stages)
