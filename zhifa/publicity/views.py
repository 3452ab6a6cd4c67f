"""The public portal (事前公开、事中公示): no login, Chinese, phone-sized, accessible.

Every list page shows the version in force today (``?version=N`` shows an older one, 历史版本); nothing
unpublished, no inactive officer and no complainant's data ever reaches these pages.
"""

from __future__ import annotations

import functools
import io

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from zhifa.catalog import queries as catalog_queries
from zhifa.catalog import serialize, tabular
from zhifa.catalog.choices import ItemKind, ListKind, ProcedureKind
from zhifa.catalog.flowchart import render_svg
from zhifa.catalog.models import GuideMaterial, ListVersion
from zhifa.core.errors import RuleViolation

from . import actions, forms, queries, ratelimit, rules
from .choices import ComplaintStatus

# URL segment of each list on the portal (a contract: see docs/portal.md).
SLUGS = {
    ListKind.ITEMS: "items",
    ListKind.RANDOM: "random-inspection-items",
    ListKind.AV: "av-items",
    ListKind.GUIDES: "guides",
    ListKind.FLOWCHARTS: "flowcharts",
}
BY_SLUG = {v: k for k, v in SLUGS.items()}


def _agency(request):
    return queries.portal_agency(request.GET.get("agency"))


def _context(request, agency, agencies=None, **extra):
    agencies = list(queries.portal_agencies()) if agencies is None else agencies
    q = f"?agency={agency.code}"
    return {
        "agency": agency,
        "agencies": agencies if len(agencies) > 1 else [],
        "aq": q,
        "today": timezone.localdate(),
        **extra,
    }


def _version(request, agency, kind) -> tuple[ListVersion | None, bool]:
    """The version asked for (?version=N) or the one in force; (version, is_history)."""
    wanted = request.GET.get("version")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        v = catalog_queries.version(agency, kind, int(wanted))
        current = catalog_queries.effective_version(agency, kind)
        # A version that has not taken effect yet is not public.
        if v is None or v.effective_on > timezone.localdate():
            raise Http404
        return v, current is None or v.number != current.number
    return catalog_queries.effective_version(agency, kind), False


# A rendered portal page is kept this long in the cache (Redis in production, shared by every web worker).
PORTAL_CACHE_SECONDS = 24 * 3600


def _fields(obj) -> tuple:
    return tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields)


def _version_key(version) -> tuple | None:
    """A published list version never changes; its content digest is in the key all the same."""
    return (version.pk, version.number, version.digest) if version else None


def cached_page(request, template: str, shown, build) -> HttpResponse:
    """The page ``template`` rendered from the context ``build()`` returns, or the same page from the cache (Redis in
    production, shared by every web worker). ``shown`` must name everything the page shows; the address, the
    language and the day are added here. Any change makes a new key, so a cached page is never stale — provided
    ``shown`` is read before the rows ``build`` renders (a change committed in between then lands under the newer
    key, never a page older than its key)."""
    import hashlib

    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils.translation import get_language

    key = (template, request.get_full_path(), get_language(), timezone.localdate(), shown)
    name = "portal:page:" + hashlib.sha256(repr(key).encode()).hexdigest()
    html = cache.get(name)
    if html is None:
        html = render_to_string(template, build(), request)
        cache.set(name, html, PORTAL_CACHE_SECONDS)
    return HttpResponse(html)


def _page(request, template: str, agency, key, build):
    """A portal page about ``agency`` through ``cached_page``: its key holds the agency's fields, the portal's
    agencies and ``key`` — the list version's id (a published version never changes), or for the pages that list
    people, units or certificates the agency's portal version (``_people_key``). A hit costs the agency (with its
    portal version), the agencies and the list version: no officer is read and nothing rendered."""
    agencies = list(queries.portal_agencies())
    return cached_page(
        request,
        template,
        (_fields(agency), [(a.pk, a.code, a.name) for a in agencies], key),
        lambda: build(agencies),
    )


def _people_key(agency, *reads):
    """The key part of a page that shows ``agency``'s people, roles, certificates or units: its portal version, a
    token that changes in the same transaction as every write to those rows (``zhifa.org.portal_version``), read
    with the agency before anything the page shows. An agency without one (it cannot happen through the actions)
    falls back to the rows themselves: ``reads`` called, as the page will show them."""
    token = queries.portal_version(agency)
    if token is not None:
        return ("portal-version", str(token))
    return ("rows", [read() for read in reads])


