"""An Atom feed of changes to the published lists: one entry per version in force."""

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from zhifa.catalog.models import ListVersion

from . import queries


class ListChangesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return queries.portal_agency(request.GET.get("agency"))

    def title(self, agency):
        return _("%(agency)s 公示清单变更") % {"agency": agency.name}

    def subtitle(self, agency):
        return _("执法事项清单、随机抽查事项清单、音像记录事项清单、执法服务指南和执法流程图的新版本。")

    def link(self, agency):
        return reverse("publicity:home") + f"?agency={agency.code}"

    def feed_url(self, agency):
        return reverse("publicity:feed") + f"?agency={agency.code}"

    def items(self, agency):
        return ListVersion.objects.filter(agency=agency, effective_on__lte=timezone.localdate()).order_by(
            "-effective_on", "-number"
        )[:50]

    def item_title(self, version):
        return _("《%(list)s》第%(n)d版（%(date)s起施行）") % {
            "list": version.get_kind_display(),
            "n": version.number,
            "date": version.effective_on.isoformat(),
        }

    def item_description(self, version):
        c = version.changes or {}
        parts = [_("共%(n)d项。") % {"n": version.row_count}]
        for key, label in (("added", _("新增")), ("changed", _("修改")), ("removed", _("删除"))):
            codes = c.get(key) or []
            if codes:
                more = "…" if len(codes) > 20 else ""
                parts.append(
                    _("%(what)s%(n)d项：%(codes)s%(more)s。")
                    % {"what": label, "n": len(codes), "codes": "、".join(codes[:20]), "more": more}
                )
        if version.note:
            parts.append(_("说明：%(note)s") % {"note": version.note})
        return "".join(parts)

    def item_link(self, version):
        from .views import SLUGS

        return reverse(f"publicity:{SLUGS[version.kind].replace('-', '_')}") + (
            f"?agency={version.agency.code}&version={version.number}"
        )

    def item_guid(self, version):
        return f"urn:zhifa:list-version:{version.agency.code}:{version.kind}:{version.number}"

    item_guid_is_permalink = False

    def item_pubdate(self, version):
        return version.published_at

    def item_updateddate(self, version):
        return timezone.make_aware(dt.datetime.combine(version.effective_on, dt.time()))


class DecisionsFeed(Feed):
    """The newest published decisions (the portal's list with its filters), newest release first."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        from .decision_views import filtered

        qs, _f, _problems = filtered(request.GET)
        return qs.order_by("-released_at", "-id")[:50]

    def title(self, obj):
        return _("行政执法决定公开")

    def link(self, obj):
        return reverse("publicity:decisions")

    def feed_url(self, obj):
        return reverse("publicity:decisions_feed")

    def items(self, obj):
        return obj

    def item_title(self, p):
        s = p.summary or {}
        return f"{s.get('party', '')}：{s.get('cause', '')}" if s.get("cause") else s.get("party", "")

    def item_description(self, p):
        s = p.summary or {}
        return " · ".join(
            x for x in (s.get("number", ""), s.get("agency", ""), p.decided_on.isoformat()) if x
        )

    def item_link(self, p):
        return reverse("publicity:decision", args=[p.pk])

    def item_guid(self, p):
        return f"urn:zhifa:decision:{p.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, p):
        return p.released_at
