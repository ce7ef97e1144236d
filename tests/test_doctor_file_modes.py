"""`ungeguide doctor` promises to change nothing: a database file others can read is reported
with the fix, and keeps its mode (the app itself would tighten it on start)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.test_cli_doctor import doctor, fake_api, sound  # noqa: F401 - fixtures


def test_a_database_others_can_read_is_reported_and_left_as_it_is(sound):  # noqa: F811
    database_file = Path(sound["UNGEGUIDE_DATA_DIR"] or "") / "ungeguide.db"
    os.chmod(database_file, 0o644)
    result = doctor(sound)
    assert result.exit_code == 1
    assert f"FAIL Files: {database_file} can be read by others" in result.output
    assert f"chmod 600 {database_file}" in result.output
    assert stat.S_IMODE(database_file.stat().st_mode) == 0o644
