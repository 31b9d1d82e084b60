"""Names of people for chart labels, looked up by ``person_id``."""

from __future__ import annotations

import pandas as pd


def people_table(people: pd.DataFrame | None) -> pd.DataFrame:
    """``people`` itself, or the bundled people table."""
    if people is not None:
        return people
    from trotsky_edu.datasets import load_people

    return load_people()


def name_lookup(people: pd.DataFrame) -> dict[str, str]:
    """person_id → name."""
    return dict(zip(people["person_id"].astype(str), people["name"].astype(str)))


def name_of(person_id: str, names: dict[str, str]) -> str:
    """The person's name, or the id itself when the table does not have it."""
    return names.get(person_id, person_id)
