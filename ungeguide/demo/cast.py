"""The demo's fixed cast and Danish texts: staff, young people, courses, places, ideas."""

from __future__ import annotations

from storage.models import PersonStatus, StaffRole

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
