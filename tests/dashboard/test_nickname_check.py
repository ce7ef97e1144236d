"""The invitation form's check for a nickname that looks like a CPR number or a full name."""

from __future__ import annotations

import pytest

from dashboard.nickname_check import (
    NicknameWarning,
    looks_like_cpr,
    looks_like_full_name,
    nickname_warnings,
)


@pytest.mark.parametrize(
    "text",
    ["010203-1234", "0102031234", "Mads 311299-4321", "290200-1111", "cpr 1512881234"],
)
def test_a_cpr_number_is_found(text):
    assert looks_like_cpr(text)


@pytest.mark.parametrize(
    "text",
    [
        "320101-1234",  # no 32nd
        "011301-1234",  # no 13th month
        "290201-1234",  # 29 February 1901 and 2001 did not exist
        "010203-123",  # too short
        "01020312345",  # eleven digits
        "12345678901",
        "Mads 2008",
        "",
    ],
)
def test_other_numbers_are_not_a_cpr_number(text):
    assert not looks_like_cpr(text)


@pytest.mark.parametrize(
    "text", ["Mads Hansen", "Anne-Sofie Møller", "Ib Øster Berg", "hej Mads Hansen", "Åse Ågård"]
)
def test_a_full_name_is_found(text):
    assert looks_like_full_name(text)


@pytest.mark.parametrize(
    "text",
    ["Mads", "Mads K.", "M.K.", "mads hansen", "Mads h", "MADS HANSEN", "Anne-Sofie", "Mads 2"],
)
def test_a_nickname_or_initials_pass(text):
    assert not looks_like_full_name(text)


def test_both_warnings_come_in_order():
    assert nickname_warnings("Mads Hansen 010203-1234") == [
        NicknameWarning.CPR,
        NicknameWarning.FULL_NAME,
    ]
    assert nickname_warnings("Mads K.") == []
