"""Demo data for `ungeguide demo`: staff, 20 young people with a year of history, meetings,
agreements, alerts and a youth workshop, so anyone can look around the dashboard.

Everything comes from one `random.Random(seed)`, so a seed always gives the same data set
(password hashes aside: argon2 salts them). All instants are aware UTC; only upcoming meetings,
open agreements' deadlines, the workshop's closing and the invite's expiry lie after `now`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.content import Content, Questionnaire
from domain.outbox import ReminderKind, Subject
from domain.people import hash_code
from domain.workshops import needs_review
from storage.models import (
    Agreement,
    AgreementStatus,
    Alert,
    AlertStatus,
    Answer,
    CoordinatorRating,
    Idea,
    Meeting,
    MeetingAnswer,
    MeetingFeedback,
    MeetingKind,
    MeetingStatus,
    PersonStatus,
    QuestionnaireResponse,
    Reminder,
    ReminderStatus,
    ResponseStatus,
    StaffRole,
    StaffUser,
    Workshop,
    YoungPerson,
)
from ungeguide.errors import DemoError

# The WHO-5 alert thresholds of bot/flows/wellbeing.py (importing it here would pull in the
# engine and an import cycle); tests/storage/test_demo.py checks that they agree.
LOW, URGENT, DROP, ITEM_LOW = 50, 28, 10, 1
# (email, display name, role, demo password); the second and third are the coordinators.
STAFF = (
    ("admin@demo.invalid", "Demo Admin", StaffRole.ADMIN, "demo-admin"),
    ("sara@demo.invalid", "Sara Holm", StaffRole.COORDINATOR, "demo-koordinator"),
    ("jonas@demo.invalid", "Jonas Berg", StaffRole.COORDINATOR, "demo-koordinator"),
    ("facilitator@demo.invalid", "Ali Demir", StaffRole.FACILITATOR, "demo-facilitator"),
)
EDU, JOB = "bip_uddannelse", "bip_beskaeftigelse"
# (pseudonym, status, WHO-5 course, BIP questionnaire); Sara has the first 17, Jonas the rest.
PEOPLE = (
    ("Mads K.", PersonStatus.ACTIVE, "improving", EDU),
    ("Emma L.", PersonStatus.ACTIVE, "falling", EDU),
    ("Noah P.", PersonStatus.ACTIVE, "crisis", JOB),
    ("Freja S.", PersonStatus.ACTIVE, "steady_good", EDU),
    ("Oliver H.", PersonStatus.ACTIVE, "wavy", JOB),
    ("Ida M.", PersonStatus.ACTIVE, "improving", EDU),
    ("Lucas T.", PersonStatus.ACTIVE, "steady_mid", JOB),
    ("Clara J.", PersonStatus.ACTIVE, "improving", EDU),
    ("Ahmad R.", PersonStatus.ACTIVE, "wavy", JOB),
    ("Sofie N.", PersonStatus.ACTIVE, "falling", EDU),
    ("William B.", PersonStatus.ACTIVE, "steady_good", JOB),
    ("Alma V.", PersonStatus.PAUSED, "steady_mid", EDU),
    ("Victor E.", PersonStatus.UNREACHABLE, "falling", JOB),
    ("Laura G.", PersonStatus.ENDED, "improving", EDU),
    ("Malik A.", PersonStatus.ENDED, "steady_good", JOB),
    ("Anna F.", PersonStatus.INVITED, "steady_mid", EDU),
    ("Karl D.", PersonStatus.ACTIVE, "improving", JOB),
    ("Josefine W.", PersonStatus.ACTIVE, "steady_mid", EDU),
    ("Elias Ø.", PersonStatus.PAUSED, "wavy", JOB),
    ("Maja C.", PersonStatus.ACTIVE, "improving", EDU),
)
SARAS = 17
# The mean WHO-5 item (0-5) at the start and at the end of the year.
COURSES = {
    "improving": (1.8, 3.8),
    "falling": (3.7, 1.9),
    "crisis": (3.1, 2.5),  # and a last check-in far below, days ago
    "steady_good": (3.7, 3.9),
    "steady_mid": (2.8, 3.0),
    "wavy": (3.0, 3.0),  # up and down around the middle
}
TALK_TOPICS = (
    "Jeg vil gerne snakke om min lejlighed",
    "Om jeg kan nå at søge ind på HF til sommer",
    "Min mor og jeg skændes hele tiden",
    "Jeg sover virkelig dårligt for tiden",
    "Jobbet i Netto, jeg ved ikke om jeg skal blive",
    "Hvordan jeg får styr på mine regninger",
    "Jeg vil gerne have hjælp til at skrive en ansøgning",
    "Jeg har det svært med at komme op om morgenen",
    "Mine venner ryger meget, det er svært at sige nej",
    "Jeg har fået en kæreste og det går godt",
)
PLACES = (
    "Ungeindsatsen, Rådhuset",
    "Ungehuset, Torvegade 4",
    "Jobcentret, mødelokale 2",
    "Café Bønnen",
    "Gåtur fra Ungehuset",
)
NETWORK_PARTICIPANTS = (
    "UU-vejleder, sagsbehandler fra Jobcentret, mor",
    "kontaktlærer fra produktionsskolen, sagsbehandler",
    "mentor, far, UU-vejleder",
)
AGENDAS = (
    "Hvordan går det siden sidst? Aftaler og næste skridt.",
    "Status på uddannelsesplanen.",
    "Bolig og økonomi.",
    "Opfølgning på praktikken.",
)
CANNOT_COME_REASONS = ("Jeg er syg", "Jeg skal til lægen", "Jeg skal arbejde den dag")
# (goal, action, responsible); "{coordinator}" is filled in.
AGREEMENTS = (
    ("Starte på HF", "Søge ind via optagelse.dk", "Den unge"),
    ("Få en fast døgnrytme", "Stå op kl. 8 på hverdage i to uger", "Den unge"),
    ("Have styr på økonomien", "Lave et budget sammen", "{coordinator}"),
    ("Finde en lærlingeplads", "Sende tre ansøgninger", "Den unge"),
    ("Komme i praktik", "Kontakte to virksomheder", "UU-vejleder"),
    ("Få egen bolig", "Skrive sig op til en ungdomsbolig", "Den unge"),
    ("Få hjælp til søvnen", "Bestille tid hos lægen", "Den unge"),
    ("Komme i gang med en fritidsaktivitet", "Prøve en træning i klubben", "{coordinator}"),
)
ALERT_NOTES = (
    "Ringet op, vi tager det på næste møde.",
    "Talt med den unge, ingen akut bekymring.",
    "Aftalt et ekstra møde i næste uge.",
)
WORKSHOP_TITLE = "Godt ungeliv i kommunen"
WORKSHOP_QUESTION = "Hvad skal der til for et godt ungeliv i kommunen?"
WORKSHOP_THEMES = ("fællesskab", "mental sundhed", "bolig", "fritid")
# (theme, text); the last one was hidden by the facilitator.
IDEAS = (
    ("fællesskab", "Et sted hvor man kan hænge ud efter skole uden at det koster noget"),
    ("fællesskab", "Flere fællesspisninger for unge der bor alene"),
    ("fællesskab", "En app hvor man kan finde nogen at gå en tur med"),
    ("fællesskab", "Flere events hvor man kan møde nye mennesker"),
    ("mental sundhed", "Man skal kunne snakke med en psykolog uden at vente et halvt år"),
    ("mental sundhed", "Lærerne skal vide mere om angst"),
    ("mental sundhed", "Et chatrum om aftenen hvor der sidder en voksen"),
    ("mental sundhed", "Mindre pres om karakterer"),
    ("bolig", "Billigere ungdomsboliger tæt på uddannelserne"),
    ("bolig", "Hjælp til at forstå lejekontrakter og depositum"),
    ("bolig", "Bofællesskaber for unge der lige er flyttet hjemmefra"),
    ("fritid", "Gratis fitness for unge under 25"),
    ("fritid", "Busser der kører om aftenen, så man kan komme hjem"),
    ("fritid", "En skaterhal der er åben om vinteren"),
    ("fritid", "Musiklokaler man kan låne gratis"),
    ("fritid", "hej hej test 123"),
)



@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    password: str


def fill_demo(
    session: Session, content: Content, *, now: datetime, seed: int = 7
) -> list[DemoLogin]:
    """Store the demo data set; returns the staff logins (with their plain demo passwords)
    to print."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    now = now.astimezone(UTC)
    for table in (YoungPerson, StaffUser):
        if session.scalar(select(func.count()).select_from(table)):
            raise DemoError("demo data goes only into an empty database; this one has data")
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    hasher = PasswordHasher()
    users = [
        StaffUser(
            email=email,
            display_name=name,
            role=role,
            password_hash=hasher.hash(password),
            created_at=now - timedelta(days=420),
        )
        for email, name, role, password in STAFF
    ]
    session.add_all(users)
    session.flush()
    for index, (pseudonym, status, course, bip) in enumerate(PEOPLE):
        coordinator = users[1] if index < SARAS else users[2]
        plan = {q: content.questionnaires[q].cadence_days for q in ("who5", bip)}
        person = YoungPerson(
            pseudonym=pseudonym,
            birth_year=rng.randint(2001, 2011),
            coordinator_id=coordinator.id,
            status=status,
            checkin_plan=plan,
            created_at=_daytime(rng, now, 3),
        )
        session.add(person)
        session.flush()
        if status == PersonStatus.INVITED:
            person.invite_code_hash = hash_code(f"demo-{rng.getrandbits(64):016x}")
            person.invite_expires_at = person.created_at + timedelta(days=14)
        else:
            _Year(session, content, rng, now, coordinator, person).fill(status, course, bip)
    _workshop(session, rng, now, users[3])
    session.flush()
    return [DemoLogin(email, role, password) for email, _, role, password in STAFF]


