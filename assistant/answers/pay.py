"""Answers about pay figures: ranges (leading with the component asked for), comparisons with
a verdict and computed differences, and negotiate-up targets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from assistant.answer import RangeBar
from assistant.answers.base import Request, basis_paragraph, clarify, lacking, restate, title
from assistant.answers.views import (
    CompareView,
    Comparison,
    Difference,
    Lead,
    PayBlock,
    PayView,
    Quote,
    QuoteView,
    TargetItem,
    TargetsView,
    View,
)
from assistant.compose import Ledger, PayRow, component_name, pay_row, range_bar, stale_note
from assistant.nlu.mentions import Reading
from assistant.nlu.vocabulary import Vocabulary, place_key
from index.lexicon import lexicon as guide_lexicon
from index.model import COMPONENT_NAMES, Amount, Component, Guide, Pay
from index.money import MoneyRange, format_amount
from index.places import fold
from index.sections import section_id
from index.text import split_sentences


def _stale(request: Request, guides: list[Guide]) -> str | None:
    return next((s for g in guides if (s := stale_note(g, request.today))), None)


def _lead(request: Request, ledger: Ledger, pay: Pay, guide: Guide, row: PayRow) -> Lead | None:
    """The figure asked for, first: a component, or its top or bottom ("max base")."""
    e = request.entities
    # "max pay?", "how much a year?": the total where there is one for a top or bottom, the base
    # rate for a period asked.
    component = e.component or ("total" if e.focus and pay.total else "base" if e.focus or e.per else None)
    if component is None:
        return None
    figure = pay.get(component)
    name = COMPONENT_NAMES[component]
    if figure is None:
        percent = pay.percents.get(component)
        return Lead(f"{name} · {guide.role} in {pay.region}", f"{percent} of base", row.cite) if percent else None
    cite, note = row.cite, f"{pay.percents[component]} of base" if component in pay.percents else ""
    if e.per is not None and figure.period not in (e.per, "one_off"):
        # "how much a year?" of a monthly band: the guide's own yearly figure, else the band
        # converted on a basis the guide states (and said so), else the band as it is.
        stated = next(
            (a.money for a in pay.extras if a.component == component and a.money and a.money.period == e.per), None
        )
        if stated is not None:
            figure = stated
        elif (restated := restate(guide, figure, e.per)) is not None:
            figure, how, basis = restated
            cite = ledger.fact(guide, "narrative", basis_paragraph(guide, basis), "conversion", how, str(figure), True)
            note = f"{how}, the basis the guide states"
    if e.focus == "high":
        return Lead(f"Top of the {name.lower()} range · {guide.role} in {pay.region}", _end(figure, "high"), cite, note)
    if e.focus == "low":
        return Lead(
            f"Bottom of the {name.lower()} range · {guide.role} in {pay.region}", _end(figure, "low"), cite, note
        )
    return Lead(f"{name} · {guide.role} in {pay.region}", str(figure), cite, note)


def _end(figure: MoneyRange, end: str) -> str:
    return format_amount(figure.high if end == "high" else figure.low, figure.currency)


def _bar(request: Request, guide: Guide, pay: Pay, row: PayRow, label: str) -> RangeBar | None:
    """The asked component's band in this row (total comp when none was asked), with the
    region's target zone when the target is for that component."""
    component = _measure([pay], request.entities.component)
    band = pay.get(component)
    if band is None:
        return None
    target = guide.target_for(pay.region)
    zone = target.amount if target is not None and target.component == component else None
    return range_bar(f"{label} · {COMPONENT_NAMES[component]}", component, band, row.cite, target=zone)


