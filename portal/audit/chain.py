"""Checking the access log's hash chain (ADR 0016), for `manage.py audit_verify`.

The database computes each row's hash in its BEFORE INSERT trigger (migration 0003). This module
recomputes it on its own, from the stored fields, so a replaced database function cannot vouch for
itself. The encoding must match the migration's: each field as <length>:<text>, or ~ for NULL,
in the order of FIELDS after the previous row's hash.
"""

import datetime
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

GENESIS = "0" * 64
# The hashed fields, in order. ip_address is read as abbrev(inet), the form the trigger hashes.
FIELDS = (
    "seq",
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "role",
    "organisation_id",
    "patient_id",
    "action",
    "object_type",
    "object_id",
    "ip_address",
    "request_id",
)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        utc = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return utc.isoformat(timespec="microseconds")
    return str(value)


def row_hash(prev_hash: str, values: Iterable) -> str:
    """sha256 of the previous row's hash and this row's FIELDS values, as the trigger computes it."""
    parts = (prev_hash, *(_text(v) for v in values))
    payload = "".join("~" if part is None else f"{len(part)}:{part}" for part in parts)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Row:
    values: tuple  # FIELDS, in order
    prev_hash: str
    hash: str

    @property
    def seq(self) -> int:
        return self.values[0]

    @property
    def id(self):
        return self.values[1]

    @property
    def occurred_at(self) -> datetime.datetime:
        return self.values[2]

    def name(self) -> str:
        return f"seq {self.seq} (id {self.id})"


@dataclass(frozen=True)
class Result:
    rows: int
    last: Row | None
    problem: str | None  # the first break, naming the row; None when the chain is intact

    @property
    def intact(self) -> bool:
        return self.problem is None


def check(rows: Iterator[Row], tolerance: datetime.timedelta, anchors: dict[int, str] | None = None) -> Result:
    """Walk rows in seq order and stop at the first row that was changed, follows a removed or
    changed row, or was inserted out of order (occurred_at earlier than its predecessor's by more
    than `tolerance`: clocks differ a little between servers, and a writer may wait for the chain
    lock after taking its timestamp).

    `anchors` are {seq: hash} pairs kept outside the database from earlier runs. They catch what
    the chain alone cannot: rows cut off the end, or a chain the owner rebuilt from some row on."""
    anchors = dict(anchors or {})
    previous: Row | None = None
    count = 0
    for row in rows:
        count += 1
        kept = anchors.pop(row.seq, None)
        if kept is not None and kept != row.hash:
            return Result(
                count, previous, f"Row {row.name()} does not have the hash kept for it: the chain was rebuilt."
            )
        if row_hash(row.prev_hash, row.values) != row.hash:
            return Result(count, previous, f"Row {row.name()} was changed: its hash does not match its contents.")
        if previous is None and row.prev_hash != GENESIS:
            return Result(
                count,
                previous,
                f"Row {row.name()} is the first row but links to an earlier row: rows before it were removed.",
            )
        if previous is not None and row.prev_hash != previous.hash:
            return Result(
                count,
                previous,
                f"Row {row.name()} does not link to the row before it, {previous.name()}: rows between them "
                f"were removed, or {previous.name()} was changed and its hash recomputed.",
            )
        if previous is not None and row.occurred_at < previous.occurred_at - tolerance:
            return Result(
                count,
                previous,
                f"Row {row.name()} was inserted out of order: it occurred at {row.occurred_at.isoformat()}, "
                f"before {previous.name()} at {previous.occurred_at.isoformat()}.",
            )
        previous = row
    if anchors:
        missing = min(anchors)
        return Result(count + 1, previous, f"Row seq {missing}, whose hash was kept, is missing: rows were removed.")
    return Result(count, previous, None)
