"""Display of the "Your API tokens" page: each token in plain words, never its secret."""

from dataclasses import dataclass

from portal.ui.presenters import format_date

# status: (tag text, NHS.UK tag colour, what the date row says). Green while it works, grey once it
# has run out, red once someone revoked it.
STATUSES = {
    "active": ("Active", "nhsuk-tag--green", "Expires"),
    "expired": ("Expired", "nhsuk-tag--grey", "Expired"),
    "revoked": ("Revoked", "nhsuk-tag--red", "Revoked"),
}


@dataclass(frozen=True)
class TokenRow:
    id: str
    client: str
    prefix: str
    created: str
    last_used: str
    status: str
    tag_class: str
    end_label: str
    end: str
    can_revoke: bool


def token_rows(tokens) -> list[TokenRow]:
    rows = []
    for token in tokens:
        status = token.status
        label, tag_class, end_label = STATUSES[status]
        rows.append(
            TokenRow(
                id=str(token.pk),
                client=token.client_name,
                prefix=f"{token.prefix}…",
                created=format_date(token.created_at),
                last_used=format_date(token.last_used_at) or "Never",
                status=label,
                tag_class=tag_class,
                end_label=end_label,
                end=format_date(token.revoked_at if status == "revoked" else token.expires_at),
                # An expired token already fails; revoking it too would change nothing.
                can_revoke=status == "active",
            )
        )
    return rows