def quoted(
    request: Request,
    ledger: Ledger,
    guide: Guide,
    what: str | None = None,
    about: set[str] | None = None,
    rows_as_written: bool = True,
) -> QuoteView | None:
    """The guide's best-matching lines that carry figures, quoted and cited: pay the guide
    writes in a shape no reader types is still answered, in its own words. Of the retrieved
    sections, those that share the most of the question's words (or of `about`, the words
    the typed answer left unanswered) come first; one that shares none but the guide's own
    names is no answer. Beside typed rows shown, the guide's table rows as written are not
    quoted again (`rows_as_written`): they would show the neighbours of the row asked."""
    names = set(content_words(f"{guide.company} {guide.role}"))
    asked = about if about is not None else set(content_words(request.question)) - names
    candidates = []
    for rank, hit in enumerate(request.hits):
        section = hit.section
        if section.guide_id != guide.id or not _has_figures(section.text, section.kind == "table"):
            continue
        if section.kind in ("sources", "level_mapping", "dna") or section.kind == "table" and not rows_as_written:
            continue
        sentences = _sentences_about(section.text, asked, section.kind == "table")
        # A sentence that says a figure beside the words asked outranks words and figures
        # apart ("postings for Lagos, Abuja … Q4 2025" is no pay for Abuja).
        shared = max((len(asked & set(content_words(t))) for t in sentences), default=0)
        if shared:
            candidates.append((-shared, rank, section, sentences))
    # A row read into figures and the same row as written are one passage: quoted as written.
    written = {(c[2].start_line, c[2].end_line) for c in candidates if c[2].kind == "table"}
    candidates = [c for c in candidates if c[2].kind == "table" or (c[2].start_line, c[2].end_line) not in written]
    quotes, seen = [], set()
    for _, _, section, sentences in sorted(candidates, key=lambda c: (c[0], c[1])):
        if section.id in seen:
            continue
        seen.add(section.id)
        quotes.append(Quote(section.heading, " … ".join(sentences), ledger.quote(guide, section)))
        if len(quotes) == 2:
            break
    if not quotes:
        return None
    e = request.entities
    said = what or (e.extra or "").replace("_", " ") or (component_name(e.component) if e.component else "pay")
    where = f" in {e.region or e.unknown_place}" if (e.region or e.unknown_place) else ""
    return QuoteView(title=title(guide), quotes=quotes, asked=f"{said}{where}")


# A figure of pay as prose writes one: a number beside a currency sign or code, a share, a
# multiplier, a grouped or shortened amount ("₦620,000", "CHF 8'200", "12%", "1.5×", "$85K",
# "18–23 tr"). A year, a count of hospitals or "24/7" is none.
_FIGURE = re.compile(
    r"[^\w\s.,'’()/-]\s?\d|\d\s?(?:%|×|x\b|[kKmM]\b|[^\w\s.,'’()/–-])|\b[A-Z]{3}\s?\d|\d\s?[A-Z]{3}\b"
    r"|\d{1,3}(?:[,.'’ \u00a0]\d{3})+(?!\d)|\d\s?[–-]\s?\d+\s?[a-zà-ỹ]{1,4}\b"
)
_DATES = re.compile(r"\b(?:FY|Q[1-4]\s?)?(?:19|20)\d\d\b|\bQ[1-4]\b")  # "Q4 2025", "FY2025": when, not pay


def _has_figures(text: str, row: bool = False) -> bool:
    """Whether a passage says a figure of pay; a table row's cells are figures however bare."""
    return any(ch.isdigit() for ch in text) if row else _FIGURE.search(_DATES.sub("", text)) is not None


def _sentences_about(text: str, asked: set[str], row: bool = False) -> list[str]:
    """Of a passage, the sentences that say a figure beside a word asked, as written: "The
    range is ₦620,000 to ₦740,000 in Abuja …", not the paragraph of every city, and none
    when no sentence does (a place named in one sentence and pay in another is no pay there).
    A table row is one sentence."""
    sentences = [text] if row else [t for _, t in split_sentences(text)]
    return [t for t in sentences if _has_figures(t, row) and asked & set(content_words(t))]


def unread_words(reading: Reading, vocab: Vocabulary) -> set[str]:
    """Words of a question that no reading made anything of ("vakantiegeld", "anticipo",
    "service charge"): not a name it was read as (a place, a level), nor how people ask. A
    name read as one no guide covers is unread too: the guide asked about may write it."""
    named = " ".join(m.text for m in reading.mentions if not m.kind.startswith("unknown_"))
    ordinary = set(content_words(named)) | _asking(vocab.question_words)
    return {w for w in content_words(reading.question) if w not in ordinary and not w.isdigit()}


@cache
def _asking(words: frozenset[str]) -> frozenset[str]:
    """How people ask, as compared for quoting: once per vocabulary, not once per question."""
    return frozenset(content_words(" ".join(words)))


