"""Small-cell suppression for aggregate tables, with complementary suppression.

A table is a matrix of non-negative counts. Its row totals, column totals and grand total are
published too, so they are part of the linear relations an attacker can use: each row of the
*augmented* table (cells plus its total) and each column (cells plus its total) must hold either
no suppressed entry or at least two. A line with exactly one suppressed entry would give it back
by subtraction. Pure functions, no Django.
"""

from dataclasses import dataclass

DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Suppressed:
    """A table with its totals; `None` marks a suppressed entry."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    col_totals: list[int | None]
    total: int | None


def augment(matrix: list[list[int]]) -> list[list[int]]:
    """The matrix with a total column on the right and a total row at the bottom."""
    width = len(matrix[0]) if matrix else 0
    rows = [[*row, sum(row)] for row in matrix]
    bottom = [sum(row[j] for row in matrix) for j in range(width)]
    return [*rows, [*bottom, sum(bottom)]]


def suppression_mask(
    matrix: list[list[int]], threshold: int = DEFAULT_THRESHOLD
) -> list[list[bool]]:
    """Which entries of the augmented table (see `augment`) are suppressed.

    Primary: every entry below `threshold` (totals included: a small total discloses too).
    Complementary: while some row or column has exactly one suppressed entry, also suppress the
    smallest remaining entry of that line (first by position on ties); repeat until stable.
    """
    table = augment(matrix)
    height = len(table)
    width = len(table[0])
    mask = [[value < threshold for value in row] for row in table]
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    lines += [[(i, j) for i in range(height)] for j in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [cell for cell in line if mask[cell[0]][cell[1]]]
            if len(hidden) != 1:
                continue
            visible = [cell for cell in line if not mask[cell[0]][cell[1]]]
            i, j = min(visible, key=lambda c: (table[c[0]][c[1]], c))
            mask[i][j] = True
            changed = True
    return mask


def suppress(matrix: list[list[int]], threshold: int = DEFAULT_THRESHOLD) -> Suppressed:
    """The table and its totals with suppressed entries replaced by `None`."""
    if not matrix or not matrix[0]:
        return Suppressed(
            cells=[[] for _ in matrix],
            row_totals=[0] * len(matrix),
            col_totals=[],
            total=0 if threshold <= 0 else None,
        )
    table = augment(matrix)
    mask = suppression_mask(matrix, threshold)
    shown = [
        [None if hidden else value for value, hidden in zip(row, hidden_row, strict=True)]
        for row, hidden_row in zip(table, mask, strict=True)
    ]
    return Suppressed(
        cells=[row[:-1] for row in shown[:-1]],
        row_totals=[row[-1] for row in shown[:-1]],
        col_totals=shown[-1][:-1],
        total=shown[-1][-1],
    )
