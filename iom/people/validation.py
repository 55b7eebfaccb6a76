"""Checks on a person's identity and records before anything is stored.

Each validator takes raw values (strings from a form, API or file, or Python
values), returns the clean values, and raises one DomainError listing every
field that is wrong and why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import TextChoices
from django.utils import timezone

from iom.core import bounds
from iom.core.errors import DomainError, FieldProblem
from iom.core.identifiers import (
    IdentifierError,
    normalise_crn,
    normalise_offence_code,
    normalise_pnc_id,
)
from iom.scoring.engine.config import (
    allowed_ogrs3_categories,
    default_config,
    ogrs3_map_reasons,
)

from .models import (
    CaseDateKind,
    CustodyType,
    Disposal,
    Ethnicity,
    EventKind,
    FlagKind,
    Gender,
    GradingSystem,
    IntelCrimeType,
    Nominal,
    OrderKind,
    ProtectionKind,
    Substance,
    WantedKind,
)

GRADES = {
    GradingSystem.FIVE_BY_FIVE: ("ABCDE", "12345", "12345"),
    GradingSystem.THREE_FIVE_TWO: ("123", "ABCDE", "PC"),
}


class Checker:
    """Collects problems while reading fields, then raises them all at once."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.problems: list[FieldProblem] = []
        self.clean: dict[str, Any] = {}

    def fail(self, name: str, message: str) -> None:
        self.problems.append(FieldProblem(name, message))

    def _value(self, name: str) -> Any:
        value = self.raw.get(name)
        return value.strip() if isinstance(value, str) else value

    def text(self, name: str, *, required: bool = False, max_length: int = 200) -> str:
        value = self._value(name)
        value = "" if value is None else str(value)
        problem = bounds.text_problem(value, max_length)
        if required and not value:
            self.fail(name, "Enter a value.")
        elif problem:
            self.fail(name, problem)
            value = value.replace("\x00", "")
        self.clean[name] = value
        return str(value)

    def day(self, name: str, *, required: bool = False) -> date | None:
        value = self._value(name)
        parsed: date | None = None
        if value in (None, ""):
            if required:
                self.fail(name, "Enter a date.")
        elif isinstance(value, date):
            parsed = value
        else:
            try:
                parsed = date.fromisoformat(str(value))
            except ValueError:
                self.fail(name, f"{value!r} is not a real date in the form YYYY-MM-DD.")
        if parsed and parsed > timezone.localdate():
            self.fail(name, "The date cannot be in the future.")
        elif parsed and (problem := bounds.date_problem(parsed, "record")):
            self.fail(name, problem)
        self.clean[name] = parsed
        return parsed

    def future_day(self, name: str) -> date | None:
        """A date that may lie ahead (court dates, expected release)."""
        value = self._value(name)
        if value in (None, ""):
            self.clean[name] = None
            return None
        if isinstance(value, date):
            value = str(value)
        try:
            self.clean[name] = date.fromisoformat(str(value))
        except ValueError:
            self.fail(name, f"{value!r} is not a real date in the form YYYY-MM-DD.")
            self.clean[name] = None
        if self.clean[name] and (problem := bounds.date_problem(self.clean[name], "scheduled")):
            self.fail(name, problem)
        return self.clean[name]  # type: ignore[no-any-return]

    def choice(
        self, name: str, choices: type[TextChoices], *, required: bool = True
    ) -> str:
        value = self._value(name)
        value = "" if value is None else str(value)
        if not value and not required:
            self.clean[name] = ""
            return ""
        if value not in choices.values:
            allowed = ", ".join(str(v) for v in choices.values)
            self.fail(name, f"{value!r} is not one of: {allowed}.")
        self.clean[name] = value
        return value

    def flag(self, name: str) -> bool:
        value = self._value(name)
        truth = value in (True, "true", "True", "1", "on", "yes", 1)
        self.clean[name] = truth
        return truth

    def whole(self, name: str, *, low: int, high: int, required: bool = False) -> int | None:
        value = self._value(name)
        if value in (None, ""):
            if required:
                self.fail(name, "Enter a number.")
            self.clean[name] = None
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(name, f"{value!r} is not a whole number.")
            self.clean[name] = None
            return None
        if not low <= number <= high:
            self.fail(name, f"Must be between {low} and {high}.")
        self.clean[name] = number
        return number

    def offence_code(self, name: str, *, required: bool) -> str:
        value = self._value(name)
        if value in (None, ""):
            if required:
                self.fail(name, "Enter a Home Office offence code.")
            self.clean[name] = ""
            return ""
        try:
            code = normalise_offence_code(str(value))
        except IdentifierError as exc:
            self.fail(name, exc.message)
            code = ""
        self.clean[name] = code
        return code

    def order(self, first: str, second: str, message: str) -> None:
        a, b = self.clean.get(first), self.clean.get(second)
        if a and b and b < a:
            self.fail(second, message)

    def done(self, what: str) -> dict[str, Any]:
        if self.problems:
            raise DomainError(f"The {what} could not be saved.", self.problems)
        return self.clean