def content_words(text: str) -> list[str]:
    """A text's words as compared for quoting: folded, without short and common words."""
    return [
        w[:-1] if len(w) > 4 and w.endswith("s") else w
        for w in fold(text).split()
        if len(w) > 2 and w not in ENGLISH_STOP_WORDS
    ]


def _place_of(guide: Guide, region: str) -> str | None:
    pay = guide.pay_for(region)
    return place_key(pay) if pay is not None and pay.where else None


def _gives(guide: Guide, component: str, request: Request) -> bool:
    """Whether any of the guide's rows in scope gives `component` as money or a share of base."""
    rows = [p for r in request.scope.regions_of(guide) if (p := guide.pay_for(r)) is not None]
    return any(p.get(component) is not None or component in p.percents for p in rows)


def _extra_leads(request: Request, ledger: Ledger, guide: Guide, kind: str, wider: bool = True) -> list[Lead]:
    """The rows' typed figures of the kind asked for ("+$5/hr", "10% of ARR", "1.5×"): of
    that kind, or written with the words the question used for it ("Commission is 10% of
    ARR" typed as variable pay). Not `wider`: beyond the rows asked, only bands of the kind."""
    asked = _stems(" ".join(m.text for m in request.reading.of("extra")))
    regions = request.scope.regions_of(guide)
    # "what about on-call?" after the night shift in Singapore: the place's other rows (its
    # on-call row); then rows keyed by no place (a night differential "at every campus"),
    # which hold for every place that has no figure of that kind of its own.
    places = {p.where for r in regions if (p := guide.pay_for(r)) is not None and p.where}
    siblings = [p.region for p in guide.pay if p.where in places and p.region not in regions]
    everywhere = [p.region for p in guide.pay if p.where is None and p.place is None]
    leads, said = _leads_of(request, ledger, guide, kind, asked, regions)
    for rows in (siblings, everywhere):
        if not said:
            more, said = _leads_of(request, ledger, guide, kind, asked, rows, bands_only=not wider)
            leads = more if said or not leads else leads
    # A premium the question names ("weekends") beats figures of the kind not said with its words.
    return leads if said else (_premium_leads(request, ledger, guide) or leads)


def _counted_leads(request: Request, ledger: Ledger, guide: Guide, component: str) -> list[Lead]:
    """The grants of `component` written as counts ("1,000–2,000 options") in the rows asked."""
    rows = [p for r in request.scope.regions_of(guide) if (p := guide.pay_for(r)) is not None]
    leads = []
    for pay in rows:
        for a in pay.extras:
            if a.component == component and a.units is not None:
                n = ledger.fact(guide, "pay", pay.region, "range", f"{a.label} · {pay.region}", str(a))
                leads.append(Lead(f"{a.label} · {guide.role}, {pay.region}", str(a), n))
    return leads


def _premium_leads(request: Request, ledger: Ledger, guide: Guide) -> list[Lead]:
    """A shift or skill premium the question names ("what about overnights, how much extra?"
    where the guide lists "Overnight (11 p.m.–7 a.m.): +$2.25/hr" among its premiums)."""
    asked = set(content_words(request.question)) - set(content_words(f"{guide.role} {guide.company}"))
    leads = []
    for premium in guide.premiums:
        if premium.amount is not None and asked & set(content_words(re.sub(r"\([^)]*\)", " ", premium.name))):
            n = ledger.fact(guide, "premium", premium.name, "premium", premium.name, str(premium.amount))
            leads.append(Lead(f"{premium.name} · {guide.role}", str(premium.amount), n))
    return leads


