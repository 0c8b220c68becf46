from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "portal.people"
    label = "people"
    verbose_name = "People and organisations"

    def audit_record_labels(self, model, ids) -> dict[str, str]:
        """The access log's words for these records (portal.audit.labels): "Patient record" says
        that the person's record itself was read, not one of the records about them."""
        if model._meta.model_name == "patient":
            return dict.fromkeys(ids, "Patient record")
        return {}
