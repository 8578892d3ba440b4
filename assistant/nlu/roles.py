"""Job phrases in a question, read against the indexed roles: "engineering manger",
"staff eng", "quant dev", "SRE", "TPMs" — and the jobs no guide covers ("as a barista")."""

from __future__ import annotations

from assistant.nlu.lexicon import QuestionLexicon
from assistant.nlu.tokens import (
    COMPANY_MARKERS,
    CONTEXT,
    PLACE_MARKERS,
    STOPWORDS,
    Mention,
    Token,
    claim,
    fits,
    mention,
)
from assistant.nlu.vocabulary import Vocabulary

_GENERIC_HEADS = CONTEXT["generic_heads"]
_PEOPLE_DETERMINERS = CONTEXT["people_determiners"]
_ROLE_CONTEXT = CONTEXT["role_context"]
_INTRODUCERS = CONTEXT["introducers"]
_JOB_VERBS = CONTEXT["job_verbs"]
_ROLE_NOUNS = CONTEXT["role_nouns"]


class RoleReader:
    def __init__(self, vocab: Vocabulary, lex: QuestionLexicon) -> None:
        self.vocab = vocab
        self.lex = lex
        # A job phrase ends in a job noun, or in the last word of a title the guides hold
        # ("Data Wrangler", "Ingénieur Logiciel").
        self.job_nouns = lex.job_nouns | {r.words[-1] for r in vocab.roles.values() if r.words}
        self.role_words = {w for r in vocab.roles.values() for w in r.words}

    def levels(self, tokens: list[Token]) -> list[Mention]:
        """Titles from level-mapping tables, without taking their words from the roles."""
        found: list[Mention] = []
        for n in range(5, 0, -1):
            for i in range(len(tokens) - n + 1):
                window = tokens[i : i + n]
                if n == 1 and not self._own_word(window[0]):
                    continue  # one word is a level only when it is no everyday or seniority word ("pleno")
                guides = self.vocab.levels.get(tuple(t.folded for t in window))
                if guides and not any(m.start <= window[0].start < m.end for m in found):
                    found.append(mention("level", guides, window, "exact"))
        return found

    def _own_word(self, token: Token) -> bool:
        """A word that can be a level on its own: the guide's own ("Pleno"), or an acronym
        typed in capitals ("SDR"), never an everyday or seniority word ("manager", "senior")."""
        word = token.folded
        if len(word) < 3 or word in self.lex.seniority:
            return False
        return word not in self.vocab.known_words or (token.text.isupper() and len(token.text) <= 5)

    def roles(self, tokens: list[Token]) -> list[Mention]:
        """Runs of role words ending in a job noun, read against the indexed roles. A phrase
        whose words fit no role is a role no guide covers; one that fits several equally is
        left to the company."""
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            if tokens[i].claimed or not self._heads(tokens[i]):
                i += 1
                continue
            end = i
            while (
                end + 1 < len(tokens)
                and not tokens[end + 1].claimed
                and (self._heads(tokens[end + 1]) or self._role_word(tokens[end + 1]))
            ):
                end += 1
            while end > i and not self._heads(tokens[end]) and not self.lex.is_level(tokens[end].folded):
                end -= 1  # the phrase ends at its last job noun (or a level after it)
            start = i
            while start > 0 and i - start < 4 and self._modifier(tokens[start - 1]):
                start -= 1
            window = tokens[start : end + 1]
            mentions = self._role_of(window)
            if not _exact(mentions):
                # "bonjour product designer", "counteroffer email swe": words before a phrase
                # that names a role exactly are not part of it. ("qa engineer" stays unknown:
                # "engineer" alone names no role exactly.)
                for shorter_start in range(start + 1, i + 1):
                    shorter = self._role_of(tokens[shorter_start : end + 1])
                    if _exact(shorter):
                        start, window, mentions = shorter_start, tokens[shorter_start : end + 1], shorter
                        break
            if any(m.kind == "unknown_role" for m in mentions) and _not_asked(tokens, start, end):
                # "my recruiter", "the ally recruiter", "director of product is what at…": someone
                # in the story. Only the job words are taken; the words before stay to be read.
                claim(tokens[i : end + 1], "person")
            else:
                found += mentions
                claim(window, "role")
            i = end + 1
        return found

    def role_by_word(self, tokens: list[Token], companies: list[str]) -> list[Mention]:
        """ "elbreach backend base": with no job noun, a word only one of the named company's
        roles has ("backend" of Backend Engineer there) names that role."""
        if len(companies) != 1 or companies[0] not in self.vocab.companies:
            return []
        roles = [self.vocab.roles[r] for r in self.vocab.companies[companies[0]].roles]
        for token in tokens:
            if token.claimed or token.folded in STOPWORDS or len(token.folded) < 3:
                continue
            fitting = [r for r in roles if any(fits(w, word) for w in token.words for word in r.words)]
            if len(fitting) == 1 and not any(w in self.job_nouns for w in token.words):
                token.claimed = "role"
                return [mention("role", fitting[0].slug, [token], "word")]
        return []

    def a_job(self, tokens: list[Token], i: int) -> bool:
        """An unexplained word in a job's place: "as a barista", "I'm an astronomer", "how much
        does a barista make". ("a Zorvex offer" stays an employer: offers come from employers.)"""
        before = tuple(t.folded for t in tokens[max(0, i - 2) : i])
        after = tokens[i + 1].folded if i + 1 < len(tokens) else ""
        introduced = before in self.lex.job_introducers
        articled = bool(before) and before[-1] in ("a", "an") and after in _JOB_VERBS
        return introduced or articled

    # -- helpers ---------------------------------------------------------------------------

    def _acronym(self, token: Token) -> str | None:
        """The role slug a token abbreviates ("tpm", "TPMs"), if it is a role's acronym."""
        acronyms = self.vocab.role_acronyms
        return acronyms.get(token.folded) or (acronyms.get(token.folded[:-1]) if token.folded.endswith("s") else None)

    def _heads(self, token: Token) -> bool:
        """A job noun ("engineer", "manager") or a role's acronym ("tpm", "eae")."""
        return self._acronym(token) is not None or token.words[-1] in self.job_nouns

    def _role_word(self, token: Token) -> bool:
        return bool(token.words) and (
            any(fits(w, r) for w in token.words for r in self.role_words)
            or token.folded in self.lex.seniority
            or self.lex.is_level(token.folded)
        )

    def _modifier(self, token: Token) -> bool:
        """A word that can qualify a job ("platform", "qa"): not a question's own words."""
        word = token.folded
        if token.claimed or not word.isalpha() or word in self.lex.not_names or word in STOPWORDS:
            return False
        if word in self.vocab.question_words and not self._role_word(token):
            return False
        if word in COMPANY_MARKERS or word in PLACE_MARKERS:
            return False
        return (
            not self.lex.components_in(token.text)
            and not self.lex.focus_high.fullmatch(word)
            and not self.lex.focus_low.fullmatch(word)
        )

    def _role_of(self, window: list[Token]) -> list[Mention]:
        lex = self.lex
        slugs = {id(t): self._acronym(t) for t in window}
        words = [w for t in window for w in ([f"={slugs[id(t)]}"] if slugs[id(t)] else t.words)]
        acronyms = [w[1:] for w in words if w.startswith("=")]
        seniority = {w for w in words if w in lex.seniority or lex.is_level(w)}
        core = [w for w in words if w not in seniority and not w.startswith("=") and w not in _GENERIC_HEADS]
        start, end, text = window[0].start, window[-1].end, " ".join(t.text for t in window)
        mentions = [
            Mention("seniority", w, start, end, "exact", text) for w in sorted(seniority - {"level", "regular"})
        ]
        scored = []
        # "senior pm": the acronym's words, with the seniority said, may be another role's
        # whole title ("Senior Product Manager"); both stay candidates for the company to pick.
        expanded = {w for slug in acronyms for w in self.vocab.roles[slug].words}
        for role in self.vocab.roles.values():
            if acronyms and role.slug not in acronyms and not (role.seniority and set(role.words) == expanded):
                continue
            if not role.seniority <= seniority:
                continue  # "software engineer" is not the "Staff Software Engineer" guide
            if not all(any(fits(w, r) for r in role.words) for w in core):
                continue
            covered = {r for r in role.words if any(fits(w, r) for w in core)}
            full = bool(acronyms) or covered == set(role.words)
            scored.append(((full, len(role.seniority), len(covered)), role))
        if not scored:
            if core or acronyms:
                return mentions + [Mention("unknown_role", text, start, end, "open-world", text)]
            return mentions
        scored.sort(key=lambda t: t[0], reverse=True)
        if scored[0][0][0]:  # exact: every title that fits whole, best first (the company picks)
            return mentions + [Mention("role", r.slug, start, end, "exact", text) for score, r in scored if score[0]]
        best = scored[0][0]
        return mentions + [Mention("role", r.slug, start, end, "partial", text) for score, r in scored if score == best]


def _exact(mentions: list[Mention]) -> bool:
    return any(m.kind == "role" and m.how == "exact" for m in mentions)


def _not_asked(tokens: list[Token], start: int, end: int) -> bool:
    """Whether a job phrase no guide covers is someone in the story rather than the role
    asked about: after "my/the" (past a company's name: "the ally recruiter"), or a lone job
    noun not introduced as one's role ("as a nurse", "nurse salary")."""
    k = start - 1
    while k >= 0 and tokens[k].claimed:
        k -= 1
    before = tokens[k].folded if k >= 0 else ""
    after = tokens[end + 1].folded if end + 1 < len(tokens) else ""
    if before in _PEOPLE_DETERMINERS and after not in _ROLE_NOUNS:
        return True
    introduced = bool({t.folded for t in tokens[max(0, start - 2) : start]} & _INTRODUCERS)
    return start == end and not introduced and after not in _ROLE_CONTEXT
