"""Pagination of lists that can hold a province's worth of rows."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# A search counts its matches up to this number; beyond it the page says "more than".
SEARCH_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: past that, "more than 1,000" is as useful and far cheaper.

    A search that matches 20,000 organizations would otherwise count all of them on every page.
    """

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.is_capped = False

    @cached_property
    def count(self) -> int:
        if self.cap is None:
            return super().count
        counted = self.object_list[: self.cap + 1].count()
        self.is_capped = counted > self.cap
        return min(counted, self.cap)
