"""The Danish words the typed-answer reader knows (bot/nlu/typed_answer.py): number words,
small words that do not change an answer, negation, and "I don't know"."""

from __future__ import annotations

# Number words 0-10, and the colloquial "en femmer" (a five). "en" and "et" are also articles
# ("en gang imellem"), so they are a number only when they are the whole answer.
NUMBER_WORDS = {
    "nul": 0,
    "to": 2,
    "tre": 3,
    "fire": 4,
    "fem": 5,
    "seks": 6,
    "syv": 7,
    "otte": 8,
    "ni": 9,
    "ti": 10,
    "nuller": 0,
    "ener": 1,
    "toer": 2,
    "treer": 3,
    "firer": 4,
    "femmer": 5,
}
ALONE_NUMBER_WORDS = {"en": 1, "et": 1}

# Words that may stand around an answer without changing it ("ca 3", "hele tiden tror jeg",
# "jeg vil sige godt", "det meste vel"). Never a negation, never a word of a label's meaning.
# fmt: off
FILLERS = frozenset({
    "ca", "cirka", "circa", "omkring", "vel", "nok", "tror", "jeg", "vil", "ville",
    "sige", "siger", "det", "er", "den", "en", "et", "tal", "nummer", "nr", "svar", "svaret",
    "mit", "tak", "ok", "okay", "hmm", "hm", "mm", "mmm", "oehm", "oeh", "ja", "bare", "lige",
    "nu", "vist", "saadan", "kun", "sgu", "da", "jo", "lol", "haha", "xd", "eren", "taet", "paa",
    "giver",
})
# fmt: on
CONNECTORS = frozenset({"eller", "og", "til"})
# Spellings of "ikke"; the negation must match between the text and the label.
NEGATION_SPELLINGS = {"ik": "ikke", "ikk": "ikke", "ike": "ikke", "ikek": "ikke", "ikkke": "ikke"}
NEGATION = "ikke"
# A part of a label must carry meaning: not only these words, and at least this share of it.
STOPWORDS = frozenset({"af", "end", "det", "paa", "i", "en", "et", "og", "ikke", "tiden"})

# "I don't know" in the ways it is typed: never a value, a kind word instead.
DONT_KNOW = (
    "ved ikke",
    "ved det ikke",
    "det ved jeg ikke",
    "jeg ved det ikke",
    "jeg ved ikke",
    "aner det ikke",
    "aner ikke",
    "ingen anelse",
    "ikke sikker",
    "er ikke sikker",
    "jeg er ikke sikker",
    "idk",
    "i dont know",
    "dont know",
    "dunno",
    "kan ikke huske",
    "kan ikke huske det",
    "svaert at sige",
    "ved ikke rigtig",
    "ved ikke hvad jeg skal svare",
)
