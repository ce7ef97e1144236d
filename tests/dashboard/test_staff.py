"""Staff, the duty list and absence (/personale): who may change what, the errors, the audit."""

from __future__ import annotations

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
