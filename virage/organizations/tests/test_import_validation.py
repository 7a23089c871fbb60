"""Checking the rows of an import: each problem with the line and column the person sees."""

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from virage.core.tests.factories import OrganizationFactory
from virage.geography.models import Municipality
from virage.organizations.identifiers import CHARITY_CHECK_DIGIT, NEQ_INVALID, POSTAL_CODE_NOT_QUEBEC
from virage.organizations.imports import (
    DUPLICATE_CHARITY_IN_FILE,
    DUPLICATE_NAME,
    DUPLICATE_NAME_IN_FILE,
    DUPLICATE_NEQ_IN_FILE,
    KIND_UNKNOWN,
    LANGUAGE_UNKNOWN,
    MUNICIPALITY_AMBIGUOUS,
    MUNICIPALITY_NOT_IN_REGION,
    MUNICIPALITY_UNKNOWN,
    OUTSIDE_REGIONS,
    REGION_UNKNOWN,
    REQUIRED,
    SECTOR_UNKNOWN,
    WEBSITE_INVALID,
    Problem,
    allowed_region_ids,
    read_table,
    validate_table,
)
from virage.organizations.models import Organization
from virage.organizations.phones import PHONE_INVALID
from virage.organizations.services import DUPLICATE_CHARITY, DUPLICATE_NEQ

from .test_import_reading import csv_bytes

FULL_HEADER = [
    "type",
    "nom légal",
    "nom usuel",
    "NEQ",
    "numéro d'organisme de bienfaisance",
    "adresse",
    "code postal",
    "municipalité",
    "région",
    "secteur",
    "site web",
    "prénom du contact",
    "nom du contact",
    "courriel du contact",
    "téléphone du contact",
    "fonction du contact",
    "langue du contact",
]
pytestmark = pytest.mark.django_db


def row(**values) -> list[str]:
    defaults = {
        "type": "organisme communautaire",
        "nom légal": "Centre d'entraide fictif",
        "municipalité": "Montréal",
    }
    defaults.update(values)
    return [defaults.get(name, "") for name in FULL_HEADER]


def check(*rows, header=FULL_HEADER, **options):
    return validate_table(read_table(csv_bytes(list(rows), header=header), "test.csv"), **options)


def problems(validation) -> list[tuple[int, str, str]]:
    return [(problem.line, problem.column, problem.message) for problem in validation.problems]


def test_valid_row_gives_what_the_services_need(world):
    validation = check(
        row(
            **{
                "nom usuel": "Entraide",
                "NEQ": "117 000 0011",
                "numéro d'organisme de bienfaisance": "123456782rr0001",
                "code postal": "h2x1y4",
                "secteur": "Sécurité alimentaire",
                "site web": "www.entraide.example",
                "prénom du contact": "Zoé",
                "nom du contact": "Bélanger",
                "courriel du contact": "Zoe@Entraide.Example",
                "téléphone du contact": "514 555-0123",
                "langue du contact": "anglais",
            }
        )
    )
    assert problems(validation) == []
    checked = validation.rows[0]
    assert checked.line == 2
    assert checked.organization["kind"] == Organization.Kind.COMMUNITY
    assert checked.organization["neq"] == "1170000011"
    assert checked.organization["charity_number"] == "123456782RR0001"
    assert checked.organization["postal_code"] == "H2X 1Y4"
    assert checked.organization["sector"] == Organization.Sector.FOOD_SECURITY
    assert checked.organization["website"] == "https://www.entraide.example"
    assert checked.organization["municipality"] == world.montreal
    assert checked.contact == {
        "is_primary": True,
        "first_name": "Zoé",
        "last_name": "Bélanger",
        "role_title": "",
        "email": "zoe@entraide.example",
        "phone": "+1-514-555-0123",
        "preferred_language": "en",
    }


def test_row_without_contact_cells_has_no_contact(world):
    assert check(row()).rows[0].contact is None


def test_wrong_neq_is_reported_at_its_exact_line_and_column(world):
    validation = check(row(), row(**{"nom légal": "Autre centre"}), row(**{"nom légal": "Troisième", "NEQ": "12345"}))
    assert validation.problems == [Problem(4, "NEQ", "12345", str(NEQ_INVALID))]
    assert [checked.is_valid for checked in validation.rows] == [True, True, False]


def test_column_is_reported_under_the_name_the_file_gives_it(world):
    header = ["Legal name", "City", "Quebec enterprise number", "Kind"]
    validation = check(["Centre", "Montréal", "99", "community"], header=header)
    assert problems(validation) == [(2, "Quebec enterprise number", str(NEQ_INVALID))]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("organisme communautaire", Organization.Kind.COMMUNITY),
        ("Community", Organization.Kind.COMMUNITY),
        ("PME", Organization.Kind.SME),
        ("sme", Organization.Kind.SME),
        ("Coopérative", Organization.Kind.COOPERATIVE),
        ("entreprise d'économie sociale", Organization.Kind.SOCIAL_ECONOMY),
        ("social_economy", Organization.Kind.SOCIAL_ECONOMY),
        ("autre", Organization.Kind.OTHER),
    ],
)
def test_type_is_accepted_as_a_label_or_a_code(world, text, kind):
    assert check(row(type=text)).rows[0].organization["kind"] == kind


