"""Identifiers that arrive from other agencies: PNC IDs, CRNs and Home Office offence codes.

Every function here is pure (no database, no clock unless you leave ``today`` out) and
returns the one canonical spelling we store, so that two records for the same person or
offence compare equal however a partner typed them.

PNC check character
-------------------
The Police National Computer ID is ``YYYY/NNNNNNNC``: the year the record was created,
a serial number and a check character. The check character is found by

1. taking the last two digits of the year followed by the serial padded to 7 digits,
   read as one integer (``2002/73319`` -> ``020073319``);
2. taking that integer modulo 23;
3. indexing the 23-letter alphabet ``ZABCDEFGHJKLMNPQRTUVWXY`` (A-Z without I, O and S,
   with Z first so that a remainder of 0 gives Z).

Sources, which agree with each other on every step (checked 2026-11):
- ministryofjustice/hmpps-person-record, ``model/identifiers/PNCIdentifier.kt``
  (``PNC.correctModulus``), with test vectors in ``PNCIdentifierTest.kt``;
- the same project's earlier ``validate/PNCIdValidator.kt`` and
  ``IdentifierCheckDigitHandler.kt``;
- a TypeScript port of PNCIdentifier.kt in a ministryofjustice front end
  (``isValidPNC``), and an HMPPS form validator (``pncFormatValidator``).
The short form's century follows the same sources: two-digit years up to this year's
last two digits are 20xx, the rest 19xx.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

PNC_CHECK_ALPHABET = "ZABCDEFGHJKLMNPQRTUVWXY"
PNC_SERIAL_DIGITS = 7
PNC_MAX_SERIAL = 10**PNC_SERIAL_DIGITS - 1
# A sanity bound, not a rule of the PNC: the check character cannot catch a mistyped
# century (it only uses the last two digits of the year), so we refuse absurd years.
EARLIEST_PNC_YEAR = 1900

_PNC_WITH_SLASH = re.compile(r"(?P<year>[0-9]{4}|[0-9]{2})/(?P<serial>[0-9]{1,7})(?P<check>[A-Z])")
# Without a slash the long form needs its full 7-digit serial, otherwise a 2-digit
# year and a short serial could not be told apart from a 4-digit year.
_PNC_LONG_NO_SLASH = re.compile(r"(?P<year>[0-9]{4})(?P<serial>[0-9]{7})(?P<check>[A-Z])")
_PNC_SHORT_NO_SLASH = re.compile(r"(?P<year>[0-9]{2})(?P<serial>[0-9]{1,7})(?P<check>[A-Z])")
_CRN = re.compile(r"[A-Z][0-9]{6}")

_OFFENCE_CODES_CSV = Path(__file__).resolve().parent / "reference" / "offence_codes.csv"


class IdentifierError(ValueError):
    """An identifier that cannot be accepted, with the field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --- PNC ID -------------------------------------------------------------------------


def pnc_check_character(year: int, serial: int) -> str:
    """The check character for a PNC ID with this year and serial number."""
    _require_serial(serial)
    return PNC_CHECK_ALPHABET[((year % 100) * 10**PNC_SERIAL_DIGITS + serial) % 23]


def make_pnc_id(year: int, serial: int) -> str:
    """A PNC ID in canonical long form, ``YYYY/NNNNNNNC``."""
    _require_year(year, latest=9999)
    return f"{year:04d}/{serial:07d}{pnc_check_character(year, serial)}"


def normalise_pnc_id(raw: str, *, today: date | None = None) -> str:
    """The canonical long form of a PNC ID typed in long or short form.

    Accepts ``2002/0073319Z``, ``20020073319Z``, ``02/73319Z`` and ``0273319Z`` (any case,
    surrounding spaces ignored). ``today`` decides the century of a two-digit year and
    the latest year allowed; it defaults to the current UTC date.
    """
    this_year = (today or datetime.now(UTC).date()).year
    year_text, serial_text, check = _split_pnc(raw)
    year = _full_year(int(year_text), this_year) if len(year_text) == 2 else int(year_text)
    _require_year(year, latest=this_year)
    expected = pnc_check_character(year, int(serial_text))
    if check != expected:
        raise IdentifierError(
            "pnc_id",
            f"check character {check!r} is wrong for {raw.strip()!r} (expected {expected})",
        )
    return make_pnc_id(year, int(serial_text))


def _split_pnc(raw: str) -> tuple[str, str, str]:
    text = raw.strip().upper()
    pattern = _PNC_WITH_SLASH if "/" in text else _pnc_pattern_without_slash(text)
    match = pattern.fullmatch(text)
    if match is None:
        raise IdentifierError(
            "pnc_id", f"{raw.strip()!r} is not a PNC ID (expected YYYY/NNNNNNNC or YY/NNNNNNNC)"
        )
    return match["year"], match["serial"], match["check"]


def _pnc_pattern_without_slash(text: str) -> re.Pattern[str]:
    return _PNC_LONG_NO_SLASH if len(text) == 12 else _PNC_SHORT_NO_SLASH


def _full_year(two_digits: int, this_year: int) -> int:
    century = this_year - this_year % 100
    return century + two_digits if two_digits <= this_year % 100 else century - 100 + two_digits


def _require_year(year: int, *, latest: int) -> None:
    if not EARLIEST_PNC_YEAR <= year <= latest:
        raise IdentifierError(
            "pnc_id", f"year {year} is out of range ({EARLIEST_PNC_YEAR} to {latest})"
        )


def _require_serial(serial: int) -> None:
    if not 0 <= serial <= PNC_MAX_SERIAL:
        raise IdentifierError("pnc_id", f"serial {serial} is out of range (0 to {PNC_MAX_SERIAL})")


# --- CRN --------------------------------------------------------------------------


def normalise_crn(raw: str) -> str:
    """A probation case reference number: one letter then six digits, e.g. ``X123456``."""
    text = raw.strip().upper()
    if _CRN.fullmatch(text) is None:
        raise IdentifierError(
            "crn", f"{raw.strip()!r} is not a CRN (expected one letter and six digits)"
        )
    return text


# --- Home Office offence codes ----------------------------------------------------


@cache
def known_offence_codes() -> frozenset[str]:
    """Every Home Office offence code in ``reference/offence_codes.csv``."""
    with _OFFENCE_CODES_CSV.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["ho_code"] for row in csv.DictReader(handle))


@cache
def _offence_code_aliases() -> dict[str, str]:
    # ONS groups homicide under one combined code ("1/4.1/4.10/4.2"); partners record
    # the individual parts, which must land on the same code.
    return {part: code for code in known_offence_codes() if "/" in code for part in code.split("/")}


def normalise_offence_code(raw: str) -> str:
    """A Home Office offence code as spelt in the reference table (``28a`` -> ``28A``)."""
    text = raw.strip().upper()
    code = _offence_code_aliases().get(text, text)
    if code not in known_offence_codes():
        raise IdentifierError("ho_code", f"{raw.strip()!r} is not a known Home Office offence code")
    return code
