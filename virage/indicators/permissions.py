"""Who may read a program's indicators, and how much of them."""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from virage.accounts.scope import scope_for
from virage.programs.models import Program
from virage.programs.permissions import access_program_by_slug

NOT_INDICATOR_READER = _("Only the program's managers, coordinators and funders can read its indicators.")


@dataclass(frozen=True)
class IndicatorAccess:
    """What one person may see of a program's indicators.

    ``region_ids`` is ``None`` for the whole program, or the regions a coordinator's tables are
    limited to; ``suppress_small_counts`` hides counts that could point at a few people (funders).
    """

    program: Program
    region_ids: frozenset[int] | None = None
    suppress_small_counts: bool = False


def can_read_indicators(user, program: Program) -> tuple[bool, str]:
    scope = scope_for(user)
    if (
        scope.is_admin
        or program.pk in scope.managed_program_ids
        or program.pk in scope.coordinated_regions
        or program.pk in scope.funder_program_ids
    ):
        return True, ""
    return False, str(NOT_INDICATOR_READER)


def access_indicators_by_slug(user, slug: str) -> IndicatorAccess:
    """The program's indicators as ``user`` may see them; 404 for a missing program and for a forbidden one."""
    program = access_program_by_slug(user, slug)
    if not can_read_indicators(user, program)[0]:
        raise Http404
    scope = scope_for(user)
    if scope.is_admin or program.pk in scope.managed_program_ids:
        return IndicatorAccess(program=program)
    if program.pk in scope.coordinated_regions:
        return IndicatorAccess(program=program, region_ids=scope.coordinated_regions[program.pk])
    return IndicatorAccess(program=program, suppress_small_counts=True)


def is_small_count(count) -> bool:
    """Whether a count could point at a few people: from 1 to just under ``SMALL_COUNT_THRESHOLD``."""
    return count is not None and 0 < count < settings.SMALL_COUNT_THRESHOLD


def hide_small_counts(rows: list[dict], columns) -> list[dict]:
    """The small counts of ``columns`` become ``None`` (shown as "< threshold") in every row."""
    for row in rows:
        for column in columns:
            if is_small_count(row[column]):
                row[column] = None
    return rows
