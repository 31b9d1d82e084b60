"""Does validate() name the file, line, column and fix for each way an instructor can break a data file?"""

import shutil
from pathlib import Path

import pytest

from trotsky_edu.cli import main
from trotsky_edu.validate import validate_folder

MINIMAL = Path(__file__).parent / "fixtures" / "minimal_data"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the minimal valid data folder that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target, symlinks=False)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture does not contain {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def messages(folder: Path) -> list[str]:
    return [str(p) for p in validate_folder(folder)]


def test_minimal_fixture_is_valid(folder):
    assert validate_folder(folder) == []


def test_bundled_data_is_valid():
    """The shipped data passes its own checks."""
    assert [str(p) for p in validate_folder()] == []


def test_missing_column_names_the_column(folder):
    edit(folder / "places.csv", "place_id,name,modern_name,country,lat,lon,source", "place_id,name,modern_name,country,lat,source")
    found = messages(folder)
    assert any("places.csv, line 1" in m and "'lon' is missing" in m for m in found), found


def test_bad_date_names_line_and_column(folder):
    edit(folder / "events.csv", "1917-11-07,1917-10-25", "1917-13-07,1917-10-25")
    found = messages(folder)
    assert any(m.startswith("events.csv, line 3, column 'date': '1917-13-07' is not a date") for m in found), found


def test_unknown_person_id_is_reported(folder):
    edit(folder / "events.csv", "trotsky;lenin", "trotsky;stalin")
    found = messages(folder)
    assert any("column 'people'" in m and "'stalin' is not a person_id in people.csv" in m for m in found), found


def test_unknown_source_is_reported(folder):
    edit(folder / "places.csv", "gazetteer;wp-lead", "gazetteer;wp-nowhere")
    assert any("'wp-nowhere' is not a source_id in sources.csv" in m for m in messages(folder))


def test_duplicate_id_gives_both_lines(folder):
    edit(folder / "places.csv", "st_petersburg,Petrograd", "yanovka,Petrograd")
    found = messages(folder)
    assert any("places.csv, line 3, column 'place_id'" in m and "first on line 2" in m for m in found), found


def test_empty_file_says_what_header_is_needed(folder):
    (folder / "trials.csv").write_text("", encoding="utf-8")
    found = messages(folder)
    assert any(m.startswith("trials.csv: file is empty") and "record_id,trial,date" in m for m in found), found


def test_missing_file_is_reported(folder):
    (folder / "factions.csv").unlink()
    assert "factions.csv: file is missing — the dataset 'factions' expects it (see datasets.toml)." in messages(folder)


def test_wrong_encoding_is_reported(folder):
    path = folder / "people.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Lenin", "Lénine").encode("latin-1"))
    found = messages(folder)
    assert any(m.startswith("people.csv, line 3: is not UTF-8") for m in found), found


def test_stray_delimiter_suggests_quotes(folder):
    edit(folder / "events.csv", "The Bolsheviks take power in Petrograd.", "The Bolsheviks, led by Lenin, take power.")
    found = messages(folder)
    assert any("events.csv, line 3" in m and "double quotes" in m for m in found), found


def test_unknown_category_lists_allowed_values(folder):
    edit(folder / "events.csv", ",early,", ",childhood,")
    found = messages(folder)
    assert any("'childhood' is not one of the allowed values: early, revolution" in m for m in found), found


def test_event_outside_a_life_is_reported(folder):
    edit(folder / "people.csv", "1870-04-22,1924-01-21", "1870-04-22,1916-01-21")
    found = messages(folder)
    assert any("outside the life of 'lenin'" in m for m in found), found


def test_departure_before_arrival_is_reported(folder):
    edit(folder / "residences.csv", "1917-05-17,1918-03-10", "1917-05-17,1916-03-10")
    assert any("departed (1916-03-10) comes before arrived" in m for m in messages(folder))


def test_old_style_date_must_match_new_style(folder):
    edit(folder / "events.csv", "1917-11-07,1917-10-25", "1917-11-07,1917-10-24")
    assert any("column 'date_os'" in m and "one of the two dates is wrong" in m for m in messages(folder))


def test_required_cell_left_empty(folder):
    edit(folder / "events.csv", ",Born at Yanovka,", ",,")
    assert any("events.csv, line 2, column 'title': is empty but required" in m for m in messages(folder))


def test_cli_validate_exit_codes(folder, capsys):
    assert main(["validate", str(folder)]) == 0
    assert "No problems found." in capsys.readouterr().out
    (folder / "trials.csv").write_text("", encoding="utf-8")
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "trials.csv: file is empty" in err and "1 problem(s) found." in err
    assert "Traceback" not in err


def test_cli_validate_missing_folder(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 1
    assert "datasets.toml: not found" in capsys.readouterr().err


def test_old_style_date_only_for_events_known_to_the_day(folder):
    edit(folder / "events.csv", "1917-11-07,1917-10-25,day", "1917-11-07,1917-10-25,month")
    assert any("not known to the day" in m for m in messages(folder))
