"""Understanding a question, in Rasa's order without Rasa: read what it names (mentions), then
classify what it asks for (a trained model, with its confidence). The dialogue rules that
combine the two with the conversation live in assistant/dialogue.py.

The model is trained when the index is built and stored in its generation; `IntentArtifacts`
is the hook the build calls, so the index layer never imports the assistant.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.nlu.classifier import CrossValidation, IntentModel, examples
from assistant.nlu.lexicon import question_lexicon
from assistant.nlu.mentions import Reader, Reading
from assistant.nlu.registry import Label, training_hash
from assistant.nlu.vocabulary import Vocabulary
from index.embed import Embedder
from index.model import Guide

log = logging.getLogger(__name__)
TRAINED_WITH = "intents-training.json"


@dataclass
class NLU:
    vocab: Vocabulary
    reader: Reader
    model: IntentModel

    @classmethod
    def for_guides(cls, guides: Iterable[Guide], model: IntentModel) -> NLU:
        vocab = Vocabulary.of(guides)
        return cls(vocab, Reader(vocab), model)

    @classmethod
    def train(cls, guides: Iterable[Guide], embedder: Embedder) -> tuple[NLU, CrossValidation]:
        vocab = Vocabulary.of(guides)
        reader = Reader(vocab)
        data = examples(vocab)
        masked = [reader.read(e.text).masked() for e in data]
        vectors = embedder.embed([e.text for e in data])
        model, report = IntentModel.train(data, masked, np.asarray(vectors))
        return cls(vocab, reader, model), report

    def read(self, question: str) -> Reading:
        return self.reader.read(question)

    def classify(self, vector: np.ndarray, reading: Reading) -> list[tuple[Label, float]]:
        return self.model.probabilities(vector, reading.masked())


class IntentArtifacts:
    """The build hook: trains the intent model on the guides being indexed and writes it into
    the new generation; its fingerprint (examples and lexicon) tells a stale model."""

    def fingerprint(self) -> str:
        return training_hash()

    def write(self, folder: Path, guides: list[Guide], embedder: Embedder) -> list[str]:
        nlu, report = NLU.train(guides, embedder)
        log.info("intent model: C=%s, cross-validated macro-F1 %.3f", report.c, report.macro_f1)
        names = nlu.model.save(folder)
        trained = {"c": report.c, "cv_macro_f1": round(report.macro_f1, 4), "fingerprint": self.fingerprint()}
        (folder / TRAINED_WITH).write_text(json.dumps(trained))
        return [*names, TRAINED_WITH]


def load_trained(generation: Path, guides: Iterable[Guide]) -> NLU | None:
    """The model a build trained into `generation`, if it was trained on the current examples."""
    if IntentModel.exists(generation):
        trained = (generation / TRAINED_WITH).read_text() if (generation / TRAINED_WITH).exists() else ""
        if training_hash() in trained:
            return NLU.for_guides(guides, IntentModel.load(generation))
    return None


def load_or_train(generation: Path | None, guides: Iterable[Guide], embedder: Embedder) -> NLU:
    """The index's own model when it has a current one; else trained now (an index built
    without the hook, as by the index layer's own tests)."""
    guides = list(guides)
    if generation is not None and (nlu := load_trained(generation, guides)) is not None:
        return nlu
    log.info("training the intent model (the index has none for these examples)")
    return NLU.train(guides, embedder)[0]


__all__ = ["NLU", "IntentArtifacts", "load_or_train", "load_trained", "question_lexicon"]
