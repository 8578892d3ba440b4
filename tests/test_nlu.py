"""Understanding, measured on questions written by people who never saw this code.

tests/nlu/heldout.yaml is frozen: never trained on, never edited to pass. tests/nlu/dev.yaml,
by another writer, is the one we looked at while building. Both cover the seed guides and the
variant guides of other companies (see `corpus_assistant`).
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest

from assistant.evaluate import Judged, field_accuracy, judge_file, score
from tests.conftest import ROOT

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yaml"
DEV = ROOT / "tests" / "nlu" / "dev.yaml"


@cache
def _judged(path: str, assistant) -> list[Judged]:  # type: ignore[no-untyped-def]
    return judge_file(assistant, ROOT / path)


@pytest.fixture(scope="module")
def heldout(corpus_assistant) -> list[Judged]:
    return judge_file(corpus_assistant, HELDOUT)


@pytest.fixture(scope="module")
def dev(corpus_assistant) -> list[Judged]:
    return judge_file(corpus_assistant, DEV)


def test_the_held_out_file_is_the_size_it_was_written_at(heldout):
    assert len(heldout) == 249 + 60  # 249 questions and 15 conversations of 4 turns


def test_intents_hold_on_held_out_questions(heldout):
    scores = score(heldout)
    assert scores.macro_f1 >= 0.9, f"macro-F1 {scores.macro_f1:.3f}\n{scores.matrix()}"


def test_entities_hold_on_held_out_questions(heldout):
    scores = score(heldout)
    fields = field_accuracy(heldout)
    assert scores.entity_accuracy >= 0.8, fields


def test_no_held_out_question_about_something_uncovered_shows_a_figure(heldout):
    leaks = [j.question for j in heldout if j.expected.get("covered") is False and j.answer.citations]
    assert leaks == []


def test_intents_and_entities_hold_on_dev_questions(dev):
    scores = score(dev)
    assert scores.macro_f1 >= 0.9, scores.matrix()
    assert scores.entity_accuracy >= 0.85, field_accuracy(dev)
    assert [j.question for j in dev if j.expected.get("covered") is False and j.answer.citations] == []


def test_the_classifier_is_trained_at_build_time_with_cross_validation(corpus_assistant):
    trained = json.loads((corpus_assistant.index.path / "intents-training.json").read_text())
    assert trained["cv_macro_f1"] >= 0.8  # 5-fold, folds never split one written example's fillings
    assert trained["c"] > 0


def test_the_classifier_reads_words_exactly_as_its_vectorizer_does(corpus_assistant, dev):
    # Answering computes the TF-IDF itself (the sparse machinery cost more than the question);
    # it must be the vectorizer's own, to the last digit.
    model = corpus_assistant.nlu.model
    for judged in dev:
        masked = corpus_assistant.nlu.read(judged.question).masked()
        columns, weights = model.word_weights(masked)
        expected = model.vectorizer.transform([masked]).toarray()[0]
        got = np.zeros_like(expected)
        got[columns] = weights
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
