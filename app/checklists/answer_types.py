"""The answer types of checklist items and the operators of conditions: one table.

Everything that depends on the kind of answer an item takes reads it here, by property, never
by type name: the checks of the checklist files (`items.py`, `validation.py`,
`measurefile.py`), the checks of answers (`app/scoring/answers.py`), the judging of answers
(`app/scoring/table.py`), conditions (`app/scoring/conditions.py`) and the API schema. The
table also rides with every checklist version the API serves (`shipped()`, the members
`answer_types` and `operators`), and the phone (`app/pwa/static/js/checklist.js`) judges
answers, draws the answer controls and evaluates conditions from that copy: it has no list of
its own, so the two sides cannot drift apart. tests/checklists/test_answer_types.py holds them
to it. Since the table is part of every served definition, its `fingerprint()` is part of the
definition's ETag: a changed table is a changed definition to every cache that holds one.

Outside this file no code branches on a type's name: the submission check reads `required`,
the explanations and reports read `judged_by` (what the requirement is) and `value` (how a
recorded answer reads), the demo data derives a passing answer from both, and a version
mapping carries choices by `value`. (Names appear as data only: a checklist file's `type`, and
`items.REGISTER_TYPES`, the type each register fact's item has.)

Adding an answer type
---------------------
A type made of the existing properties (a value kind, a way of judging, an input) touches at
most three files:

1. this file: a row in ANSWER_TYPES. Pick its `value` (what an answer is; the server checks
   answers and the phone draws its input by this), `judged_by` (how an answer passes), the
   optional item fields it takes (`allows`) and the ones it must have (`needs`), the operators
   a condition may compare it with, whether a submission needs it answered (`required`), and
   the phone's keyboard and input label. The Norwegian `noun` names it in the checklist
   files' messages;
2. `app/checklists/items.py`, only if its items need a rule of their own beyond `needs` (with
   its message in Norwegian);
3. `docs/checklists.md`: what the type is for and how its answers are judged.

The API schema, the checks of checklist files and answers, the scoring engine, conditions and
the phone follow from the table. A new *value kind* or *way of judging* is new behaviour, not a
new row: it needs code where the kinds are handled (`VALUE_KINDS`, `JUDGED_BY` name them).

Pure Python: nothing here knows about Flask or the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

# What an answer value is: a bool, a number, a whole number, the key of one of the item's
# choices, or free text.
ValueKind = Literal["boolean", "number", "integer", "choice", "text"]
VALUE_KINDS: tuple[str, ...] = ("boolean", "number", "integer", "choice", "text")

# How an answer is judged: "yes" (true passes), "choice" (the chosen choice's `passes`),
# "requirement" (the item's min/max, graded by its bands); None: never judged, rates nothing.
Judged = Literal["yes", "choice", "requirement"]
JUDGED_BY: tuple[str, ...] = ("yes", "choice", "requirement")

# Item fields that only some answer types may carry (`allows`), and what `needs` may name.
TYPE_FIELDS: tuple[str, ...] = ("unit", "bounds", "requirement", "bands", "choices")
NEEDABLE: tuple[str, ...] = (*TYPE_FIELDS, "severity")


@dataclass(frozen=True)
class AnswerType:
    """One answer type: the properties the server and the phone dispatch on."""

    value: ValueKind
    judged_by: Judged | None
    allows: tuple[str, ...]  # of TYPE_FIELDS: the optional fields its items may carry
    needs: tuple[str, ...]  # of NEEDABLE: what every item of the type must have
    operators: tuple[str, ...]  # the condition operators its answers can be compared with
    required: bool  # a submission needs it answered (free text is optional)
    # Norwegian, a compound of «punkt» ("målepunkt"): the checklist files' messages inflect it
    # ("målepunktet", "målepunkter").
    noun: str
    inputmode: str | None  # the phone's keyboard for a typed value (HTML inputmode)
    input_label: str | None  # the phone's label of a typed value (Norwegian)


ANSWER_TYPES: dict[str, AnswerType] = {
    "yes_no": AnswerType(
        value="boolean",
        judged_by="yes",
        allows=(),
        needs=(),
        operators=("eq", "ne"),
        required=True,
        noun="ja/nei-punkt",
        inputmode=None,
        input_label=None,
    ),
    "measurement": AnswerType(
        value="number",
        judged_by="requirement",
        allows=("unit", "bounds", "requirement", "bands"),
        needs=("unit", "requirement", "bounds", "severity"),
        operators=("eq", "ne", "gt", "ge", "lt", "le", "in"),
        required=True,
        noun="målepunkt",
        inputmode="decimal",
        input_label="Målt verdi",
    ),
    "count": AnswerType(
        value="integer",
        judged_by="requirement",
        allows=("unit", "bounds", "requirement", "bands"),
        needs=(),
        operators=("eq", "ne", "gt", "ge", "lt", "le", "in"),
        required=True,
        noun="tellepunkt",
        inputmode="numeric",
        input_label="Antall",
    ),
    "choice": AnswerType(
        value="choice",
        judged_by="choice",
        allows=("choices",),
        needs=(),
        operators=("eq", "ne", "in"),
        required=True,
        noun="flervalgspunkt",
        inputmode=None,
        input_label=None,
    ),
    "text": AnswerType(
        value="text",
        judged_by=None,
        allows=(),
        needs=(),
        operators=("eq", "ne"),
        required=False,
        noun="tekstpunkt",
        inputmode=None,
        input_label="Svar",
    ),
}


@dataclass(frozen=True)
class Operator:
    """One condition operator: `{item|fact: x, <name>: value}`.

    `holds` lists the outcomes of comparing the actual value with the expected one for which
    the operator holds: -1 less, 0 equal, 1 greater. An operator that does not order (`orders`
    false) only tells equal (0) from unequal (1), and takes a bool, a number or a text alike
    (a bool never equals a number); one that orders takes numbers only (anything else:
    undecided). `takes` "list": the value is a non-empty list, and the operator holds when it
    holds for one of its members.
    """

    takes: Literal["value", "list"]
    orders: bool
    holds: tuple[int, ...]


OPERATORS: dict[str, Operator] = {
    "eq": Operator(takes="value", orders=False, holds=(0,)),
    "ne": Operator(takes="value", orders=False, holds=(-1, 1)),
    "gt": Operator(takes="value", orders=True, holds=(1,)),
    "ge": Operator(takes="value", orders=True, holds=(0, 1)),
    "lt": Operator(takes="value", orders=True, holds=(-1,)),
    "le": Operator(takes="value", orders=True, holds=(-1, 0)),
    "in": Operator(takes="list", orders=False, holds=(0,)),
}


def shipped() -> dict[str, Any]:
    """The table as it rides with a checklist version to the phone (JSON-friendly)."""
    return {
        "answer_types": {
            name: {key: list(v) if isinstance(v, tuple) else v for key, v in asdict(t).items()}
            for name, t in ANSWER_TYPES.items()
        },
        "operators": {
            name: {key: list(v) if isinstance(v, tuple) else v for key, v in asdict(o).items()}
            for name, o in OPERATORS.items()
        },
    }


def fingerprint() -> str:
    """A short hash of the shipped table, for the ETag of the definitions that carry it.

    Computed on each call (a tenth of a millisecond, once per request), not kept: what is
    hashed is what `shipped()` gives now, the table the body of the answer carries."""
    text = json.dumps(shipped(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _check_table() -> None:
    """The rows use only known kinds, fields and operators (a typo fails at import)."""
    for name, t in ANSWER_TYPES.items():
        assert t.value in VALUE_KINDS, name
        assert t.judged_by is None or t.judged_by in JUDGED_BY, name
        assert set(t.allows) <= set(TYPE_FIELDS), name
        assert set(t.needs) <= {*t.allows, "severity"}, name
        assert set(t.operators) <= set(OPERATORS), name
        assert t.noun.endswith("punkt"), name
    for name, o in OPERATORS.items():
        assert o.takes in ("value", "list") and set(o.holds) <= {-1, 0, 1}, name


_check_table()