# PNC IDs and CRNs are unique across the system, so a clash cannot be hidden altogether;
# with a person the user may not see, the answer is the same for every clash and says
# neither who holds the ID nor that anyone does (a mistyped ID gets the same reply).
HIDDEN_CLASH = {"pnc_id": "This PNC ID cannot be used; ask your IOM coordinator.",
                "crn": "This CRN cannot be used; ask your IOM coordinator."}
SeesPerson = Callable[[Nominal], bool]


def validate_nominal(raw: dict[str, Any], existing: Nominal | None = None, *,
                     can_see: SeesPerson | None = None,
                     hidden: list[tuple[str, int]] | None = None) -> dict[str, Any]:
    """Check a person's identity; ``can_see`` says whom the user may see.

    A PNC ID or CRN held by someone the user may not see (anyone, if ``can_see`` is
    not given) gets the HIDDEN_CLASH message, and (field, holder's id) goes on
    ``hidden`` so the caller can log the attempt.
    """
    c = Checker(raw)
    c.text("forename", required=True, max_length=80)
    c.text("middle_names", max_length=120)
    c.text("surname", required=True, max_length=80)
    c.day("date_of_birth", required=True)
    c.choice("gender", Gender)
    c.choice("ethnicity", Ethnicity, required=False)
    if not c.clean.get("ethnicity"):
        c.clean["ethnicity"] = Ethnicity.NS
    c.choice("primary_substance", Substance, required=False)
    _identifiers(c, existing, can_see, [] if hidden is None else hidden)
    district = raw.get("district")
    if district is not None:
        c.clean["district"] = district
    partnership = raw.get("partnership")
    if partnership is None and existing is None:
        c.fail("partnership", "The partnership is required.")
    elif partnership is not None:
        c.clean["partnership"] = partnership
    return c.done("person")


def _identifiers(c: Checker, existing: Nominal | None, can_see: SeesPerson | None,
                 hidden: list[tuple[str, int]]) -> None:
    others = Nominal.objects.exclude(pk=existing.pk) if existing else Nominal.objects.all()
    for name, normalise in (("pnc_id", normalise_pnc_id), ("crn", normalise_crn)):
        raw = c.raw.get(name)
        if raw in (None, ""):
            c.clean[name] = None
            continue
        try:
            value = normalise(str(raw))
        except IdentifierError as exc:
            c.fail(name, exc.message)
            continue
        holder = others.filter(**{name: value}).first()
        if holder is not None and can_see is not None and can_see(holder):
            c.fail(name, f"{value} is already recorded for another person.")
        elif holder is not None:
            c.fail(name, HIDDEN_CLASH[name])
            hidden.append((name, holder.pk))
        c.clean[name] = value


def _after_birth(c: Checker, nominal: Nominal, name: str) -> None:
    value = c.clean.get(name)
    if value and value < nominal.date_of_birth:
        c.fail(name, "The date cannot be before the person's date of birth.")


