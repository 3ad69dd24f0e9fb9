"""DRF's throttles, counting by the address :func:`gandan.core.clients.client_address` gives
(DRF's own would believe any X-Forwarded-For a client sends)."""

from __future__ import annotations

from typing import Any

from rest_framework import throttling

from gandan.core.clients import client_address


class ClientAddressMixin:
    def get_ident(self, request: Any) -> str:
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass
