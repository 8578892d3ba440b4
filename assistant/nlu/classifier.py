"""The intent classifier: logistic regression over the question's vector (the one retrieval
uses, so classifying costs one matrix product) and TF-IDF word features of the question with
its names masked ("base range for a <role> in <place>"). Trained at build time from
`intents.yaml`, with slots filled from the index's own names; stored with the index as plain
arrays and JSON (no pickles). Confidence is explicit: Rasa's fallback rule (below 0.3, or the
top two within 0.1) makes the assistant ask instead of guessing.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

from assistant.nlu.lexicon import question_lexicon
from assistant.nlu.registry import Label, intent_specs
from assistant.nlu.vocabulary import Vocabulary
from index.parse import region_aliases

MODEL_ARRAYS, MODEL_JSON = "intents.npz", "intents.json"
# Rasa's FallbackClassifier defaults: below this the top intent is unsure; the top two
# closer than AMBIGUITY are ambiguous. Either way the answer asks instead of guessing.
THRESHOLD, AMBIGUITY = 0.3, 0.1
C_GRID = (4.0, 16.0, 64.0, 256.0)  # chosen per build by grouped cross-validation on the examples
FILLS = 4  # slot fillings per example with slots
_SLOT = re.compile(r"\{(role|company|region|component|amount)\}")


@dataclass(frozen=True)
class Example:
    text: str  # filled
    label: Label
    group: int  # which written example it came from (folds never split one)


def examples(vocab: Vocabulary, seed: int = 0) -> list[Example]:
    """Every example of intents.yaml, slots filled from the index's names (deterministic)."""
    rng = random.Random(seed)
    roles = [r.name.lower() for r in vocab.roles.values()] + sorted(vocab.role_acronyms)
    companies = [c.name.lower() for c in vocab.companies.values()] + [" ".join(k) for k in vocab.company_phrases]
    regions = sorted({a.lower() for g in vocab.guides for p in g.pay for a in region_aliases(p)})
    values = {
        "role": roles or ["analyst"],
        "company": companies or ["the company"],
        "region": regions or ["the city"],
        "component": list(question_lexicon().slot_components),
    }

    def fill(template: str) -> str:
        def one(m: re.Match[str]) -> str:
            if m.group(1) == "amount":
                n = rng.randint(40, 400)
                return rng.choice((f"{n}k", f"${n}k", f"${n},000", f"{n}K", f"${n}K"))
            return rng.choice(values[m.group(1)])

        return _SLOT.sub(one, template)

    out: list[Example] = []
    group = 0
    for label, spec in intent_specs().items():
        for template in spec.examples:
            fills = FILLS if _SLOT.search(template) else 1
            texts = dict.fromkeys(fill(template) for _ in range(fills))
            out += [Example(text, label, group) for text in texts]
            group += 1
    return out


def _features(vectors: np.ndarray, tfidf: sparse.csr_matrix) -> sparse.csr_matrix:
    # Both blocks are unit-length per row, so neither outweighs the other by scale alone; the
    # regression learns how much each word and each direction counts.
    return sparse.hstack([sparse.csr_matrix(vectors), tfidf], format="csr")


_TOKEN_PATTERN = r"<\w+>|[a-z0-9]+"
_TOKENS = re.compile(_TOKEN_PATTERN)


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=_TOKEN_PATTERN, lowercase=True)


@dataclass
class CrossValidation:
    c: float
    macro_f1: float
    by_c: dict[float, float]


class IntentModel:
    def __init__(
        self, labels: list[Label], vectorizer: TfidfVectorizer, coef: np.ndarray, intercept: np.ndarray
    ) -> None:
        self.labels, self.vectorizer, self.coef, self.intercept = labels, vectorizer, coef, intercept
        self._dense = coef[:, : coef.shape[1] - len(vectorizer.vocabulary_)].T.copy()
        self._words = coef[:, self._dense.shape[0] :].T.copy()  # one row of label weights per n-gram
        self._vocabulary: dict[str, int] = dict(vectorizer.vocabulary_)
        self._idf = np.asarray(vectorizer.idf_, dtype=np.float64)

    @classmethod
    def train(
        cls, data: Sequence[Example], masked: Sequence[str], vectors: np.ndarray
    ) -> tuple[IntentModel, CrossValidation]:
        labels = sorted({e.label for e in data})
        y = np.array([labels.index(e.label) for e in data])
        groups = np.array([e.group for e in data])
        scores: dict[float, float] = {}
        for c in C_GRID:
            predicted = np.empty_like(y)
            for train, test in GroupKFold(n_splits=5).split(vectors, y, groups):
                vectorizer = _vectorizer().fit([masked[i] for i in train])
                model = _fit(_features(vectors[train], vectorizer.transform([masked[i] for i in train])), y[train], c)
                predicted[test] = model.predict(
                    _features(vectors[test], vectorizer.transform([masked[i] for i in test]))
                )
            scores[c] = float(f1_score(y, predicted, average="macro"))
        best = max(C_GRID, key=lambda c: (scores[c], -c))
        vectorizer = _vectorizer().fit(masked)
        model = _fit(_features(vectors, vectorizer.transform(masked)), y, best)
        return cls(labels, vectorizer, model.coef_, model.intercept_), CrossValidation(best, scores[best], scores)

    def word_weights(self, masked: str) -> tuple[np.ndarray, np.ndarray]:
        """The question's TF-IDF, as the vectorizer computes it (sublinear tf, idf, unit
        length) but without its sparse-matrix machinery, which cost more than the question:
        the n-grams' columns and their weights."""
        tokens = _TOKENS.findall(masked.lower())
        grams = Counter(
            g for g in [*tokens, *map(" ".join, zip(tokens, tokens[1:], strict=False))] if g in self._vocabulary
        )
        if not grams:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        columns = np.fromiter((self._vocabulary[g] for g in grams), dtype=np.intp, count=len(grams))
        weights = (1.0 + np.log(np.fromiter(grams.values(), dtype=np.float64, count=len(grams)))) * self._idf[columns]
        return columns, weights / np.linalg.norm(weights)

    def probabilities(self, vector: np.ndarray, masked: str) -> list[tuple[Label, float]]:
        """Each label's probability, most likely first."""
        columns, weights = self.word_weights(masked)
        logits = vector @ self._dense + weights @ self._words[columns] + self.intercept
        exp = np.exp(logits - logits.max())
        probs = exp / exp.sum()
        order = np.argsort(-probs)
        return [(self.labels[i], float(probs[i])) for i in order]

    def save(self, folder: Path) -> list[str]:
        np.savez(folder / MODEL_ARRAYS, coef=self.coef, intercept=self.intercept, idf=self.vectorizer.idf_)
        vocabulary = {word: int(i) for word, i in self.vectorizer.vocabulary_.items()}
        (folder / MODEL_JSON).write_text(json.dumps({"labels": self.labels, "vocabulary": vocabulary}))
        return [MODEL_ARRAYS, MODEL_JSON]

    @classmethod
    def load(cls, folder: Path) -> IntentModel:
        meta = json.loads((folder / MODEL_JSON).read_text())
        arrays = np.load(folder / MODEL_ARRAYS)
        vectorizer = _vectorizer()
        vectorizer.vocabulary_ = meta["vocabulary"]
        vectorizer.idf_ = arrays["idf"]
        return cls(meta["labels"], vectorizer, arrays["coef"], arrays["intercept"])

    @staticmethod
    def exists(folder: Path) -> bool:
        return (folder / MODEL_ARRAYS).is_file() and (folder / MODEL_JSON).is_file()


def _fit(x: sparse.csr_matrix, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x, y)


Embed = Callable[[Sequence[str]], np.ndarray]