def test_unknown_type_lists_the_accepted_ones(world):
    validation = check(row(type="fondation"))
    labels = ", ".join(str(label) for label in Organization.Kind.labels)
    assert problems(validation) == [(2, "type", str(KIND_UNKNOWN % {"choices": labels}))]


def test_missing_type_is_required_unless_the_upload_gives_one(world):
    assert problems(check(row(type=""))) == [(2, "type", str(REQUIRED))]
    validation = check(row(type=""), default_kind=Organization.Kind.SME)
    assert validation.rows[0].organization["kind"] == Organization.Kind.SME


def test_legal_name_and_municipality_are_required(world):
    validation = check(row(**{"nom légal": "", "municipalité": ""}))
    assert problems(validation) == [(2, "nom légal", str(REQUIRED)), (2, "municipalité", str(REQUIRED))]


def test_too_long_name_gets_the_same_message_as_the_form(world):
    with pytest.raises(ValidationError) as form_error:
        MaxLengthValidator(255)("x" * 256)
    validation = check(row(**{"nom légal": "x" * 256}))
    assert problems(validation) == [(2, "nom légal", form_error.value.messages[0])]


def test_identifiers_and_contact_use_the_messages_of_the_forms(world):
    validation = check(
        row(
            **{
                "numéro d'organisme de bienfaisance": "123456789RR0001",
                "code postal": "K1A 0B1",
                "site web": "pas une adresse",
                "prénom du contact": "Zoé",
                "nom du contact": "Roy",
                "téléphone du contact": "123",
                "courriel du contact": "zoe@",
                "langue du contact": "espagnol",
                "secteur": "spatial",
            }
        )
    )
    sectors = ", ".join(str(label) for label in Organization.Sector.labels)
    assert problems(validation) == [
        (2, "numéro d'organisme de bienfaisance", str(CHARITY_CHECK_DIGIT)),
        (2, "code postal", str(POSTAL_CODE_NOT_QUEBEC)),
        (2, "secteur", str(SECTOR_UNKNOWN % {"choices": sectors})),
        (2, "site web", str(WEBSITE_INVALID)),
        (2, "courriel du contact", str(EmailValidator.message)),
        (2, "téléphone du contact", str(PHONE_INVALID)),
        (2, "langue du contact", str(LANGUAGE_UNKNOWN)),
    ]


def test_contact_needs_a_first_and_a_last_name(world):
    validation = check(row(**{"courriel du contact": "info@centre.example"}))
    assert problems(validation) == [(2, "prénom du contact", str(REQUIRED)), (2, "nom du contact", str(REQUIRED))]


def test_municipality_by_code_or_by_name_with_its_code(world):
    validation = check(row(municipalité="23027"), row(**{"nom légal": "B", "municipalité": "Montréal (66023)"}))
    assert [checked.organization["municipality"] for checked in validation.rows] == [world.quebec, world.montreal]


def test_unknown_municipality(world):
    assert problems(check(row(municipalité="Atlantide"))) == [(2, "municipalité", str(MUNICIPALITY_UNKNOWN))]
    assert problems(check(row(municipalité="99999"))) == [(2, "municipalité", str(MUNICIPALITY_UNKNOWN))]


def test_ambiguous_municipality_name_is_resolved_by_the_region_column(world):
    lanaudiere = Municipality.objects.get(code="62060")
    validation = check(
        row(municipalité="Saint-Donat"),
        row(**{"nom légal": "B", "municipalité": "saint donat", "région": "Lanaudière"}),
        row(**{"nom légal": "C", "municipalité": "Saint-Donat", "région": "14"}),
        row(**{"nom légal": "D", "municipalité": "Saint-Donat", "région": "Montréal"}),
        row(**{"nom légal": "E", "municipalité": "Saint-Donat", "région": "Atlantide"}),
    )
    choices = "Saint-Donat (09030, Bas-Saint-Laurent), Saint-Donat (62060, Lanaudière)"
    assert problems(validation) == [
        (2, "municipalité", str(MUNICIPALITY_AMBIGUOUS % {"choices": choices})),
        (5, "municipalité", str(MUNICIPALITY_NOT_IN_REGION % {"region": "Montréal"})),
        (6, "région", str(REGION_UNKNOWN)),
        (6, "municipalité", str(MUNICIPALITY_AMBIGUOUS % {"choices": choices})),
    ]
    assert validation.rows[1].organization["municipality"] == lanaudiere
    assert validation.rows[2].organization["municipality"] == lanaudiere


