"""The care loop end to end: a crisis text through the real python-telegram-bot, the support
lines at once, an e-mail to the coordinator from the running scheduler within seconds, and
the duty list when nobody acknowledges it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.service.reminders import reminder_composer
from dashboard.mail import render_mail
from domain.alerts.email import send_mail
from domain.alerts.escalation import CarePolicy
from scheduler.dispatcher import Dispatcher
from scheduler.notifier import NOTIFY_EVERY_SECONDS, Notifier
from scheduler.runner import Planner, start_scheduler
from storage.models import StaffRole, StaffUser, YoungPerson
from tests.bot.channels.test_telegram_flow import CHAT, join_and_accept


async def wait_for_mail(smtp_server, count: int, *, within: float) -> None:
    for _ in range(int(within * 10)):
        if len(smtp_server.messages) >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{len(smtp_server.messages)} e-mails, expected {count}")


async def test_a_cry_for_help_reaches_the_coordinator_and_then_the_duty_list(
    channel, fake_api, database, invite, clock, content, smtp_server
):
    person_id, code = invite()
    with database.session() as session:
        kim = StaffUser(
            email="kim@kommune.dk",
            display_name="Kim",
            role=StaffRole.COORDINATOR,
            created_at=clock(),
        )
        vagt = StaffUser(
            email="vagt@kommune.dk",
            display_name="Vagt",
            role=StaffRole.COORDINATOR,
            created_at=clock(),
            on_duty=True,
        )
        session.add_all([kim, vagt])
        session.flush()
        session.get(YoungPerson, person_id).coordinator_id = kim.id
    notifier = Notifier(
        database,
        render=lambda facts: render_mail(
            facts, base_url="https://ug.test", escalate_after=timedelta(minutes=30)
        ),
        mailer=lambda mail: send_mail(smtp_server.settings, mail),
        clock=clock,
        policy=CarePolicy(),
    )
    scheduler = start_scheduler(
        Dispatcher(database, reminder_composer(content), channel, clock=clock),
        Planner(database, content, clock=clock),
        notifier,
    )
    try:
        await join_and_accept(fake_api, code)
        fake_api.user_sends(CHAT, "jeg orker ikke at leve mere")
        await fake_api.wait_for_text(CHAT, "Livslinien: 70 201 201")
        await wait_for_mail(smtp_server, 1, within=NOTIFY_EVERY_SECONDS + 3)
        assert smtp_server.messages[0]["To"] == "kim@kommune.dk"
        assert "leve" not in smtp_server.messages[0].get_content()

        clock.advance(minutes=31)  # nobody pressed "Jeg tager den"
        await wait_for_mail(smtp_server, 2, within=NOTIFY_EVERY_SECONDS + 3)
        assert smtp_server.messages[1]["To"] == "vagt@kommune.dk"
        await asyncio.sleep(NOTIFY_EVERY_SECONDS + 0.5)
        assert len(smtp_server.messages) == 2  # escalated once
    finally:
        scheduler.shutdown(wait=False)
