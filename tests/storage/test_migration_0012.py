"""Revision 0012 on a database with data: each young person gets their status history from
their creation, a stored "done" becomes the young person's outcome; going back maps the new
outcomes to the nearest old status."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text

from storage import Database

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def rows(database: Database, sql: str) -> list[tuple[object, ...]]:
    with database.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def test_0012_fills_the_history_and_the_outcomes_and_goes_back(empty_url):
    database = Database(empty_url)
    try:
        database.upgrade("0011")
        with database.engine.begin() as connection:
            for person_id, status in ((1, "active"), (2, "ended")):
                connection.execute(
                    text(
                        "INSERT INTO young_person (id, pseudonym, birth_year, status, created_at)"
                        " VALUES (:id, 'P', 2008, :status, :now)"
                    ),
                    {"id": person_id, "status": status, "now": NOW},
                )
            for agreement_id, status in ((1, "done"), (2, "open")):
                connection.execute(
                    text(
                        "INSERT INTO agreement (id, young_person_id, goal, action, responsible,"
                        " deadline, status, done_at, created_at)"
                        " VALUES (:id, 1, 'g', 'a', 'r', :deadline, :status, :done, :now)"
                    ),
                    {
                        "id": agreement_id,
                        "deadline": date(2026, 11, 20),
                        "status": status,
                        "done": NOW if status == "done" else None,
                        "now": NOW,
                    },
                )
        database.upgrade()
        history = rows(
            database,
            "SELECT young_person_id, from_status, to_status, changed_by"
            " FROM person_status_change ORDER BY young_person_id",
        )
        assert history == [(1, None, "active", None), (2, None, "ended", None)]
        assert rows(database, "SELECT outcome_by FROM agreement ORDER BY id") == [
            ("young_person",),
            (None,),
        ]
        with database.engine.begin() as connection:
            connection.execute(text("UPDATE agreement SET status = 'not_done' WHERE id = 1"))
            connection.execute(text("UPDATE agreement SET status = 'dropped' WHERE id = 2"))
        database.downgrade("0011")
        assert rows(database, "SELECT status FROM agreement ORDER BY id") == [
            ("not_yet",),
            ("cancelled",),
        ]
        database.upgrade()
        database.require_current_schema()
    finally:
        database.dispose()
