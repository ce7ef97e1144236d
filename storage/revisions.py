"""The schema's revisions without Alembic: the newest migration's id, read from the migration
files, and the id a database is at, read from its `alembic_version` table.

Every start checks that the database is current. Alembic's own machinery for that (its script
directory, which imports every migration, and its migration context) costs about 11 MB of
memory and a few hundred milliseconds to import, for two strings. Anything unusual (a merge,
several heads, a file these patterns cannot read, several rows) answers None, and the caller
asks Alembic instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Connection, inspect, text

_REVISION = re.compile(r"^revision\s*(?::[^=\n]*)?=\s*['\"]([^'\"\n]+)['\"]\s*$", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)
_QUOTED = re.compile(r"^['\"]([^'\"]+)['\"]$")


def head_revision(versions: Path) -> str | None:
    """The one revision no other migration revises; None when that is not simply so."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in versions.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found, down = _REVISION.findall(source), _DOWN.findall(source)
        if len(found) != 1 or len(down) != 1:
            return None
        revisions.add(found[0])
        if down[0] != "None":
            parent = _QUOTED.match(down[0])
            if parent is None:  # a merge (a tuple) or something unusual
                return None
            revised.add(parent.group(1))
    heads = revisions - revised
    if len(heads) != 1 or not revised <= revisions:
        return None
    return heads.pop()


class Unusual(Exception):
    """The version table holds something only Alembic should interpret."""


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None: no migration has run); Unusual for several."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:
        raise Unusual(rows)
    return rows[0] if rows else None
