"""Deterministic synthetic negotiation guides, in the exact Markdown format of seeds/.

The real corpus is five guides, far too few to test parsing, indexing or retrieval at scale.
This module writes any number of fictitious guides (invented companies, non-seed role titles)
that follow the seeds' layout line for line and are arithmetically consistent, so tests can
check parsed figures against the numbers the generator put in. Guide `i` depends only on
(`i`, `seed`), so any single guide can be regenerated without building the rest.

    python -m tests.synth 2000 /tmp/synth   # write a corpus
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PREFIXES = (
    "Northwind Bluepeak Quantix Ironbark Silverline Brightwater Cedarpoint Lumora Stonebridge"
    " Redfern Clearpath Harborview Evermont Kestrava Novalis Pinegate Orbitra Tidewell Granite"
    " Solvane Arcturo Meadowlark Vireo Copperhill Zenthos Driftwood Halvard Obsidia Larkspur"
    " Wexford"
).split()
# Suffix -> (industry, industry noun, industry DNA tag): keeps each company's prose on-topic.
SUFFIXES = {
    "Bank": ("financial services", "banking", "100% Digital Bank"),
    "Capital": ("investment management", "asset management", "Algorithmic Investing"),
    "Labs": ("applied research", "research", "Research-Driven Culture"),
    "Health": ("healthcare", "healthcare", "Clinical Data Platform"),
    "Logistics": ("logistics", "freight", "Real-Time Supply Chain"),
    "Insurance": ("insurance", "insurance", "Digital Underwriting"),
    "Energy": ("energy", "utility", "Grid Modernization"),
    "Systems": ("enterprise software", "software", "Enterprise SaaS"),
    "Analytics": ("data analytics", "analytics", "Data Products"),
    "Retail": ("retail", "retail", "Omnichannel Commerce"),
    "Robotics": ("industrial automation", "manufacturing", "Autonomous Systems"),
    "Payments": ("payments", "payments", "Real-Time Payments"),
    "Telecom": ("telecommunications", "telecom", "5G Network Platform"),
    "Media": ("digital media", "media", "Streaming Scale"),
}
# Title -> (base-salary centre in $K, "Tag/Tag/Tag" role DNA tags, numbered ladder?).
# None of the seeds' titles appear, so synthetic guides can never be mistaken for them.
ROLES: dict[str, tuple[int, str, bool]] = {
    "Data Engineer": (135, "Data Pipelines/Streaming Platforms/Data Governance", True),
    "Site Reliability Engineer": (150, "Incident Response/Observability/SLO Ownership", False),
    "Security Analyst": (105, "Threat Detection/SOC Operations/Compliance Audits", True),
    "UX Designer": (115, "User Research/Design Systems/Accessibility", False),
    "Machine Learning Engineer": (165, "Model Serving/Feature Stores/MLOps", False),
    "QA Engineer": (100, "Test Automation/Release Quality/Regression Strategy", True),
    "Data Scientist": (145, "Experimentation/Causal Inference/Forecasting", False),
    "DevOps Engineer": (140, "CI-CD Pipelines/Infrastructure as Code/Cloud Cost", True),
    "Platform Engineer": (150, "Internal Platforms/Kubernetes/Developer Experience", False),
    "Data Analyst": (90, "Business Intelligence/SQL Analytics/Dashboarding", True),
    "Backend Engineer": (140, "Distributed Systems/API Design/Event Streaming", False),
    "Frontend Engineer": (130, "Web Performance/Component Libraries/Accessibility", False),
    "Product Designer": (125, "Interaction Design/Prototyping/Design Strategy", False),
    "Business Analyst": (90, "Requirements Analysis/Process Mapping/Stakeholder Alignment", True),
    "Database Administrator": (115, "Query Tuning/High Availability/Backup Strategy", True),
    "Network Engineer": (110, "Network Automation/Zero Trust/Edge Routing", True),
    "Security Engineer": (145, "Application Security/Cloud Security/Threat Modeling", False),
    "Analytics Engineer": (130, "dbt Modeling/Metrics Layers/Data Quality", False),
    "Mobile Engineer": (138, "iOS and Android/Mobile Release Trains/Offline-First", False),
    "Cloud Architect": (165, "Multi-Cloud Strategy/Landing Zones/Cost Governance", False),
    "Quantitative Analyst": (160, "Risk Modeling/Pricing Models/Statistical Research", True),
}
# Region -> pay factor vs. a national median. First comma parts are all distinct.
REGIONS = {
    "San Francisco, CA": 1.25,
    "New York": 1.2,
    "Seattle, WA": 1.15,
    "Boston, MA": 1.1,
    "London": 1.05,
    "Los Angeles, CA": 1.08,
    "Washington, DC": 1.06,
    "Austin, TX": 1.0,
    "Denver, CO": 0.98,
    "Chicago, IL": 0.99,
    "Toronto, ON": 0.92,
    "Atlanta, GA": 0.95,
    "Dallas, TX": 0.96,
    "Raleigh, NC": 0.94,
    "Minneapolis, MN": 0.93,
    "Phoenix, AZ": 0.9,
    "Salt Lake City, UT": 0.9,
    "Pittsburgh, PA": 0.88,
    "Columbus, OH": 0.87,
    "Miami, FL": 0.95,
    "Portland, OR": 0.97,
}
COMPETITORS = (
    "Crestmark Vantora Altamira Corvane Stratavia Helixa Junoworks Talonfield Pinecrest Orbison"
    " Kestrel Meridia Brantley Solara Quorra Fenwick Marlowe Tessary Ardent Calyra"
).split()
THEMES = (
    "Trusted Automation",
    "Resilient Infrastructure",
    "Real-Time Intelligence",
    "Privacy-First Design",
    "Zero-Downtime Operations",
    "Human-Centered AI",
    "Secure-by-Default Engineering",
    "Predictive Operations",
)
# Heading variants, so a parser must find sections by their content, not one fixed title.
# "Negotiation DNA" and "Level Mapping" stay fixed: they are format words in every guide.
COMP_HEADINGS = ("Compensation Benchmarks — {}-Region Model", "Pay Benchmarks — {} Markets")
LEVER_HEADINGS = ("Global Levers", "Negotiation Levers", "Levers")
SOURCE_HEADINGS = ("Evidence & Sources", "Sources", "Evidence")
CULTURE_TAGS = ("Responsible AI", "SOC 2 Culture", "Open Source First", "Engineering Excellence")
SOURCE_SITES = ("Levels.fyi", "Glassdoor", "Dice", "LinkedIn", "Blind", "Indeed", "Payscale")
# (company, role) pairs are an affine permutation of all combinations, so guides
# 0..PAIRS-1 of one seed never repeat a pair. The stride is prime, hence coprime to PAIRS.
PAIRS = len(PREFIXES) * len(SUFFIXES) * len(ROLES)
_STRIDE = 7919


@dataclass
class Region:
    name: str
    base: tuple[int, int]  # $K
    stock: tuple[int, int]
    bonus: tuple[int, int]
    sign_on: tuple[int, int] = (0, 0)
    relocation: tuple[int, int] = (0, 0)
    bonus_percent: tuple[int, int] = (0, 0)

    @property
    def city(self) -> str:
        return self.name.split(",")[0].removesuffix(" (HQ)")

    @property
    def total(self) -> tuple[int, int]:
        (b0, b1), (s0, s1), (n0, n1) = self.base, self.stock, self.bonus
        return b0 + s0 + n0, b1 + s1 + n1


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def money(lo: int, hi: int | None = None, currency: str = "USD", bare: bool = False) -> str:
    """`$165K–$218K` with an EN DASH, as the seeds write ranges (amounts in K); in another
    currency `€165K–€218K` or `CAD 165K–218K`; `bare` writes prose as authors do, `165k–218k`."""
    if bare:
        return f"{lo}k" if hi is None else f"{lo}k–{hi}k"
    sign = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
    if sign is None:
        return f"{currency} {lo}K" if hi is None else f"{currency} {lo}K–{hi}K"
    return f"{sign}{lo}K" if hi is None else f"{sign}{lo}K–{sign}{hi}K"


# How authors vary (issue 6): each varied guide draws one of each.
QUALIFIERS = (None, "Global", "Asia-Pacific", "(EMEA)", "— North America", "UK", "Americas", "(APAC)")
GUIDE_WORDS = ("Negotiation Guide", "Offer Guide", "Compensation Playbook", "Salary Guide")
HEADERS = {
    "base": ("Base Salary", "Base", "Salary", "Annual Base", "Base Pay"),
    "stock": ("Stock (RSU/4yr)", "RSUs (4-yr)", "Equity", "Options", "Phantom Units", "LTIP"),
    "bonus": ("Bonus", "Target Bonus", "Annual Bonus"),
    "sign_on": ("Sign-On", "Sign-on Bonus", "Signing Bonus"),
    "relocation": ("Relocation", "Relocation Allowance"),
    "total": ("Total Comp", "TC", "Total Compensation"),
}
EQUITY_WORDS = {"Options": "option", "Phantom Units": "phantom unit", "LTIP": "LTIP"}
CURRENCIES = ("USD", "USD", "EUR", "GBP", "CAD")


@dataclass
class Style:
    """The variations one guide is written with (the seeds' own style when `plain`)."""

    qualifier: str | None = "Global"
    guide_words: str = "Negotiation Guide"
    currency: str = "USD"
    columns: tuple[str, ...] = ("base", "stock", "bonus", "total")
    headers: dict[str, str] | None = None
    percent_bonus: bool = False
    bare: bool = False  # prose amounts without a sign
    lever_shape: str = "numbered"  # numbered | heading | bullet
    target_shape: str = "quote"  # quote | bullets

    def header(self, component: str) -> str:
        return (self.headers or {}).get(component) or HEADERS[component][0]

    def amount(self, lo: int, hi: int | None = None, prose: bool = True) -> str:
        return money(lo, hi, self.currency, bare=self.bare and prose)


def draw_style(rng: random.Random) -> Style:
    columns = ["base", "stock", "bonus"]
    rng.shuffle(columns)
    if rng.random() < 0.35:  # a sign-on column, sometimes before the bonus
        columns.insert(rng.choice((columns.index("bonus"), len(columns))), "sign_on")
    if rng.random() < 0.2:
        columns.append("relocation")
    percent_bonus = rng.random() < 0.25
    if not percent_bonus or rng.random() < 0.5:
        columns.append("total")
    return Style(
        qualifier=rng.choice(QUALIFIERS),
        guide_words=rng.choice(GUIDE_WORDS),
        currency=rng.choice(CURRENCIES),
        columns=tuple(columns),
        headers={c: rng.choice(options) for c, options in HEADERS.items()},
        percent_bonus=percent_bonus,
        bare=rng.random() < 0.4,
        lever_shape=rng.choice(("numbered", "heading", "bullet")),
        target_shape=rng.choice(("quote", "bullets")),
    )


def _regions(rng: random.Random, cities: list[str], centre: float) -> list[Region]:
    def span(lo: int, a: float, b: float) -> tuple[int, int]:
        return lo, max(lo + 2, round(lo * rng.uniform(a, b)))

    out = []
    for name in cities:
        lo = round(centre * REGIONS[name.removesuffix(" (HQ)")] * rng.uniform(0.98, 1.02))
        base = span(lo, 1.22, 1.36)
        stock = span(round(lo * rng.uniform(0.15, 0.3)), 1.6, 1.95)
        bonus = span(round(lo * rng.uniform(0.1, 0.25)), 1.4, 1.75)
        sign_on = span(round(lo * rng.uniform(0.05, 0.12)), 1.5, 2.0)
        relocation = span(rng.randint(5, 10), 1.4, 1.8)
        pct = rng.randint(8, 15)
        out.append(Region(name, base, stock, bonus, sign_on, relocation, (pct, pct + rng.randint(3, 6))))
    return out


def _ask(rng: random.Random, kind: str, regions: list[Region], style: Style) -> tuple[str, dict]:
    """A lever's closing ask and the ask it makes. Amounts lie inside the regions' union."""
    if kind == "percent":
        p = rng.randint(12, 22)
        text = rng.choice(ASKS[kind])
        high = p + rng.randint(2, 4) if "{p2}" in text else p
        return text.format(p=p, p2=high), {"component": "bonus", "percent": [float(p), float(high)]}
    component = {"sign_on": "sign_on" if "sign_on" in style.columns else "bonus", "one_off": "relocation"}.get(
        kind, kind
    )
    lo = min(getattr(r, component)[0] for r in regions)
    hi = max(getattr(r, component)[1] for r in regions)
    b = rng.randint(lo + (hi - lo) // 2, hi)
    a = max(lo, b - rng.randint(2, 8))
    text = rng.choice(ASKS[kind])
    one = "{rng}" not in text
    equity = EQUITY_WORDS.get(style.header("stock"), "RSU")
    phrase = text.format(one=style.amount(b), rng=style.amount(a, b), equity=equity)
    asked = {"one_off": "one_off", "sign_on": "sign_on"}.get(kind, kind)
    return phrase, {"component": asked, "amount": [(b if one else a) * 1000, b * 1000]}


def _sentences(rng: random.Random, pool: tuple[str, ...], n: int, fmt: dict[str, str]) -> str:
    """The pool's opening sentence plus n-1 others, in pool order so the paragraph reads."""
    picked = [0, *sorted(rng.sample(range(1, len(pool)), n - 1))]
    return " ".join(pool[j].format(**fmt) for j in picked)


def _deal(rng: random.Random, pool: tuple[str, ...], n: int) -> list[str]:
    """n items from a shuffled pool, repeating only once the pool is used up."""
    order = rng.sample(pool, len(pool))
    return [order[j % len(order)] for j in range(n)]


@dataclass
class Synthetic:
    company_slug: str
    role_slug: str
    text: str
    expected: dict  # the facts, in the schema of tests/guides/*/<guide>.expected.yaml


def generate_guide(i: int, seed: int = 0) -> tuple[str, str, str]:
    """Return (company_slug, role_slug, markdown_text) for synthetic guide number i, written
    in the seeds' own style."""
    guide = synthesize(i, seed, vary=False)
    return guide.company_slug, guide.role_slug, guide.text


def synthesize(i: int, seed: int = 0, vary: bool = True) -> Synthetic:
    """Guide number i and the facts it states; `vary` writes it the way some author might
    (title qualifier, columns, currency, %-bonus, sign-on, lever and target shapes, bare k)."""
    rng = random.Random(seed * 1_000_003 + i)
    k = (i * _STRIDE + seed * 104_729) % PAIRS
    role, co = list(ROLES)[k % len(ROLES)], k // len(ROLES)
    centre, role_tags, numbered = ROLES[role][0], ROLES[role][1].split("/"), ROLES[role][2]
    # Company-wide facts come from the company's own RNG, so all its roles share them, as in
    # the seeds (same regions, competitors and company DNA tags). str seeds are stable.
    crng = random.Random(f"company:{seed}:{co}")
    short, suffix = PREFIXES[co // len(SUFFIXES)], list(SUFFIXES)[co % len(SUFFIXES)]
    display, (industry, noun, industry_tag) = f"{short} {suffix}", SUFFIXES[suffix]
    cities = crng.sample(list(REGIONS), crng.randint(1 if vary else 2, 6))
    if crng.random() < 0.75:  # the first region is usually headquarters, marked like the seeds
        cities[0] += " (HQ)"
    theme, platform = crng.choice(THEMES), short + crng.choice((".ai", " Cloud", " Core", " OS"))
    exchange = crng.choice(("NYSE", "NASDAQ", None))
    equity = f"Public Equity ({exchange}: {short[:4].upper()})" if exchange else "Pre-IPO Equity"
    tag_list = [platform, theme, crng.choice(CULTURE_TAGS), equity, industry_tag, *role_tags]
    tags = " ".join(f"`{t}`" for t in tag_list)
    comps, customers = crng.sample(COMPETITORS, 5), crng.randint(2, 40)
    regions = _regions(rng, cities, centre * crng.uniform(0.88, 1.15) * rng.uniform(0.95, 1.05))
    style = draw_style(random.Random(f"style:{seed}:{i}")) if vary else Style()
    cur = style.currency
    fmt = dict(
        role=role,
        roles=f"{role}s",
        short=short,
        display=display,
        theme=theme,
        platform=platform,
        industry=industry,
        noun=noun,
        hq=regions[0].city,
        customers=f"{customers} million+",
        c1=comps[0],
        c2=comps[1],
        c3=comps[2],
        t1=role_tags[0],
        t2=role_tags[1],
    )
    qualifier = style.qualifier
    expected: dict = {
        "company": display,
        "role": role,
        "currency": cur,
        "dna_tags": tag_list,
        "pay": [],
        "premiums": [],
        "levers": [],
        "targets": [],
    }
    if qualifier:
        expected["scope"] = qualifier.strip("()— ")
    out: list[str] = []

    frontmatter = rng.random() < 0.7  # ~30% of guides have no frontmatter, like two of the seeds
    expected["frontmatter"] = frontmatter
    if frontmatter:
        y, m, d = rng.randint(2025, 2026), rng.randint(1, 12), rng.randint(1, 28)
        q = (m - 1) // 3  # salary data comes from the quarter before the update
        out += [
            "---",
            f"company: {slugify(display)}",
            f"company_display: {display}",
            f"role: {slugify(role)}",
            f"role_display: {role}",
            "role_type: standard",
            f"last_updated: {date(y, m, d)}",
            f"data_quality: {rng.choice(('high', 'high', 'medium', 'low'))}",
            f"salary_data_quarter: {y - 1 if q == 0 else y}-Q{4 if q == 0 else q}",
            f"next_review_due: {date(y + (m + 2) // 12, (m + 2) % 12 + 1, d)}",
            "compensation:",
        ]
        for r in regions:
            out.append(f'  - region: "{r.name}"' if "," in r.name else f"  - region: {r.name}")
            figures = {"base": r.base, "stock": r.stock}
            if not style.percent_bonus:
                figures["bonus"] = r.bonus
            if "total" in style.columns and not style.percent_bonus:
                figures["total_comp"] = r.total
            for key, (lo, hi) in figures.items():
                out += [f"    {key}_low: {lo * 1000}", f"    {key}_high: {hi * 1000}"]
            out.append(f"    currency: {cur}")
        sites = ["Levels.fyi", *rng.sample(SOURCE_SITES[1:], rng.randint(2, 4))]
        out += ["level_mapping:", "  internal: null", "data_sources:", *(f"  - {s}" for s in sites)]
        out += [f'negotiation_dna_summary: "{tags}"', "---"]

    heading = rng.choice(COMP_HEADINGS).format(len(regions))
    title_company = f"{display} {qualifier}" if qualifier else display
    out += [
        f"### {role} | {title_company} {style.guide_words}",
        "",
        f"**Negotiation DNA:** {tags}",
        "",
        "---",
        "",
        f"#### {heading}",
        "",
        "| Region | " + " | ".join(style.header(c) for c in style.columns) + " |",
        "|---|" + "---|" * len(style.columns),
    ]
    for r in regions:
        cells, row = [r.name], {"region": r.name}
        for component in style.columns:
            if component == "bonus" and style.percent_bonus:
                cells.append(f"{r.bonus_percent[0]}–{r.bonus_percent[1]}%")
                row["bonus_percent"] = [float(v) for v in r.bonus_percent]
                continue
            lo, hi = r.total if component == "total" else getattr(r, component)
            cells.append(style.amount(lo, hi, prose=False))
            row[component] = [lo * 1000, hi * 1000]
        out.append("| " + " | ".join(cells) + " |")
        expected["pay"].append(row)

    out += ["", "---", "", "#### Negotiation DNA", ""]
    for pool in (DNA_IMPACT, DNA_THEME, DNA_MARKET)[: rng.randint(2, 3)]:
        out += [_sentences(rng, pool, rng.randint(3, 4), fmt), ""]
    out += [f"{display} is the company this guide covers.", ""]  # the body names it plainly

    competitors = comps[: rng.randint(1, 5)]
    if numbered:
        ladder = [f"{role} I", f"{role} II", f"{role} III", f"Senior {role}"]
    else:
        ladder = [role, f"Senior {role}", f"Staff {role}", f"Principal {role}"]
    alias = [f"Associate {role}", f"Lead {role}", f"Senior {role}", f"Distinguished {role}"]
    out += ["---", "", "#### Level Mapping", ""]
    out.append(f"| {short} Level | " + " | ".join(f"{c} Equivalent" for c in competitors) + " |")
    out.append("|---|" + "---|" * len(competitors))
    rows = []
    for n, level in enumerate(ladder[: rng.randint(2, 4)]):
        cells = [level if rng.random() < 0.7 else alias[n] for _ in competitors]
        out.append(f"| {level} | " + " | ".join(cells) + " |")
        rows.append({"level": level, "equivalents": dict(zip(competitors, cells, strict=True))})
    expected["levels"] = {"our_label": f"{short} Level", "competitors": competitors, "rows": rows}

    title = rng.choice((f"{short} Edge", platform, f"{platform} Platform"))
    out += ["", "---", "", f"#### {title} — The {theme} Premium", ""]
    premiums = []  # (short name, range), reused by the negotiate-up rationales
    picked = rng.sample(PREMIUMS, rng.randint(2, 5))
    for (name, body), claim in zip(picked, _deal(rng, CLAIMS, len(picked)), strict=True):
        lo = rng.randint(5, 14)
        hi = lo + rng.randint(4, 10)
        premiums.append((name.format(**fmt).split(" — ")[0], style.amount(lo, hi)))
        claim = claim.format(m=premiums[-1][1], **fmt)
        out += [f"- **{name.format(**fmt)}**: {body.format(**fmt)} {claim}", ""]
        expected["premiums"].append({"name": name.format(**fmt), "amount": [lo * 1000, hi * 1000]})

    out += ["---", "", f"#### {rng.choice(LEVER_HEADINGS)}", ""]
    names = rng.sample(LEVER_NAMES, rng.randint(2, 7))
    contexts = _deal(rng, CONTEXTS, len(names))
    kinds = ["base", "stock", "total", "percent", "sign_on"] + (["one_off"] if vary else [])
    for n, name in enumerate(names, 1):
        ask, asked = _ask(rng, rng.choice(kinds), regions, style)
        script = f"{contexts[n - 1].format(**fmt)} {ask}"
        lever = f"{name.format(**fmt)} Lever"
        if style.lever_shape == "heading":
            out += [f"##### Lever {n} — {lever}", "", f'> "{script}"', ""]
        elif style.lever_shape == "bullet":
            out += [f"- **{lever}**", f'  > "{script}"', ""]
        else:
            out += [f"{n}. **{lever}**", f'> "{script}"', ""]
        starts = " ".join(script.split()[:4])
        expected["levers"].append({"number": n, "name": lever, "script_starts": starts, "asks": [asked]})

    # One sentence per region; the TC range sits inside that region's total range.
    strategy, rationales = [], _deal(rng, RATIONALES, len(regions))
    for n, r in enumerate(regions):
        lo, hi = r.total
        premium, amount = rng.choice(premiums)
        why = rationales[n].format(city=r.city, premium=premium, m=amount, **fmt)
        verb = "push for" if n == 0 else "target"
        top = hi if rng.random() < 0.85 else hi - rng.randint(1, 5)  # usually the band's top
        low = max(lo, round(hi * rng.uniform(0.9, 0.94)))
        strategy.append((r.city, f"{verb} {style.amount(low, top)} TC by {why}."))
        expected["targets"].append({"region": r.name, "component": "total", "amount": [low * 1000, top * 1000]})
    if style.target_shape == "bullets":
        out += ["---", "", "#### What to push for", ""]
        out += [f"- **{city}**: {sentence[0].upper()}{sentence[1:]}" for city, sentence in strategy] + ["", "---", ""]
    else:
        text = " ".join(f"In {city}, {sentence}" for city, sentence in strategy)
        out += ["---", "", f"> **Negotiate Up Strategy:** {text}", "", "---", ""]

    fmt.update(cities="-".join(r.city for r in regions), site=slugify(display).replace("-", ""))
    out += [f"#### {rng.choice(SOURCE_HEADINGS)}", ""]
    chosen = sorted(rng.sample(range(len(SOURCES)), rng.randint(4, 8)))
    for n, j in enumerate(chosen, 1):
        out.append(f"{n}. {SOURCES[j].format(q=rng.randint(1, 4), **fmt)}")
    expected["sources"] = len(chosen)
    return Synthetic(slugify(display), slugify(role), "\n".join(out) + "\n", expected)


def write_corpus(out_dir: Path, n: int, seed: int = 0, vary: bool = True) -> list[Path]:
    """Write n guides as out_dir/<company-slug>/<role-slug>.md; return the paths (sorted)."""
    paths = []
    for i in range(n):
        guide = synthesize(i, seed, vary)
        company, role, text = guide.company_slug, guide.role_slug, guide.text
        path = Path(out_dir) / company / f"{role}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return sorted(paths)


def broken_variants() -> dict[str, str]:
    """Deliberately malformed guides for tests, each otherwise a normal generated guide.

    Only "bad_yaml" has frontmatter; the others are frontmatter-less guides, so the table
    is their only source of figures and the one defect is unambiguous.
    """
    texts = [generate_guide(i)[2] for i in range(20)]
    with_fm = next(t for t in texts if t.startswith("---\n"))
    plain = next(t for t in texts if not t.startswith("---\n"))
    lines = plain.splitlines()
    start = next(n for n, ln in enumerate(lines) if ln.startswith("| Region |"))
    end = next(n for n in range(start, len(lines)) if not lines[n].startswith("|"))
    row = lines[start + 2].split(" | ")
    lo, hi = re.findall(r"\d+", row[4])
    garbled = " | ".join([row[0], "$1x5K–$2!8K", *row[2:]])
    bad_total = " | ".join([*row[:4], money(int(lo), int(hi) + 7) + " |"])
    return {
        # An unclosed double quote: YAML reads on into the following lines and fails.
        "bad_yaml": with_fm.replace("\nrole_display: ", '\nrole_display: "', 1),
        "no_table": "\n".join(lines[:start] + lines[end + 1 :]) + "\n",
        "garbled_money": plain.replace(lines[start + 2], garbled, 1),
        "bad_total": plain.replace(lines[start + 2], bad_total, 1),
    }


# Prose pools. Placeholders are filled from `fmt` in generate_guide; no prose holds money,
# so every $ figure in a guide is one the generator chose and can check.
DNA_IMPACT = (
    "{roles} at {display} own systems in the direct path of {customers} customers.",
    "{display} is a technology organization that happens to operate in {industry}.",
    "At a traditional {noun} company, a missed deadline is absorbed by manual fallbacks.",
    "At {short}, there is no such buffer — every release is visible to customers within hours.",
    "The {role} title at {short} carries a broader mandate than the same title at most peers.",
    "{roles} own their work end to end, from design review through production support.",
    "Candidates should treat this scope as leverage rather than as a default expectation.",
)
DNA_THEME = (
    '{short}\'s commitment to "{theme}" through the {platform} platform sets it apart.',
    "{roles} must ship quickly while keeping those guarantees intact across every release.",
    "Experience with {t1} or {t2} maps directly onto the {platform} roadmap.",
    "Release gates and on-call rotations carry a standard most {industry} employers never set.",
    "People who have done this before are scarce, and scarcity is the strongest argument.",
    "Candidates with concrete results here should anchor at the top of the published ranges.",
)
DNA_MARKET = (
    "{short}'s {hq} base creates an arbitrage opportunity for candidates.",
    "Pay bands are calibrated against national competitors such as {c1} and {c2}.",
    "Leadership has tied {short}'s growth plan to its technology teams.",
    "That gives {roles} direct strategic visibility, well beyond a typical {noun} role.",
    "Benchmark against senior roles at {c1} and {c2} where comparable scope applies.",
)
PREMIUMS = (
    ("{theme} Builder", '{roles} at {short} make "{theme}" more than a slogan.'),
    ("{platform} Platform Scarcity Value", "Hands-on {platform} experience is rare in {industry}."),
    ("Direct Customer Impact", "Work by {roles} reaches {customers} customers with no buffer."),
    ("{t1} Depth — Hiring Bar", "{short} hires for proven {t1} results, which few can show."),
    ("Regulatory Readiness", "{roles} at {short} work under audit expectations peers avoid."),
    ("{platform} — Career Accelerator", "Time on {platform} maps to staff roles at {c1} and {c2}."),
)
CLAIMS = (
    "Candidates who can show this command a {m} premium because few hiring ladders cover it.",
    "This capability commands {m} above standard {industry} {role} roles.",
    "This scope justifies {m} above peers at traditional {noun} firms.",
    "Candidates should negotiate {m} for the career acceleration value of this exposure.",
)
LEVER_NAMES = (
    "Platform Scarcity",
    "Customer Impact",
    "{theme} Expertise",
    "Geographic Arbitrage",
    "Competing Offer",
    "Production Ownership",
    "Scope Expansion",
    "Equity Upside",
    "Retention Risk",
    "{t1} Depth",
)
CONTEXTS = (
    "At [current company], I own {t2} for one product line; here it would reach {customers} users.",
    "My experience with [X] maps directly onto the {platform} roadmap, and that is hard to find.",
    "I'm weighing offers from [competitor] and other {industry} firms; {short} is my first choice.",
    "{roles} at {short} carry {theme} accountability, and I've delivered on that standard before.",
    "My retention track record is [X]% over [Y] years, and I'd bring that stability from day one.",
    "I'm excited about {short}'s {hq} team, and I want the offer to match the scope we discussed.",
    "The {t1} work here is a step up from my current role, and I've already shipped it at scale.",
    "I've led [project] end to end, which is the kind of {t2} ownership this role calls for.",
)
ASKS = {  # {one} is one figure, {rng} a range: both inside the component's union
    "base": (
        "I'd like the base salary at {one} to reflect this scope.",
        "I'd like to discuss a base of {rng} that reflects the talent market.",
        "I'd like the base increased to {one} to reflect this responsibility.",
    ),
    "stock": (
        "I'd like the {equity} component at {rng} over four years.",
        "I'm looking for {equity} grants in the {rng} range to align my incentives.",
        "I'd like to negotiate the {equity} component to {one} over four years.",
    ),
    "total": ("I'd like to discuss a total comp of {rng}.", "That scope justifies a total comp of {rng}."),
    "percent": ("I'd like the bonus target at {p}%.", "I'd like the bonus target set at {p}–{p2}% of base."),
    "sign_on": ("I'd like to discuss a sign-on bonus of {rng} to offset my retention package.",),
    "one_off": ("I'd like a one-time sign-on and relocation package of {one} to cover the move.",),
}
RATIONALES = (
    "anchoring on the {premium} premium ({m}) and competing offers from {c1}",
    "emphasizing {city}'s competitive {role} talent market, with {c1} and {c2} hiring",
    "benchmarking against {c1}, {c2}, and {c3} {role} packages",
    "framing the role as senior-equivalent at {c1}, where {t2} scope is paid at the top of band",
)
SOURCES = (
    "{display} 2025 Annual Report — Technology investment, headcount, and {industry} strategy",
    "{display} Engineering Blog — {theme} architecture and team practices ({site}.com)",
    "Levels.fyi 2025–2026 Data — {role} compensation at {c1}, {c2}, and peer companies",
    "Glassdoor {role} Reviews — {display} compensation and culture data, 2024–2025",
    "Bureau of Labor Statistics — {cities} cost-of-living and salary indices, 2025",
    "LinkedIn Talent Insights — {role} supply/demand in {industry}, Q{q} 2026",
    "Blind Compensation Threads — Self-reported {display} offers and outcomes, 2025",
    "Dice Tech Salary Report — {role} pay trends by metro area, 2025",
    "{display} Careers Page — Current {role} job descriptions and levels ({site}.com/careers)",
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic negotiation-guide corpus.")
    parser.add_argument("n", metavar="N", type=int, help="number of guides to write")
    parser.add_argument("out_dir", metavar="OUT_DIR", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write_corpus(args.out_dir, args.n, args.seed)
    sys.stdout.write(f"wrote {len(paths)} guides to {args.out_dir}\n")


if __name__ == "__main__":
    main()