def _leads_of(
    request: Request,
    ledger: Ledger,
    guide: Guide,
    kind: str,
    asked: set[str],
    regions: list[str],
    bands_only: bool = False,
) -> tuple[list[Lead], bool]:
    """The figures of `kind` in these rows; of them, those written with most of the question's
    own words ("nights": the night differential, not the freezer one). True when some were."""
    found: list[_Found] = []
    for region in regions:
        pay = guide.pay_for(region)
        if pay is None:
            continue
        row_words = _stems(f"{pay.schedule or ''} {pay.region}")
        if kind in COMPONENT_NAMES and (band := pay.get(kind)) is not None:  # type: ignore[arg-type]
            label = pay.labels.get(kind, COMPONENT_NAMES[kind])  # type: ignore[index]
            found.append(_Found(pay, label, str(band), 0, "", row_words))
        for a in pay.extras if not bands_only else ():
            words = _stems(f"{a.label} {a.text}") | row_words
            if a.component == kind or asked & words:
                found.append(_Found(pay, a.label, str(a), len(asked & words), _condition(a), words))  # noqa: PERF401
    # Those said with the question's words first; only they when the words that tell figures
    # apart are said ("nights": the night differential, not the freezer one) — words that only
    # name a kind ("commission rate and accelerators") drop no figure of the kind asked.
    said = any(f.said for f in found)
    telling = {w for w in asked if w not in ENGLISH_STOP_WORDS and guide_lexicon().kind_of(w) is None}
    told = [f for f in found if telling & f.words]
    if said:
        # (ties go to the figure said with more of the question's other words: "east/west")
        question = _stems(request.question)
        found = sorted(told or found, key=lambda f: (-f.said, -len(question & f.words)))
    leads = []
    for f in found:
        n = ledger.fact(guide, "pay", f.pay.region, "range", f"{f.label} · {f.pay.region}", f.figure)
        named = f"{f.label} · {guide.role}, {f.pay.region}" if f.label else f"{guide.role}, {f.pay.region}"
        leads.append(Lead(named, f.figure, n, f.note))
    return leads, said


@dataclass(frozen=True)
class _Found:
    """A figure of the kind asked, with what it is said with."""

    pay: Pay
    label: str
    figure: str
    said: int  # how many of the asked words it is said with
    note: str  # the clause a rate applies under, quoted
    words: set[str]  # the words it is said with


def _condition(amount: Amount) -> str:
    """A rate or multiplier means little without what it applies to ("2× on everything above
    130%"): its clause, quoted, when it says more than the figure."""
    if amount.multiplier is None and amount.percent is None:
        return ""
    text = amount.text.strip(" .;")
    return f"“{text}”" if len(text) > len(str(amount)) + 3 else ""


def _basis_leads(ledger: Ledger, guide: Guide) -> list[Lead]:
    """The salaries in a year (or hours) the guide says its pay is counted in, cited."""
    leads = []
    for basis in guide.bases:
        n = ledger.fact(guide, "narrative", basis_paragraph(guide, basis), "basis", basis.per_year, basis.text)
        said = f"{basis.value:g} {'salaries' if basis.per_year == 'salaries' else 'hours'} a year"
        leads.append(Lead(f"Paid on · {guide.role}", said, n, note=f"“{basis.text}”"))
    return leads


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) > 3}


