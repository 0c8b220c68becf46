"""The invitation's link token and short code (ADR 0035). Neither is stored: each is a keyed MAC of
the invitation, so the reminder three weeks on and a reprinted letter can show the same ones, and a
copy of the database opens nothing without the key. The link carries the invitation's id beside its
MAC; the short code (for a letter, typed on /quality-of-life/start/) carries its serial number in a
few characters before the MAC. Either still needs the respondent's date of birth."""

import hashlib
import hmac
import re
import uuid

from django.conf import settings

# No look-alikes (0/O, 1/I/L), as the HNA passcodes (hna.models.passcode).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SERIAL_CHARS = 5  # 31**5: 28 million invitations before the code grows a character
MAC_CHARS = 7  # 31**7, about 2.8e10 guesses per serial, against a throttle and a lock after 5 wrong dates
LINK_MAC_CHARS = 32


def _key() -> bytes:
    return (getattr(settings, "QOL_TOKEN_KEY", "") or settings.SECRET_KEY).encode()


def _mac(label: str, value: str) -> bytes:
    return hmac.new(_key(), f"qol:{label}:{value}".encode(), hashlib.sha256).digest()


def _encode(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, rest = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[rest])
    return "".join(reversed(chars))


def link_token(invitation) -> str:
    """`<invitation id hex>.<MAC>`: what the emailed and texted link carries."""
    mac = _mac("link", str(invitation.pk)).hex()[:LINK_MAC_CHARS]
    return f"{invitation.pk.hex}.{mac}"


def short_code(invitation) -> str:
    """Twelve characters for a letter: the serial in five, then seven of MAC."""
    mac = int.from_bytes(_mac("code", str(invitation.serial))[:8], "big")
    return _encode(invitation.serial, SERIAL_CHARS) + _encode(mac, MAC_CHARS)


def display_code(code: str) -> str:
    """ABCD-EFGH-JKLM: easier to read out and to type from a letter."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").upper()


def parse_link(token: str):
    """The invitation id a well-formed link token names, or None. The MAC is checked by `matches`."""
    head, _, mac = (token or "").partition(".")
    try:
        return uuid.UUID(hex=head) if len(mac) == LINK_MAC_CHARS else None
    except ValueError:
        return None


def parse_code(raw: str) -> int | None:
    """The serial a well-formed short code names, or None."""
    code = normalise_code(raw)
    if len(code) != SERIAL_CHARS + MAC_CHARS or any(ch not in ALPHABET for ch in code):
        return None
    serial = 0
    for ch in code[:SERIAL_CHARS]:
        serial = serial * len(ALPHABET) + ALPHABET.index(ch)
    return serial


def matches(invitation, *, token: str = "", code: str = "") -> bool:
    """Whether the token or code given is this invitation's, compared in constant time."""
    if token:
        return hmac.compare_digest(token, link_token(invitation))
    return hmac.compare_digest(normalise_code(code), short_code(invitation))


# Where the link and the code lead (qol_survey/urls.py serves them); messages and letters print these.
START_PATH = "/quality-of-life/start/"  # type the letter's short code and date of birth
OPT_OUT_PATH = "/quality-of-life/opt-out/"  # with a short code, from a letter


def link_path(invitation) -> str:
    return f"/quality-of-life/s/{link_token(invitation)}/"


def opt_out_path(invitation) -> str:
    return f"{link_path(invitation)}opt-out/"
