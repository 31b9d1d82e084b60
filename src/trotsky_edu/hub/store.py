"""Where the class service keeps answer events: any database SQLAlchemy reaches, SQLite by default.

The pattern is JupyterHub's own (``c.JupyterHub.db_url``): one URL names the database. The
default is one SQLite file in the service's data folder, opened in write-ahead-log mode, so
the dashboard can read while students write and a crash mid-write leaves the last committed
answers intact. A Kubernetes hub points the URL at PostgreSQL.

Each event has the id the student's kernel gave it; storing an id that is already there
does nothing, so a send retried after a timeout is stored once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text, create_engine, event, select
from sqlalchemy.engine import Engine

metadata = MetaData()
events = Table(
    "answer_events",
    metadata,
    # An event is known by its student and its id: one student's ids can never collide with, or block, another's.
    Column("user", String(255), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("lesson", String(255), nullable=False),
    Column("question_id", String(255), nullable=False),
    Column("action", String(32), nullable=False),
    Column("time", String(64), nullable=False),
    Column("received", Float, nullable=False),
    Column("event", Text, nullable=False),  # the whole event as the kernel sent it, JSON
    Column("size", Integer, nullable=False),
    Index("answer_events_by_user", "user", "lesson"),
)


def sqlite_url(folder: str | Path) -> str:
    """The default database: one SQLite file in ``folder``."""
    return f"sqlite:///{Path(folder).resolve() / 'trotsky-edu-class.sqlite'}"


def connect(url: str) -> Engine:
    """An engine for ``url`` with the table made; SQLite is put in write-ahead-log mode.

    With the log, ``synchronous=NORMAL`` keeps every committed delivery through a crash of
    the service (SIGKILL included: the test kills a writer mid-transaction); only a crash of
    the whole machine can lose the last few, which the students' outboxes still hold. FULL
    would sync the disk on every delivery, and a class submitting at once would queue on it.
    """
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_settings(connection, _record):
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()
    metadata.create_all(engine)
    return engine


@dataclass(frozen=True)
class Stored:
    """What one delivery did: events newly stored, and events already there (a retried send)."""

    stored: int
    duplicates: int
    new: tuple[str, ...] = ()  # the ids of the events stored now, in the delivery's order


def add_events(engine: Engine, user: str, batch: Iterable[dict]) -> Stored:
    """Store ``batch`` (checked events) under ``user``, each id once; all in one transaction."""
    now = datetime.now(timezone.utc).timestamp()
    rows = [{
        "event_id": e["id"], "user": user, "lesson": e["lesson"], "question_id": e["question_id"],
        "action": e["action"], "time": e["time"], "received": now,
        "event": json.dumps(e, ensure_ascii=False, separators=(",", ":")), "size": 0,
    } for e in batch]
    for row in rows:
        row["size"] = len(row["event"])
    total = len(rows)
    if not rows:
        return Stored(0, 0)
    rows = list({row["event_id"]: row for row in rows}.values())  # the same id twice in one delivery
    with engine.begin() as connection:  # one transaction: a delivery is stored whole or not at all
        insert = _insert_ignoring_known(engine)
        if insert is not None:  # one statement for the whole delivery; it returns the ids it stored
            stored = set(connection.execute(insert.returning(events.c.event_id), rows).scalars())
            new = [row["event_id"] for row in rows if row["event_id"] in stored]
        else:  # other databases: leave out the ids already there (a race between two retries fails, and is retried)
            ids = [row["event_id"] for row in rows]
            known = set(connection.scalars(select(events.c.event_id).where(events.c.user == user,
                                                                            events.c.event_id.in_(ids))))
            fresh = [row for row in rows if row["event_id"] not in known]
            if fresh:
                connection.execute(events.insert(), fresh)
            new = [row["event_id"] for row in fresh]
    return Stored(len(new), total - len(new), tuple(new))


def _insert_ignoring_known(engine: Engine):
    """``INSERT ... ON CONFLICT DO NOTHING`` where the database has it (SQLite from 3.35, PostgreSQL), else None.

    With ``RETURNING`` (SQLite 3.35 and later) the rows skipped as already stored return nothing.
    """
    if engine.dialect.name == "sqlite" and sqlite3.sqlite_version_info >= (3, 35):
        from sqlalchemy.dialects.sqlite import insert
    elif engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        return None
    return insert(events).on_conflict_do_nothing(index_elements=[events.c.user, events.c.event_id])


def load_events(engine: Engine, *, user: str | None = None, lessons: Iterable[str] | None = None) -> list[tuple[str, dict]]:
    """``(user, event)`` pairs in the order of the events' own times (one user's, or everyone's)."""
    query = select(events.c.user, events.c.event).order_by(events.c.time, events.c.received)
    if user is not None:
        query = query.where(events.c.user == user)
    if lessons is not None:
        query = query.where(events.c.lesson.in_(list(lessons)))
    with engine.connect() as connection:
        return [(row.user, json.loads(row.event)) for row in connection.execute(query)]
