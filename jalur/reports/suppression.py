"""Small-cell suppression for published figures: no group smaller than five people can be read off.

Primary: every count below the threshold is hidden and shown as "<5". Secondary, for a
one-dimensional table with its total: when only one cell is hidden, or the hidden cells together
hold fewer people than the threshold, more cells are hidden (the smallest first) until at least two
cells holding at least five people are hidden, so no small cell can be worked out by subtracting the
others from the total. Those extra cells are not small, so they are marked "×" rather than "<5". A
total below the threshold hides the whole table.
"""

from dataclasses import dataclass

THRESHOLD = 5
SECONDARY = "×"


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

    @property
    def has_secondary(self) -> bool:
        return any(cell.shown == SECONDARY for cell in self.cells)


def small(threshold: int = THRESHOLD) -> str:
    return f"<{threshold}"


def suppress(rows: list[tuple[str, int]], *, threshold: int = THRESHOLD) -> Table:
    """Suppress a one-dimensional breakdown whose cells add up to its total."""
    total = sum(n for _label, n in rows)
    if total < threshold:
        return Table(
            cells=[
                Cell(label, n, small(threshold) if n < threshold else SECONDARY, True)
                for label, n in rows
            ],
            total=total,
            total_shown=small(threshold),
            total_suppressed=True,
        )
    primary = {i for i, (_label, n) in enumerate(rows) if n < threshold}
    hidden = set(primary)
    if hidden:
        # Smallest visible cells first; ties by position, so the result is stable.
        visible = sorted((n, i) for i, (_label, n) in enumerate(rows) if i not in hidden)
        while visible and (len(hidden) < 2 or sum(rows[i][1] for i in hidden) < threshold):
            hidden.add(visible.pop(0)[1])
    cells = []
    for i, (label, n) in enumerate(rows):
        shown = small(threshold) if i in primary else SECONDARY if i in hidden else str(n)
        cells.append(Cell(label, n, shown, i in hidden))
    return Table(cells=cells, total=total, total_shown=str(total), total_suppressed=False)