def test_same_neq_twice_in_the_file_is_a_problem_on_the_second_line_only(world):
    validation = check(
        row(NEQ="1170000011"),
        row(**{"nom légal": "B", "NEQ": "1170000029"}),
        row(**{"nom légal": "C", "NEQ": "117-000-0011"}),
    )
    assert problems(validation) == [(4, "NEQ", str(DUPLICATE_NEQ_IN_FILE % {"line": 2}))]


def test_same_charity_number_twice_in_the_file(world):
    number = {"numéro d'organisme de bienfaisance": "123456782 RR 0001"}
    validation = check(row(**number), row(**{"nom légal": "B", **number}))
    assert problems(validation) == [
        (3, "numéro d'organisme de bienfaisance", str(DUPLICATE_CHARITY_IN_FILE % {"line": 2}))
    ]


def test_identifiers_already_registered_name_the_existing_organization(world):
    existing = OrganizationFactory(legal_name="Déjà là", neq="1170000011", charity_number="123456782RR0001")
    validation = check(
        row(NEQ="1170000011"), row(**{"nom légal": "B", "numéro d'organisme de bienfaisance": "123456782RR0001"})
    )
    assert problems(validation) == [
        (2, "NEQ", str(DUPLICATE_NEQ % {"name": existing})),
        (3, "numéro d'organisme de bienfaisance", str(DUPLICATE_CHARITY % {"name": existing})),
    ]


def test_same_name_in_the_same_municipality_without_neq_is_a_duplicate(world):
    validation = check(
        row(**{"nom légal": "CARREFOUR D’ENTRAIDE DE MONTREAL"}),
        row(**{"nom légal": "Carrefour d'entraide de Montréal", "municipalité": "Québec"}),
        row(**{"nom légal": "Nouveau centre"}),
        row(**{"nom légal": "Nouveau-Centre"}),
    )
    assert problems(validation) == [
        (2, "nom légal", str(DUPLICATE_NAME % {"municipality": "Montréal", "name": world.org_montreal})),
        (5, "nom légal", str(DUPLICATE_NAME_IN_FILE % {"line": 4})),
    ]


def test_usual_names_count_when_looking_for_the_same_organization(world):
    known_as = OrganizationFactory(
        legal_name="Corporation fictive 123", usual_name="Le Phare", municipality=world.quebec
    )
    validation = check(
        row(**{"nom légal": "Corporation fictive 123", "nom usuel": "LE PHARE", "municipalité": "Québec"}),
        row(**{"nom légal": "Maison de la famille de Québec", "nom usuel": "La Maison", "municipalité": "Québec"}),
        row(**{"nom légal": "Corporation fictive 123", "municipalité": "Montréal"}),
    )
    assert problems(validation) == [
        (2, "nom légal", str(DUPLICATE_NAME % {"municipality": "Québec", "name": known_as})),
        (3, "nom légal", str(DUPLICATE_NAME % {"municipality": "Québec", "name": world.org_quebec})),
    ]


def test_coordinator_cannot_import_organizations_outside_their_regions(world):
    regions = allowed_region_ids(world.coordinator_quebec, world.program.pk)
    assert regions == {world.region_quebec.pk}
    validation = check(
        row(**{"nom légal": "A"}), row(**{"nom légal": "B", "municipalité": "Québec"}), allowed_regions=regions
    )
    assert problems(validation) == [(2, "municipalité", str(OUTSIDE_REGIONS % {"region": "Montréal"}))]
    assert allowed_region_ids(world.manager, world.program.pk) is None
    assert allowed_region_ids(world.admin, world.program.pk) is None


def test_sample_file_of_the_documentation_is_valid(world):
    content = (Path(settings.BASE_DIR) / "docs" / "samples" / "organizations-import.csv").read_bytes()
    validation = validate_table(read_table(content, "organizations-import.csv"))
    assert problems(validation) == []
    assert len(validation.rows) == 8


def test_five_thousand_rows_are_checked_in_seconds_with_a_few_queries(world):
    rows = [
        row(
            **{
                "nom légal": f"Organisme numéro {number}",
                "NEQ": f"11{number:08d}",
                "municipalité": ("Montréal", "Québec", "Rimouski", "43027")[number % 4],
                "prénom du contact": "Zoé",
                "nom du contact": "Roy",
                "courriel du contact": f"zoe{number}@exemple.example",
                "téléphone du contact": "514 555-0123",
            }
        )
        for number in range(5_000)
    ]
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        validation = check(*rows)
    assert time.monotonic() - started < 10
    assert problems(validation) == []
    # Regions, municipalities by code, municipalities by name, NEQs, names: one query each up to 5,000 rows.
    assert len(queries) == 5
