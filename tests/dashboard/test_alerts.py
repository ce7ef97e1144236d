"""The alerts in process: the menu's count, the inbox's states, the alert page and who sees what.

The clock stands at 24 November 2026 13.00 UTC, 14.00 in Copenhagen.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dashboard import labels
from domain.alerts.escalation import escalate_unacknowledged
from domain.alerts.kinds import AlertKind
from domain.alerts.raising import covered_by, raise_alert, stand_in_for
from domain.people import create_young_person
from storage.models import (
    Alert,
    AlertStatus,
    AuditEvent,
    NotificationStatus,
    StaffNotification,
    StaffUser,
)
from tests.auxil.web import log_in, parse, post_form

WORDS = "Jeg kan ikke mere"


def _person(database, clock, coordinator, name="Noor"):
    with database.session() as session:
        return create_young_person(
            session, pseudonym=name, birth_year=2008, now=clock(), coordinator_id=coordinator.id
        ).id


def _raise(database, clock, person_id, kind=AlertKind.CRISIS, *, urgent=True, **fields):
    details = fields.pop("details", {"text": WORDS, "source": "words"})
    with database.session() as session:
        alert = raise_alert(session, person_id, kind, now=clock(), urgent=urgent, details=details)
        for key, value in fields.items():
            setattr(alert, key, value)
        return alert.id


def _set(database, staff, **fields):
    with database.session() as session:
        row = session.get(StaffUser, staff.id)
        for key, value in fields.items():
            setattr(row, key, value)


def _audit(database):
    with database.session() as session:
        return [
            (e.staff_user_id, e.action, e.young_person_ref)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


async def _nav(client):
    page = parse((await client.get("/rapport")).text)
    found = [e for e in page.elements if e.attrs.get("id") == "nav-alerts"]
    return " ".join(found[0].text.split()) if found else None


async def test_the_menu_counts_the_open_alerts_with_the_urgent_ones(
    client, database, clock, coordinator, other_coordinator, admin, facilitator
):
    mine = _person(database, clock, coordinator)
    theirs = _person(database, clock, other_coordinator, name="Ali")
    _raise(database, clock, mine)  # open, urgent
    _raise(database, clock, mine, AlertKind.WHO5_DROP, urgent=False, details={"score": 40})
    _raise(database, clock, mine, status=AlertStatus.ACKNOWLEDGED)
    _raise(database, clock, mine, status=AlertStatus.RESOLVED)
    _raise(database, clock, mine, status=AlertStatus.HELD)
    _raise(database, clock, theirs)
    expected = {
        coordinator: "Alarmer (2 åbne, 1 haster)",
        other_coordinator: "Alarmer (1 åbne, 1 haster)",
        admin: "Alarmer (3 åbne, 2 haster)",
        facilitator: None,
    }
    for staff, nav in expected.items():
        client.cookies.clear()
        await log_in(client, staff)
        assert await _nav(client) == nav, staff.email


async def test_no_open_alerts_shows_no_number(client, database, clock, coordinator):
    _raise(database, clock, _person(database, clock, coordinator), status=AlertStatus.RESOLVED)
    await log_in(client, coordinator)
    assert await _nav(client) == "Alarmer"


async def test_take_then_resolve_with_a_note(client, database, clock, coordinator, admin):
    person_id = _person(database, clock, coordinator)
    alert_id = _raise(database, clock, person_id)
    await log_in(client, coordinator)
    inbox = parse((await client.get("/alarmer")).text)
    card = inbox.by_id(f"alert-{alert_id}")
    assert "Krise-ord" in card.text and "haster" in card.text
    assert WORDS not in inbox.text  # the words only on the alert's own page
    assert "E-mail til Sara Holm er ikke sendt endnu (venter siden kl. 14.00)." in card.text

    clock.advance(minutes=4)
    taken = await post_form(
        client, f"/alarmer/{alert_id}/tag", {"tilbage": "inbox"}, page="/alarmer"
    )
    assert taken.status_code == 303
    assert taken.headers["location"] == f"/alarmer#alert-{alert_id}"
    with database.session() as session:
        alert = session.get(Alert, alert_id)
        assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, coordinator.id)
        assert alert.acknowledged_at == clock()
        mail = session.scalars(select(StaffNotification)).one()
        assert mail.status == NotificationStatus.CANCELLED  # not needed any more
    card = parse((await client.get("/alarmer")).text).by_id(f"alert-{alert_id}")
    assert "Taget af Sara Holm kl. 14.04." in card.text
    assert "ikke sendt: alarmen var allerede taget" in card.text
    assert await _nav(client) == "Alarmer"

    # A second press, by someone else, changes nothing.
    client.cookies.clear()
    await log_in(client, admin)
    again = await post_form(client, f"/alarmer/{alert_id}/tag", {}, page="/alarmer")
    assert again.status_code == 303
    with database.session() as session:
        assert session.get(Alert, alert_id).acknowledged_by == coordinator.id

    client.cookies.clear()
    await log_in(client, coordinator)
    empty = await post_form(client, f"/alarmer/{alert_id}/loes", {"note": "  "}, page="/alarmer")
    assert empty.status_code == 400
    error = parse(empty.text).by_id(f"note-{alert_id}-error")
    assert error.text == "Skriv en kort note (højst 1000 tegn) om, hvad du har gjort."
    long = await post_form(
        client, f"/alarmer/{alert_id}/loes", {"note": "x" * 1001}, page="/alarmer"
    )
    assert long.status_code == 400
    done = await post_form(
        client,
        f"/alarmer/{alert_id}/loes",
        {"note": "Ringet til Noor. Møde i morgen."},
        page="/alarmer",
    )
    assert done.status_code == 303
    with database.session() as session:
        alert = session.get(Alert, alert_id)
        assert (alert.status, alert.resolved_by, alert.note) == (
            AlertStatus.RESOLVED,
            coordinator.id,
            "Ringet til Noor. Møde i morgen.",
        )
    inbox = parse((await client.get("/alarmer")).text)
    assert f"alert-{alert_id}" not in {e.attrs.get("id") for e in inbox.elements}
    everything = parse((await client.get("/alarmer?vis=alle")).text)
    card = everything.by_id(f"alert-{alert_id}")
    assert "Løst af Sara Holm kl. 14.04: Ringet til Noor. Møde i morgen." in " ".join(
        card.text.split()
    )
    actions = [a for _who, a, ref in _audit(database) if ref == person_id]
    assert actions.count("acknowledge_alert") == 1
    assert actions.count("resolve_alert") == 1


async def test_an_open_alert_can_be_resolved_at_once(client, database, clock, coordinator):
    alert_id = _raise(database, clock, _person(database, clock, coordinator), urgent=False)
    await log_in(client, coordinator)
    done = await post_form(
        client, f"/alarmer/{alert_id}/loes", {"note": "Klaret i telefonen."}, page="/alarmer"
    )
    assert done.status_code == 303
    with database.session() as session:
        alert = session.get(Alert, alert_id)
        assert alert.status == AlertStatus.RESOLVED
        assert alert.acknowledged_by == alert.resolved_by == coordinator.id


async def test_urgent_first_then_newest(client, database, clock, coordinator):
    person_id = _person(database, clock, coordinator)
    calm = _raise(database, clock, person_id, AlertKind.WHO5_DROP, urgent=False, details={})
    urgent = _raise(database, clock, person_id, AlertKind.CRISIS_POSSIBLE, details={})
    clock.advance(minutes=1)
    newest = _raise(database, clock, person_id, AlertKind.CANNOT_COME, urgent=False, details={})
    await log_in(client, coordinator)
    page = parse((await client.get("/alarmer")).text)
    order = [e.attrs["id"] for e in page.all("li") if e.attrs.get("id", "").startswith("alert-")]
    assert order == [f"alert-{urgent}", f"alert-{newest}", f"alert-{calm}"]
    card = page.by_id(f"alert-{urgent}")
    assert "Mulig krise: intet klart svar" in card.text
    assert "Botten spurgte, om den unge tænker på at gøre sig selv skade" in card.text


async def test_an_smtp_outage_and_the_escalation_show_on_the_alert(
    client, database, clock, coordinator, other_coordinator
):
    person_id = _person(database, clock, coordinator)
    alert_id = _raise(database, clock, person_id)
    _set(database, other_coordinator, on_duty=True)
    with database.session() as session:
        mail = session.scalars(select(StaffNotification)).one()
        mail.attempts, mail.last_error = 3, "SMTP: Connection refused"
    clock.advance(minutes=31)
    with database.session() as session:
        assert escalate_unacknowledged(session, now=clock()) == 1
        duty = session.scalars(
            select(StaffNotification).where(StaffNotification.kind == "escalation")
        ).one()
        duty.status, duty.sent_at = NotificationStatus.SENT, clock() + timedelta(minutes=1)
    await log_in(client, coordinator)
    card = parse((await client.get("/alarmer")).text).by_id(f"alert-{alert_id}")
    text = " ".join(card.text.split())
    assert (
        "Obs: E-mail til Sara Holm er ikke sendt endnu (venter siden kl. 14.00)."
        " Forsøg indtil nu: 3 (alle fejlede). Seneste fejl: SMTP: Connection refused"
    ) in text
    assert "Sendt videre til vagten kl. 14.31." in text
    assert "E-mail sendt kl. 14.32 til Jonas Berg (vagt)." in text
    page = parse((await client.get(f"/alarmer/{alert_id}")).text)
    history = " ".join(page.all("ol", **{"class": "history"})[0].text.split())
    assert "Forsøg indtil nu: 3" in history and "Jonas Berg (vagt)" in history


async def test_the_alert_page_needs_a_login_and_returns_there(client, database, clock, coordinator):
    alert_id = _raise(database, clock, _person(database, clock, coordinator))
    first = await client.get(f"/alarmer/{alert_id}")
    assert first.status_code == 303
    assert first.headers["location"] == f"/login?next=/alarmer/{alert_id}"
    form = await client.get(first.headers["location"])
    logged_in = await client.post(
        "/login",
        data={
            "csrf": parse(form.text).csrf(),
            "next": f"/alarmer/{alert_id}",
            "email": coordinator.email,
            "password": coordinator.password,
        },
    )
    assert logged_in.headers["location"] == f"/alarmer/{alert_id}"
    page = parse((await client.get(f"/alarmer/{alert_id}")).text)
    assert page.all("h1")[0].text.startswith("Krise-ord")
    assert page.by_id("alert-status").text.startswith("Åben: ingen har taget den endnu")


async def _page_as(client, staff, alert_id):
    client.cookies.clear()
    await log_in(client, staff)
    return await client.get(f"/alarmer/{alert_id}")


async def test_who_may_open_an_alert_and_who_reads_the_words(
    client, database, clock, coordinator, other_coordinator, admin, facilitator
):
    person_id = _person(database, clock, coordinator)
    alert_id = _raise(database, clock, person_id)

    own = await _page_as(client, coordinator, alert_id)
    assert own.status_code == 200
    page = parse(own.text)
    assert page.by_id("words").text == "Det skrev den unge"
    assert WORDS in page.text
    assert page.all("a", href=f"/unge/{person_id}")

    as_admin = await _page_as(client, admin, alert_id)
    assert as_admin.status_code == 200
    assert WORDS not in as_admin.text
    assert "Kun den unges koordinator kan se, hvad den unge skrev." in parse(as_admin.text).text

    for outsider in (other_coordinator, facilitator):
        response = await _page_as(client, outsider, alert_id)
        assert response.status_code == 404, outsider.email
        assert "Noor" not in response.text
        taking = await post_form(client, f"/alarmer/{alert_id}/tag", {}, page="/rapport")
        assert taking.status_code == 404

    views = [(who, action) for who, action, ref in _audit(database) if ref == person_id]
    assert (coordinator.id, "view_crisis_words") in views
    assert (admin.id, "view_alert") in views
    assert (admin.id, "view_crisis_words") not in views
    assert all(who in (coordinator.id, admin.id) for who, _action in views)


async def test_a_duty_list_member_told_about_an_alert_can_open_and_take_it(
    client, database, clock, coordinator, other_coordinator
):
    person_id = _person(database, clock, coordinator)
    alert_id = _raise(database, clock, person_id)
    _set(database, other_coordinator, on_duty=True)
    assert (await _page_as(client, other_coordinator, alert_id)).status_code == 404
    clock.advance(minutes=31)
    with database.session() as session:
        escalate_unacknowledged(session, now=clock())

    response = await _page_as(client, other_coordinator, alert_id)
    assert response.status_code == 200
    page = parse(response.text)
    assert "Noor" in page.text and "Sara Holm" in page.text  # who it is about, and whose
    assert WORDS not in page.text
    assert not page.all("a", href=f"/unge/{person_id}")  # not their young person
    assert (await client.get(f"/unge/{person_id}")).status_code == 404
    assert await _nav(client) == "Alarmer (1 åbne, 1 haster)"
    inbox = parse((await client.get("/alarmer")).text)
    assert "koordinator: Sara Holm" in inbox.by_id(f"alert-{alert_id}").text

    taken = await post_form(
        client, f"/alarmer/{alert_id}/tag", {"tilbage": "side"}, page=f"/alarmer/{alert_id}"
    )
    assert taken.headers["location"] == f"/alarmer/{alert_id}"
    page = parse((await client.get(f"/alarmer/{alert_id}")).text)
    assert page.by_id("alert-status").text == "Taget af Jonas Berg kl. 14.31."
    with database.session() as session:
        assert session.get(Alert, alert_id).acknowledged_by == other_coordinator.id


async def test_a_stand_in_reads_the_words_only_while_the_coordinator_is_away(
    client, database, clock, coordinator, other_coordinator
):
    person_id = _person(database, clock, coordinator)
    alert_id = _raise(database, clock, person_id)
    _set(database, coordinator, absent=True, stand_in_id=other_coordinator.id)
    response = await _page_as(client, other_coordinator, alert_id)
    assert response.status_code == 200
    assert WORDS in response.text
    people = parse((await client.get("/unge")).text)
    assert "Du er stedfortræder for Sara Holm" in people.text
    assert "Noor" in people.by_id("people").text
    assert (await client.get(f"/unge/{person_id}")).status_code == 200
    assert await _nav(client) == "Alarmer (1 åbne, 1 haster)"
    assert (other_coordinator.id, "view_crisis_words", person_id) in _audit(database)

    _set(database, coordinator, absent=False)  # back at work
    assert (await client.get(f"/alarmer/{alert_id}")).status_code == 404
    assert (await client.get(f"/unge/{person_id}")).status_code == 404


async def test_a_held_alert_is_seen_by_nobody(client, database, clock, coordinator, admin):
    alert_id = _raise(
        database, clock, _person(database, clock, coordinator), status=AlertStatus.HELD
    )
    for staff in (coordinator, admin):
        client.cookies.clear()
        await log_in(client, staff)
        assert (await client.get(f"/alarmer/{alert_id}")).status_code == 404
        inbox = parse((await client.get("/alarmer?vis=alle")).text)
        assert f"alert-{alert_id}" not in {e.attrs.get("id") for e in inbox.elements}
        taking = await post_form(client, f"/alarmer/{alert_id}/tag", {}, page="/alarmer")
        assert taking.status_code == 404


async def test_a_talk_topic_shows_the_topic_to_those_who_see_the_young_person(
    client, database, clock, coordinator
):
    alert_id = _raise(
        database,
        clock,
        _person(database, clock, coordinator),
        AlertKind.TALK_TOPIC,
        urgent=False,
        details={"text": "Min lejlighed"},
    )
    await log_in(client, coordinator)
    card = parse((await client.get("/alarmer")).text).by_id(f"alert-{alert_id}")
    assert "Vil tale om noget" in card.text and "Min lejlighed" in card.text


def test_every_alert_kind_and_status_has_danish_words():
    for kind in AlertKind:
        assert labels.alert_kind(kind) != kind.value, kind
    for alert_status in AlertStatus:
        assert labels.alert_status(alert_status) != alert_status.value, alert_status
    for mail_status in NotificationStatus:
        assert labels.notification_status(mail_status) not in (mail_status.value, ""), mail_status
    assert labels.alert_kind("crisis_possible") == "Mulig krise: intet klart svar"


def test_what_a_young_person_wants_to_talk_about_is_in_words():
    feelings = ["feel_sad", "feel_lonely", "feel_stressed", "feel_bad", "bullied", "conflict_home"]
    for about in [*feelings, "safety_question"]:
        assert labels.talk_about(about) != about, about
    assert labels.alert_details({"about": "feel_lonely"}) == "Om: at føle sig ensom"


@pytest.mark.parametrize(
    ("absent", "staff_id", "expected"),
    [
        ({1: 2}, 1, 2),  # 1 is away, 2 stands in
        ({1: 2, 2: 3}, 1, 3),  # the stand-in is away too: their stand-in
        ({1: 2, 2: 1}, 1, None),  # a loop: the duty list
        ({1: None}, 1, None),  # nobody chosen: the duty list
        ({1: 2, 2: 3, 3: 4, 4: 5, 5: 6}, 1, 6),  # five away in a row, then someone
        ({1: 2, 2: 3, 3: 4, 4: 5, 5: 6, 6: 7}, 1, None),  # too long a chain: the duty list
    ],
)
def test_the_stand_in_chain_is_the_one_alerts_follow(absent, staff_id, expected):
    assert stand_in_for(absent, staff_id) == expected


def test_a_stand_in_covers_everyone_whose_chain_ends_with_them():
    assert covered_by({1: 2, 2: 3, 4: 3}, 3) == {1, 2, 4}
    assert covered_by({1: 2, 2: 3}, 2) == set()  # away: covers nobody


async def test_a_crisis_that_followed_a_possible_one_shows_both_texts(
    client, database, clock, coordinator
):
    details = {"text": "Ja", "text_before": "Jeg vil ikke være her mere", "source": "check"}
    alert_id = _raise(database, clock, _person(database, clock, coordinator), details=details)
    await log_in(client, coordinator)
    page = parse((await client.get(f"/alarmer/{alert_id}")).text)
    quotes = [" ".join(q.text.split()) for q in page.all("blockquote")]
    assert quotes == ["Jeg vil ikke være her mere", "Ja"]
