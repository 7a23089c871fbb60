"""Choosing municipalities for generated organizations: real ones, from the database, where people live."""

import itertools
import random
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from virage.core.text import fold
from virage.geography.models import Municipality

from .data import municipality_weight

NO_MUNICIPALITIES = _(
    "The database holds no municipality: run migrate first (it loads Quebec's regions, MRCs and municipalities)."
)


@dataclass(frozen=True)
class Place:
    id: int
    name: str
    mrc_id: int | None
    region_id: int
    region_code: str


class MunicipalityPicker:
    """Draws municipalities at random, the most populated ones more often, in a repeatable order."""

    def __init__(self, rng: random.Random):
        rows = Municipality.objects.order_by("code").values_list(
            "id", "name", "designation", "mrc_id", "region_id", "region__code"
        )
        self.rng = rng
        self.places: list[Place] = []
        weights: list[int] = []
        for pk, name, designation, mrc_id, region_id, region_code in rows:
            self.places.append(Place(pk, name, mrc_id, region_id, region_code))
            weights.append(municipality_weight(name, designation))
        if not self.places:
            raise CommandError(str(NO_MUNICIPALITIES))
        if not any(weights):
            weights = [1] * len(self.places)
        self.cumulative_weights = list(itertools.accumulate(weights))
        self._by_name = {}
        for place in self.places:
            self._by_name.setdefault(fold(place.name), place)

    def pick(self) -> Place:
        return self.rng.choices(self.places, cum_weights=self.cumulative_weights)[0]

    def pick_many(self, count: int) -> list[Place]:
        return self.rng.choices(self.places, cum_weights=self.cumulative_weights, k=count)

    def named(self, name: str) -> Place:
        """The municipality called ``name``, or a random one when this database does not have it."""
        return self._by_name.get(fold(name)) or self.pick()
