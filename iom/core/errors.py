"""Domain errors that carry the field they are about.

Services raise these; views turn them into form errors and the API into its
JSON error shape, so a user is always told what is wrong and where.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldProblem:
    field: str
    message: str


@dataclass
class DomainError(Exception):
    """A request the domain refuses; nothing has been stored."""

    message: str
    problems: list[FieldProblem] = field(default_factory=list)
    code: str = "invalid"

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        detail = "; ".join(f"{p.field}: {p.message}" for p in self.problems)
        return f"{self.message} ({detail})"

    @classmethod
    def on_field(cls, name: str, message: str, *, code: str = "invalid") -> DomainError:
        return cls(message=message, problems=[FieldProblem(name, message)], code=code)


class Problems:
    """Collects every problem with a request, then refuses it whole: what a service
    checks field by field, so the user is told everything wrong at once."""

    def __init__(self) -> None:
        self.items: list[FieldProblem] = []

    def add(self, field: str, message: str) -> None:
        self.items.append(FieldProblem(field, message))

    def raise_if_any(self, message: str) -> None:
        if self.items:
            raise DomainError(message=message, problems=self.items)


class NotFound(Exception):
    """The record does not exist, or the user may not know that it does.

    Both cases raise the same error so that nobody can learn of a person by
    probing for ids.
    """


class Forbidden(Exception):
    """The user may know the record exists but may not do this to it."""


class ReasonRequired(Exception):
    """The user must give a reason before seeing this person."""

    def __init__(self, nominal_id: int) -> None:
        super().__init__(f"A reason is needed to view person {nominal_id}")
        self.nominal_id = nominal_id
