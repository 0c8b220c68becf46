"""A quality of life survey response as a FHIR R4 QuestionnaireResponse (a plain dict; validated with
fhir.resources R4B in the tests; ADR 0040). Served beside hna's assessments at /fhir/QuestionnaireResponse
by the shared read and search (QolSurveyConfig.fhir_sources).

The survey is two licensed instruments, each versioned (ADR 0033): `questionnaire` names the survey
with both versions, and each instrument is a group whose `definition` names that instrument and the
version answered. Items are the answers (linkId = item code, valueInteger); each group ends with a
`scores` group of the scores scoring gave (valueDecimal, full precision; a scale not scored is left out)."""

from portal.fhir.resources import compact, patient_reference
from qol_survey.services.responses import INSTRUMENTS

QUESTIONNAIRES = "https://portal.example.nhs.uk/fhir/Questionnaire"
SURVEY = "quality-of-life-survey"
SCORES = "scores"
# The health profile's scores that are numbers; its `state` is the answers again, and health today
# is the VAS answer itself.
PROFILE_SCORES = ("index",)


def instrument_canonical(code: str, version: str) -> str:
    return f"{QUESTIONNAIRES}/{code}|{version}"


def survey_canonical(versions: dict) -> str:
    # A canonical's version may not contain "|"; "+" joins the two instruments' versions.
    joined = "+".join(f"{code}-{versions[code]}" for code in INSTRUMENTS if code in versions)
    return f"{QUESTIONNAIRES}/{SURVEY}|{joined}"


def _scores(code: str, scores: dict) -> list[dict]:
    wanted = PROFILE_SCORES if code == "health-profile-5d" else list(scores)
    return [
        {"linkId": f"{code}/{SCORES}/{name}", "answer": [{"valueDecimal": scores[name]}]}
        for name in wanted
        if isinstance(scores.get(name), int | float) and not isinstance(scores.get(name), bool)
    ]


def _group(code: str, response) -> dict:
    answers = response.answers.get(code) or {}
    items = [{"linkId": item, "answer": [{"valueInteger": value}]} for item, value in answers.items()]
    scores = _scores(code, response.scores.get(code) or {})
    if scores:
        items.append({"linkId": f"{code}/{SCORES}", "text": "Scores", "item": scores})
    version = response.versions.get(code)
    return compact(
        {
            "linkId": code,
            "definition": instrument_canonical(code, version) if version else None,
            "item": items,
        }
    )


def questionnaire_response(response, *, base: str) -> dict:
    groups = [_group(code, response) for code in INSTRUMENTS if code in response.answers or code in response.scores]
    return compact(
        {
            "resourceType": "QuestionnaireResponse",
            "id": str(response.pk),
            "questionnaire": survey_canonical(response.versions),
            "status": "completed",  # a response is recorded only when the whole survey is sent
            "subject": patient_reference(response.patient),
            "authored": response.submitted_at.isoformat(),
            # The patient answered it, online or on paper (a paper return is keyed in by staff).
            "source": patient_reference(response.patient),
            "item": [group for group in groups if group.get("item")],
        }
    )
