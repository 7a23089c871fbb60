"""Quebec's administrative regions, MRCs and municipalities: reference data, read-only."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from virage.core.text import fold
from virage.geography.models import Mrc, Municipality, Region
from virage.geography.selectors import find_mrc, find_region, region_list

# Codes are zero-padded to their length when a client sends "6" for region "06".
MRC_CODE_LENGTH = 3
MUNICIPALITY_CODE_LENGTH = 5
SEARCH_MAX_LENGTH = 100


class PlaceSerializer(serializers.Serializer):
    """A region, MRC or municipality as other resources show it: its code and its name."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]
        read_only_fields = fields


class RegionDetailSerializer(RegionSerializer):
    mrcs = PlaceSerializer(many=True, read_only=True)

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "mrcs"]
        read_only_fields = fields


class MrcSerializer(serializers.ModelSerializer):
    region = PlaceSerializer(read_only=True)

    class Meta:
        model = Mrc
        fields = ["code", "name", "region"]
        read_only_fields = fields


class MunicipalitySerializer(serializers.ModelSerializer):
    mrc = PlaceSerializer(read_only=True, allow_null=True)
    region = PlaceSerializer(read_only=True)

    class Meta:
        model = Municipality
        fields = ["code", "name", "designation", "mrc", "region"]
        read_only_fields = fields


class PlaceFilterSerializer(serializers.Serializer):
    """Query parameters shared by the MRC and municipality lists."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("Start of the name, whatever its accents, case or dashes; or a code."),
    )
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("Administrative region: its code (06) or its name."),
    )


class MunicipalityFilterSerializer(PlaceFilterSerializer):
    mrc = serializers.CharField(
        required=False, allow_blank=True, max_length=150, help_text=_("MRC: its code (660) or its name.")
    )


def _filters(view, serializer_class) -> dict:
    """The validated query parameters; bad ones answer 400 with field messages."""
    serializer = serializer_class(data=view.request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(summary=_("List the administrative regions")),
    retrieve=extend_schema(summary=_("Read an administrative region and its MRCs")),
)
class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        queryset = region_list()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(Prefetch("mrcs", queryset=Mrc.objects.order_by("code")))
        return queryset

    def get_serializer_class(self):
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer


@extend_schema_view(
    list=extend_schema(summary=_("List the MRCs"), parameters=[PlaceFilterSerializer]),
    retrieve=extend_schema(summary=_("Read an MRC")),
)
class MrcViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MrcSerializer
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        queryset = Mrc.objects.select_related("region").order_by("name_folded", "code")
        if self.action != "list":
            return queryset
        filters = _filters(self, PlaceFilterSerializer)
        return _filter_places(queryset, filters, code_length=MRC_CODE_LENGTH)


@extend_schema_view(
    list=extend_schema(summary=_("List or search the municipalities"), parameters=[MunicipalityFilterSerializer]),
    retrieve=extend_schema(summary=_("Read a municipality by its geographic code")),
)
class MunicipalityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MunicipalitySerializer
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        queryset = Municipality.objects.select_related("mrc", "region").order_by("name_folded", "code")
        if self.action != "list":
            return queryset
        filters = _filters(self, MunicipalityFilterSerializer)
        queryset = _filter_places(queryset, filters, code_length=MUNICIPALITY_CODE_LENGTH)
        if filters.get("mrc"):
            mrc = find_mrc(filters["mrc"])
            queryset = queryset.filter(mrc=mrc) if mrc else queryset.none()
        return queryset


def _filter_places(queryset, filters: dict, *, code_length: int):
    """Apply ``?q=`` (a code, or the start of a name) and ``?region=`` to MRCs or municipalities."""
    text = (filters.get("q") or "").strip()
    if text.isdigit():
        queryset = queryset.filter(code=text.zfill(code_length))
    elif fold(text):
        queryset = queryset.filter(name_folded__startswith=fold(text))
    if filters.get("region"):
        region = find_region(filters["region"][:100])
        queryset = queryset.filter(region=region) if region else queryset.none()
    return queryset
