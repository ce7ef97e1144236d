"""Every text in the dashboard's code and templates has a Danish translation."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir

from dashboard.i18n import _, load_catalog
from tests.conftest import REPO

METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]


def _message_ids() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(REPO / "dashboard"),
        method_map=METHODS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_every_dashboard_text_has_a_danish_translation():
    catalog = load_catalog()
    ids = _message_ids()
    assert len(ids) > 200  # the extraction really saw the templates and the code
    missing = sorted(message for message in ids if message not in catalog)
    assert missing == []


def test_the_catalog_holds_no_stale_texts():
    ids = _message_ids()
    stale = sorted(str(m.id) for m in load_catalog() if m.id and m.id not in ids)
    assert stale == []


def test_translations_are_used():
    assert _("Log in") == "Log ind"
    assert _("Key figures") == "Nøgletal"
