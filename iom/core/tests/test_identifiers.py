"""PNC IDs, CRNs and Home Office offence codes.

The valid and invalid PNC IDs are the published test vectors of
ministryofjustice/hmpps-person-record (PNCIdentifierTest.kt), so that our check
character agrees with the Ministry of Justice's own implementation.
"""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iom.core.identifiers import (
    IdentifierError,
    known_offence_codes,
    make_pnc_id,
    normalise_crn,
    normalise_offence_code,
    normalise_pnc_id,
    pnc_check_character,
)

TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    "raw",
    [
        "2008/0056560Z",
        "2001/0171310W",
        "2011/0275516Q",
        "2003/0062845E",
        "1981/0154257C",
    ],
)
def test_canonical_pnc_ids_are_kept_as_they_are(raw):
    assert normalise_pnc_id(raw, today=TODAY) == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("20030011985X", "2003/0011985X"),
        ("20120052494Q", "2012/0052494Q"),
        ("19790163001B", "1979/0163001B"),
        ("81/34U", "1981/0000034U"),
        ("02/73319Z", "2002/0073319Z"),
        ("00/223R", "2000/0000223R"),
        ("79/163001B", "1979/0163001B"),
        ("0273319Z", "2002/0073319Z"),
        ("79163001B", "1979/0163001B"),
        ("033Y", "2003/0000003Y"),
        ("  2002/73319z ", "2002/0073319Z"),
    ],
)
def test_other_spellings_become_the_long_form(raw, expected):
    assert normalise_pnc_id(raw, today=TODAY) == expected


@pytest.mark.parametrize("raw", ["20030011985Z", "20120052494O", "20230583843N", "2001/0171310S"])
def test_a_wrong_check_character_is_refused(raw):
    with pytest.raises(IdentifierError, match="check character") as caught:
        normalise_pnc_id(raw, today=TODAY)
    assert caught.value.field == "pnc_id"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "TOTALLYINVALID",
        "1X23/1234567A",
        "1923[1234567A",
        "1923/1Z34567A",
        "1923/1234567AA",
        "1923/12345678A",
        "123/1234567A",
        "2002/Z",
        "2002007331Z",  # eleven digits: neither form
        "\uff12\uff10\uff10\uff12/0073319Z",  # full-width digits are not ASCII digits
    ],
)
def test_a_badly_formed_pnc_id_is_refused(raw):
    with pytest.raises(IdentifierError, match="not a PNC ID"):
        normalise_pnc_id(raw, today=TODAY)


def test_a_year_after_today_is_refused():
    future = make_pnc_id(2027, 1)
    with pytest.raises(IdentifierError, match="year 2027 is out of range"):
        normalise_pnc_id(future, today=TODAY)
    assert normalise_pnc_id(future, today=date(2027, 1, 1)) == future


def test_a_year_before_1900_is_refused():
    with pytest.raises(IdentifierError, match="out of range"):
        make_pnc_id(1899, 1)


def test_the_short_form_century_follows_today():
    # 26 is this century in 2026 but last century in 2025.
    short = make_pnc_id(2026, 12)[2:]
    assert normalise_pnc_id(short, today=TODAY) == make_pnc_id(2026, 12)
    assert normalise_pnc_id(make_pnc_id(1926, 12)[2:], today=date(2025, 1, 1)) == make_pnc_id(
        1926, 12
    )


def test_check_character_uses_year_digits_then_padded_serial():
    # 790163001 mod 23 = 2 -> "B" (alphabet ZABC...), as in 1979/0163001B.
    assert 790163001 % 23 == 2
    assert pnc_check_character(1979, 163001) == "B"
    assert pnc_check_character(2000, 0) == "Z"


@pytest.mark.parametrize("serial", [-1, 10_000_000])
def test_serial_out_of_range_is_refused(serial):
    with pytest.raises(IdentifierError, match="serial"):
        make_pnc_id(2000, serial)


def test_identifier_error_is_a_value_error_with_field_and_message():
    error = IdentifierError("crn", "bad")
    assert isinstance(error, ValueError)
    assert (error.field, error.message, str(error)) == ("crn", "bad", "crn: bad")


@given(
    year=st.integers(min_value=1900, max_value=TODAY.year),
    serial=st.integers(min_value=0, max_value=9_999_999),
)
def test_pnc_round_trip(year, serial):
    pnc = make_pnc_id(year, serial)
    assert normalise_pnc_id(pnc, today=TODAY) == pnc
    assert normalise_pnc_id(pnc.replace("/", "").lower(), today=TODAY) == pnc
    if year > TODAY.year - 100:
        assert normalise_pnc_id(f"{year % 100:02d}/{serial}{pnc[-1]}", today=TODAY) == pnc


@given(
    year=st.integers(min_value=1900, max_value=TODAY.year),
    serial=st.integers(min_value=0, max_value=9_999_999),
    wrong=st.sampled_from("ABCDEFGHJKLMNPQRTUVWXYZ"),
)
def test_every_other_check_character_is_refused(year, serial, wrong):
    pnc = make_pnc_id(year, serial)
    if wrong != pnc[-1]:
        with pytest.raises(IdentifierError):
            normalise_pnc_id(pnc[:-1] + wrong, today=TODAY)


@pytest.mark.parametrize(("raw", "expected"), [("X123456", "X123456"), (" n654321 ", "N654321")])
def test_crn_is_stripped_and_upper_cased(raw, expected):
    assert normalise_crn(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "123456", "XX12345", "X12345", "X1234567", "X12 456", "1234567"]
)
def test_a_badly_formed_crn_is_refused(raw):
    with pytest.raises(IdentifierError, match="not a CRN") as caught:
        normalise_crn(raw)
    assert caught.value.field == "crn"


def test_the_offence_code_table_has_all_136_codes():
    codes = known_offence_codes()
    assert len(codes) == 136
    assert {"28A", "34B", "8N", "46", "92A", "37.2", "105A", "1/4.1/4.10/4.2"} <= codes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("28a", "28A"),
        (" 46 ", "46"),
        ("37.2", "37.2"),
        ("4.1", "1/4.1/4.10/4.2"),
        ("1", "1/4.1/4.10/4.2"),
    ],
)
def test_offence_codes_are_normalised(raw, expected):
    assert normalise_offence_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "28Z", "4.5", "28 A", "1/4.1"])
def test_unknown_offence_codes_are_refused(raw):
    with pytest.raises(IdentifierError, match="not a known Home Office offence code") as caught:
        normalise_offence_code(raw)
    assert caught.value.field == "ho_code"
