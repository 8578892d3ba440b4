"""The counter email, built from parts rather than pasted scripts: a greeting, the person's
offer restated, one consistent ask (the region's negotiate-up target, and component asks that
fit the region's ranges), one or two levers whose wording fits the region, and a close.

A guide's scripts are written for one reader in one place. A lever's home is the first of the
guide's regions its name or script names ("Detroit Cost Arbitrage"):
- a lever at home in another region is not used; one at home here is kept whole (its other
  regions are comparisons: "the same impact as engineers in New York");
- in a lever with no home, a sentence naming another region is left out ("…the Detroit
  headquarters" has no place in a New York email), and a lever that loses its ask that way
  is not used.
Then, sentence by sentence:
- an asked amount is made the email's one ask: a total becomes the region's target, a
  component outside the region's range becomes the top of that range (both cited);
- a claim only the sender can make — a competing offer they did not mention, a count about
  themselves that the guide does not state ("a team of 12") — becomes a [placeholder].
"""

from __future__ import annotations

import re

from assistant.answer import Email, EmailParagraph
from assistant.compose import Ledger, component_name
from assistant.nlu.lexicon import question_lexicon
from index.model import Guide, Lever, Pay, Target
from index.money import MoneyMention, MoneyRange, find_money

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z\[])")
_PLACEHOLDER = re.compile(r"\[[^\]]+\]")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|my|me|we|our)\b", re.I)
# "12 engineers", "11 million customers": a count and what it counts.
_COUNT = re.compile(r"(?<![\w$€£.,])(\d[\d,]*)(\s+(?:million\s+|billion\s+|thousand\s+)?[a-z]+)")
RIVAL_PLACEHOLDER = "[if you have a competing offer: its company and total]"


def counter_email(
    ledger: Ledger,
    guide: Guide,
    pay: Pay,
    target: Target | None,
    offer: list[str],
    has_rival: bool,
    levers: list[Lever],
    company_guides: list[Guide],
) -> Email:
    where = _where(pay)
    role, company = guide.role, guide.company
    n_pay = ledger.cite(guide, "pay", pay.region)
    paragraphs = [EmailParagraph(text="Hi [Recruiter name],")]
    offered = ", ".join(offer) if offer else "[your offer: base, stock, bonus]"
    paragraphs.append(
        EmailParagraph(
            text=f"Thank you for the offer for the {role} role {where}: {offered}. I'm excited about joining "
            f"{company}, and I'd like to talk about the compensation before I sign."
        )
    )
    if target is not None:
        label = f"Negotiate-up target · {target.region}"
        n_target = ledger.fact(guide, "target", target.region, "target", label, str(target.amount))
        paragraphs.append(
            EmailParagraph(
                text=f"Based on the market for this role {where}, I'm asking for a package of "
                f"{target.amount} {component_name(target.component)}.",
                cites=[n_target],
            )
        )
    names = _region_names(guide)
    stated = _stated(company_guides or [guide])
    used = 0
    for lever in levers:
        home = _home(lever, names)
        if home is not None and home != pay.region:
            continue  # written for another region
        others = [] if home == pay.region else _other_names(names, pay.region)
        text = _fit(lever, pay, target, others, has_rival, stated)
        if text is None:
            continue
        label = f"Lever {lever.number}: {lever.name}" + ("" if text == lever.script else " (fitted to this email)")
        n = ledger.fact(guide, "lever", str(lever.number), "script", label, text, derived=text != lever.script)
        paragraphs.append(EmailParagraph(text=text, cites=[n, n_pay]))
        used += 1
        if used == 2:
            break
    paragraphs.append(EmailParagraph(text="I'm confident we can find numbers that work for both of us."))
    paragraphs.append(EmailParagraph(text="Best,\n[Your name]"))
    placeholders = list(dict.fromkeys(m.group(0) for p in paragraphs for m in _PLACEHOLDER.finditer(p.text)))
    return Email(subject=f"{role} offer — compensation", paragraphs=paragraphs, placeholders=placeholders)


def _fit(lever: Lever, pay: Pay, target: Target | None, others: list[str], has_rival: bool, stated: str) -> str | None:
    """The lever's script made fit for this region and this sender, or None when it cannot."""
    kept: list[str] = []
    asks_kept = 0
    rival = question_lexicon().rival_words
    for sentence in _SENTENCE.split(lever.script.strip().strip('"“”')):
        asks = _asks_in(sentence, lever, pay.currency)
        if any(re.search(rf"\b{re.escape(name)}\b", sentence, re.I) for name in others):
            continue  # written for another region
        if rival.search(sentence) and not has_rival:
            if RIVAL_PLACEHOLDER not in kept:
                kept.append(RIVAL_PLACEHOLDER)
            continue
        sentence = _one_ask(sentence, asks, pay, target)
        if _FIRST_PERSON.search(sentence):
            sentence = _COUNT.sub(lambda m: _claim(m, stated), sentence)
        kept.append(sentence)
        asks_kept += bool(asks)
    if lever.asks and not asks_kept:
        return None  # its ask was for another region: another lever says it better
    return " ".join(kept) if kept else None


