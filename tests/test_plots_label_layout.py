"""Labels are stacked and placed so that none overlap."""

from trotsky_edu.plots.label_layout import Box, RowLabel, alignment, place_point_labels, stack_labels


def test_labels_that_do_not_overlap_share_the_bottom_row():
    labels = [RowLabel(x=0, start=0, width=1), RowLabel(x=2, start=2, width=1)]
    assert stack_labels(labels) == [0, 0]


def test_overlapping_labels_go_up_a_row():
    labels = [RowLabel(x=0, start=0, width=3), RowLabel(x=1, start=1, width=3), RowLabel(x=2, start=2, width=3)]
    assert stack_labels(labels) == [0, 1, 2]


def test_a_later_label_fills_a_free_lower_row():
    labels = [RowLabel(x=0, start=0, width=3), RowLabel(x=1, start=1, width=1), RowLabel(x=4, start=4, width=1)]
    assert stack_labels(labels) == [0, 1, 0]


def test_labels_beyond_max_rows_are_left_out():
    labels = [RowLabel(x=0, start=0, width=3)] * 3
    assert stack_labels(labels, max_rows=2) == [0, 1, None]


def test_two_line_labels_take_two_rows():
    labels = [RowLabel(x=0, start=0, width=3, rows=2), RowLabel(x=1, start=1, width=3)]
    assert stack_labels(labels) == [0, 2]


def test_gap_keeps_touching_labels_apart():
    labels = [RowLabel(x=0, start=0, width=1), RowLabel(x=1.05, start=1.05, width=1)]
    assert stack_labels(labels, gap=0.1) == [0, 1]


def test_point_labels_avoid_each_other():
    points = [(0.0, 0.0), (0.3, 0.0)]
    directions = place_point_labels(points, [(0.5, 0.2)] * 2, offset=0.05)
    boxes = []
    for (x, y), (dx, dy) in zip(points, directions):
        cx, cy = x + dx * (0.05 + 0.25), y + dy * (0.05 + 0.1)
        boxes.append(Box(cx - 0.25, cy - 0.1, cx + 0.25, cy + 0.1))
    assert not boxes[0].overlaps(boxes[1])


def test_point_labels_stay_inside_bounds():
    (direction,) = place_point_labels([(0.95, 0.95)], [(0.3, 0.1)], offset=0.02, bounds=Box(0, 0, 1, 1))
    assert direction[0] == -1 and direction[1] == -1


def test_point_labels_go_round_other_marks():
    """A line through the spot a label would take sends it to the next free side."""
    alone = place_point_labels([(0.0, 0.0)], [(1.0, 0.2)], offset=0.1)
    line_above_right = Box(0.05, 0.05, 2.0, 0.4)
    moved = place_point_labels([(0.0, 0.0)], [(1.0, 0.2)], offset=0.1, obstacles=[line_above_right])
    assert alone == [(1, 1)] and moved == [(1, -1)]


def test_a_labels_alignment_puts_its_text_on_the_chosen_side():
    assert alignment((1, 1)) == {"ha": "left", "va": "bottom"}
    assert alignment((-1, 0)) == {"ha": "right", "va": "center"}
    assert alignment((0, -1)) == {"ha": "center", "va": "top"}