def _daytime(rng: random.Random, now: datetime, days: int) -> datetime:
    """A daytime moment (07-18 UTC) `days` whole days before `now`, after it if negative."""
    day = now - timedelta(days=days)
    minute = rng.choice((0, 15, 30, 45))
    return day.replace(hour=rng.randint(7, 17), minute=minute, second=0, microsecond=0)


@dataclass
class _Year:
    """One young person's year with one coordinator: check-ins, meetings, agreements, alerts."""

    session: Session
    content: Content
    rng: random.Random
    now: datetime
    coordinator: StaffUser
    person: YoungPerson

    def at(self, days: int) -> datetime:
        return _daytime(self.rng, self.now, days)

    def fill(self, status: PersonStatus, course: str, bip: str) -> None:
        """A joined young person's year, from `first` days ago until `stop` days ago."""
        rng, person = self.rng, self.person
        first = rng.randint(370, 390) + (30 if status == PersonStatus.UNREACHABLE else 0)
        last = {PersonStatus.PAUSED: 25, PersonStatus.UNREACHABLE: 80, PersonStatus.ENDED: 40}
        stop = last.get(status, 2 if course == "crisis" else rng.randint(1, 20))
        person.created_at = self.at(first + 3)
        person.invite_used_at = person.information_accepted_at = self.at(first + 1)
        person.information_version = self.content.onboarding.version
        self.alerts(self.history(course, bip, first, stop))
        if course == "crisis":
            self.alert("crisis", self.now - timedelta(hours=20), {}, urgent=True)
        self.meetings(first, stop, upcoming=status == PersonStatus.ACTIVE)
        self.agreements(first, stop, ended=status == PersonStatus.ENDED)
        if status == PersonStatus.UNREACHABLE:
            self.alert("missed_checkins", self.at(45), {"questionnaire": "who5"})
            self.alert("unreachable", self.at(9), {})

    def history(self, course: str, bip: str, first: int, stop: int) -> list[QuestionnaireResponse]:
        """Monthly WHO-5s, quarterly BIPs and a half-yearly livsomraader from `first` to `stop`
        days ago; returns the completed WHO-5s, oldest first."""
        rng, who5, rated = self.rng, [], self.rng.random() < 0.5
        start, end = COURSES[course]
        day, n = first, 0
        while day >= stop:
            level = start + (end - start) * (first - day) / (first - stop)
            level += 0.7 * math.sin(n) if course == "wavy" else 0
            if course == "crisis" and day - 30 < stop:
                level = 0.9
            if n and rng.random() < 0.08:
                self.response("who5", level, day + 2, stopped=True)
            who5.append(self.response("who5", level, day))
            if n % 3 == 0:
                self.response(bip, 1 + level * 0.8, day + 1)
                if rated:
                    self.rating(bip, 1 + level * 0.8, day + 1)
            if n % 6 == 0:
                self.response("livsomraader", 1.2 + level * 0.7, day + 1)
            day -= rng.randint(27, 33)
            n += 1
        return who5

    def response(
        self, qid: str, level: float, day: int, *, stopped: bool = False
    ) -> QuestionnaireResponse:
        rng, questionnaire = self.rng, self.content.questionnaires[qid]
        items = questionnaire.items[: rng.randint(1, 3)] if stopped else questionnaire.items
        values = [_value(questionnaire, level + rng.gauss(0, 0.7)) for _ in items]
        moment = started = self.at(day)
        answers = []
        for item, value in zip(items, values, strict=True):
            moment += timedelta(seconds=rng.randint(15, 90))
            answers.append(Answer(item_id=item.id, value=value, answered_at=moment))
        response = QuestionnaireResponse(
            id=f"{rng.getrandbits(128):032x}",
            young_person_id=self.person_id,
            questionnaire_id=qid,
            questionnaire_version=questionnaire.version,
            status=ResponseStatus.STOPPED if stopped else ResponseStatus.COMPLETED,
            started_at=started,
            answers=answers,
        )
        invited = started - timedelta(minutes=rng.randint(20, 600))
        self.session.add(  # the invitation it answered, as the outbox would have sent it
            Reminder(
                young_person_id=self.person_id,
                kind=ReminderKind.CHECKIN_INVITE,
                subject=str(Subject.checkin(qid)),
                due_at=invited,
                latest_at=invited + timedelta(hours=6),
                status=ReminderStatus.SENT,
                attempts=1,
                sent_at=invited,
                dedup_key=f"demo:{response.id}",
            )
        )
        if not stopped:
            response.completed_at = moment + timedelta(seconds=rng.randint(5, 40))
            if questionnaire.scoring.method == "sum":
                response.score = sum(values) * questionnaire.scoring.multiplier
            if rng.random() < 0.25:
                response.talk_next_time = rng.choice(TALK_TOPICS)
        self.session.add(response)
        return response

    def rating(self, bip: str, level: float, day: int) -> None:
        questionnaire, rng = self.content.questionnaires[bip], self.rng
        answers = {
            i.id: _value(questionnaire, level + rng.gauss(0, 0.6)) for i in questionnaire.items
        }
        rating = CoordinatorRating(
            young_person_id=self.person_id,
            staff_user_id=self.coordinator.id,
            questionnaire_id=bip,
            answers=answers,
            belief=min(5, max(1, round(level + rng.gauss(0, 0.5)))),
            rated_at=self.at(day) + timedelta(hours=3),
        )
        self.session.add(rating)

    def alerts(self, who5: list[QuestionnaireResponse]) -> None:
        """The alerts the bot raises (bot/flows/wellbeing.py) for the last four months' WHO-5s."""
        for before, response in zip([None, *who5], who5, strict=False):
            at, score = response.completed_at, response.score
            if at is None or score is None or at < self.now - timedelta(days=120):
                continue
            if score <= LOW:
                self.alert("who5_low", at, {"score": score}, urgent=score <= URGENT)
            if before is not None and before.score is not None and before.score - score >= DROP:
                self.alert("who5_drop", at, {"score": score, "before": before.score})
            low = sorted(answer.item_id for answer in response.answers if answer.value <= ITEM_LOW)
            if low:
                self.alert("who5_item_low", at, {"items": ",".join(low)})

    def alert(
        self, kind: str, at: datetime, details: dict[str, object], *, urgent: bool = False
    ) -> None:
        """An alert; one older than ten days the coordinator has acknowledged with a note."""
        alert = Alert(
            young_person_id=self.person_id, kind=kind, urgent=urgent, created_at=at, details=details
        )
        if at < self.now - timedelta(days=10):
            alert.acknowledged_by = alert.resolved_by = self.coordinator.id
            alert.acknowledged_at = at + timedelta(hours=self.rng.randint(1, 48))
            alert.resolved_at = alert.acknowledged_at
            alert.status = AlertStatus.RESOLVED
            alert.note = self.rng.choice(ALERT_NOTES)
        self.session.add(alert)

    def meetings(self, first: int, stop: int, *, upcoming: bool) -> None:
        rng = self.rng
        day = first - rng.randint(3, 10)
        while day > stop:
            meeting = self.meeting(day, network=rng.random() < 0.3)
            if rng.random() < 0.1:
                meeting.status = MeetingStatus.CANCELLED
            elif meeting.kind == MeetingKind.NETWORK and rng.random() < 0.8:
                feedback = MeetingFeedback(
                    meeting_id=meeting.id,
                    heard=rng.randint(2, 3),
                    part_of_decisions=rng.randint(1, 3),
                    knows_next=rng.randint(1, 3),
                    answered_at=meeting.starts_at + timedelta(hours=2),
                )
                self.session.add(feedback)
            day -= rng.randint(35, 50)
        for ahead in (rng.randint(2, 12), rng.randint(20, 35)) if upcoming else ():
            meeting = self.meeting(-ahead, network=ahead > 15)
            meeting.created_at = self.at(rng.randint(3, 20))
            answer = rng.choices((MeetingAnswer.COMING, MeetingAnswer.CANNOT_COME, None), (6, 2, 2))
            if answer[0] is not None:
                meeting.answer = answer[0]
                meeting.answered_at = self.now - timedelta(hours=rng.randint(1, 40))
            if answer[0] == MeetingAnswer.CANNOT_COME and meeting.answered_at is not None:
                meeting.answer_reason = rng.choice(CANNOT_COME_REASONS)
                self.alert("cannot_come", meeting.answered_at, {"meeting_id": meeting.id})

    def meeting(self, day: int, *, network: bool) -> Meeting:
        rng, name = self.rng, self.coordinator.display_name
        starts = self.at(day)
        meeting = Meeting(
            young_person_id=self.person_id,
            kind=MeetingKind.NETWORK if network else MeetingKind.INDIVIDUAL,
            starts_at=starts,
            place=rng.choice(PLACES),
            participants=f"{name}, {rng.choice(NETWORK_PARTICIPANTS)}" if network else name,
            agenda=rng.choice(AGENDAS),
            status=MeetingStatus.PLANNED,
            created_at=starts - timedelta(days=rng.randint(7, 21)),
        )
        self.session.add(meeting)
        self.session.flush()
        return meeting

    def agreements(self, first: int, stop: int, *, ended: bool) -> None:
        """Two older agreements (done or not yet) and two recent ones (open, some overdue)."""
        rng = self.rng
        for n, (goal, action, responsible) in enumerate(rng.sample(AGREEMENTS, 4)):
            back = rng.randint(stop + 60, first - 5) if n < 2 else rng.randint(stop + 5, stop + 50)
            created = self.at(back)
            deadline = created + timedelta(days=rng.randint(14, 60))
            agreement = Agreement(
                young_person_id=self.person_id,
                goal=goal,
                action=action,
                responsible=responsible.format(coordinator=self.coordinator.display_name),
                deadline=deadline.date(),
                status=AgreementStatus.OPEN,
                created_at=created,
            )
            if ended and deadline >= self.now:
                agreement.status = AgreementStatus.CANCELLED
            elif deadline < self.now - timedelta(days=1) and (n < 2 or ended):
                done = rng.random() < 0.75
                agreement.status = AgreementStatus.DONE if done else AgreementStatus.NOT_YET
                agreement.done_at = deadline - timedelta(days=rng.randint(0, 10)) if done else None
            self.session.add(agreement)
            self.session.flush()
            if agreement.status == AgreementStatus.OPEN and rng.random() < 0.1:
                at = self.at(stop + rng.randint(0, 3))
                self.alert("agreement_help", at, {"agreement_id": agreement.id})

    @property
    def person_id(self) -> int:
        return self.person.id


