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


def test_a_place_with_two_names_at_once_is_reported(folder):
    edit(folder / "place_names.csv", "Petrograd,1914-08-31,", "Petrograd,1914-08-20,")
    found = messages(folder)
    assert any(m.startswith("place_names.csv, line 3, column 'valid_from': 'st_petersburg' has two names at once: "
                            "'Petrograd' from 1914-08-20 and 'Saint Petersburg' until 1914-08-30") for m in found), found


def test_a_name_that_ends_before_it_begins_is_reported(folder):
    edit(folder / "place_names.csv", "Leningrad,1924-01-26,1991-09-05", "Leningrad,1924-01-26,1921-09-05")
    found = messages(folder)
    assert any("line 4, column 'valid_until': valid_until (1921-09-05) comes before valid_from (1924-01-26)" in m
               for m in found), found


def test_todays_name_must_be_the_modern_name_in_places(folder):
    edit(folder / "place_names.csv", "again,st_petersburg,Saint Petersburg,", "again,st_petersburg,Sankt-Peterburg,")
    found = messages(folder)
    assert any("line 5, column 'name': 'st_petersburg' is still called 'Sankt-Peterburg'" in m
               and "modern_name in places.csv is 'Saint Petersburg'" in m for m in found), found


def test_a_name_for_an_unknown_place_is_reported(folder):
    edit(folder / "place_names.csv", "spb-petrograd,st_petersburg,", "spb-petrograd,petersburg,")
    found = messages(folder)
    assert any("place_names.csv, line 3, column 'place_id': 'petersburg' is not a place_id in places.csv" in m
               for m in found), found


def test_linked_dates_that_disagree_name_both_records(folder):
    """people.csv says Trotsky's birth is the event 1879-birth, so the two dates must be the same day."""
    edit(folder / "people.csv", "Trotskii,1879-11-07,", "Trotskii,1879-11-08,")
    found = [m for m in messages(folder) if "people:trotsky" in m]
    assert len(found) == 1, messages(folder)
    assert found[0].startswith("people.csv, line 2, column 'born': born 1879-11-08")
    assert "events:1879-birth (events.csv, line 2)" in found[0] and "birth_event" in found[0]
    assert "disagreements.csv" in found[0]


def test_linked_dates_compare_to_the_coarser_precision(folder):
    """Stay 1 is known to the year only: any day of 1879 agrees with the birth event, 1880 does not."""
    edit(folder / "residences.csv", "1,yanovka,1879-11-07,", "1,yanovka,1879-03-01,")
    assert validate_folder(folder) == []
    edit(folder / "residences.csv", "1,yanovka,1879-03-01,", "1,yanovka,1880-03-01,")
    found = messages(folder)
    assert any("residences:1" in m and "compared to the year" in m for m in found), found


def test_a_recorded_disagreement_accepts_linked_dates_that_differ(folder):
    edit(folder / "people.csv", "Trotskii,1879-11-07,", "Trotskii,1879-11-08,")
    edit(folder / "disagreements.csv", "give January 1937.,", "give January 1937.,people:trotsky;events:1879-birth")
    assert validate_folder(folder) == []


def test_a_disagreement_naming_only_one_of_the_records_does_not_excuse_them(folder):
    edit(folder / "people.csv", "Trotskii,1879-11-07,", "Trotskii,1879-11-08,")
    edit(folder / "disagreements.csv", "give January 1937.,", "give January 1937.,people:trotsky")
    assert any("people:trotsky" in m and "disagrees" in m for m in messages(folder))


def test_disagreement_records_must_exist(folder):
    edit(folder / "disagreements.csv", "give January 1937.,", "give January 1937.,events:1879-birth;residences:9")
    found = messages(folder)
    assert len(found) == 1 and "disagreements.csv, line 2, column 'records': 'residences:9' names no record" in found[0], found


def test_a_link_without_the_date_it_agrees_with(folder):
    edit(folder / "residences.csv", "2,st_petersburg,1917-05-17,1918-03-10,day,revolution,,wp-lead,,", "2,st_petersburg,1917-05-17,,day,revolution,,wp-lead,,1917-october")
    found = messages(folder)
    assert any("column 'departure_event': departure_event names events:1917-october but departed is empty" in m for m in found), found


def test_source_scope_must_match_the_document(folder):
    edit(folder / "sources.csv", "Lead section,CC BY-SA 4.0,course", "Lead section,CC BY-SA 4.0,outside")
    edit(folder / "sources.csv", "Coordinates only,CC BY 4.0,outside", "Coordinates only,CC BY 4.0,course")
    found = messages(folder)
    assert any("sources.csv, line 2, column 'scope': scope is 'outside' but the document" in m for m in found), found
    assert any("sources.csv, line 3, column 'scope': scope is 'course' but no document is named" in m for m in found), found


def test_bundled_sources_tell_course_documents_from_outside_ones():
    """The four course documents are the only course sources; the catch-alls for event articles and biographies are gone."""
    from trotsky_edu import load_sources

    sources = load_sources()
    course = sources[sources["scope"] == "course"]
    assert set(course["document"]) == {
        "000_72a8da71f2576c72.txt", "001_65f88580a3841660.txt", "002_226ee57193376cd1.txt", "003_c978ebe89ab41eca.txt",
    }
    assert "wp-event-articles" not in set(sources["source_id"])
    assert "wp-biographies" not in set(sources["source_id"])
    biographies = sources[sources["source_id"].str.startswith("wp-bio-")]
    assert len(biographies) > 50
    assert biographies["title"].str.fullmatch(r'"[^"]+", English Wikipedia').all()
    for source_id in ("trotsky-my-life", "deutscher-prophet-armed", "broue-trotsky", "wp-lead"):
        assert sources.set_index("source_id").loc[source_id, "standpoint"], source_id


def test_bundled_avenida_viena_dates_pass_only_as_a_recorded_disagreement(tmp_path):
    """events.csv dates the move to April 1939 (Wikipedia), residences.csv to May (the Hoover essay)."""
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parents[1] / "data", data)
    edit(data / "disagreements.csv", ",events:1939-move-to-avenida-viena;residences:45;residences:46", ",")
    found = messages(data)
    assert len(found) == 2, found
    assert all("events:1939-move-to-avenida-viena" in m and "compared to the month" in m for m in found)
    assert {"residences:45", "residences:46"} == {key for m in found for key in ("residences:45", "residences:46") if key in m}
