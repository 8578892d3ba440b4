"""Places in a question: a guide's regions as people type them ("charlotte", "nyc", "bay
area", "hq", "remote"), and every other place the gazetteer knows — so a question about a
place no guide covers is not answered with another place's figures.

A place can be qualified ("Portland, ME", "Springfield IL"): then it is that state's city,
and a guide's region of the same name in another state is not it.
"""

from __future__ import annotations

from assistant.nlu.lexicon import QuestionLexicon
from assistant.nlu.tokens import PLACE_MARKERS, STOPWORDS, Mention, Token, claim, mention, phrases, typed
from assistant.nlu.vocabulary import Vocabulary
from index.model import Place
from index.places import Region, city_place, gazetteer, region_place

# A word typed in lower case, with no capital or "in" to say it is a place, is a city only
# when the city is this big: "fresno salary" is Fresno; "a normal bank" is no Normal, Illinois.
# So is an everyday word after "in": "in mobile" is Mobile, Alabama; "in time" is no Time.
WORD_CITY_MIN = 100_000


class PlaceReader:
    def __init__(self, vocab: Vocabulary, lex: QuestionLexicon) -> None:
        self.vocab = vocab
        self.lex = lex
        self.known = vocab.known_words
        # "Portland" may be Oregon's in one guide and Maine's in another: one phrase, both keys.
        self.region_table = {k: "|".join(sorted(v)) for k, v in vocab.region_phrases.items()}

    def regions(self, tokens: list[Token]) -> list[Mention]:
        """A guide's region as typed ("charlotte", "nyc", "hq", "remote", "bay area")."""
        found = []
        for m in phrases(tokens, "place", self.region_table, "alias"):
            window = [t for t in tokens if m.start <= t.start < m.end]
            keys = m.value.split("|")
            qualified = self._qualifier(tokens, tokens.index(window[-1]) + 1)
            if qualified is not None:
                region, qualifier = qualified
                within = [k for k in keys if _within(k, region)]
                if within:
                    keys, window = within, window + qualifier
                    claim(window, "place")
                elif _comma(qualifier):  # "Portland, ME" when the guides' Portland is Oregon's: another place
                    claim(window, "")
                    continue
            found += [mention("place", key, window, "alias") for key in keys]
        found += phrases(tokens, "place", self.lex.place_words, "alias")  # "hq", "work from home"
        return found

    def places(self, tokens: list[Token]) -> list[Mention]:
        """Places from the gazetteer that no guide's region is."""
        found = []
        gaz = gazetteer()
        for n in range(3, 0, -1):
            for i in range(len(tokens) - n + 1):
                window = tokens[i : i + n]
                if any(t.claimed for t in window):
                    continue
                marked = i > 0 and tokens[i - 1].folded in PLACE_MARKERS
                text = " ".join(t.text for t in window)
                known = any(t.folded in self.known or t.folded in STOPWORDS for t in window)
                named = all(t.capitalised or t.initial for t in window) or (marked and not known)
                qualified = self._qualifier(tokens, i + n) if named else None
                if qualified is not None:
                    region, qualifier = qualified
                    city = gaz.city(text, within=region)
                    # "gdansk, ok?": a lower-case everyday word after a comma is no state.
                    a_word = all(not t.text.isupper() and (t.folded in self.known or t.folded in STOPWORDS)
                               for t in qualifier if t.folded.strip(","))  # fmt: skip
                    # "sydney DE tc": with no Sydney in Delaware and no comma, DE says something else
                    if city is None and a_word:
                        pass
                    elif city is not None or _comma(qualifier):
                        window = window + qualifier
                        claim(window, "place")
                        if city is None:  # "Smallville, KS": a place, and none the guides cover
                            found.append(mention("unknown_place", typed(window), window, "open-world"))
                        else:
                            at = city_place(city)
                            found.append(mention("place", at.key, window, "gazetteer", at))
                        continue
                if (place := self._place(window, marked)) is not None:
                    claim(window, "place")
                    found.append(mention("place", place.key, window, "gazetteer", place))
        return found

    def _place(self, window: list[Token], marked: bool) -> Place | None:
        """What a run of words names as a place, if anything. A capital (not a sentence's
        first) or "in" before says a place is meant; otherwise only a big city's own name (not
        an alternate spelling, some of which are words) or a state or country is read."""
        gaz = gazetteer()
        words = [t.folded for t in window]
        name, text = " ".join(words), " ".join(t.text for t in window)
        capitalised = all(t.capitalised for t in window)
        everyday = [w in STOPWORDS or w in self.lex.not_names for w in words]  # "the", "new", "march"
        known = all(w in self.known for w in words)
        if (len(words) == 1 and everyday[0]) or (any(everyday) and not (capitalised or marked)):
            return None  # but "The Hague", "New Territories", "in new delhi" are places
        if len(name) <= 2:  # "NY", "ny": a state or a country code; "KL" a city's; "in", "me" are words
            if known and not text.isupper():
                return None
            region = gaz.region(name)
            if region is not None:
                return region_place(region, region.name)
            return gaz.lookup(text) if name in gaz.short_names and text.isupper() else None
        if name in gaz.short_names and known and not (text.isupper() or marked):
            return None  # a short name that is also a word ("ben") is read in capitals; "nyc" is no word
        if capitalised or (marked and not known):
            return gaz.lookup(text)  # "Mountain View", "in fresno", "in munchen"
        if known or name.endswith(self.lex.verb_endings):
            # "in mobile" is Mobile, Alabama; "Reading the offer…" (a sentence's first word) is no city
            return gaz.lookup(text, min_population=WORD_CITY_MIN) if marked and name in gaz.own_names else None
        if name in gaz.own_names:
            return gaz.lookup(text, min_population=WORD_CITY_MIN)
        region = gaz.region(name)
        return region_place(region, region.name) if region is not None else None

    @staticmethod
    def _qualifier(tokens: list[Token], at: int) -> tuple[Region, list[Token]] | None:
        """A state or country right after a place: ", ME", " IL", ", Ontario", ", United Kingdom"."""
        if at >= len(tokens) or tokens[at].claimed or tokens[at].before.strip() not in (",", ""):
            return None
        gaz = gazetteer()
        for n in range(3, 0, -1):
            window = tokens[at : at + n]
            if len(window) < n or any(t.claimed for t in window[1:]):
                continue
            text = " ".join(t.text for t in window)
            region = gaz.region(text)
            if region is None:
                continue
            short = len(text) <= 3
            if short and not (text.isupper() or (len(text) == 2 and tokens[at].before.strip() == ",")):
                continue  # "Portland or Seattle": "or" is no Oregon; "in advance, can": no Canada
            if not short and not all(t.text[:1].isupper() for t in window) and tokens[at].before.strip() != ",":
                continue
            return region, window
        return None


def _comma(qualifier: list[Token]) -> bool:
    return qualifier[0].before.strip() == ","


def _within(key: str, region: Region) -> bool:
    """Whether a place key ("us/or/portland") lies in a state or country; keys that say
    nothing of where they are ("?/…", "remote/…", a country) are not ruled out."""
    parts = key.split("/")
    if parts[0] in ("?", "remote", "country") or len(parts) < 2:
        return True
    if parts[0] != region.country.lower():
        return False
    return region.admin1 is None or region.country != "US" or parts[1] == region.admin1.lower()