def _workshop(session: Session, rng: random.Random, now: datetime, facilitator: StaffUser) -> None:
    opens = _daytime(rng, now, 20)
    workshop = Workshop(
        title=WORKSHOP_TITLE,
        question=WORKSHOP_QUESTION,
        themes=list(WORKSHOP_THEMES),
        code="UNGE26",
        opens_at=opens,
        closes_at=_daytime(rng, now, -25),
        created_by=facilitator.id,
        created_at=opens - timedelta(days=5),
        vote_salt=f"{rng.getrandbits(256):064x}",
    )
    session.add(workshop)
    session.flush()
    days = (now.date() - opens.date()).days
    for number, (theme, text) in enumerate(IDEAS, start=1):
        sent_on = opens.date() + timedelta(days=rng.randint(0, days))
        idea = Idea(
            workshop_id=workshop.id,
            theme=theme,
            text=text,
            sent_on=sent_on,
            shuffle=f"{rng.getrandbits(128):032x}",  # listed by this, never by arrival
            flagged=needs_review(text),
        )
        idea.hidden = number == len(IDEAS)
        session.add(idea)


def _value(questionnaire: Questionnaire, level: float) -> int:
    """The scale value nearest to `level`."""
    return min((option.value for option in questionnaire.scale), key=lambda v: abs(v - level))
