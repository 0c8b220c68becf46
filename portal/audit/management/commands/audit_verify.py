"""`manage.py audit_verify`: walk the access log's hash chain and name the first row that was
changed, removed or inserted out of order (exit status 1), or print a one-line summary (exit 0).
Reads in keyset chunks, so memory stays flat however long the log; the app role can run it."""

import datetime
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.audit.chain import FIELDS, Row, check

_COLUMNS = ", ".join("abbrev(ip_address)" if name == "ip_address" else name for name in FIELDS)
_CHUNK_SQL = (
    f"SELECT {_COLUMNS}, prev_hash, hash FROM audit_auditevent "  # noqa: S608 - constant column names
    "WHERE seq > %s ORDER BY seq LIMIT %s"
)


def rows(chunk_size: int) -> Iterator[Row]:
    last = None
    while True:
        with connection.cursor() as cursor:
            # seq is never below 1; -1 starts before any row, whatever the sequence began at.
            cursor.execute(_CHUNK_SQL, [-1 if last is None else last, chunk_size])
            chunk = cursor.fetchall()
        for *values, prev_hash, hash_ in chunk:
            yield Row(tuple(values), prev_hash, hash_)
        if len(chunk) < chunk_size:
            return
        last = chunk[-1][0]


def _anchors(values: list[str]) -> dict[int, str]:
    anchors = {}
    for value in values:
        seq, _, hash_ = value.partition(":")
        if not seq.isdigit() or len(hash_) != 64 or hash_.strip("0123456789abcdef"):
            raise CommandError(f"--anchor must be SEQ:HASH as the summary line gives it, not {value!r}.")
        anchors[int(seq)] = hash_
    return anchors


class Command(BaseCommand):
    help = "Check the access log's hash chain; exit 1 naming the first row that was tampered with."

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=5000, help="rows read per query (default 5000)")
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="a seq:hash pair from an earlier run's summary, kept outside the database (repeatable)",
        )
        parser.add_argument(
            "--tolerance",
            type=float,
            default=60.0,
            help="seconds a row's occurred_at may be earlier than its predecessor's (default 60)",
        )

    def handle(self, *args, chunk_size, tolerance, anchor, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        if tolerance < 0:
            raise CommandError("--tolerance cannot be negative.")
        result = check(rows(chunk_size), datetime.timedelta(seconds=tolerance), _anchors(anchor))
        if not result.intact:
            raise CommandError(f"Audit log hash chain broken after {result.rows - 1} good rows. {result.problem}")
        if result.last is None:
            self.stdout.write("Audit log hash chain intact: 0 rows.")
        else:
            self.stdout.write(
                f"Audit log hash chain intact: {result.rows} rows, last {result.last.name()}, hash {result.last.hash}"
                f" (keep --anchor {result.last.seq}:{result.last.hash})."
            )
