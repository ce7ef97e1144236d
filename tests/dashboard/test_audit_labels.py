"""Every action the dashboard writes to the audit log has Danish words on /revision."""

from __future__ import annotations

import ast
from pathlib import Path

from dashboard.pages.audit_log import action_label
from tests.conftest import REPO

# Actions made with an f-string: dashboard/pages/offers.py f"{action}_offer".
COMPOSED = {"retire_offer", "restore_offer"}


def written_actions() -> set[str]:
    found = set(COMPOSED)
    for path in Path(REPO / "dashboard").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "audit" and len(node.args) >= 3:
                action = node.args[2]
                if isinstance(action, ast.Constant) and isinstance(action.value, str):
                    found.add(action.value)
    return found


def test_every_audited_action_has_danish_words():
    actions = written_actions()
    assert len(actions) > 30  # the scan found the calls
    assert sorted(a for a in actions if action_label(a) == a) == []