def _too_many(request, retry_after: int):
    response = render(request, "publicity/429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def home(request):
    agency = _agency(request)
    recent = list(
        ListVersion.objects.filter(agency=agency, effective_on__lte=timezone.localdate())
        .order_by("-published_at")
        .defer("data", "changes")[:5]
    )
    return _page(
        request,
        "publicity/home.html",
        agency,
        [_version_key(v) for v in recent],
        lambda agencies: _context(
            request,
            agency,
            agencies,
            recent=recent,
            slugs=SLUGS,
            verify_form=forms.VerifyForm(),
        ),
    )


def agency_page(request):
    agency = _agency(request)
    units = functools.cache(lambda: list(agency.units.all()))
    return _page(
        request,
        "publicity/agency.html",
        agency,
        _people_key(
            agency, lambda: [_fields(u) for u in units()], lambda: agency.parent and agency.parent.name
        ),
        lambda agencies: _context(request, agency, agencies, units=units(), rules=rules),
    )


def people(request):
    agency = _agency(request)
    officers = functools.cache(lambda: queries.active_officers(agency))
    return _page(
        request,
        "publicity/people.html",
        agency,
        _people_key(agency, officers),
        lambda agencies: _context(request, agency, agencies, officers=officers()),
    )


def _list_page(request, kind, template, **extra):
    agency = _agency(request)
    version, history = _version(request, agency, kind)
    return _page(
        request,
        template,
        agency,
        (_version_key(version), history),
        lambda agencies: _context(
            request,
            agency,
            agencies,
            kind=kind,
            slug=SLUGS[kind],
            version=version,
            history=history,
            rows=version.data if version else [],
            **extra,
        ),
    )


def items(request):
    agency = _agency(request)
    version, history = _version(request, agency, ListKind.ITEMS)
    return _page(
        request,
        "publicity/items.html",
        agency,
        (_version_key(version), history),
        lambda agencies: _items_context(request, agency, agencies, version, history),
    )


def _items_context(request, agency, agencies, version, history):
    rows = version.data if version else []
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    field = request.GET.get("field", "")
    unit = request.GET.get("unit", "")
    fields = sorted({(r["field"], r["field_name"]) for r in rows if r["field"]}, key=lambda f: f[0])
    units = sorted({r["unit"] for r in rows if r["unit"]})
    shown = [
        r
        for r in rows
        if (
            not q
            or q in r["name"]
            or q.lower() in r["code"].lower()
            or q in r["violated"]
            or q in r["penalty"]
        )
        and (not kind or r["kind"] == kind)
        and (not field or r["field"] == field)
        and (not unit or r["unit"] == unit)
    ]
    return _context(
        request,
        agency,
        agencies,
        kind_filter=kind,
        field_filter=field,
        unit_filter=unit,
        q=q,
        kinds=ItemKind.choices,
        fields=fields,
        units=units,
        version=version,
        history=history,
        rows=shown,
        total=len(rows),
        slug=SLUGS[ListKind.ITEMS],
        kind=ListKind.ITEMS,
    )


def item_detail(request, code):
    agency = _agency(request)
    version, history = _version(request, agency, ListKind.ITEMS)
    row = next((r for r in (version.data if version else []) if r["code"] == code), None)
    if row is None:
        raise Http404
    return render(
        request,
        "publicity/item_detail.html",
        _context(
            request,
            agency,
            version=version,
            history=history,
            row=row,
            slug=SLUGS[ListKind.ITEMS],
        ),
    )


def random_items(request):
    return _list_page(request, ListKind.RANDOM, "publicity/random.html")


def av_items(request):
    return _list_page(request, ListKind.AV, "publicity/av.html")


def guides(request):
    return _list_page(request, ListKind.GUIDES, "publicity/guides.html")


def guide_detail(request, code):
    agency = _agency(request)
    version, history = _version(request, agency, ListKind.GUIDES)
    row = next((r for r in (version.data if version else []) if r["code"] == code), None)
    if row is None:
        raise Http404
    chart = None
    if row["flowchart"]:
        charts = catalog_queries.effective_version(agency, ListKind.FLOWCHARTS)
        chart = next((c for c in (charts.data if charts else []) if c["code"] == row["flowchart"]), None)
        if chart:
            chart = {
                "row": chart,
                "svg": render_svg(chart["steps"], chart["arrows"], title=chart["title"], ident="fc-guide"),
            }
    return render(
        request,
        "publicity/guide_detail.html",
        _context(
            request,
            agency,
            version=version,
            history=history,
            row=row,
            chart=chart,
            slug=SLUGS[ListKind.GUIDES],
        ),
    )


def material_sample(request, pk):
    """A sample file of a guide's material, only if a published version in force lists it."""
    agency = _agency(request)
    material = GuideMaterial.objects.filter(pk=pk, guide__agency=agency).first()
    if material is None or not material.sample:
        raise Http404
    published = False
    for data in ListVersion.objects.filter(
        agency=agency, kind=ListKind.GUIDES, effective_on__lte=timezone.localdate()
    ).values_list("data", flat=True):
        if any(
            m["id"] == material.pk and m["sample_sha256"] == material.sample_sha256
            for g in data
            for m in g["materials"]
        ):
            published = True
            break
    if not published:
        raise Http404
    return FileResponse(
        material.sample.open("rb"),
        as_attachment=True,
        filename=material.sample_name,
        content_type=material.sample_type,
    )


def flowcharts(request):
    agency = _agency(request)
    version, history = _version(request, agency, ListKind.FLOWCHARTS)

    def build(agencies):
        charts = [
            {
                "row": row,
                "svg": render_svg(row["steps"], row["arrows"], title=row["title"], ident=f"fc-{row['code']}"),
            }
            for row in (version.data if version else [])
        ]
        return _context(
            request,
            agency,
            agencies,
            version=version,
            history=history,
            charts=charts,
            slug=SLUGS[ListKind.FLOWCHARTS],
            kind=ListKind.FLOWCHARTS,
            procedures=ProcedureKind,
        )

    return _page(request, "publicity/flowcharts.html", agency, (_version_key(version), history), build)


def flowchart_svg(request, code):
    """One flowchart as a standalone SVG file (for printing or embedding)."""
    agency = _agency(request)
    version, _history = _version(request, agency, ListKind.FLOWCHARTS)
    row = next((r for r in (version.data if version else []) if r["code"] == code), None)
    if row is None:
        raise Http404
    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + render_svg(
        row["steps"], row["arrows"], title=row["title"], ident="fc"
    )
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


def versions(request, slug):
    kind = BY_SLUG.get(slug)
    if kind is None:
        raise Http404
    agency = _agency(request)
    today = timezone.localdate()
    rows = catalog_queries.versions(agency, kind).filter(effective_on__lte=today)
    current = catalog_queries.effective_version(agency, kind)
    return render(
        request,
        "publicity/versions.html",
        _context(
            request,
            agency,
            kind=kind,
            slug=slug,
            versions=rows,
            current=current,
            list_url=reverse("publicity:" + slug.replace("-", "_")),
            upcoming=catalog_queries.versions(agency, kind).filter(effective_on__gt=today),
        ),
    )


def posts(request):
    """岗位信息公示牌: staff and duties by unit, sample materials, progress look-up, consultation and complaints."""
    agency = _agency(request)

    @functools.cache
    def units():
        by_unit: dict[str, list] = {}
        for o in queries.active_officers(agency):
            by_unit.setdefault(o.unit or _("其他"), []).append(o)
        return [
            {"unit": u, "officers": by_unit.get(u.name, [])}
            for u in agency.units.all()
            if by_unit.get(u.name) or u.duties
        ]

    guides_version = catalog_queries.effective_version(agency, ListKind.GUIDES)

    def build(agencies):
        samples = [
            {"guide": g, "material": m}
            for g in (guides_version.data if guides_version else [])
            for m in g["materials"]
            if m["sample_name"]
        ]
        return _context(request, agency, agencies, units=units(), samples=samples)

    return _page(
        request,
        "publicity/posts.html",
        agency,
        (
            _people_key(agency, lambda: [(_fields(u["unit"]), u["officers"]) for u in units()]),
            _version_key(guides_version),
        ),
        build,
    )


# 执法证查询


@never_cache
def verify(request):
    number = request.GET.get("number", "").strip()
    form = forms.VerifyForm(request.GET or None)
    result = None
    searched = False
    if number:
        allowed, retry_after = ratelimit.hit(request, "verify")
        if not allowed:
            return _too_many(request, retry_after)
        searched = True
        if len(number) <= 40:
            result = queries.check_certificate(number)
    return render(
        request,
        "publicity/verify.html",
        {
            **_context(request, _agency(request)),
            "form": form,
            "number": number,
            "result": result,
            "searched": searched,
        },
    )


def certificate_qr(request, number):
    """A QR code (SVG) opening the verification page for ``number``. It encodes only the address, so it
    tells nothing about whether the number exists."""
    import segno

    if not number or len(number) > 40 or not all(c.isalnum() or c in "-_" for c in number):
        raise Http404
    url = request.build_absolute_uri(reverse("publicity:verify")) + "?number=" + number
    qr = segno.make(url, error="m")
    buf = io.BytesIO()
    # A standalone SVG file (with its namespace), so it works as an <img> and as a download.
    title = _("执法证%(n)s查询二维码") % {"n": number}
    qr.save(buf, kind="svg", scale=4, dark="#000000", light="#ffffff", title=title, encoding="utf-8")
    return HttpResponse(buf.getvalue(), content_type="image/svg+xml; charset=utf-8")


# 投诉举报、咨询


@csrf_protect
@never_cache
def complaint_new(request):
    agency = _agency(request)
    form = forms.ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        allowed, retry_after = ratelimit.hit(request, "complaint")
        if not allowed:
            return _too_many(request, retry_after)
        if form.is_valid():
            d = form.cleaned_data
            files = [(f.name, f.read()) for f in d["attachments"]]
            try:
                complaint, code = actions.submit_complaint(
                    agency,
                    kind=d["kind"],
                    subject=d["subject"],
                    content=d["content"],
                    item_code=d["item_code"],
                    target=d["target"],
                    name=d["name"],
                    phone=d["phone"],
                    email=d["email"],
                    attachments=files,
                )
            except RuleViolation as exc:
                for field, errors in (
                    exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
                ):
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                return render(
                    request,
                    "publicity/complaint_done.html",
                    _context(
                        request,
                        agency,
                        receipt_number=complaint.receipt_number,
                        code=code,
                    ),
                )
    return render(request, "publicity/complaint_new.html", _context(request, agency, form=form, rules=rules))


@csrf_protect
@never_cache
def complaint_status(request):
    agency = _agency(request)
    form = forms.StatusLookupForm(request.POST or None)
    complaint = None
    not_found = False
    if request.method == "POST":
        allowed, retry_after = ratelimit.hit(request, "status")
        if not allowed:
            return _too_many(request, retry_after)
        if form.is_valid():
            complaint = queries.find_complaint(form.cleaned_data["receipt_number"], form.cleaned_data["code"])
            not_found = complaint is None
    events = complaint.events.filter(public=True) if complaint else []
    return render(
        request,
        "publicity/complaint_status.html",
        _context(
            request,
            agency,
            form=form,
            complaint=complaint,
            events=events,
            not_found=not_found,
            final=complaint is not None
            and complaint.status in (ComplaintStatus.ANSWERED, ComplaintStatus.REJECTED),
        ),
    )


# Downloads and the feed.


def _download_name(agency, slug, version, ext):
    return f"{agency.code}-{slug}-v{version.number if version else 0}.{ext}"


def export(request, slug, fmt):
    """Each list as CSV (the import format) or JSON (the version rows) at a stable URL."""
    from django.utils.http import content_disposition_header

    agency = _agency(request)
    if slug == "people":
        officers = queries.active_officers(agency)
        rows = [
            {
                "name": o.name,
                "unit": o.unit,
                "title": o.title,
                "certificate_number": o.number,
                "fields": o.fields,
                "valid_from": o.valid_from.isoformat(),
                "valid_to": o.valid_to.isoformat(),
            }
            for o in officers
        ]
        if fmt == "json":
            return _json(
                {
                    "agency": agency.name,
                    "list": "people",
                    "date": timezone.localdate().isoformat(),
                    "rows": rows,
                }
            )
        if fmt != "csv":
            raise Http404
        data = tabular.write_csv(
            ["姓名", "所属机构", "职务", "执法证号", "执法领域", "有效期起", "有效期至"],
            [
                [
                    r["name"],
                    r["unit"],
                    r["title"],
                    r["certificate_number"],
                    "、".join(r["fields"]),
                    r["valid_from"],
                    r["valid_to"],
                ]
                for r in rows
            ],
        )
        response = HttpResponse(data, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(False, f"{agency.code}-people.csv")
        return response
    kind = BY_SLUG.get(slug)
    if kind is None:
        raise Http404
    version, _history = _version(request, agency, kind)
    rows = version.data if version else []
    if fmt == "json":
        return _json(
            {
                "agency": agency.name,
                "agency_code": agency.code,
                "list": kind.value,
                "title": str(kind.label),
                "version": version.number if version else None,
                "effective_on": version.effective_on.isoformat() if version else None,
                "digest": version.digest if version else None,
                "rows": rows,
            }
        )
    if fmt != "csv":
        raise Http404
    data = tabular.write_csv(serialize.HEADERS[kind], serialize.flatten(kind, rows))
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        False, _download_name(agency, slug, version, "csv")
    )
    return response


def _json(payload) -> JsonResponse:
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})
