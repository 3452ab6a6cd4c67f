"""/api/v1/schema/: the OpenAPI schema, generated once per process for each language and version.

The schema depends on the code alone (it is served public: the same for every reader), and generating it walks every
serializer — about a third of a second — on an address anyone may open. A new deployment is a new process, so the
cached schema is never older than the code that serves it.
"""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

_SCHEMAS: dict[tuple[str | None, str | None], dict] = {}


class SchemaView(SpectacularAPIView):
    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        data = _SCHEMAS.get(key)
        if data is None:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            data = _SCHEMAS[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(
            data=data,
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
