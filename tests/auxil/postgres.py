"""A PostgreSQL server for the tests: TEST_DATABASE_URL if set, else one from the pgserver
package (PostgreSQL binaries from PyPI), so the suite needs nothing but pip. Never skipped."""

from __future__ import annotations

import os
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from storage import normalize_url


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a URL of a server's maintenance database (where CREATE DATABASE can run)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield normalize_url(url)
        return
    with warnings.catch_warnings():
        # platformdirs warns on import when XDG_RUNTIME_DIR is unset (as under root in CI).
        warnings.simplefilter("ignore")
        import pgserver

    with tempfile.TemporaryDirectory(prefix="ungeguide-pg-") as folder:
        server = pgserver.get_server(folder, cleanup_mode="stop")
        yield normalize_url(server.get_uri())


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server, dropped afterwards."""
    name = f"ungeguide_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
