from hypothesis import given, settings
from hypothesis import strategies as st

from cpims.reports.suppression import augment, suppress, suppression_mask


def test_a_small_cell_and_its_complement_are_hidden():
    table = suppress([[10, 3, 20], [12, 15, 30]], threshold=5)
    # 3 is primary; its row and column then need a second hidden entry each.
    assert table.cells[0][1] is None
    assert table.cells[0][0] is None  # the next smallest in row 0
    assert table.cells[1][1] is None or table.col_totals[1] is None
    assert table.total == 90


def test_a_table_with_no_small_cell_is_untouched():
    table = suppress([[10, 20], [30, 40]], threshold=5)
    assert table.cells == [[10, 20], [30, 40]]
    assert table.row_totals == [30, 70]
    assert table.col_totals == [40, 60]
    assert table.total == 100


def test_a_single_small_area_cannot_be_read_from_the_total():
    table = suppress([[2], [40], [50]], threshold=5)
    assert table.cells[0] == [None]
    # row 0 has cell and total: both hidden; the column needs a second hidden cell.
    assert table.row_totals[0] is None
    assert sum(1 for row in table.cells if row[0] is None) >= 2


matrices = st.integers(1, 5).flatmap(
    lambda width: st.lists(
        st.lists(st.integers(0, 30), min_size=width, max_size=width), min_size=1, max_size=6
    )
)


@settings(max_examples=300, deadline=None)
@given(matrices, st.integers(1, 10))
def test_no_suppressed_entry_is_recoverable_from_one_line(matrix, threshold):
    full = augment(matrix)
    mask = suppression_mask(matrix, threshold)
    height, width = len(full), len(full[0])
    # every small entry (cells and totals) is hidden
    for i in range(height):
        for j in range(width):
            if full[i][j] < threshold:
                assert mask[i][j]
    # a row or column (with its total) never has exactly one hidden entry: subtracting the
    # visible entries from the total never gives one back
    for i in range(height):
        assert sum(mask[i]) != 1
    for j in range(width):
        assert sum(mask[i][j] for i in range(height)) != 1
    # and the published table matches the mask
    shown = suppress(matrix, threshold)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            assert shown.cells[i][j] == (None if mask[i][j] else value)
