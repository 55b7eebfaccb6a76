"""Name keys for search that tolerates typos, spelling variants and aliases.

Each name (and each alias) gets a few keys: the normalised name, its first
three letters, and two phonetic codes (Metaphone and NYSIIS). A search finds
the people who share any key with a word of the query, then ranks them by how
close the whole name is (see ``selectors.search_people``).
"""

from __future__ import annotations

import re
import unicodedata

import jellyfish

from .models import NameKey, Nominal


def normalise(word: str) -> str:
    folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


def word_keys(word: str) -> set[str]:
    plain = normalise(word)
    if not plain:
        return set()
    keys = {f"n:{plain}", f"p:{plain[:3]}"}
    keys.add(f"m:{jellyfish.metaphone(plain)}")
    keys.add(f"y:{jellyfish.nysiis(plain)}")
    return {k[:40] for k in keys}


def name_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,\-']+", text) if normalise(w)]


def refresh_name_keys(nominal: Nominal) -> None:
    """Rebuild a person's search keys from their names and aliases."""
    words = name_words(f"{nominal.forename} {nominal.middle_names} {nominal.surname}")
    for alias in nominal.aliases.all():
        words += name_words(f"{alias.forename} {alias.surname}")
    keys = set().union(*(word_keys(w) for w in words)) if words else set()
    NameKey.objects.filter(nominal=nominal).delete()
    NameKey.objects.bulk_create(NameKey(nominal=nominal, key=k) for k in sorted(keys))
