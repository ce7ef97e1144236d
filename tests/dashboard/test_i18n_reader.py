"""The dashboard's small .po reader gives exactly the translations Babel gives, and leaves what
it does not read to Babel."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.support import Translations

from dashboard import i18n


def _babel(folder: Path) -> Translations:
    buffer = io.BytesIO()
    write_mo(buffer, i18n.load_catalog(folder))
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


def _strings(translations: Translations) -> dict[object, str]:
    return {key: value for key, value in translations._catalog.items() if key != ""}


def test_the_dashboards_catalogs_read_as_babel_reads_them():
    ours = i18n.load_translations()
    assert _strings(ours) == _strings(_babel(i18n.CATALOGS))
    assert len(_strings(ours)) > 500
    assert ours.ngettext("one", "many", 1) == "one"
    assert ours.ngettext("one", "many", 2) == "many"


def test_fuzzy_obsolete_escaped_multiline_and_repeated_entries(tmp_path):
    (tmp_path / "a.po").write_text(
        '# a comment\nmsgid ""\nmsgstr ""\n"Language: da\\n"\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Gæt"\n\n'
        '#, python-format\nmsgid "%(n)s people"\nmsgstr "%(n)s "\n"personer"\n\n'
        'msgid "Say \\"hi\\"\\n"\nmsgstr "Sig \\"hej\\"\\n"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#~ msgid "Old"\n#~ msgstr "Gammel"\n\n'
        'msgid "Twice"\nmsgstr "Først"\n',
        encoding="utf-8",
    )
    (tmp_path / "b.po").write_text('msgid "Twice"\nmsgstr "Anden"\n', encoding="utf-8")
    ours = i18n.load_translations(tmp_path)
    assert _strings(ours) == _strings(_babel(tmp_path))
    assert ours.gettext("Guess") == "Gæt"  # fuzzy or not, as the merged Babel catalog
    assert ours.gettext("%(n)s people") == "%(n)s personer"
    assert ours.gettext('Say "hi"\n') == 'Sig "hej"\n'
    assert ours.gettext("Old") == "Old"
    assert ours.gettext("Twice") == "Først"


def test_a_plural_entry_is_left_to_babel(tmp_path):
    (tmp_path / "a.po").write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "%(n)s alert"\nmsgid_plural "%(n)s alerts"\n'
        'msgstr[0] "%(n)s alarm"\nmsgstr[1] "%(n)s alarmer"\n',
        encoding="utf-8",
    )
    ours = i18n.load_translations(tmp_path)
    assert ours.ngettext("%(n)s alert", "%(n)s alerts", 1) == "%(n)s alarm"
    assert ours.ngettext("%(n)s alert", "%(n)s alerts", 3) == "%(n)s alarmer"