def validate_event(raw: dict[str, Any], *, nominal: Nominal) -> dict[str, Any]:
    c = Checker(raw)
    kind = c.choice("kind", EventKind)
    c.day("event_date", required=True)
    c.day("offence_date")
    needs_offence = kind in {EventKind.ARREST, EventKind.CHARGE, EventKind.CONVICTION,
                             EventKind.CAUTION}
    c.offence_code("ho_code", required=needs_offence)
    c.text("description")
    c.choice("disposal", Disposal, required=kind == EventKind.CONVICTION)
    c.text("sentence")
    c.flag("domestic_abuse")
    c.text("court", max_length=120)
    category = c.text("ogrs3_category", max_length=40)
    if category:
        problem = ogrs3_category_problem(category, code=c.clean.get("ho_code", ""), kind=kind)
        if problem:
            c.fail("ogrs3_category", problem)
    c.order("offence_date", "event_date", "The offence cannot be after its "
            f"{kind or 'event'} date.")
    _after_birth(c, nominal, "offence_date")
    _after_birth(c, nominal, "event_date")
    return c.done("offending record")


def ogrs3_categories_for(code: str) -> tuple[str, ...]:
    """The OGRS 3 categories a conviction with this Home Office code may record."""
    return allowed_ogrs3_categories(code or None, default_config().ogrs3)


def ogrs3_category_names() -> dict[str, str]:
    return dict(default_config().ogrs3.offence_names)


def offence_code_name(code: str) -> str:
    """The offence a Home Office code names ("" for a code the reference lacks)."""
    return default_config().offence_names.get(code or "", "")


def ogrs3_category_depends_on(code: str) -> str:
    """In words, what the OGRS 3 category of a conviction with this code depends on."""
    return ogrs3_map_reasons().get(code or "", "")


def ogrs3_category_problem(category: str, *, code: str, kind: str) -> str:
    """Why a conviction with this code cannot record this OGRS 3 category ("" if it can)."""
    names = ogrs3_category_names()
    if kind != EventKind.CONVICTION:
        return "Only a conviction records an OGRS 3 offence category."
    if category not in names:
        return f"{category!r} is not an OGRS 3 offence category."
    allowed = ogrs3_categories_for(code)
    if not allowed:
        return f"Home Office code {code or '(none)'} has no OGRS 3 category to record."
    if category not in allowed:
        return (f"Home Office code {code} is always {names[allowed[0]]} in OGRS 3, "
                f"not {names[category]}.")
    return ""


def ogrs3_category_not_chosen(*, code: str, kind: str) -> str:
    """Why no OGRS 3 category is chosen for this conviction ("" when one is): only a
    conviction whose Home Office code covers more than one category records one."""
    if kind != EventKind.CONVICTION:
        return "Only a conviction records an OGRS 3 offence category."
    allowed = ogrs3_categories_for(code)
    if not allowed:
        return f"Home Office code {code or '(none)'} has no OGRS 3 category to record."
    if len(allowed) == 1:
        return (f"Home Office code {code} is always {ogrs3_category_names()[allowed[0]]} in "
                "OGRS 3: only a code that covers more than one category records one.")
    return ""


def validate_case_date(raw: dict[str, Any], *, nominal: Nominal) -> dict[str, Any]:
    c = Checker(raw)
    c.choice("kind", CaseDateKind)
    if c.future_day("date") is None and "date" not in {p.field for p in c.problems}:
        c.fail("date", "Enter a date.")
    c.offence_code("ho_code", required=False)
    c.text("description")
    c.text("location", max_length=120)
    _after_birth(c, nominal, "date")
    return c.done("court or bail date")


def validate_wanted_missing(raw: dict[str, Any], *, nominal: Nominal) -> dict[str, Any]:
    c = Checker(raw)
    c.choice("kind", WantedKind)
    c.day("start_date", required=True)
    c.day("end_date")
    c.text("reason")
    c.order("start_date", "end_date", "The end date cannot be before the start date.")
    _after_birth(c, nominal, "start_date")
    return c.done("wanted or missing record")


