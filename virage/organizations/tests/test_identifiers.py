import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from virage.organizations.identifiers import (
    CHARITY_CHECK_DIGIT,
    CHARITY_INVALID,
    NEQ_INVALID,
    NEQ_UNKNOWN_FORM,
    POSTAL_CODE_INVALID,
    POSTAL_CODE_NOT_QUEBEC,
    luhn_is_valid,
    neq_legal_form,
    normalize_charity_number,
    normalize_neq,
    normalize_postal_code,
)


@pytest.mark.parametrize("raw", ["1141234567", " 114 123 4567 ", "114-123-4567"])
def test_neq_is_normalized_to_ten_digits(raw):
    assert normalize_neq(raw) == "1141234567"


@pytest.mark.parametrize("raw", ["114123456", "11412345678", "11412345AB", "abc"])
def test_neq_with_a_wrong_length_or_letters_is_refused(raw):
    with pytest.raises(ValidationError) as error:
        normalize_neq(raw)
    assert error.value.messages == [str(NEQ_INVALID)]


def test_neq_with_an_unknown_legal_form_prefix_is_refused():
    with pytest.raises(ValidationError) as error:
        normalize_neq("9941234567")
    assert error.value.messages == [str(NEQ_UNKNOWN_FORM)]


def test_the_first_two_digits_of_a_neq_give_the_legal_form():
    with translation.override("en"):
        assert "Partnership" in neq_legal_form("3312345678")
        assert "sole proprietorship" in neq_legal_form("2212345678")
    assert neq_legal_form("") == ""


def test_luhn_accepts_a_valid_business_number_and_refuses_a_changed_digit():
    # 123456782: the classic Luhn example with its check digit.
    assert luhn_is_valid("123456782")
    assert not luhn_is_valid("123456789")


@pytest.mark.parametrize("raw", ["123456782RR0001", "123456782 rr 0001", "123456782-RR-0001"])
def test_charity_number_is_normalized(raw):
    assert normalize_charity_number(raw) == "123456782RR0001"


def test_charity_number_with_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as error:
        normalize_charity_number("123456789RR0001")
    assert error.value.messages == [str(CHARITY_CHECK_DIGIT)]


@pytest.mark.parametrize("raw", ["123456782RC0001", "123456782RR001", "12345678RR0001", "RR0001"])
def test_charity_number_with_a_wrong_shape_is_refused(raw):
    with pytest.raises(ValidationError) as error:
        normalize_charity_number(raw)
    assert error.value.messages == [str(CHARITY_INVALID)]


@pytest.mark.parametrize(("raw", "expected"), [("h2x1y4", "H2X 1Y4"), ("G1R 4S9", "G1R 4S9"), ("j8y-3r5", "J8Y 3R5")])
def test_postal_code_is_normalized(raw, expected):
    assert normalize_postal_code(raw) == expected


@pytest.mark.parametrize("raw", ["H2X1Y", "12345", "D2X 1Y4", "H2X 1O4", "HHH 111"])
def test_malformed_postal_code_is_refused(raw):
    with pytest.raises(ValidationError) as error:
        normalize_postal_code(raw)
    assert error.value.messages == [str(POSTAL_CODE_INVALID)]


def test_postal_code_outside_quebec_is_refused():
    with pytest.raises(ValidationError) as error:
        normalize_postal_code("M5V 2T6")
    assert error.value.messages == [str(POSTAL_CODE_NOT_QUEBEC)]
