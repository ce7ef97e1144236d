"""The key-figure report (nøgletalsrapport): what the work came to in a period.

`compute` (queries.py) runs plain queries over a Session and returns the raw numbers (figures.py);
`rows` (sections.py) turns them into the Danish, already suppressed lines, each with its number
and definition, that the HTML page and the CSV and XLSX exports all show. All of it is imported
here, so `from dashboard.keyfigures import X` works.

A period is Copenhagen calendar days, both ends included; "in the period" means from 00.00 on the
first day to 24.00 on the last, Copenhagen time. `people` limits everything except workshop ideas
(which are anonymous) to the young people the viewer may count. The definitions:

- Young people at the start and at the end: followed (active, paused or not reachable) at 00.00 on
  the first day and at 24.00 on the last, from the status history (domain.report_queries).
- New: invited in the period.
- Courses ended: by end outcome, with the end day in the period (no total: see release.py).
- Offers: per offer on the admin's list, offers received with the start day in the period, and
  the young people who had it on at least one day of the period.
- Long-term plan: of those followed at the end, the share with an agreement whose deadline is more
  than 3 months after the day it was made and which still ran on the last day.
- Changes of contact person: recorded reassignments in the period, and the young people moved.
- Check-in invitations: "checkin_invite" reminders sent in the period. One counts as completed
  when the same young person completed that questionnaire within 7 days of it being sent (also
  after the period's end). Completion rate = completed invitations / invitations sent.
- WHO-5: per young person, the first and the latest completed WHO-5 in the period. The means and
  the shares at or below 50 are over everyone with at least one (for one measurement, first and
  latest are the same); "improved by 10 points or more" is over those with at least two.
- BIP: the same first and latest completed response per young person and questionnaire; per item,
  the mean of the first and of the latest values, over those who answered the item in both.
- Meetings: not cancelled, begun in the period before `now`, by the attendance the coordinator
  recorded after the meeting (came, did not come, cancelled too late, not recorded yet).
  Cancelled: cancelled, set in the period. Can't come: answered "can't come", set in the period.
- After network meetings: the young person's answers to the three questions (yes, partly, no),
  for meetings that began in the period; shares over the answers, from 5 young people.
- Agreements: not cancelled, deadline in the period. Kept: done (the stored outcome, from the
  young person or the coordinator); kept on time: done on or before the deadline day.
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
    AlertFigures,
    BipFigures,
    BipItemFigures,
    CheckinFigures,
    FeedbackFigures,
    KeyFigures,
    MeetingFigures,
    PeopleFigures,
    WhoFiveFigures,
    WorkshopFigures,
)
from dashboard.keyfigures.formatting import (
    COUNT,
    HIDDEN,
    MEAN,
    MINUTES,
    SHARE,
    SMALL,
    ReportRow,
    format_count,
    format_mean,
    format_minutes,
    format_share,
)
from dashboard.keyfigures.period import Period
from dashboard.keyfigures.presets import Preset, by_year, latest_half, matching, offered, parse
from dashboard.keyfigures.queries import compute
from dashboard.keyfigures.release import additive_counts, hidden_counts, shown
from dashboard.keyfigures.sections import rows

__all__ = [
    "COUNT",
    "HIDDEN",
    "MEAN",
    "MINUTES",
    "SHARE",
    "SMALL",
    "AlertFigures",
    "BipFigures",
    "BipItemFigures",
    "CheckinFigures",
    "FeedbackFigures",
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