def pay_range(request: Request, ledger: Ledger) -> View:
    guides = request.scope.guides
    untyped = [g for g in guides if not g.pay]
    if untyped and len(untyped) == len(guides):
        view = quoted(request, ledger, untyped[0])
        return view if view is not None else lacking(untyped[0], "pay figures")
    if len(guides) == 1 and guides[0].id in request.scope.quoting:
        # The place asked is in the guide's words, not in its rows: those words, quoted.
        view = quoted(request, ledger, guides[0], about=_places_asked(request))
        return view if view is not None else lacking(guides[0], "pay figures there")
    quotes: list[Quote] = []
    extra_leads: list[Lead] = []
    component = request.entities.component
    if component and not any(_gives(guide, component, request) for guide in guides):
        # A component the typed rows do not give as money ("ESOPs" counted in units, a
        # joining bonus in prose): its typed extras, else the guide's lines, quoted. A salary
        # asked of rows that give their pay another way ("a total monthly package") is
        # answered with that: a base figure elsewhere in the guide is not theirs. (A sign-on
        # or a bonus written once for every row is.)
        banded = component in ("base", "total") and any(
            p.components() for g in guides for r in request.scope.regions.get(g.id, []) if (p := g.pay_for(r))
        )
        extra_leads = [lead for g in guides for lead in _extra_leads(request, ledger, g, component, not banded)]
        if not extra_leads and not banded and (view := quoted(request, ledger, guides[0])) is not None:
            quotes = view.quotes
        if extra_leads or quotes:
            return PayView(leads=extra_leads, blocks=[], stale=_stale(request, guides), quotes=quotes)
    if kind := request.entities.extra:
        # A figure beyond the classic columns: the typed one where a reader found it, else
        # the guide's own lines about it, quoted — beside the rows asked for, if any were.
        extra_leads = [lead for g in guides for lead in _extra_leads(request, ledger, g, kind)]
        if component and component != kind:  # "how many esops, and what's the strike": both
            extra_leads += [lead for g in guides for lead in _counted_leads(request, ledger, g, component)]
        if kind == "extra_salary":  # "how many salaries a year?": the basis the guide states
            extra_leads += [lead for g in guides for lead in _basis_leads(ledger, g)]
        if not any(g.id in request.scope.regions for g in guides):
            if not extra_leads and (view := quoted(request, ledger, guides[0])) is not None:
                quotes = view.quotes
            if extra_leads or quotes:
                return PayView(leads=extra_leads, blocks=[], stale=_stale(request, guides), quotes=quotes)
    e = request.entities
    if len(guides) == 1 and not (e.region or e.regions or e.rows or e.component or e.extra or e.places):
        # "extra for sundays?": asked of no row or figure, and the rows do not say it — the
        # guide's words on it alone answer; every row of the guide is no answer to that.
        guide = guides[0]
        rows_shown = [p for r in request.scope.regions_of(guide) if (p := guide.pay_for(r)) is not None]
        shown = " ".join(
            f"{p.region} {' '.join([*p.labels.values(), *(a.label for a in p.extras)])}" for p in rows_shown
        )
        if quotes := _unanswered(request, ledger, guide, shown, rows_as_written=True):
            return PayView(leads=[], blocks=[], stale=_stale(request, guides), quotes=quotes)
    blocks: list[PayBlock] = []
    leads: list[Lead] = []
    bars: list[RangeBar] = []
    roles = {g.role_slug for g in guides}
    regions_asked = {g.id: request.scope.regions.get(g.id) for g in guides}
    if len(roles) > 1 and all(r and len(r) == 1 for r in regions_asked.values()):
        # One region, several roles ("base for every role at X in Detroit"): a table of roles.
        rows = []
        for guide in guides:
            pay = guide.pay_for(regions_asked[guide.id][0])  # type: ignore[index]
            assert pay is not None
            row = pay_row(ledger, guide, pay, label=guide.role)
            rows.append(row)
            if bar := _bar(request, guide, pay, row, guide.role):
                bars.append(bar)
            if lead := _lead(request, ledger, pay, guide, row):
                leads.append(lead)
        region = regions_asked[guides[0].id][0]  # type: ignore[index]
        blocks.append(PayBlock(f"{region} — {guides[0].company}: every role asked", rows, "Role"))
    else:
        written: list[Quote] = []
        for guide in guides:
            if guide.id in request.scope.quoting and len(guides) > 1:
                continue  # it names the place asked only in its words: no row of it is pay there
            rows = []
            for region in request.scope.regions_of(guide):
                pay = guide.pay_for(region)
                assert pay is not None
                if not (pay.components() or pay.extras):
                    # "Double time": a row no figure was typed from is said as written when
                    # asked for, and left out of a table of every row.
                    if guide.id in request.scope.regions and (as_written := _row_as_written(ledger, guide, pay)):
                        written.append(as_written)
                    continue
                row = pay_row(ledger, guide, pay)
                rows.append(row)
                label = pay.region if len(guides) == 1 else f"{guide.role}, {pay.region}"
                if bar := _bar(request, guide, pay, row, label):
                    bars.append(bar)
                if lead := _lead(request, ledger, pay, guide, row):
                    leads.append(lead)
            if rows:
                blocks.append(PayBlock(title(guide), rows))
        quotes = written or quotes  # the rows asked, as written, before any other lines
        if request.entities.extra and not (extra_leads or quotes) and (view := quoted(request, ledger, guides[0])):
            quotes = view.quotes  # the kind of figure asked, beside the rows asked: the guide's lines on it
    # A lead line per row asked, up to a few (a table says the rest); the figures of a kind
    # asked for ("commission rate + accelerators"), as no table shows them: the first eight,
    # those said with the question's words first.
    leads = extra_leads[:8] if extra_leads else leads if len(leads) <= 4 else []
    if not quotes and len(guides) == 1:
        shown = " ".join(
            [f"{lead.label} {lead.value} {lead.note}" for lead in leads]
            + [f"{b.title} {r.label} {' '.join(r.labels.values())}" for b in blocks for r in b.rows]
        )
        # The rows shown give the kind of figure asked (a salary, when none is named): the
        # table rows as written would only add their neighbours.
        asked = {e.component} if e.component else {"base", "total"}
        answered = any(r.cells[k].value != "—" for b in blocks for r in b.rows for k in asked & set(r.cells))
        quotes = _unanswered(request, ledger, guides[0], shown, rows_as_written=not answered)
    return PayView(
        leads=leads,
        blocks=blocks,
        stale=_stale(request, guides),
        bars=_same_scale(bars),
        quotes=quotes,
    )