def _claim(count: re.Match[str], stated: str) -> str:
    """A count the sender states about themselves is theirs to fill; one the guide states
    (the company's "11 million customers"), a share, a span of time or a date stays."""
    number, counted = count.group(1), count.group(2)
    words = counted.split()
    around = count.string[: count.start()].split()[-1:] + count.string[count.start() :].split()[1:3]
    if any(w.lower().strip(",.;:") in question_lexicon().not_claims for w in around):
        return count.group(0)  # "March 15", "5 extra days", "15 percent"
    # "11 million people" is the guide's "11 million customers"; "12 engineers" is the sender's
    said = f"{number} {words[0]}" if len(words) > 1 else count.group(0).lower()
    if re.search(rf"(?<![\d,.]){re.escape(said.lower())}\b", stated) or (
        len(number) == 4 and 1900 <= int(number.replace(",", "")) <= 2100
    ):
        return count.group(0)
    return "[number]" + counted


def _asks_in(sentence: str, lever: Lever, currency: str) -> list[tuple[str, MoneyMention]]:
    """The lever's asked amounts written in this sentence, with their components."""
    amounts = {str(a.amount): a.component for a in lever.asks if a.amount is not None and a.component}
    return [(amounts[str(m.range)], m) for m in find_money(sentence, currency) if str(m.range) in amounts]


def _one_ask(sentence: str, asks: list[tuple[str, MoneyMention]], pay: Pay, target: Target | None) -> str:
    """The sentence with its asks made the email's one ask: replaced where written (however
    written: "$190,000", "$185K-$195K"), last first so earlier spans stay put."""
    for component, mention in sorted(asks, key=lambda a: a[1].start, reverse=True):
        amount = mention.range
        band = pay.get(component)
        if component == "total" and target is not None:
            fitted = target.amount
        elif (
            band is not None
            and band.currency == amount.currency
            and not (band.low <= amount.low <= amount.high <= band.high)
        ):
            fitted = MoneyRange(low=band.high, high=band.high, currency=band.currency)
        else:
            continue  # inside the range, or in another currency than the range: the guide's own figure
        sentence = sentence[: mention.start] + str(fitted) + sentence[mention.end :]
    return sentence


def _where(pay: Pay) -> str:
    """ "in Detroit" for "Detroit, MI (HQ)", as the guide names it; "working remotely"."""
    if pay.place is not None and pay.place.remote:
        return "working remotely"
    return "in " + re.sub(r"\s*\([^)]*\)", "", pay.region).split(",")[0].strip()


def _region_names(guide: Guide) -> dict[str, set[str]]:
    """How the guide names each region: "Detroit" for "Detroit, MI (HQ)", and its place's city
    and area, minus words two regions share (so "New York" is not also "New York City"'s)."""
    names: dict[str, set[str]] = {}
    for pay in guide.pay:
        candidates = {re.sub(r"\s*\([^)]*\)", "", pay.region).split(",")[0].strip()}
        if pay.place is not None:
            candidates |= {n for n in (pay.place.city, pay.place.area) if n}
        names[pay.region] = {n for n in candidates if n and len(n) > 2}
    return names


def _other_names(names: dict[str, set[str]], region: str) -> list[str]:
    own = {w.lower() for w in re.findall(r"[\w.]+", region)} | {n.lower() for n in names.get(region, ())}
    return sorted({n for r, ns in names.items() if r != region for n in ns if n.lower() not in own})


def _home(lever: Lever, names: dict[str, set[str]]) -> str | None:
    """The region the lever is written for: the first one its name, then its script, names."""
    for text in (lever.name, lever.script):
        found = [
            (m.start(), region)
            for region, ns in names.items()
            for n in ns
            if (m := re.search(rf"\b{re.escape(n)}\b", text, re.I))
        ]
        if found:
            return min(found)[1]
    return None


def _stated(guides: list[Guide]) -> str:
    """What the company's guides state outside their scripts: a count from here is the
    company's, not a claim the sender makes."""
    texts = [p.text for g in guides for p in g.narrative] + [p.text for g in guides for p in g.premiums]
    return "\n".join(texts).lower()
