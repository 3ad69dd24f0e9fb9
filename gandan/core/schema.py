"""The API's OpenAPI schema view (``/api/v1/schema/``)."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process and version: it changes only with the
    code, and generating it walks every endpoint (a fifth of a second)."""

    _generated: ClassVar[dict[str | None, Any]] = {}

    def _get_schema_response(self, request: Any) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)  # type: ignore[no-untyped-call]
        data = self._generated.get(version) if self.serve_public else None
        if data is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            data = generator.get_schema(request=request, public=self.serve_public)  # type: ignore[no-untyped-call]
            if self.serve_public:  # the same for every caller
                self._generated[version] = data
        filename = self._get_filename(request, version)  # type: ignore[no-untyped-call]
        return Response(
            data=data,
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
