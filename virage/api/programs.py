"""Programs the user takes part in: read-only, scoped by their memberships."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from virage.geography.models import Region
from virage.programs.models import Program
from virage.programs.permissions import access_program_by_slug
from virage.programs.selectors import programs_for

from .geography import PlaceSerializer


class ProgramOperatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class ProgramSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("In the language of the request, French by default."))
    description = serializers.CharField(read_only=True)
    operator = ProgramOperatorSerializer(read_only=True)
    regions = PlaceSerializer(
        many=True, read_only=True, help_text=_("Regions covered; empty for a province-wide program.")
    )
    url = serializers.HyperlinkedIdentityField(view_name="api:program-detail", lookup_field="slug")

    class Meta:
        model = Program
        fields = [
            "slug",
            "name",
            "name_fr",
            "name_en",
            "description",
            "operator",
            "starts_on",
            "ends_on",
            "regions",
            "is_active",
            "accepts_registrations",
            "url",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary=_("List the programs you take part in")),
    retrieve=extend_schema(summary=_("Read a program")),
)
class ProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProgramSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Program.objects.none()
        return (
            programs_for(self.request.user)
            .prefetch_related(Prefetch("regions", queryset=Region.objects.order_by("code")))
            .order_by("-starts_on", "name_fr", "id")
        )

    def get_object(self):
        # The same helper as the pages: a program outside the user's memberships is a 404.
        program = access_program_by_slug(self.request.user, self.kwargs["slug"])
        return self.get_queryset().get(pk=program.pk)
