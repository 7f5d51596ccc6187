"""Where a candidate's official test results come from, for the eligibility rules.

The training app registers a function (candidate_ids) -> {candidate_id: [ExamResult]} when it loads,
so pathways and placement read official results without importing training (which comes later in
the journey and imports them).
"""

from collections.abc import Callable, Iterable

from jalur.rules.eligibility import ExamResult

ResultsSource = Callable[[Iterable[int]], dict[int, list[ExamResult]]]
_RESULT_SOURCES: list[ResultsSource] = []


def register_results_source(source: ResultsSource) -> None:
    if source not in _RESULT_SOURCES:
        _RESULT_SOURCES.append(source)


def results_for(candidate_ids: Iterable[int]) -> dict[int, list[ExamResult]]:
    """Every registered source's results for each candidate (an empty list for none)."""
    ids = list(candidate_ids)
    merged: dict[int, list[ExamResult]] = {pk: [] for pk in ids}
    for source in _RESULT_SOURCES:
        for pk, rows in source(ids).items():
            merged.setdefault(pk, []).extend(rows)
    return merged
