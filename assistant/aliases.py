"""General knowledge about how people name roles and places. Nothing here is about any one
guide: these are the words of job titles and geography, applied to whatever the index holds."""

from __future__ import annotations

# Common abbreviations of job-title phrases -> the words they stand for.
ROLE_ABBREVIATIONS: dict[str, str] = {
    "swe": "software engineer",
    "sde": "software engineer",
    "dev": "developer",
    "eng": "engineering",
    "engg": "engineering",
    "mgr": "manager",
    "sw": "software",
    "prog": "program",
    "programme": "program",
    "arch": "architect",
    "ml": "machine learning",
    "sre": "site reliability engineer",
    "qa": "quality assurance",
    "ux": "user experience",
    "ds": "data scientist",
}

# Words that name the same job, so "software developer" finds a "Software Engineer" guide.
ROLE_SYNONYMS: dict[str, str] = {
    "developer": "engineer",
    "programmer": "engineer",
    "coder": "engineer",
    "architecture": "architect",
}

# Head nouns of job titles: a phrase ending in one of these names a role, known or not.
JOB_NOUNS = frozenset(
    "engineer developer programmer manager architect analyst scientist designer director lead "
    "consultant specialist administrator nurse doctor physician teacher accountant lawyer attorney "
    "recruiter researcher technician officer executive associate intern strategist writer "
    "marketer salesperson representative coordinator pharmacist dentist therapist generalist clerk "
    "cashier teller banker advisor adviser agent assistant operator planner auditor underwriter "
    "actuary economist statistician paralegal secretary receptionist driver mechanic electrician "
    "chef cook editor journalist photographer artist producer buyer trader broker".split()
)

SENIORITY_WORDS = {
    "senior": "senior",
    "sr": "senior",
    "staff": "staff",
    "principal": "principal",
    "lead": "lead",
    "junior": "junior",
    "jr": "junior",
    "entry": "junior",
    "director": "director",
}
LEVEL_NUMERALS = {"i": "I", "ii": "II", "iii": "III", "iv": "IV", "1": "I", "2": "II", "3": "III", "4": "IV"}

# Nicknames of metro areas -> the city name a guide would use.
PLACE_NICKNAMES: dict[str, str] = {
    "nyc": "new york",
    "ny": "new york",
    "new york city": "new york",
    "manhattan": "new york",
    "brooklyn": "new york",
    "sf": "san francisco",
    "bay area": "san francisco",
    "silicon valley": "san jose",
    "la": "los angeles",
    "philly": "philadelphia",
    "dc": "washington",
    "d.c.": "washington",
    "atx": "austin",
    "chi": "chicago",
}

US_STATES: dict[str, str] = {
    "al": "alabama",
    "ak": "alaska",
    "az": "arizona",
    "ar": "arkansas",
    "ca": "california",
    "co": "colorado",
    "ct": "connecticut",
    "de": "delaware",
    "fl": "florida",
    "ga": "georgia",
    "hi": "hawaii",
    "id": "idaho",
    "il": "illinois",
    "in": "indiana",
    "ia": "iowa",
    "ks": "kansas",
    "ky": "kentucky",
    "la": "louisiana",
    "me": "maine",
    "md": "maryland",
    "ma": "massachusetts",
    "mi": "michigan",
    "mn": "minnesota",
    "ms": "mississippi",
    "mo": "missouri",
    "mt": "montana",
    "ne": "nebraska",
    "nv": "nevada",
    "nh": "new hampshire",
    "nj": "new jersey",
    "nm": "new mexico",
    "ny": "new york",
    "nc": "north carolina",
    "nd": "north dakota",
    "oh": "ohio",
    "ok": "oklahoma",
    "or": "oregon",
    "pa": "pennsylvania",
    "ri": "rhode island",
    "sc": "south carolina",
    "sd": "south dakota",
    "tn": "tennessee",
    "tx": "texas",
    "ut": "utah",
    "vt": "vermont",
    "va": "virginia",
    "wa": "washington",
    "wv": "west virginia",
    "wi": "wisconsin",
    "wy": "wyoming",
}

# Well-known places, so that "salary in Seattle" is recognised as a place no guide covers
# rather than ignored. Guides' own regions are always known in addition to these.
KNOWN_PLACES = frozenset(
    name.strip()
    for name in (
        "seattle, austin, boston, chicago, denver, atlanta, dallas, houston, miami, phoenix, portland, "
        "san francisco, san jose, los angeles, san diego, washington, philadelphia, pittsburgh, "
        "minneapolis, salt lake city, raleigh, nashville, columbus, cleveland, cincinnati, "
        "indianapolis, kansas city, st louis, baltimore, tampa, orlando, richmond, sacramento, "
        "las vegas, detroit, charlotte, new york, toronto, vancouver, montreal, london, dublin, "
        "berlin, paris, amsterdam, madrid, barcelona, lisbon, zurich, munich, stockholm, singapore, "
        "sydney, melbourne, tokyo, bangalore, bengaluru, hyderabad, mumbai, delhi, tel aviv, "
        "mexico city, sao paulo"
    ).split(",")
)

# Employers people commonly compare offers from; recognised so a question about one is
# answered "not covered" instead of being silently answered from another company's guide.
KNOWN_EMPLOYERS = frozenset(
    name.strip()
    for name in (
        "google, alphabet, meta, facebook, amazon, aws, apple, microsoft, netflix, stripe, airbnb, "
        "uber, lyft, salesforce, oracle, ibm, intel, nvidia, adobe, shopify, spotify, twitter, "
        "linkedin, jpmorgan, jp morgan, goldman sachs, morgan stanley, citi, citigroup, wells fargo, "
        "chase, paypal, robinhood, coinbase, databricks, snowflake, openai, anthropic, deloitte, "
        "accenture, mckinsey, bank of america"
    ).split(",")
)
