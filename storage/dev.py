"""Developer helper: autogenerate a migration from the models (`make migration m="..."`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from storage.db import MIGRATIONS, Database


def new_migration(message: str) -> None:
    """Diff the models against a scratch SQLite database at head and write a new revision."""
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'scratch.db'}")
        try:
            database.upgrade()
            with database.engine.begin() as connection:
                config = database.alembic_config()
                config.attributes["connection"] = connection
                number = len(list((MIGRATIONS / "versions").glob("[0-9]*.py"))) + 1
                command.revision(config, message=message, autogenerate=True, rev_id=f"{number:04d}")
        finally:
            database.dispose()
