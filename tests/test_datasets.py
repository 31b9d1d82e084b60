"""The loaders: typed frames, descriptions, filters and clear errors."""

import pandas as pd
import pytest

import trotsky_edu
from trotsky_edu import datasets
from trotsky_edu.datasets import DataError

LOADERS = {name: getattr(trotsky_edu, f"load_{name}") for name in datasets.list_datasets()}


def test_every_dataset_has_an_exported_loader():
    assert set(LOADERS) == set(datasets.list_datasets())
    assert {"events", "people", "places", "residences", "red_army", "offices", "sources", "disagreements"} <= set(LOADERS)


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_loader_returns_declared_types(name):
    frame = LOADERS[name]()
    settings = datasets.read_schema()[name]
    assert len(frame) > 0
    assert list(frame.columns) == list(settings.columns)
    for col in settings.columns.values():
        dtype = frame[col.name].dtype
        if col.type == "date":
            assert pd.api.types.is_datetime64_any_dtype(dtype), col.name
        elif col.type == "category":
            assert isinstance(dtype, pd.CategoricalDtype) and dtype.ordered, col.name
            assert list(dtype.categories) == list(col.categories)
        elif col.type == "int":
            assert dtype == "Int64", col.name
        elif col.type == "list":
            assert frame[col.name].map(lambda v: isinstance(v, list)).all(), col.name


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_every_dataset_is_described(name):
    text = trotsky_edu.describe(name)
    settings = datasets.read_schema()[name]
    assert settings.title in text
    for col in settings.columns.values():
        assert col.description, f"{name}.{col.name} has no description"
        assert f"  {col.name}:" in text


def test_sizes_meet_the_curriculum_minimums():
    assert len(trotsky_edu.load_events()) >= 150
    assert len(trotsky_edu.load_people()) >= 50
    assert len(trotsky_edu.load_places()) >= 45


def test_events_cover_every_lesson_and_the_whole_life():
    events = trotsky_edu.load_events()
    counts = events["lesson"].value_counts()
    assert (counts >= 15).all(), counts
    assert events["date"].min().year == 1879 and events["date"].max().year == 1940
    assert events["date"].is_monotonic_increasing


def test_events_filter_by_lesson():
    exile = trotsky_edu.load_events(lesson="exile")
    assert len(exile) > 0 and set(exile["lesson"]) == {"exile"}
    assert exile["date"].min() >= pd.Timestamp("1928-01-01")


def test_unknown_lesson_lists_the_valid_ones():
    with pytest.raises(ValueError, match="choose one of: early, revolution, civil_war, succession, exile"):
        trotsky_edu.load_events(lesson="war")


def test_unknown_dataset_suggests_list_datasets():
    with pytest.raises(ValueError, match=r"list_datasets\(\)"):
        trotsky_edu.describe("battles")


def test_residences_with_places_have_coordinates():
    stays = trotsky_edu.load_residences(with_places=True)
    assert stays["lat"].notna().all() and stays["lon"].notna().all()
    assert stays["residence_id"].is_monotonic_increasing
    assert stays.iloc[0]["place_id"] == "yanovka" and stays.iloc[-1]["place_id"] == "coyoacan"


def test_known_facts_agree_with_the_sources():
    """A few anchor facts checked against the source documents."""
    people = trotsky_edu.load_people().set_index("person_id")
    assert people.loc["trotsky", "born"] == pd.Timestamp("1879-11-07")
    assert people.loc["trotsky", "died"] == pd.Timestamp("1940-08-21")
    assert people.loc["lenin", "died"] == pd.Timestamp("1924-01-21")
    events = trotsky_edu.load_events().set_index("event_id")
    october = events[events["title"].str.contains("insurrection|October Revolution", case=False)]
    assert pd.Timestamp("1917-11-07") in set(october["date"])


def test_offices_filter_by_person():
    mine = trotsky_edu.load_offices(person="trotsky")
    assert len(mine) >= 4 and set(mine["person_id"]) == {"trotsky"}
    with pytest.raises(ValueError, match="No posts recorded for 'nobody'"):
        trotsky_edu.load_offices(person="nobody")


def _copy_of_the_data(folder):
    folder.mkdir()
    for item in datasets.data_dir().iterdir():
        if item.is_file():
            (folder / item.name).write_bytes(item.read_bytes())
    return folder


def test_a_table_is_read_once_and_every_load_gets_its_own_copy(monkeypatch):
    reads = []
    real = datasets.read_raw
    monkeypatch.setattr(datasets, "read_raw", lambda ds, folder=None: reads.append(ds.name) or real(ds, folder))
    datasets._TABLES.clear()
    first = trotsky_edu.load_people()
    first.loc[0, "name"] = "changed by a student"
    first.loc[0, "roles"].append("changed in place")
    second = trotsky_edu.load_people()
    assert reads == ["people"]
    assert second.loc[0, "name"] != "changed by a student"
    assert "changed in place" not in second.loc[0, "roles"]


def test_an_edited_file_is_read_again_on_the_next_load(tmp_path, monkeypatch):
    folder = _copy_of_the_data(tmp_path / "data")
    monkeypatch.setattr(datasets, "data_dir", lambda: folder)
    first = trotsky_edu.load_events()
    path = folder / "events.csv"
    old_title = first.loc[0, "title"]
    path.write_text(path.read_text(encoding="utf-8").replace(old_title, "A title an instructor wrote", 1),
                    encoding="utf-8")
    assert trotsky_edu.load_events().loc[0, "title"] == "A title an instructor wrote"


def test_records_are_the_table_s_rows_by_id_and_made_again_when_the_file_changes(tmp_path, monkeypatch):
    folder = _copy_of_the_data(tmp_path / "data")
    monkeypatch.setattr(datasets, "data_dir", lambda: folder)
    table = datasets.load_disagreements()
    by_id = datasets.records("disagreements")
    assert list(by_id) == list(table["disagreement_id"])
    row = table.iloc[3]
    assert by_id[row["disagreement_id"]] == row.to_dict()
    assert datasets.records("disagreements") is by_id  # the same dicts while the file is unchanged
    path = folder / "disagreements.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(row["topic"], "A topic an instructor wrote", 1),
                    encoding="utf-8")
    assert datasets.records("disagreements")[row["disagreement_id"]]["topic"] == "A topic an instructor wrote"


def test_records_of_a_broken_file_raise_data_error(tmp_path, monkeypatch):
    broken = _copy_of_the_data(tmp_path / "data")
    (broken / "sources.csv").write_text('source_id,author\n"unclosed,quote\n', encoding="utf-8")
    monkeypatch.setattr(datasets, "data_dir", lambda: broken)
    monkeypatch.setattr("trotsky_edu.validate.data_dir", lambda: broken)
    with pytest.raises(DataError, match="The 'sources' dataset cannot be loaded"):
        datasets.records("sources")


def test_broken_bundled_file_raises_data_error_naming_the_problem(tmp_path, monkeypatch):
    broken = _copy_of_the_data(tmp_path / "data")
    text = (broken / "places.csv").read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(text[1].split(",")[4], "north", 1)
    (broken / "places.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    monkeypatch.setattr(datasets, "data_dir", lambda: broken)
    monkeypatch.setattr("trotsky_edu.validate.data_dir", lambda: broken)
    datasets._bundled_schema.cache_clear()
    with pytest.raises(DataError, match=r"places.csv, line 2, column 'lat': 'north' is not a number"):
        datasets.load_places()
    datasets._bundled_schema.cache_clear()
