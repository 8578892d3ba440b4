"""Every question the assistant suggests (chips, follow-ups, examples), phrased in one place
from the guides' own names: "an Engineering Manager", "Charlotte", "equity"."""

from __future__ import annotations

from index.model import Guide
from index.places import fold

TOPIC_WORDS = {"stock": "equity", "base": "base salary", "bonus": "bonus", "total": "total comp",
               "sign_on": "sign-on bonus", "relocation": "relocation", "one_off": "sign-on and relocation"}  # fmt: skip


def a(noun: str) -> str:
    """ "an Engineering Manager", "a Software Engineer"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def short_region(region: str) -> str:
    """ "Detroit, MI (HQ)" -> "Detroit": the short name people use."""
    bare = region.split("(")[0].strip()
    return bare.split(",")[0].strip() or region


def lever_topic(guide: Guide) -> str | None:
    """A pay component some lever of this guide asks for (equity first), as people say it."""
    asked = {a.component for lever in guide.levers for a in lever.asks if a.component}
    return next((TOPIC_WORDS[c] for c in TOPIC_WORDS if c in asked), None)


def ask_pay(guide: Guide, region: str | None = None, component: str = "base") -> str:
    where = f" in {short_region(region)}" if region else ""
    return f"What's the {TOPIC_WORDS.get(component, component)} range for {a(guide.role)} at {guide.company}{where}?"


def ask_target(guide: Guide, region: str) -> str:
    return f"What should I ask for as {a(guide.role)} at {guide.company} in {short_region(region)}?"


def ask_levers(guide: Guide, topic: str) -> str:
    return f"How do I push for more {topic} as {a(guide.role)} at {guide.company}?"


def ask_compare(guide: Guide, one: str, other: str) -> str:
    return f"Compare {short_region(one)} and {short_region(other)} for {a(guide.role)} at {guide.company}"


def ask_counter(guide: Guide, region: str) -> str:
    return f"Draft my counter email for {a(guide.role)} offer at {guide.company} in {short_region(region)}"


def ask_overview(guide: Guide) -> str:
    return f"Why is {guide.company} different for {a(guide.role)}?"


def ask_sources(guide: Guide) -> str:
    return f"Where does the {guide.company} {guide.role} data come from?"


def ask_premiums(guide: Guide) -> str:
    return f"What premiums can {a(guide.role)} at {guide.company} get?"


def ask_levels(guide: Guide) -> str:
    return f"How do {guide.company} {guide.role} levels map to competitors?"


def ask_intent(intent: str, guide: Guide | None, region: str | None) -> str | None:
    """A question that reads as `intent` about `guide` (for "did you mean" chips)."""
    if guide is None:
        return {"help": "What can you do?"}.get(intent)
    region = region or (guide.regions[0] if guide.regions else None)
    topic = lever_topic(guide) or "base salary"
    phrases = {
        "pay_range": ask_pay(guide, region),
        "targets": ask_target(guide, region) if region else None,
        "levers": ask_levers(guide, topic),
        "premiums": ask_premiums(guide),
        "level_mapping": ask_levels(guide),
        "compare": ask_compare(guide, guide.regions[0], guide.regions[-1]) if len(guide.regions) > 1 else None,
        "offer_eval": f"Is [your base] base a good offer for {a(guide.role)} at {guide.company}?",
        "counter_draft": ask_counter(guide, region) if region else None,
        "overview": ask_overview(guide),
        "sources": ask_sources(guide),
    }
    return phrases.get(intent)


def same_name(a_: str, b: str) -> bool:
    return fold(a_) == fold(b)
