"""The staff e-mails' words (Danish, through the dashboard's gettext catalogs).

E-mail is not a secure channel: an e-mail says that a young person needs someone, the kind of
alert in plain words and where to look, never who it is or what they answered or wrote.
"""

from __future__ import annotations

from datetime import timedelta

from core.locale import format_moment
from dashboard import labels
from dashboard.i18n import _
from domain.alerts.email import MailFacts
from storage.models import NotificationKind


def render_mail(facts: MailFacts, *, base_url: str, escalate_after: timedelta) -> tuple[str, str]:
    """The subject and body of one staff e-mail."""
    minutes = int(escalate_after.total_seconds() // 60)
    signature = _("This e-mail holds no names and no answers, because e-mail is not secure.")
    if facts.kind == NotificationKind.DIGEST:
        lines = [
            f"• {labels.alert_kind(kind)}: {count}"
            for kind, count in sorted(facts.kinds_waiting.items())
        ]
        subject = _("Ungeguide: messages from young people are waiting for you")
        body = "\n".join(
            [
                _("Hello %(name)s,") % {"name": facts.staff_name},
                "",
                _("These messages from young people on your list are waiting (not urgent):"),
                *lines,
                "",
                _("See them here (log in first): %(link)s") % {"link": f"{base_url}/alarmer"},
                "",
                signature,
            ]
        )
        return subject, body
    link = f"{base_url}/alarmer/{facts.alert_id}"
    what = labels.alert_kind(facts.alert_kind or "")
    when = format_moment(facts.raised_at) if facts.raised_at is not None else ""
    if facts.kind == NotificationKind.ESCALATION:
        subject = _("Ungeguide: an urgent alert has waited %(minutes)s minutes") % {
            "minutes": minutes
        }
        opening = _(
            "A young person needs someone, and nobody has taken the alert yet. You get this "
            "because you are on the duty list."
        )
    else:
        subject = _("Ungeguide: a young person on your list needs you")
        opening = _("A young person on your list needs you.")
    body = "\n".join(
        [
            _("Hello %(name)s,") % {"name": facts.staff_name},
            "",
            opening,
            "",
            _("What: %(what)s") % {"what": what},
            _("When: %(when)s") % {"when": when},
            "",
            _("See the alert here (log in first): %(link)s") % {"link": link},
            _(
                'Press "I\'ll take it" when you have seen it. Otherwise it goes to the duty '
                "list after %(minutes)s minutes."
            )
            % {"minutes": minutes},
            "",
            signature,
        ]
    )
    return subject, body