def _unanswered(request: Request, ledger: Ledger, guide: Guide, shown: str, rows_as_written: bool) -> list[Quote]:
    """What the question asks about that the typed answer does not show ("vakantiegeld",
    "anticipo", "service charge"), in the guide's own lines, quoted and cited: words of the
    question the guide writes, that are neither how people ask nor the guide's names, and that
    no lead, row or column of the answer (`shown`) says."""
    missing = unread_words(request.reading, request.vocab)
    if not any(p.where or p.place for p in guide.pay):  # rows that name no place cannot show the one asked
        missing |= _places_asked(request)
    missing -= set(content_words(f"{guide.company} {guide.role} {shown}"))
    view = quoted(request, ledger, guide, about=missing, rows_as_written=rows_as_written) if missing else None
    return view.quotes if view is not None else []


def _row_as_written(ledger: Ledger, guide: Guide, pay: Pay) -> Quote | None:
    """The table row a pay row was read from, quoted as written; none when the line holds
    other rows too (a grid's cells, a transposed table's column), whose figures it would show."""
    if sum(p.lines.start == pay.lines.start for p in guide.pay) > 1:
        return None
    section = ledger.index.section(section_id(guide.id, "table", str(pay.lines.start)))
    if section is None:
        return None
    return Quote(section.heading, section.text, ledger.quote(guide, section))


def _places_asked(request: Request) -> set[str]:
    """The words of the places the question names, as it types them."""
    typed = [m.text for m in request.reading.of("place")] + [request.entities.unknown_place or ""]
    return set(content_words(" ".join(typed)))


def _same_scale(bars: list[RangeBar]) -> list[RangeBar]:
    """Bars drawn together compare one currency's figures; of mixed currencies, none are drawn."""
    return bars if len({b.currency for b in bars}) <= 1 else []


def _measure(pays: list[Pay], component: Component | None) -> Component:
    """What a comparison weighs: the component asked for, else total comp, else base."""
    for candidate in (component, "total", "base"):
        if candidate and all(p.get(candidate) for p in pays):
            return candidate
    return "base"


def compare(request: Request, ledger: Ledger) -> View:
    guides, e = request.scope.guides, request.entities
    if not (e.company or e.role or e.roles or e.places or e.region or e.regions) and len(guides) > 1:
        # "does the weekend one stack on top?" with nothing named: which guide is not ours to
        # pick (never the first company's roles side by side).
        return clarify(request, "comparison", ["company"], sorted({g.company for g in guides}))
    tables: list[tuple[str, list[tuple[Guide, Pay, str]]]] = []  # (title, [(guide, row, label)])
    if len({g.role_slug for g in guides}) > 1:
        # Roles side by side, in each region they share (or the one asked about).
        asked = request.scope.regions.get(guides[0].id)
        keys = [place_key(p) for r in asked for p in [guides[0].pay_for(r)] if p] if asked else _shared_places(guides)
        for key in keys:
            rows = [(g, p, g.role) for g in guides for p in g.pay if place_key(p) == key]
            if len(rows) > 1:
                tables.append((f"{' vs '.join(g.role for g, _, _ in rows)} — {rows[0][1].region}", rows))
    else:
        guide = guides[0]
        regions = request.scope.regions_of(guide)
        if len(regions) < 2:
            regions = guide.regions  # "how does Charlotte compare?": with every other region
        rows = [(guide, p, p.region) for r in regions if (p := guide.pay_for(r)) is not None]
        if len(rows) > 1:
            tables.append((f"{title(guide)}: {' vs '.join(label for _, _, label in rows)}", rows))
    if not tables:
        if guides and len(guides[0].regions) < 2:
            return lacking(guides[0], "second region to compare with")
        return clarify(request, "comparison", ["region"], guides[0].regions if guides else [])
    comparisons = [_comparison(ledger, heading, rows, e.component) for heading, rows in tables]
    return CompareView(comparisons, _stale(request, guides))


