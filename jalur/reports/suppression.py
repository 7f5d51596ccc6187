"""Small-cell suppression for published figures: no group smaller than five people can be read off.

Primary: every count below the threshold is shown as "<5". Secondary, for a one-dimensional table
with its total: when the suppressed cells together hold fewer people than the threshold, or only one
cell is suppressed, more cells are suppressed (the smallest first) until at least two cells hiding
at least five people are hidden, so no hidden cell can be worked out by subtracting from the total.
A total below the threshold hides the whole table.
"""

from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    label: str
    n: int
    shown: str
    suppressed: bool


@dataclass(frozen=True)
class Table:
    cells: list[Cell]
    total: int
    total_shown: str
    total_suppressed: bool


def hidden_text(threshold: int = THRESHOLD) -> str:
    return f"<{threshold}"


def suppress(rows: list[tuple[str, int]], *, threshold: int = THRESHOLD) -> Table:
    """Suppress a one-dimensional breakdown whose cells add up to its total."""
    total = sum(n for _, n in rows)
    if total < threshold:
        return Table(
            cells=[Cell(label, n, hidden_text(threshold), True) for label, n in rows],
            total=total,
            total_shown=hidden_text(threshold),
            total_suppressed=True,
        )
    hidden = {i for i, (_, n) in enumerate(rows) if n < threshold}
    if hidden:
        # Smallest visible cells first; ties by position, so the result is stable.
        candidates = sorted((n, i) for i, (_, n) in enumerate(rows) if i not in hidden)
        while candidates and (len(hidden) < 2 or sum(rows[i][1] for i in hidden) < threshold):
            hidden.add(candidates.pop(0)[1])
    return Table(
        cells=[
            Cell(label, n, hidden_text(threshold) if i in hidden else str(n), i in hidden)
            for i, (label, n) in enumerate(rows)
        ],
        total=total,
        total_shown=str(total),
        total_suppressed=False,
    )


def suppress_count(n: int, *, threshold: int = THRESHOLD) -> str:
    """A single published count (not part of a table)."""
    return hidden_text(threshold) if n < threshold else str(n)
