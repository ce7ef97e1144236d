"""The key-figure report (nøgletalsrapport): what the work came to in a period.

`compute` (queries.py) runs plain queries over a Session and returns the raw numbers (figures.py);
`rows` (formatting.py) turns them into the Danish, already suppressed lines that the HTML page and
the CSV and XLSX exports all show. All of it is imported here, so `from dashboard.keyfigures
import X` works.

A period is Copenhagen calendar days, both ends included; "in the period" means from 00.00 on the
first day to 24.00 on the last, Copenhagen time. `people` limits everything except workshop ideas
(which are anonymous) to the young people the viewer may count. The definitions:

- Active: status active or paused at report time, created before the period ended.
- New: created in the period.
- Ended: status ended at report time, created before the period ended. There is no ended-at
  column, so someone who ended before the period also counts (a known simplification).
- Check-in invitations: "checkin_invite" reminders sent in the period. One counts as completed
  when the same young person completed that questionnaire within 7 days of it being sent (also
  after the period's end). Completion rate = completed invitations / invitations sent.
- WHO-5: per young person, the first and the latest completed WHO-5 in the period. The means and
  the shares at or below 50 are over everyone with at least one (for one measurement, first and
  latest are the same); "improved by 10 points or more" is over those with at least two.
- BIP: the same first and latest completed response per young person and questionnaire; per item,
  the mean of the first and of the latest values, over those who answered the item in both.
- Meetings held: not cancelled, starting in the period before `now`, and the young person did not
  answer "can't come". Cancelled: cancelled, starting in the period. Can't come: answered "can't
  come", starting in the period (cancelled or not).
- Agreements: not cancelled, deadline in the period. Kept on time: done, with `done_at` on or
  before the deadline day in Copenhagen.
- Ideas per workshop: ideas sent in the period and not hidden, for each workshop open at some time
  in the period.
- Urgent alerts: urgent alerts that staff could see in the period (opened in it; a held alert
  counts from when it opened, never while held). Time to acknowledge: from opening to the first
  "I'll take it" (resolving an open alert takes it at the same moment), if that was within 7 days
  after the period's end; the median is over those acknowledged, the share within 30 minutes over
  all of them (one not taken yet counts as not within). Escalated: sent on to the duty list.

Privacy: any count below 5 shows as "<5", and a share or mean over fewer than 5 young people
shows as a dash (for invitations and agreements: fewer than 5 different young people). The
dashboard asks only for whole quarters and half-years (presets.py); a quarter shows only the
counts that add up to the half-year's, and release.py hides those that, with another report,
would give away a number below 5.
"""

from dashboard.keyfigures.figures import (
    AgreementFigures,
    AlertFigures,
    BipFigures,
    BipItemFigures,
    CheckinFigures,
    KeyFigures,
    MeetingFigures,
    PeopleFigures,
    WhoFiveFigures,
    WorkshopFigures,
)
from dashboard.keyfigures.formatting import (
    HIDDEN,
    SMALL,
    ReportRow,
    format_count,
    format_mean,
    format_minutes,
    format_share,
    rows,
)
from dashboard.keyfigures.period import Period
from dashboard.keyfigures.presets import Preset, by_year, latest_half, matching, offered, parse
from dashboard.keyfigures.queries import compute
from dashboard.keyfigures.release import additive_counts, hidden_counts, shown

__all__ = [
    "HIDDEN",
    "SMALL",
    "AgreementFigures",
    "AlertFigures",
    "BipFigures",
    "BipItemFigures",
    "CheckinFigures",
    "KeyFigures",
    "MeetingFigures",
    "PeopleFigures",
    "Period",
    "Preset",
    "ReportRow",
    "WhoFiveFigures",
    "WorkshopFigures",
    "additive_counts",
    "by_year",
    "compute",
    "format_count",
    "format_mean",
    "format_minutes",
    "format_share",
    "hidden_counts",
    "latest_half",
    "matching",
    "offered",
    "parse",
    "rows",
    "shown",
]