def _comparison(
    ledger: Ledger, heading: str, pairs: list[tuple[Guide, Pay, str]], component: Component | None
) -> Comparison:
    measure = _measure([p for _, p, _ in pairs], component)
    rows = [pay_row(ledger, g, p, label=label, with_target=False) for g, p, label in pairs]
    block = PayBlock(heading, rows, "Role" if len({g.role_slug for g, _, _ in pairs}) > 1 else "Region")
    figures = [(label, p.get(measure), row.cite) for (_, p, label), row in zip(pairs, rows, strict=True)]
    differences = []
    if len(figures) == 2:
        (a_label, a, a_cite), (b_label, b, b_cite) = figures
        # Only like with like: "$33/hr" less "$66K" a year is no difference anyone is paid.
        if a is not None and b is not None and a.same_basis(b):
            value = f"{_signed(a.low - b.low, a.currency)} to {_signed(a.high - b.high, a.currency)}"
            label = f"{a_label} vs {b_label}, {component_name(measure)}"
            differences.append(Difference(label, value, (a_cite, b_cite)))
            ledger.fact(pairs[0][0], "pay", pairs[0][1].region, "difference", label, value, derived=True)
    return Comparison(block, _verdict(figures, measure), differences)


def _shared_places(guides: list[Guide]) -> list[str]:
    keys = [place_key(p) for p in guides[0].pay]
    return [k for k in keys if all(any(place_key(p) == k for p in g.pay) for g in guides[1:])] or keys[:1]


def _verdict(figures: list[tuple[str, MoneyRange | None, int]], measure: Component) -> str | None:
    """Which pays the most on what is weighed (by the top of its range), in one line."""
    known = [(label, f) for label, f, _ in figures if f is not None]
    if len(known) < 2 or len({(f.currency, f.period) for _, f in known}) > 1:
        return None  # (figures in two currencies, or paid per hour beside per year, rank nothing)
    best = max(known, key=lambda t: (t[1].high, t[1].low))
    worst = min(known, key=lambda t: (t[1].high, t[1].low))
    if best[1] == worst[1]:
        return f"Same {component_name(measure)} range everywhere: {best[1]}."
    return f"{best[0]} pays the most {component_name(measure)} ({best[1]}); {worst[0]} the least ({worst[1]})."


def _signed(amount: int | float, currency: str) -> str:
    return ("+" if amount >= 0 else "−") + format_amount(abs(amount), currency)


def targets(request: Request, ledger: Ledger) -> View:
    guides, e = request.scope.guides, request.entities
    several = len(guides) > 1
    items = []
    for guide in guides:
        regions = set(request.scope.regions_of(guide))
        # A target is set for a place: it holds for every row of that place (each level of it).
        places = {place_key(p) for r in regions if (p := guide.pay_for(r)) is not None and p.where}
        chosen = [t for t in guide.targets if t.region in regions or _place_of(guide, t.region) in places]
        if e.component:
            chosen = sorted(chosen, key=lambda t: t.component != e.component)
        for target in chosen:
            n = ledger.fact(
                guide, "target", target.region, "target", f"Negotiate-up target · {target.region}", str(target.amount)
            )
            label = f"{guide.role} · {target.region}" if several else target.region
            items.append(TargetItem(label, str(target.amount), component_name(target.component), target.text, n))
    if not items:
        region = next(iter(request.scope.regions.get(guides[0].id) or []), None) if guides else None
        return lacking(guides[0], "negotiate-up targets", region)
    heading = title(guides[0]) if not several else ", ".join(title(g) for g in guides)
    return TargetsView(heading, items, _stale(request, guides))
