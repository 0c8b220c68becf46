"""The COSD code lists in use (hna/cosd_v1.py), checked when they are loaded, and the checks on a
code before it is stored or exported: a code COSD would not recognise is refused, naming the field
and the code, rather than sent to the registry to be rejected there (ADR 0050)."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from hna import cosd_v1

CODE = re.compile(r"\d{2}")  # every COSD code in these lists is two digits (format an2)


class UnknownCosdCode(ValidationError):
    """A code that is not in the COSD code list for its field."""

    def __init__(self, field: str, label: str, code, version: int):
        self.field, self.code = field, code
        message = f'{label}: "{code}" is not a code in the COSD {label.lower()} list (version {version})'
        super().__init__({field: message}, code="unknown_cosd_code")


@dataclass(frozen=True)
class CodeList:
    field: str  # the model field that stores it
    label: str
    version: int
    entries: tuple[tuple[str, str, str], ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for _, code, _ in self.entries)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(code, label) for _, code, label in self.entries]

    def label_of(self, code: str) -> str:
        return dict(self.choices).get(code, code)

    def require(self, code) -> str:
        """The code if it is in this list; UnknownCosdCode otherwise."""
        if code not in self.codes:
            raise UnknownCosdCode(self.field, self.label, code, self.version)
        return code


def load(field: str, label: str, entries, *, version: int) -> CodeList:
    """A code list from versioned data, refused whole (naming the field and the entry) when an entry
    has a code COSD could not hold, a code twice, or no name or label."""
    seen: set[str] = set()
    for entry in entries:
        name, code, text = entry
        if not isinstance(code, str) or not CODE.fullmatch(code):
            raise UnknownCosdCode(field, label, code, version)
        if code in seen:
            raise ValidationError({field: f'{label}: "{code}" is listed twice (version {version})'})
        if not name.isidentifier() or not text.strip():
            raise ValidationError({field: f'{label}: "{code}" needs a name and a label (version {version})'})
        seen.add(code)
    return CodeList(field, label, version, tuple(tuple(e) for e in entries))


def load_role_defaults(staff_roles: CodeList, defaults: dict[str, str], fallback: str) -> dict[str, str]:
    """The portal role -> staff role map, every target checked against the staff role list."""
    for code in [*defaults.values(), fallback]:
        staff_roles.require(code)
    return dict(defaults)


def text_choices(name: str, codes: CodeList) -> type[models.TextChoices]:
    """Named constants for the codes (PathwayPoint.PALLIATIVE == "06"), built from the data."""
    return models.TextChoices(name, [(entry_name, (code, text)) for entry_name, code, text in codes.entries])


POINT_OF_PATHWAY = load("point_of_pathway", "Point of pathway", cosd_v1.POINT_OF_PATHWAY, version=cosd_v1.VERSION)
STAFF_ROLE = load("cosd_staff_role", "Staff role", cosd_v1.STAFF_ROLE, version=cosd_v1.VERSION)
ROLE_DEFAULTS = load_role_defaults(STAFF_ROLE, cosd_v1.ROLE_DEFAULTS, cosd_v1.DEFAULT_STAFF_ROLE)


def default_staff_role(portal_role: str) -> str:
    """The COSD staff role a portal role gives when the professional has not chosen one."""
    return ROLE_DEFAULTS.get(portal_role, cosd_v1.DEFAULT_STAFF_ROLE)
