"""Shared FHIR R4 JSON pieces (plain dicts): identifiers, references, codings, Bundles, errors.

FHIR forbids empty strings and empty arrays, so optional elements are left out when empty (`compact`)."""

FHIR_JSON = "application/fhir+json"
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
SNOMED = "http://snomed.info/sct"


def compact(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def patient_reference(patient) -> dict:
    """The patient, identified by NHS number (we serve no Patient resource to point at)."""
    return {
        "type": "Patient",
        "identifier": {"system": NHS_NUMBER_SYSTEM, "value": patient.nhs_number},
        "display": patient.full_name,
    }


def team_reference(team) -> dict:
    """A care team as the Organization (its trust, by ODS code) that holds the record."""
    return {
        "type": "Organization",
        "identifier": {"system": ODS_SYSTEM, "value": team.organisation.ods_code},
        "display": f"{team.name}, {team.organisation.name}",
    }


def organisation_reference(organisation) -> dict:
    """An organisation (a GP practice, say) by its ODS code, for records it holds itself."""
    return {
        "type": "Organization",
        "identifier": {"system": ODS_SYSTEM, "value": organisation.ods_code},
        "display": organisation.name,
    }


def searchset(resources: list[dict], *, base: str, self_url: str) -> dict:
    return compact(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(resources),
            "link": [{"relation": "self", "url": self_url}],
            "entry": [
                {
                    "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
                    "resource": resource,
                    "search": {"mode": "match"},
                }
                for resource in resources
            ],
        }
    )


def operation_outcome(code: str, text: str) -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": text}],
    }
