"""Spot Norwegian national identity numbers (fødselsnummer, D-nummer) in free text.

The product stays pseudonymous: text that contains 11 digits whose two control digits are
valid (mod 11, as the Tax Administration defines them) is refused.
"""

from __future__ import annotations

import re

# Written as people write them: 01019010046, 010190 10046, 010190-10046, 010190.10046,
# 01 01 90 10046, 01.01.90-10046: one optional separator between the date parts and
# before the personal number.
_SEP = r"[ \u00a0.\-/]?"
_CANDIDATE = re.compile(rf"(?<![\d])(\d\d){_SEP}(\d\d){_SEP}(\d\d){_SEP}(\d{{5}})(?![\d])")
_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _control(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


def is_identity_number(digits: str) -> bool:
    """True when the 11 digits carry two valid control digits."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    k1 = _control(d[:9], _K1)
    k2 = _control(d[:10], _K2)
    return k1 == d[9] and k2 == d[10]


def contains_identity_number(text: str | None) -> bool:
    if not text:
        return False
    return any(is_identity_number("".join(parts)) for parts in _CANDIDATE.findall(text))
