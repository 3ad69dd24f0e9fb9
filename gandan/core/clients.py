"""The address a request came from, the same for every limit, lockout and log.

A reverse proxy in front of gandan connects from its own address and names the client in
``X-Forwarded-For``. That header is believed only as far as the proxies listed in
``GANDAN_TRUSTED_PROXIES`` (addresses or networks, comma-separated): read from the right, each
hop added by a trusted proxy is skipped, and the first address no trusted proxy stands for is
the client. With no trusted proxy (the default) the header is ignored, so a client cannot
choose its own address to dodge a limit.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.GANDAN_TRUSTED_PROXIES))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [::1]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 1.2.3.4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    return address is not None and any(address in network for network in trusted_networks())


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the hop before them;
    ``unknown`` when the server was given none (all such requests count as one client)."""
    return client_ip(request) or "unknown"


def client_ip(request: HttpRequest) -> str | None:
    """:func:`client_address`, or None when unknown (django-axes stores it as an address)."""
    remote = _address(str(request.META.get("REMOTE_ADDR") or ""))
    if remote is None:
        return None
    if not _trusted(remote):
        return str(remote)
    hops = [part for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    client = remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a garbled hop: the last address a trusted proxy vouched for stands
        client = address
        if not _trusted(address):
            break
    return str(client)
