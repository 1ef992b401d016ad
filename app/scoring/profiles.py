"""Profile scores and classes: weighted combinations of limitation results (docs/scoring.md).

profile score = sum(w_L * score(L)) / sum(w_L), for ranking; class = the worst class among the
limitations with weight 1 (order: unsuitable, unknown, adaptable, suitable); lower weights
affect the score only. A profile with no weight-1 limitation takes the class of "general", and a
profile without weights (the adult age group) is the general result.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING

from app.errors import Unprocessable
from app.scoring.results import (
    CLASS_RANK,
    Barrier,
    LimitationResult,
    ProfileResult,
    SuitabilityClass,
    Unanswered,
)
from app.scoring.table import Prepared, ProfileSpec, new_record, profile_spec

if TYPE_CHECKING:
    from app.scoring.engine import _Tally

_ITEM_ID = attrgetter("item_id")
_FIRST = itemgetter(0)  # the rank of a (rank, record) entry
_SECOND = itemgetter(1)  # its record
_THIRD = itemgetter(2)  # Unanswered.weight


def extra_specs(
    prepared: Prepared, extra_profiles: Mapping[str, Mapping[str, float]]
) -> list[ProfileSpec]:
    """Validate ad-hoc profiles (an applicant's needs) and flatten them for scoring."""
    if not extra_profiles:
        return []
    specs: list[ProfileSpec] = []
    errors: dict[str, list[str]] = {}
    for key, weights in extra_profiles.items():
        problems: list[str] = []
        if key in prepared.profile_specs or key in prepared.key_index:
            problems.append(f"Profilnavnet {key} er allerede i bruk")
        if not isinstance(weights, Mapping):
            errors[key] = [*problems, "Vektene må være et objekt"]
            continue
        parsed: dict[int, float] = {}
        for limitation, weight in weights.items():
            index = prepared.key_index.get(limitation)
            if index is None or index == prepared.general_index:
                problems.append(f"Ukjent funksjonsnedsettelse: {limitation}")
            elif (
                isinstance(weight, bool)
                or not isinstance(weight, int | float)
                or not 0 <= weight <= 1
            ):
                problems.append(f"Vekten for {limitation} må være et tall mellom 0 og 1")
            elif weight > 0:
                parsed[index] = float(weight)
        if problems:
            errors[key] = problems
        else:
            specs.append(_extra_spec(prepared, key, parsed))
    if errors:
        raise Unprocessable("Ugyldige behovsprofiler", errors={"profiles": errors})
    return specs


_EXTRA_SPECS = 512  # ad-hoc profiles kept per prepared table


def _extra_spec(prepared: Prepared, key: str, weights: dict[int, float]) -> ProfileSpec:
    """The flattened ad-hoc profile, built once per prepared table (the same weights in the
    same order give the same spec: the order fixes how the weighted sums add up)."""
    cache = prepared.extra_specs
    cache_key = (key, tuple(weights.items()))
    spec = cache.get(cache_key)
    if spec is None:
        if len(cache) >= _EXTRA_SPECS:
            cache.clear()
        spec = cache[cache_key] = profile_spec(
            key, weights, prepared.keys, prepared.items, prepared.grades
        )
    return spec


def _weighted(
    spec: ProfileSpec, limitations: dict[str, LimitationResult]
) -> tuple[float, float, int]:
    """Weighted mean score and coverage, and the summed problem score, of the profile's
    limitations."""
    score = coverage = 0.0
    problem_score = 0
    for key, _, w in spec.parts:
        result = limitations[key]
        score += w * result.score
        coverage += w * result.coverage
        problem_score += result.problem_score
    # Clamp float rounding (0.3 * 100 * 3 / 0.9 is 100.00000000000001).
    return min(score / spec.total, 100.0), min(coverage / spec.total, 1.0), problem_score


def profile_class(
    spec: ProfileSpec, limitations: dict[str, LimitationResult], general: LimitationResult
) -> SuitabilityClass:
    """The worst class of the weight-1 limitations; the general class when there are none."""
    if not spec.major:
        return general.suitability
    worst: SuitabilityClass = "suitable"  # the best class; a loop, not min(): it is hot
    for key in spec.major:
        suitability = limitations[key].suitability
        if CLASS_RANK[suitability] < CLASS_RANK[worst]:
            worst = suitability
    return worst


def _explain(
    spec: ProfileSpec, tally: _Tally
) -> tuple[tuple[Barrier, ...], tuple[Unanswered, ...]]:
    """Barriers and unanswered items of a profile, by weighted impact (highest first; equal
    impact in checklist order)."""
    # Entries (rank, record), sorted by their rank (ProfileSpec.found_by_grade).
    shared = spec.shared_found
    found = [entry for index in tally.shared if (entry := shared[index]) is not None]
    by_grade = spec.found_by_grade
    for _, grade, records in tally.built:  # one record per severity in grade.levels
        entry = by_grade[grade.index]
        if entry is not None:
            found.append((entry[0], records[entry[1]]))
    found.sort(key=_FIRST)  # the ranks are unique ints: no tuple comparisons
    if not tally.unanswered:
        return tuple(map(_SECOND, found)), ()
    records = spec.unanswered
    missing: list[Unanswered] = []  # a loop, not a comprehension: a few items, no frame
    for pi in tally.unanswered:
        record = records[pi.index]
        if record is not None:
            missing.append(record)
    missing.sort(key=_THIRD, reverse=True)  # stable: equal impact keeps checklist order
    return tuple(map(_SECOND, found)), tuple(missing)


def profile_result(
    prepared: Prepared,
    spec: ProfileSpec,
    limitations: dict[str, LimitationResult],
    general: LimitationResult,
    tally: _Tally,
    explain: bool,
) -> ProfileResult:
    """Score, class and explanation of one profile; no weights means the general result."""
    if not spec.total:
        return ProfileResult(spec.key, *general[1:], {})
    score, coverage, problem_score = _weighted(spec, limitations)
    barriers, unanswered = _explain(spec, tally) if explain else ((), ())
    if explain and not spec.major:  # the class is general's: so are the barriers behind it
        seen = set(map(_ITEM_ID, barriers))
        barriers += tuple([b for b in general.barriers if b.item_id not in seen])
    suitability = profile_class(spec, limitations, general)
    return new_record(
        ProfileResult,
        (spec.key, score, suitability, coverage, problem_score, barriers, unanswered, spec.weights),
    )
