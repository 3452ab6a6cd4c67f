"""REST endpoints of the catalog (read-only), scoped exactly like the staff pages. The published lists are
also public without an account at /portal/<list>/export.json (see docs/portal.md)."""

from rest_framework import serializers, viewsets

from zhifa.core.api import object_id

from . import queries
from .models import Article, BenchmarkTier, EnforcementItem, Law, ListVersion


class ArticleSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Article
        fields = ["id", "number", "label", "version", "text", "effective_on", "is_current"]


class LawSerializer(serializers.ModelSerializer):
    articles = serializers.SerializerMethodField()

    class Meta:
        model = Law
        fields = [
            "id",
            "agency",
            "name",
            "short_name",
            "issuer",
            "level",
            "promulgated_on",
            "effective_on",
            "status",
            "status_on",
            "status_note",
            "articles",
        ]

    def get_articles(self, law) -> list[dict]:
        return ArticleSerializer(law.articles.order_by("number", "-version"), many=True).data


class CitationSerializer(serializers.ModelSerializer):
    law = serializers.CharField(source="law.name")
    citation = serializers.CharField(read_only=True)

    class Meta:
        model = Article
        fields = ["id", "law", "number", "version", "citation", "is_current"]


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = BenchmarkTier
        fields = ["tier", "circumstances", "penalty", "fine_min", "fine_max"]


class ItemSerializer(serializers.ModelSerializer):
    field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.StringRelatedField()
    violated_articles = CitationSerializer(many=True, read_only=True)
    penalty_articles = CitationSerializer(many=True, read_only=True)
    tiers = TierSerializer(many=True, read_only=True)

    class Meta:
        model = EnforcementItem
        fields = [
            "id",
            "agency",
            "code",
            "name",
            "kind",
            "field",
            "unit",
            "violated_articles",
            "penalty_articles",
            "basis_note",
            "hearing_eligible",
            "hearing_note",
            "active",
            "needs_review",
            "review_reason",
            "tiers",
        ]


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ListVersion
        fields = [
            "id",
            "agency",
            "kind",
            "number",
            "effective_on",
            "note",
            "row_count",
            "digest",
            "changes",
            "published_at",
            "data",
        ]


class LawViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LawSerializer

    def get_queryset(self):
        return Law.objects.filter(agency__in=queries.catalog_agencies(self.request.user))


class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    """执法事项 by id; filter with ``?code=`` (the stable code cases use) and ``?agency=<id>``."""

    serializer_class = ItemSerializer

    def get_queryset(self):
        qs = (
            EnforcementItem.objects.filter(agency__in=queries.catalog_agencies(self.request.user))
            .select_related("field", "unit")
            .prefetch_related("violated_articles__law", "penalty_articles__law", "tiers")
        )
        code = self.request.query_params.get("code")
        if code:
            qs = qs.filter(code=code)
        agency = object_id(self.request.query_params.get("agency"), "agency")
        if agency:
            qs = qs.filter(agency_id=agency)
        return qs


class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Published versions of the lists (``?kind=items``)."""

    serializer_class = VersionSerializer

    def get_queryset(self):
        qs = ListVersion.objects.filter(agency__in=queries.catalog_agencies(self.request.user))
        kind = self.request.query_params.get("kind")
        return qs.filter(kind=kind) if kind else qs
