"""The proof of electronic service, opened by who may read the case (a page link and the API): the stored bytes,
checked against the SHA-256 the ledger holds, the opening recorded as an access (调阅)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from zhifa.records import storage

from . import queries
from .models import Service

CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "amr": "audio/amr",
    "m4a": "audio/mp4",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
}


def proof_response(user, case_pk, service_pk) -> HttpResponse:
    case = queries.access_case(user, case_pk)  # 404 for a case the user may not see
    service = Service.objects.filter(case=case, pk=service_pk).exclude(proof_name="").first()
    if service is None:
        raise Http404
    try:
        data = storage.read(service.proof_name, service.proof_sha256)
    except storage.FileTampered:
        return HttpResponse(
            _("存储的送达凭证与登记时记录的哈希值不一致，文件可能已被篡改，请联系系统管理员。"),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    queries.record_access(user, case, _("查看送达凭证"))
    ext = service.proof_name.rsplit(".", 1)[-1]
    response = HttpResponse(data, content_type=CONTENT_TYPES.get(ext, "application/octet-stream"))
    response["Content-Disposition"] = f'inline; filename="service-{service.pk}.{ext}"'
    return response


@login_required
def service_proof(request, pk, service_pk):
    return proof_response(request.user, pk, service_pk)
