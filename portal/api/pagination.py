"""`?limit=&offset=` paging for every API list, strict about its input.

DRF's LimitOffsetPagination quietly uses its default for a limit it cannot read and clamps one
that is too big, so a client asking for 1,000 rows gets 100 and may never notice. Here anything
but a whole number in range is a 400 naming the parameter, checked before any query runs."""

import re

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

DEFAULT_LIMIT = LimitOffsetPagination.default_limit  # PAGE_SIZE in settings
MAX_LIMIT = 100  # every row listed is an audit event: no client takes the whole register at once
MAX_OFFSET = 10**9  # PostgreSQL's OFFSET is a bigint; a bigger number would be a database error
WHOLE_NUMBER = re.compile(r"(-?)([0-9]+)")  # ASCII digits only: int() would also take "٣" or " 3"
# Long enough for any number we accept; longer digit strings are simply "too big" (and never reach
# int(), which refuses more than 4,300 digits).
MAX_DIGITS = 19


def parse_whole_number(value: str) -> int | None:
    """The integer `value` spells in plain digits (with an optional minus), or None."""
    match = WHOLE_NUMBER.fullmatch(value)
    if match is None:
        return None
    sign, digits = match.groups()
    digits = digits.lstrip("0") or "0"
    number = int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS
    return -number if sign else number


class Pagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT
    max_offset = MAX_OFFSET
    limit_query_description = (
        f"How many results to return on this page: 1 to {MAX_LIMIT} ({DEFAULT_LIMIT} if not given)"
    )
    offset_query_description = f"How many results to skip before this page: 0 to {MAX_OFFSET} (0 if not given)"

    def get_limit(self, request):
        # Both parameters are checked here, before DRF counts the rows: one 400 names every bad one.
        return self._parse(request)[0]

    def get_offset(self, request):
        return self._parse(request)[1]

    def _parse(self, request) -> tuple[int, int]:
        params = request.query_params
        errors = {}
        limit, offset = self.default_limit, 0
        if self.limit_query_param in params:
            limit = parse_whole_number(params[self.limit_query_param])
            if limit is None:
                errors[self.limit_query_param] = [f"limit must be a whole number from 1 to {self.max_limit}"]
            elif limit < 1:
                errors[self.limit_query_param] = ["limit must be at least 1"]
            elif limit > self.max_limit:
                errors[self.limit_query_param] = [
                    f"limit must be {self.max_limit} or less: use offset to get the next page"
                ]
        if self.offset_query_param in params:
            offset = parse_whole_number(params[self.offset_query_param])
            if offset is None:
                errors[self.offset_query_param] = [f"offset must be a whole number from 0 to {self.max_offset}"]
            elif offset < 0:
                errors[self.offset_query_param] = ["offset must be 0 or more"]
            elif offset > self.max_offset:
                errors[self.offset_query_param] = [f"offset must be {self.max_offset} or less"]
        if errors:
            raise ValidationError(errors)
        return limit, offset

    def get_schema_operation_parameters(self, view):
        # The bounds in the schema are the ones enforced above, so clients and fuzzers know them.
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": self.max_offset},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
