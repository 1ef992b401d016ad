"""Address search as index range scans, the same on SQLite and PostgreSQL. Pure: no Flask, no
database.

Every word of a building's address, place and district is stored with each of its suffixes
("asakveien", "sakveien", ..., "en"), so a word typed anywhere in the address ("veien")
is a prefix of some stored term: one B-tree range per typed word, never a scan. House numbers
are stored whole only, so "15" finds 15, 15b and 150 but not 115. A typed unit number
("H0102") matches the unit's number instead.
"""

from __future__ import annotations

import re
import unicodedata

from app.units.importing.records import normalise_address
from app.units.numbering import InvalidUnitNumber, parse_unit_number

TERM_LENGTH = 40
MIN_SUFFIX = 2
_WORD = re.compile(r"\w+")


def words_of(text: str | None) -> list[str]:
    if not text:
        return []
    folded = normalise_address(unicodedata.normalize("NFC", text))
    return [w[:TERM_LENGTH] for w in _WORD.findall(folded)]


def terms_of(address: str, place: str | None = None, district: str | None = None) -> set[str]:
    """The search terms of one building."""
    terms = set()
    for word in words_of(address) + words_of(place) + words_of(district):
        terms.add(word)
        if word[0].isdigit():
            continue
        for start in range(1, len(word) - MIN_SUFFIX + 1):
            terms.add(word[start:])
    return terms


def starting_with(prefix: str) -> tuple[str, str]:
    """The range [low, high) of the strings that start with `prefix`, in code point order
    (SQLite's and PostgreSQL's "C" order): the prefix's last character moved one up closes
    it, so the planners can estimate how many rows fall inside."""
    if not prefix:
        raise ValueError("an empty prefix starts every string")
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:  # surrogates are not characters: skip them
        following = 0xE000
    return prefix, prefix[:-1] + chr(following)


def parse_query(text: str) -> tuple[list[str], str | None]:
    """The address words to find and the unit number, if one was typed ("H0102")."""
    words, number = [], None
    for word in words_of(text):
        if number is None:
            try:
                number = str(parse_unit_number(word))
                continue
            except InvalidUnitNumber:
                pass
        words.append(word)
    return list(dict.fromkeys(words)), number
