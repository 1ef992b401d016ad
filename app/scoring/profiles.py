"""Profile scores and classes: weighted combinations of limitation results (docs/scoring.md).

profile score = sum(w_L * score(L)) / sum(w_L), for ranking; class = the worst class among the
limitations with weight 1 (order: unsuitable, unknown, adaptable, suitable); lower weights
affect the score only. A profile with no weight-1 limitation takes the class of "general", and a
profile without weights (the adult age group) is the general result.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
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
from app.scoring.table import Prepared, ProfileSpec, profile_spec

if TYPE_CHECKING:
    from app.scoring.engine import _Tally

_THIRD = itemgetter(2)  # Unanswered.weight; the record of a (impact, -index, record) entry


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
        spec = cache[cache_key] = profile_spec(key, weights, prepared.keys, prepared.items)
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
    return min((limitations[k].suitability for k in spec.major), key=CLASS_RANK.__getitem__)


def _explain(
    spec: ProfileSpec, tally: _Tally
) -> tuple[tuple[Barrier, ...], tuple[Unanswered, ...]]:
    """Barriers and unanswered items of a profile, by weighted impact (highest first; equal
    impact in checklist order)."""
    # Entries (impact, -item index, record): sorted highest first, equal impact keeps
    # checklist order; indexes are unique, so records are never compared.
    shared = spec.shared_found
    found = [entry for index in tally.shared if (entry := shared[index]) is not None]
    table = spec.items
    at_full = spec.at_full
    for pi, grade, made in tally.built:
        if grade is pi.full_grade:
            impact, worst = at_full[pi.index]
        else:  # graded by a band or a choice
            severities = grade.severities
            impact, worst = 0.0, 0
            for pos, w in table[pi.index]:
                sev = severities[pos]
                if sev:
                    impact += w * sev
                    if sev > worst:
                        worst = sev
        if worst:
            found.append((impact, -pi.index, made[worst]))
    found.sort(reverse=True)
    records = spec.unanswered
    missing = [record for pi in tally.unanswered if (record := records[pi.index]) is not None]
    missing.sort(key=_THIRD, reverse=True)  # stable: equal impact keeps checklist order
    return tuple(map(_THIRD, found)), tuple(missing)


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
        seen = {b.item_id for b in barriers}
        barriers += tuple(b for b in general.barriers if b.item_id not in seen)
    return ProfileResult(
        spec.key,
        score,
        profile_class(spec, limitations, general),
        coverage,
        problem_score,
        barriers,
        unanswered,
        spec.weights,
    )
