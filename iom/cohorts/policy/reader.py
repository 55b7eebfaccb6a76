"""Reading one scheme-policy file with errors that name the file, the key and the problem.

The reader is deliberately strict: a misspelt key is refused rather than
ignored, so a policy never silently loses a rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from iom.core.errors import DomainError


class PolicyFileError(DomainError):
    """A scheme-policy file that cannot be used; the message names file, key and problem."""


def policy_error(path: Path, key: str, problem: str) -> PolicyFileError:
    where = f"{path.name}: {key}: " if key else f"{path.name}: "
    return PolicyFileError(message=f"Scheme policy file {where}{problem}", code="bad_policy_file")


class Reader:
    """One table of a policy file, read key by key; ``done()`` refuses keys nobody asked for."""

    def __init__(self, path: Path, data: dict[str, Any], prefix: str = "") -> None:
        self.path, self.data, self.prefix = path, data, prefix
        self.seen: set[str] = set()

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def error(self, key: str, problem: str) -> PolicyFileError:
        return policy_error(self.path, self.name(key), problem)

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required:
                raise self.error(key, "is missing")
            return None
        return self.data[key]

    def text(self, key: str, default: str | None = None) -> str:
        value = self._get(key, default is None)
        if value is None:
            return default or ""
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, "must be a non-empty text")
        return value.strip()

    def number(self, key: str, default: float | None = None) -> float | None:
        value = self._get(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"must be a number, not {value!r}")
        if value < 0:
            raise self.error(key, "must not be negative")
        return float(value)

    def whole(self, key: str, default: int | None = None) -> int:
        value = self._get(key, default is None)
        if value is None:
            assert default is not None
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(key, f"must be a whole number of 0 or more, not {value!r}")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self._get(key, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, "must be true or false")
        return value

    def texts(self, key: str, allowed: frozenset[str] | None = None,
              required: bool = False) -> tuple[str, ...]:
        value = self._get(key, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, "must be a list of texts")
        if allowed is not None and (wrong := sorted(set(value) - allowed)):
            raise self.error(key, f"unknown value(s) {', '.join(wrong)}; "
                                  f"known: {', '.join(sorted(allowed))}")
        return tuple(value)

    def wholes(self, key: str) -> tuple[int, ...]:
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise self.error(key, "must be a list of whole numbers")
        return tuple(value)

    def choice(self, key: str, allowed: frozenset[str], default: str | None = None) -> str:
        value = self.text(key, default)
        if value not in allowed:
            raise self.error(key, f"unknown value {value!r}; known: {', '.join(sorted(allowed))}")
        return value

    def table(self, key: str, required: bool = False) -> Reader | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(key, "must be a table")
        return Reader(self.path, value, f"{self.name(key)}.")

    def tables(self, key: str) -> list[Reader]:
        value = self._get(key, False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(key, "must be a list of tables ([[...]])")
        return [Reader(self.path, v, f"{self.name(key)}[{i}].") for i, v in enumerate(value)]

    def keyed_tables(self, key: str) -> dict[str, Reader]:
        outer = self.table(key)
        if outer is None:
            return {}
        found = {}
        for name in outer.data:
            inner = outer.table(name)
            assert inner is not None
            found[name] = inner
        return found

    def done(self) -> None:
        extra = sorted(set(self.data) - self.seen)
        if extra:
            raise self.error(extra[0], "is not a known key (misspelt?)")
