"""Marshmallow's and webargs' validation messages in Norwegian bokmål.

The libraries speak English; a user reads these messages next to the field they typed in, so
they are translated here, once, for every problem response (English stays for clients that
ask for it with Accept-Language: en). Unknown messages pass through unchanged.
"""

from __future__ import annotations

import re

EXACT = {
    "Missing data for required field.": "Feltet må fylles ut.",
    "Field may not be null.": "Feltet kan ikke stå tomt.",
    "Unknown field.": "Ukjent felt.",
    "Not a valid integer.": "Skriv et heltall.",
    "Not a valid number.": "Skriv et tall.",
    "Not a valid string.": "Skriv tekst.",
    "Not a valid boolean.": "Velg ja eller nei.",
    "Not a valid datetime.": "Ikke et gyldig tidspunkt.",
    "Not a valid date.": "Ikke en gyldig dato (ÅÅÅÅ-MM-DD).",
    "Not a valid time.": "Ikke et gyldig klokkeslett.",
    "Not a valid UUID.": "Ikke en gyldig UUID.",
    "Not a valid list.": "Ikke en gyldig liste.",
    "Not a valid mapping type.": "Ikke et gyldig objekt.",
    "Not a valid email address.": "Skriv en gyldig e-postadresse.",
    "Not a valid URL.": "Skriv en gyldig nettadresse.",
    "Invalid input type.": "Ugyldig type.",
    "Invalid value.": "Ugyldig verdi.",
    "Invalid JSON body.": "Innholdet er ikke gyldig JSON.",
    "String does not match expected pattern.": "Teksten har feil format.",
    "Not a valid tuple.": "Ikke en gyldig liste.",
    "Special numeric values (nan or infinity) are not permitted.": "Skriv et vanlig tall.",
}

PATTERNS = [
    (r"Must be one of: (.*)\.", r"Må være en av: \1."),
    (r"Length must be between (\S+) and (\S+)\.", r"Lengden må være mellom \1 og \2 tegn."),
    (r"Shorter than minimum length (\S+)\.", r"Må være minst \1 tegn."),
    (r"Longer than maximum length (\S+)\.", r"Kan være høyst \1 tegn."),
    (r"Length must be (\S+)\.", r"Lengden må være \1."),
    (
        r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.",
        r"Må være fra og med \1 til og med \2.",
    ),
    (r"Must be greater than or equal to (\S+)\.", r"Må være minst \1."),
    (r"Must be less than or equal to (\S+)\.", r"Må være høyst \1."),
    (r"Must be greater than (\S+)\.", r"Må være større enn \1."),
    (r"Must be less than (\S+)\.", r"Må være mindre enn \1."),
]
COMPILED = [(re.compile(f"^{p}$"), r) for p, r in PATTERNS]


def translate(message: str) -> str:
    if message in EXACT:
        return EXACT[message]
    for pattern, replacement in COMPILED:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


def translate_errors(errors):
    """The same nesting ({field: [messages]} or deeper), every message translated."""
    if isinstance(errors, dict):
        return {key: translate_errors(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [translate_errors(value) for value in errors]
    return translate(errors) if isinstance(errors, str) else errors