def validate_custody(raw: dict[str, Any], *, nominal: Nominal) -> dict[str, Any]:
    c = Checker(raw)
    kind = c.choice("custody_type", CustodyType)
    c.day("start_date", required=True)
    c.future_day("expected_release_date")
    c.day("actual_release_date")
    c.text("establishment", max_length=120)
    length = c.whole("sentence_length_days", low=1, high=bounds.SENTENCE_DAYS_MOST)
    if length is not None and kind != CustodyType.SENTENCE:
        c.fail("sentence_length_days", "Only a sentence has a length; leave it blank for "
                                       "remand.")
    c.order("start_date", "expected_release_date",
            "The expected release cannot be before custody started.")
    c.order("start_date", "actual_release_date", "Release cannot be before custody started.")
    _after_birth(c, nominal, "start_date")
    return c.done("custody period")


def validate_order(raw: dict[str, Any], *, nominal: Nominal) -> dict[str, Any]:
    c = Checker(raw)
    kind = c.choice("kind", OrderKind)
    c.day("start_date", required=True)
    c.future_day("end_date")
    c.text("requirements", max_length=300)
    # The tag is fitted on release from prison and monitored while on licence (001 s11).
    if c.flag("acquisitive_crime_tag") and kind != OrderKind.LICENCE:
        c.fail("acquisitive_crime_tag", "The electronic monitoring (acquisitive crime) "
                                        "condition is for a licence only.")
    c.order("start_date", "end_date", "The end date cannot be before the start date.")
    _after_birth(c, nominal, "start_date")
    return c.done("order or licence")


def validate_protection(raw: dict[str, Any], *, nominal: Nominal) -> dict[str, Any]:
    c = Checker(raw)
    kind = c.choice("kind", ProtectionKind)
    c.whole("mappa_level", low=1, high=3, required=kind == ProtectionKind.MAPPA)
    c.whole("mappa_category", low=1, high=4)
    c.day("start_date", required=True)
    c.future_day("end_date")
    c.text("notes", max_length=300)
    c.order("start_date", "end_date", "The end date cannot be before the start date.")
    return c.done("public protection record")


def validate_intelligence(raw: dict[str, Any], *, nominal: Nominal) -> dict[str, Any]:
    c = Checker(raw)
    system = c.choice("grading_system", GradingSystem)
    c.day("recorded_date", required=True)
    c.choice("crime_type", IntelCrimeType)
    c.text("summary", required=True, max_length=4000)
    allowed = GRADES.get(system)  # type: ignore[call-overload]
    for name, letters in zip(("source_grade", "intel_grade", "handling_code"),
                             allowed or ("", "", ""), strict=True):
        value = str(raw.get(name) or "").strip().upper()
        if allowed and (len(value) != 1 or value not in letters):
            c.fail(name, f"For {system} grading this must be one of {', '.join(letters)}.")
        c.clean[name] = value
    return c.done("intelligence entry")


def validate_alias(raw: dict[str, Any], *, nominal: Nominal) -> dict[str, Any]:
    c = Checker(raw)
    c.text("forename", required=True, max_length=80)
    c.text("surname", required=True, max_length=80)
    c.day("date_of_birth")
    return c.done("alias")


def validate_address(raw: dict[str, Any], *, nominal: Nominal) -> dict[str, Any]:
    c = Checker(raw)
    c.text("line1", required=True, max_length=120)
    c.text("line2", max_length=120)
    c.text("town", required=True, max_length=80)
    postcode = c.text("postcode", required=True, max_length=10).upper()
    c.clean["postcode"] = postcode
    c.day("from_date", required=True)
    c.day("to_date")
    c.order("from_date", "to_date", "The end date cannot be before the start date.")
    return c.done("address")


def validate_flag(raw: dict[str, Any], *, nominal: Nominal) -> dict[str, Any]:
    c = Checker(raw)
    c.choice("kind", FlagKind)
    c.text("description")
    c.day("start_date", required=True)
    return c.done("flag")
