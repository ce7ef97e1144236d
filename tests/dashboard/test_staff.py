"""Staff, the duty list and absence (/personale): who may change what, the errors, the audit."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from storage.models import AuditEvent, StaffUser
from tests.auxil.web import log_in, parse, post_form


def _staff(database, staff):
    with database.session() as session:
        row = session.get(StaffUser, staff.id)
        return row.on_duty, row.absent, row.stand_in_id


def _audit(database):
    with database.session() as session:
        return [
            (e.staff_user_id, e.action, e.detail)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action.startswith("change_")
        ]


async def test_an_admin_sets_the_duty_list_and_an_absence(
    client, database, admin, coordinator, other_coordinator, facilitator
):
    await log_in(client, admin)
    page = parse((await client.get("/personale")).text)
    assert "Ingen er på vagtlisten." in page.text
    for staff in (admin, coordinator, other_coordinator, facilitator):
        page.by_id(f"staff-{staff.id}")
    # A facilitator has no form: they cannot stand in or be on duty.
    assert not page.all("form", action=f"/personale/{facilitator.id}")

    on_duty = await post_form(
        client, f"/personale/{other_coordinator.id}", {"on_duty": "ja"}, page="/personale"
    )
    assert on_duty.status_code == 303
    away = await post_form(
        client,
        f"/personale/{coordinator.id}",
        {"absent": "ja", "stand_in": str(other_coordinator.id)},
        page="/personale",
    )
    assert away.headers["location"] == f"/personale?gemt={coordinator.id}#staff-{coordinator.id}"
    assert _staff(database, other_coordinator) == (True, False, None)
    assert _staff(database, coordinator) == (False, True, other_coordinator.id)
    page = parse((await client.get(away.headers["location"])).text)
    assert "På vagt nu: Jonas Berg." in page.text
    row = page.by_id(f"staff-{coordinator.id}")
    assert "Fraværende. Alarmerne går til Jonas Berg." in " ".join(row.text.split())
    assert "Gemt." in row.text
    assert _audit(database) == [
        (admin.id, "change_duty", "Jonas Berg: på vagtlisten"),
        (admin.id, "change_absence", "Sara Holm: fraværende, stedfortræder Jonas Berg"),
    ]
    # Saving the same again logs nothing more.
    await post_form(
        client,
        f"/personale/{coordinator.id}",
        {"absent": "ja", "stand_in": str(other_coordinator.id)},
        page="/personale",
    )
    assert len(_audit(database)) == 2


async def test_wrong_stand_ins_are_explained_and_change_nothing(
    client, database, admin, coordinator, other_coordinator, facilitator
):
    await log_in(client, admin)
    url = f"/personale/{coordinator.id}"
    for stand_in in (coordinator.id, facilitator.id, 999999):
        response = await post_form(
            client, url, {"absent": "ja", "stand_in": str(stand_in)}, page="/personale"
        )
        assert response.status_code == 400, stand_in
        error = parse(response.text).by_id(f"stand_in-{coordinator.id}-error")
        assert error.text == "Vælg en anden koordinator eller en administrator."
        field = parse(response.text).by_id(f"stand_in-{coordinator.id}")
        assert field.attrs["aria-invalid"] == "true"
    not_a_number = await post_form(client, url, {"stand_in": "x"}, page="/personale")
    assert not_a_number.status_code == 400
    duty = await post_form(
        client, f"/personale/{facilitator.id}", {"on_duty": "ja"}, page="/personale"
    )
    assert duty.status_code == 400
    assert "Kun koordinatorer og administratorer kan være på vagtlisten." in parse(duty.text).text
    # Each other's stand-in while both away: refused.
    await post_form(
        client,
        f"/personale/{other_coordinator.id}",
        {"absent": "ja", "stand_in": str(coordinator.id)},
        page="/personale",
    )
    loop = await post_form(
        client, url, {"absent": "ja", "stand_in": str(other_coordinator.id)}, page="/personale"
    )
    assert loop.status_code == 400
    assert "Jonas Berg er fraværende og har dig som stedfortræder. Vælg en anden." in loop.text
    assert _staff(database, coordinator) == (False, False, None)
    no_csrf = await client.post(url, data={"absent": "ja"})
    assert no_csrf.status_code == 400
    assert _staff(database, coordinator) == (False, False, None)


async def test_a_coordinator_sets_only_their_own_absence(
    client, database, admin, coordinator, other_coordinator
):
    await log_in(client, coordinator)
    page = parse((await client.get("/personale")).text)
    assert page.all("h1")[0].text == "Mit fravær"
    assert [
        e.attrs["id"] for e in page.all("li") if e.attrs.get("id", "").startswith("staff-")
    ] == [f"staff-{coordinator.id}"]
    assert not page.all("input", name="on_duty")
    away = await post_form(
        client,
        f"/personale/{coordinator.id}",
        {"absent": "ja", "stand_in": str(admin.id), "on_duty": "ja"},
        page="/personale",
    )
    assert away.status_code == 303
    assert _staff(database, coordinator) == (False, True, admin.id)  # on_duty ignored
    other = await post_form(
        client, f"/personale/{other_coordinator.id}", {"absent": "ja"}, page="/personale"
    )
    assert other.status_code == 404
    assert _staff(database, other_coordinator) == (False, False, None)
    back = await post_form(client, f"/personale/{coordinator.id}", {}, page="/personale")
    assert back.status_code == 303
    assert _staff(database, coordinator) == (False, False, None)
    assert [action for _who, action, _detail in _audit(database)] == [
        "change_absence",
        "change_absence",
    ]


async def test_the_menu_links_to_the_page_for_admins_and_coordinators(
    client, admin, coordinator, facilitator
):
    for staff, label in ((admin, "Personale og vagt"), (coordinator, "Mit fravær")):
        client.cookies.clear()
        await log_in(client, staff)
        [link] = parse((await client.get("/rapport")).text).all("a", href="/personale")
        assert link.text == label
    client.cookies.clear()
    await log_in(client, facilitator)
    assert (await client.get("/personale")).status_code == 404


# The accounts' lifecycle (admins only): close, open, role, a new password link.


def _account(database, staff):
    with database.session() as session:
        row = session.get(StaffUser, staff.id)
        return row.role, row.disabled_at is not None, row.password_hash is not None


def _lifecycle(database):
    with database.session() as session:
        return [
            (e.staff_user_id, e.action, e.detail)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action in ("disable_staff", "enable_staff", "change_role", "reset_staff")
        ]


async def _login_answer(client, staff, password=None):
    page = await client.get("/login")
    return await client.post(
        "/login",
        data={
            "csrf": parse(page.text).csrf(),
            "email": staff.email,
            "password": password or staff.password,
        },
    )


async def test_an_admin_closes_and_opens_an_account(client, web, database, admin, coordinator):
    await log_in(client, admin)
    closed = await post_form(client, f"/personale/{coordinator.id}/luk", {}, page="/personale")
    assert closed.headers["location"] == f"/personale?gemt={coordinator.id}#staff-{coordinator.id}"
    assert _account(database, coordinator) == ("coordinator", True, True)
    page = parse((await client.get("/personale")).text)
    state = page.by_id(f"account-{coordinator.id}-state").text
    closed_text = "Lukket siden tirsdag den 24. november 2026: kan ikke logge ind."
    assert closed_text in " ".join(state.split())
    # A closed account cannot log in, and is told so only with the right password.
    async with _other_browser(web) as sara:
        refused = await _login_answer(sara, coordinator)
        assert refused.status_code == 403
        assert "Din konto er lukket. Spørg din administrator." in parse(refused.text).text
        wrong = await _login_answer(sara, coordinator, "ikke-den-rigtige-kode")
        assert "E-mailen eller adgangskoden er ikke rigtig." in parse(wrong.text).text
        opened = await post_form(client, f"/personale/{coordinator.id}/aabn", {}, page="/personale")
        assert opened.status_code == 303
        assert (await _login_answer(sara, coordinator)).status_code == 303
    assert _lifecycle(database) == [
        (admin.id, "disable_staff", "Sara Holm"),
        (admin.id, "enable_staff", "Sara Holm"),
    ]


async def test_the_last_admin_cannot_close_or_demote_themselves(client, database, admin):
    await log_in(client, admin)
    demote = (f"/personale/{admin.id}/rolle", {"role": "coordinator"})
    for url, data in ((f"/personale/{admin.id}/luk", {}), demote):
        refused = await post_form(client, url, data, page="/personale")
        assert refused.status_code == 400
        error = parse(refused.text).by_id(f"account-{admin.id}-error").text
        assert error == (
            "Der skal være mindst én aktiv administrator. Gør en anden til administrator først."
        )
    assert _account(database, admin) == ("admin", False, True)
    assert (await client.get("/revision")).status_code == 200
    assert _lifecycle(database) == []


async def test_a_role_change_applies_from_the_next_login(
    client, database, admin, coordinator, other_coordinator
):
    await log_in(client, admin)
    other = await post_form(
        client, f"/personale/{other_coordinator.id}/rolle", {"role": "admin"}, page="/personale"
    )
    assert other.status_code == 303
    # Now there are two admins, so this admin may become a coordinator; their session ends.
    demoted = await post_form(
        client, f"/personale/{admin.id}/rolle", {"role": "coordinator"}, page="/personale"
    )
    assert demoted.status_code == 303
    assert (await client.get("/personale")).status_code == 303  # to the login
    await log_in(client, admin)
    assert (await client.get("/revision")).status_code == 404
    bogus = await post_form(
        client, f"/personale/{coordinator.id}/rolle", {"role": "boss"}, page="/personale"
    )
    assert bogus.status_code == 404  # not an admin any more: the page does not exist for them
    assert _lifecycle(database) == [
        (admin.id, "change_role", "Jonas Berg: Administrator"),
        (admin.id, "change_role", "Ida Admin: Koordinator"),
    ]


async def test_a_new_password_link_stops_the_old_password(
    client, web, database, admin, coordinator
):
    await log_in(client, admin)
    made = await post_form(client, f"/personale/{coordinator.id}/nulstil", {}, page="/personale")
    assert made.status_code == 200
    page = parse(made.text)
    link = page.by_id("setup-link").attrs["href"]
    assert link.startswith("http://dashboard.test/adgangskode/")
    assert "Den gamle adgangskode virker ikke længere, og Sara Holm er logget ud alle steder." in (
        page.text
    )
    assert _account(database, coordinator) == ("coordinator", False, False)
    async with _other_browser(web) as sara:
        assert (await _login_answer(sara, coordinator)).status_code == 400
        url = link.removeprefix("http://dashboard.test")
        for password, message in (
            ("kort-kode", "Brug mindst 12 tegn."),
            ("password1234", "Adgangskoden er for nem at gætte."),
            ("sara.holm.kommune", "Adgangskoden er for nem at gætte."),  # her own e-mail
        ):
            refused = await post_form(sara, url, {"password": password, "repeat": password})
            assert refused.status_code == 400
            assert message in parse(refused.text).by_id("setup-error").text
        new = "blå-cykel-under-æbletræet"
        chosen = await post_form(sara, url, {"password": new, "repeat": new})
        assert chosen.status_code == 303
        assert (await sara.get("/unge")).status_code == 200
        assert (await sara.get(url)).status_code == 404  # the link works once
    assert _lifecycle(database) == [(admin.id, "reset_staff", "Sara Holm")]


async def test_only_admins_change_accounts(client, database, admin, coordinator, facilitator):
    await log_in(client, coordinator)
    for step in ("luk", "aabn", "rolle", "nulstil"):
        answer = await post_form(
            client, f"/personale/{admin.id}/{step}", {"role": "facilitator"}, page="/personale"
        )
        assert answer.status_code == 404
    assert not parse((await client.get("/personale")).text).all(
        "form", action=f"/personale/{coordinator.id}/luk"
    )
    client.cookies.clear()
    await log_in(client, admin)
    no_csrf = await client.post(f"/personale/{coordinator.id}/luk", data={})
    assert no_csrf.status_code == 400
    missing = await post_form(client, "/personale/999999/luk", {}, page="/personale")
    assert missing.status_code == 404
    assert _account(database, admin) == ("admin", False, True)
    assert _account(database, coordinator) == ("coordinator", False, True)
    assert _lifecycle(database) == []


def _other_browser(web):
    transport = httpx.ASGITransport(app=web)
    return httpx.AsyncClient(transport=transport, base_url="http://dashboard.test")
