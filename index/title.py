"""Who a guide is about: its role, its company, and any market or scope the title adds.

`### Data Engineer | Acme Corp Asia-Pacific Negotiation Guide` is role "Data Engineer",
company "Acme Corp", scope "Asia-Pacific". The company is what the guide calls the company;
a qualifier is at most a scope note. In order, the evidence is:

1. the frontmatter's company name, when the title's company phrase starts with it;
2. punctuation: "Acme Corp (EMEA)", "Acme Corp — North America", "Acme Corp, UK";
3. the guide's folder, named for its company (`seeds/<company>/<role>.md`);
4. how the body names the company: the longest start of the phrase that the body uses on its
   own (the title's "Acme Corp Asia-Pacific" is "Acme Corp" throughout the text).

No list of qualifiers is involved; legal forms ("Inc", "AG") always stay with the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.lexicon import lexicon
from index.places import fold

# Separators between the role and the company in a title, most explicit first.
_SEPARATORS = (r"\s*\|\s*", r"\s+at\s+", r"\s+@\s+", r"\s+[—–]\s+", r"\s*:\s+", r"\s+-\s+")
_SCOPE_PUNCT = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<paren>[^)]*)\)|\s[—–-]\s+(?P<dash>.+)|,\s*(?P<comma>.+))\s*$")


@dataclass(frozen=True)
class Identity:
    role: str
    company: str
    scope: str | None
    folder_is_company: bool = False  # the guide's folder names its company: use it as the id


def _strip_guide_words(phrase: str) -> str:
    """ "Acme Corp Negotiation Guide" -> "Acme Corp": the guide's own name ends the title."""
    words = phrase.split()
    while words and lexicon().guide_words.fullmatch(words[-1].strip(".,:;")):
        words.pop()
    return " ".join(words).strip(" -–—:,")


def split_title(title: str) -> tuple[str, str] | None:
    """(role, company phrase) from a title; None when it does not name both."""
    text = re.sub(r"^\s*(?:negotiation|compensation|salary|offer)\s+guide\s*[:—–-]\s*", "", title, flags=re.I)
    for separator in _SEPARATORS:
        parts = re.split(separator, text, maxsplit=1)
        if len(parts) == 2 and parts[0].strip() and _strip_guide_words(parts[1]):
            return parts[0].strip(), _strip_guide_words(parts[1])
    return None


def _words(text: str) -> list[str]:
    return fold(text).split()


def _prefix_of(phrase: str, name: str) -> str | None:
    """The start of `phrase` that is `name` (compared folded, word by word), as written."""
    target = _words(name)
    if not target:
        return None
    kept: list[str] = []
    for word in phrase.split():
        kept.append(word)
        folded = _words(" ".join(kept))
        if folded == target:
            return " ".join(kept)
        if folded != target[: len(folded)]:
            return None
    return None


def _with_legal_form(phrase: str, company: str) -> str:
    """ "Firnwald Assurance" in "Firnwald Assurance AG Switzerland" -> "Firnwald Assurance AG":
    a legal form right after the name is part of it."""
    words, kept = phrase.split(), len(company.split())
    while kept < len(words) and fold(words[kept]) in lexicon().legal_forms:
        kept += 1
    return " ".join(words[:kept])


def _scope(phrase: str, company: str) -> str | None:
    rest = phrase[len(company) :].strip(" ()—–-,:")
    return rest or None


def _by_body(phrase: str, body: str) -> str:
    """The longest start of `phrase` that the body uses on its own, not followed by the
    phrase's next word; legal forms are never split off. The whole phrase when none is."""
    words = phrase.split()
    text = fold(body)
    legal = lexicon().legal_forms
    for n in range(len(words), 0, -1):
        if n < len(words) and all(fold(w) in legal for w in words[n:]):
            continue  # "Acme Corp" -> "Acme": a legal form is part of the name
        head = fold(" ".join(words[:n]))
        following = fold(words[n]).split()[0] if n < len(words) and fold(words[n]) else None
        uses = [m.end() for m in re.finditer(rf"(?<![a-z0-9]){re.escape(head)}(?![a-z0-9])", text)]
        alone = [end for end in uses if following is None or not text[end:].lstrip().startswith(following)]
        if alone:
            return _with_legal_form(phrase, " ".join(words[:n]))
    return phrase


def identify(title: str, body: str, declared_company: str | None, folder: str | None) -> Identity | None:
    """Role, company and scope of a guide titled `title`, or None if the title names neither."""
    split = split_title(title)
    if split is None:
        return None
    role, phrase = split
    if declared_company and (company := _prefix_of(phrase, declared_company)):
        company = _with_legal_form(phrase, company)
        return Identity(role, company, _scope(phrase, company))
    punct = _SCOPE_PUNCT.match(phrase)
    in_folder = bool(folder and _prefix_of(phrase, folder.replace("-", " ")))
    if punct and not set(_words(punct["paren"] or punct["dash"] or punct["comma"] or "")) <= lexicon().legal_forms:
        scope = punct["paren"] or punct["dash"] or punct["comma"]
        return Identity(role, punct["name"].strip(), scope.strip() if scope else None, in_folder)
    if folder and (company := _prefix_of(phrase, folder.replace("-", " "))):
        company = _with_legal_form(phrase, company)
        return Identity(role, company, _scope(phrase, company), True)
    company = _by_body(phrase, body)
    return Identity(role, company, _scope(phrase, company))
