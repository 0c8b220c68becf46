"""The client's IP address: one rule for the access log and every rate limit (ADR 0016).

X-Forwarded-For is a list the client starts and each proxy appends to, so only the entries our own
proxies wrote can be believed. With TRUSTED_PROXY_COUNT = N (settings.ALLAUTH_TRUSTED_PROXY_COUNT),
the client is the Nth entry from the right: the address our outermost proxy saw. With 0 proxies
the header is ignored and REMOTE_ADDR, the TCP peer, is the client.
"""

import ipaddress

from django.conf import settings


def _clean(value: str) -> str | None:
    """A valid address in canonical form, its port dropped ("192.0.2.1:4711", "[2001:db8::1]:443")."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address as the trusted proxies report it, else REMOTE_ADDR. A header shorter
    than the proxy count (a request that did not come through all our proxies) or an entry that is
    not an address falls back to REMOTE_ADDR too: never a value the client could have written."""
    remote = _clean(request.META.get("REMOTE_ADDR", ""))
    trusted = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted <= 0 or not forwarded.strip():
        return remote
    entries = forwarded.split(",")
    if len(entries) < trusted:
        return remote
    return _clean(entries[-trusted]) or remote
