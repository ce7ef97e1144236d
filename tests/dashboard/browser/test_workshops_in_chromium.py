"""The facilitator's board and projector in Chromium: accessible, and ideas stay text."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.async_api import expect
from sqlalchemy import select

from domain import workshops
from storage.models import Workshop
from tests.dashboard.browser.conftest import axe_violations, log_in

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">klik</a>',
]


async def test_board_and_projector_with_hostile_ideas(page, facilitator, database, clock):
    await log_in(page, facilitator, landing="**/vaerksteder")
    await page.get_by_role("link", name="Nyt ungeværksted").click()
    await page.get_by_label("Titel").fill("Godt ungeliv")
    await page.locator("#opens_day").fill((clock() - timedelta(days=1)).date().isoformat())
    await page.locator("#opens_at").fill("10:00")
    await page.locator("#closes_day").fill((clock() + timedelta(days=2)).date().isoformat())
    await page.locator("#closes_at").fill("10:00")
    await page.get_by_role("button", name="Opret ungeværksted").click()
    await page.wait_for_url(re.compile(r"/vaerksteder/\d+$"))
    assert await axe_violations(page) == []
    await expect(page.get_by_text("Intet vises, før der er mindst 3 idéer")).to_be_visible()
    with database.session() as session:
        workshop = session.scalars(select(Workshop)).one()
        for text in PAYLOADS:
            workshops.add_idea(session, workshop, theme="bolig", text=text, now=clock())
        workshop_id = workshop.id
    await page.reload()
    for text in PAYLOADS:
        await expect(page.locator("p.idea-text", has_text=text)).to_have_text(text)
    assert await axe_violations(page) == []
    await page.goto(f"/vaerksteder/{workshop_id}/projektor")
    for text in PAYLOADS:
        await expect(page.locator("li", has_text=text)).to_have_count(1)
    assert await axe_violations(page) == []
    # Live: a new idea appears on the projector without a reload.
    with database.session() as session:
        workshops.add_idea(
            session,
            session.get(Workshop, workshop_id),
            theme="bolig",
            text="Et nyt ungehus",
            now=clock(),
        )
    await expect(page.locator("li", has_text="Et nyt ungehus")).to_have_count(1, timeout=12_000)
    assert page.dialogs == []
