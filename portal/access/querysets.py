"""The base of every patient-data queryset: `visible_to(user)` and `changeable_by(user)` turn the
user's rule from the policy table (portal.access.policy) into a filter.

A model says only how its rows reach the rule's facts: which field leads to the patient, the owning
care team and the owning practice, and (where its rule needs them) what has been released to the
patient, what the patient agreed to share with their practice, and what was delivered to a practice.
It never says who may see it: that is the table's job."""

from django.db import models
from django.db.models import Q

NOTHING = Q(pk__in=[])


class PolicyQuerySet(models.QuerySet):
    kind = None  # a portal.access.kinds.Kind; set by each subclass
    patient_field = "patient"  # the path to the record's Patient; "" on Patient itself
    team_field: str | None = None  # the path to the care team that owns the record, where there is one
    practice_field: str | None = None  # the path to the GP practice that owns the record, where there is one

    def released(self) -> Q:
        """What of this kind the patient (and their practice) may see: everything, unless a model narrows it."""
        return Q()

    def shared_with_practice(self) -> Q:
        raise NotImplementedError(f"{self.model.__name__} has no consent to share; its rule cannot be 'shared'")

    def delivered_to(self, practice_id) -> Q:
        raise NotImplementedError(f"{self.model.__name__} is never delivered; its rule cannot be 'delivered'")

    def visible_to(self, user):
        """Only the records the policy table lets this user see, in the role they are using."""
        return self.filter(self.policy_q(user, "read"))

    def changeable_by(self, user):
        """Only the records the policy table lets this user change, in the role they are using."""
        return self.filter(self.policy_q(user, "change"))

    def policy_q(self, user, action: str) -> Q:
        from portal.access import policy
        from portal.people.roles import role_in_use

        rule = policy.rule_for(self.kind, user, action)
        Rule = policy.Rule
        if rule is Rule.NONE:
            return NOTHING
        if rule is Rule.ALL:
            return Q()
        if rule is Rule.NO_PATIENT:
            return Q(**{f"{self.patient_field}__isnull": True})
        prefix = f"{self.patient_field}__" if self.patient_field else ""
        where = policy.patient_q_for(rule, user, prefix)
        if rule is Rule.SELF:
            return where & self.released()
        role = role_in_use(user)
        if rule is Rule.OWNING_TEAM and self.team_field:
            where &= Q(**{self.team_field: role.team_id})
        if rule in (Rule.PRACTICE, Rule.PRACTICE_SHARED, Rule.PRACTICE_DELIVERED) and self.practice_field:
            where &= Q(**{self.practice_field: role.organisation_id})
        if rule is Rule.PRACTICE_SHARED:
            where &= self.released() & self.shared_with_practice()
        if rule is Rule.PRACTICE_DELIVERED:
            where &= self.delivered_to(role.organisation_id)
        return where
