"""Hypothesis strategies: random checklists, profiles, measures, answers and facts."""

from __future__ import annotations

from hypothesis import strategies as st

from app.checklists.definitions import (
    Band,
    Checklist,
    Choice,
    Condition,
    Item,
    MeasureCatalogue,
    Profile,
    ProfileSet,
    Requirement,
    Section,
)
from app.scoring import ItemAnswer
from tests.scoring.scoring_builders import item, measure, t

KEYS = ("l0", "l1", "l2", "l3")

severities = st.dictionaries(st.sampled_from((*KEYS, "general")), st.integers(1, 4), min_size=1)
partial = st.dictionaries(st.sampled_from(KEYS), st.integers(0, 4))


@st.composite
def items(draw, index: int, earlier: list[Item]) -> Item:
    kind = draw(st.sampled_from(["yes_no", "measurement", "choice", "text"]))
    extra: dict = {"not_applicable_allowed": draw(st.booleans())}
    if kind != "text":
        extra["severity"] = draw(severities)
    yes_no_before = [i.id for i in earlier if i.type == "yes_no"]
    conditional = draw(st.sampled_from(["none", "none", "fact", "item"]))
    if conditional == "fact":
        extra["condition"] = Condition(
            kind="fact", target="floor", op="ge", value=draw(st.integers(0, 3))
        )
    elif conditional == "item" and yes_no_before:
        target = draw(st.sampled_from(yes_no_before))
        extra["condition"] = Condition(kind="item", target=target, value=draw(st.booleans()))
    if yes_no_before and draw(st.integers(0, 4)) == 0:
        target = draw(st.sampled_from(yes_no_before))
        extra["satisfied_by"] = Condition(kind="item", target=target, value=True)
    if kind == "yes_no" and draw(st.booleans()):
        extra["register"] = "has_lift"
    if kind == "measurement":
        if draw(st.booleans()):
            extra["requirement"] = Requirement(min=100)
            limits = [90, 70]
        else:
            extra["requirement"] = Requirement(max=100)
            limits = [110, 130]
        count = draw(st.integers(0, 2))
        extra["bands"] = tuple(Band(limit, draw(partial)) for limit in limits[:count])
        extra["bounds"] = (0, 200)
    if kind == "choice":
        extra["choices"] = (
            Choice("ok", t("OK"), passes=True),
            Choice("bad", t("Dårlig"), passes=False),
            Choice("meh", t("Middels"), passes=False, severity=draw(partial)),
        )
    return item(f"i{index}", kind, **extra)


@st.composite
def catalogues(draw):
    """A random (checklist, profiles, measures) triple over the limitation keys KEYS."""
    built: list[Item] = []
    for index in range(draw(st.integers(1, 9))):
        built.append(draw(items(index, built)))
    checklist = Checklist("rnd", 1, t("Tilfeldig"), (Section("s", t("S"), tuple(built)),))
    weights = st.dictionaries(st.sampled_from(KEYS), st.sampled_from([0, 0.3, 0.5, 1]))
    profiles = ProfileSet(
        version=1,
        suitable_threshold=85,
        min_coverage=0.9,
        profiles=tuple(Profile(f"p{i}", t("P"), draw(weights)) for i in range(3)),
        tolerance=draw(st.sampled_from([0, 2, 4])),
    )
    measures = MeasureCatalogue(
        version=1,
        measures=tuple(
            measure(f"m{it.id}", it.id, draw(st.booleans())) for it in built if draw(st.booleans())
        ),
    )
    return checklist, profiles, measures


def value_for(draw, it: Item):
    if it.type == "yes_no":
        return draw(st.booleans())
    if it.type == "measurement":
        return draw(st.integers(0, 200))
    if it.type == "choice":
        return draw(st.sampled_from(["ok", "bad", "meh"]))
    return "tekst"


def passing_value(it: Item):
    return {"yes_no": True, "measurement": 100, "choice": "ok", "text": "tekst"}[it.type]


@st.composite
def answer_sets(draw, checklist: Checklist) -> dict[str, ItemAnswer]:
    answers = {}
    for it in checklist.items.values():
        mode = draw(st.sampled_from(["value", "value", "missing", "na"]))
        if mode == "value":
            answers[it.id] = ItemAnswer(value_for(draw, it))
        elif mode == "na" and it.not_applicable_allowed:
            answers[it.id] = ItemAnswer(None, True)
    return answers


facts = st.fixed_dictionaries(
    {
        "floor": st.one_of(st.none(), st.integers(0, 4)),
        "has_lift": st.one_of(st.none(), st.booleans()),
    }
)
