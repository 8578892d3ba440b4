"""Small text helpers the index layer shares: sentences and slugs."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”']?\s+(?=[A-Z\"“(\[])")


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their start offsets; "$1.2M" and "Levels.fyi" do not end a sentence."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((start, text[start : m.start()].strip()))
        start = m.end()
    out.append((start, text[start:].strip()))
    return [(s, t) for s, t in out if t]


def singular(word: str) -> str:
    """A word compared without its plural: "buyouts" is "buyout", "Managers" is "Manager"
    ("class" stays whole)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


# Letters no Unicode decomposition takes to ASCII, as people type them without the key for
# them: "Bøgelund" is "bogelund", "Łódź" is "lodz", "Đà Nẵng" is "da nang".
LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "ł": "l", "Ł": "L",
     "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i"}
)  # fmt: skip


def slugify(text: str) -> str:
    """ "Ingénieur Logiciel" -> "ingenieur-logiciel"; "東京" keeps its letters (a URL may hold
    them); text with no letters or digits gets a short stable hash, never an empty slug."""
    folded = unicodedata.normalize("NFKD", text.translate(LETTERS)).encode("ascii", "ignore").decode()
    ascii_slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    kept = len(re.sub(r"[^a-z0-9]", "", ascii_slug))
    if ascii_slug and kept * 2 >= len(re.sub(r"[\W_]", "", text)):  # accents folded away, letters kept
        return ascii_slug
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-") or hashlib.sha1(text.encode()).hexdigest()[:8]


QUOTE_MARKS = "\"“”'‘’«»„"


def is_script(text: str) -> bool:
    """Words to be said: a quotation, or first-person speech ("I'd like…")."""
    stripped = text.lstrip(" *_")
    return stripped[:1] in QUOTE_MARKS or bool(re.match(r"(?:I|I'm|I'd|I've|I'll|My)\b", stripped))


_INLINE_QUOTE = re.compile(r"(?:^|(?<=[\s:(—–-]))[\"“](?=\S)([^\"“”]{25,}?)[\"”](?=$|[\s.,;:)!?—–-])")


def inline_quote(text: str) -> re.Match[str] | None:
    """A quoted script inside running text ("Say: “I'd like a base of …”"), if any: a
    first-person quotation of a few words at least."""
    for found in _INLINE_QUOTE.finditer(text):
        if len(found.group(1).split()) >= 6 and (is_script(found.group(1)) or _FIRST_PERSON.search(found.group(1))):
            return found
    return None


# "If I join on 1 May I lose…", "For CS3, I'd like…": a quotation in the first person is
# speech wherever its "I" falls.
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I'd|I've|I'll|I’m|I’d|I’ve|I’ll)\b")


def unquote(script: str) -> str:
    return script.strip().strip(QUOTE_MARKS).strip()
