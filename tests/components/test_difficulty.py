"""The difficulty model (embeddings and word lists), the word lists alone, and the Rasa component."""

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.difficulty import (INTENT, TRAINING, Difficulty, DifficultyDetector, default_model, default_scorer, relabel,
                                   stem, train_model)
from scripts.check_difficulty import cross_validate

# Cross-validated on the training files (scripts/check_difficulty.py --cv, docs/embeddings.md): any
# difficulty P 0.930 R 0.928. Floors sit a little under.
PRECISION_FLOOR, RECALL_FLOOR = 0.91, 0.91


def kind(text: str):
    return default_model().score(text).kind


def lexicon_kind(text: str):
    return default_scorer().score(text).kind


def test_the_seed_conversation_counts_as_difficulty():
    assert kind("I'm trying to book a flight to New York City, but I'm having trouble finding a good deal.") == "frustration"


@pytest.mark.parametrize("text", ["no trouble at all, thanks", "that's not annoying", "I'm not confused", "it wasn't frustrating"])
def test_negation_cancels_a_cue(text):
    assert lexicon_kind(text) is None and kind(text) is None


@pytest.mark.parametrize("text, expected", [
    ("my nerves are shot with this booking page", "frustration"),
    ("honestly at my wits end with your refunds team", "frustration"),
])
def test_wordings_that_no_list_holds_are_found(text, expected):
    assert lexicon_kind(text) != expected and kind(text) == expected


@pytest.mark.parametrize("text", ["cancel my booking", "the flight was delayed so i need a hotel",
                                  "not annoyed at all, just asking", "i'd like to report a lost bag"])
def test_complaint_words_without_a_feeling_are_not_difficulty(text):
    assert kind(text) is None


def test_intensifiers_and_diminishers_scale_a_cue():
    plain, strong, weak = (default_scorer().score(t).frustration for t in ("annoying", "so annoying", "a bit annoying"))
    assert weak < plain < strong


def test_phrases_own_their_words_so_negation_inside_them_still_counts():
    assert kind("the payment doesn't work") == "frustration"
    assert kind("I don't understand the fare rules") == "confusion"


def test_stems_cover_a_words_forms():
    assert stem("confusing") == stem("confused") == stem("confuses") == stem("confuse")
    assert kind("the timezones confuse me") == "confusion"


def test_shouting_and_punctuation_add_up():
    assert lexicon_kind("WHY IS THIS BROKEN!!") == kind("WHY IS THIS BROKEN!!") == "frustration"
    assert lexicon_kind("is it booked??") == kind("is it booked??") == "confusion"


def test_plain_requests_score_nothing():
    for text in ("bos to jfk tomorrow", "show my bookings", "what's the status of ticket 1042", "two adults, economy"):
        assert kind(text) is None, text


@pytest.mark.parametrize("text", ["", "   ", "🙂", "?"])
def test_empty_and_wordless_messages_are_scored(text):
    """No word n-grams at all (the fuzz test found an empty message dividing by zero)."""
    assert kind(text) in (None, "frustration", "confusion")


def test_cross_validated_precision_and_recall():
    """Each message scored by a model fitted without it; the held-out figure is the Makefile's."""
    scores, _ = cross_validate()
    overall = scores["any difficulty"]
    assert overall["support"] >= 3 * 1000
    assert overall["precision"] >= PRECISION_FLOOR and overall["recall"] >= RECALL_FLOOR, scores


def test_no_held_out_set_is_learned_from():
    """The blind set the lead measures on stays out; only sets measured and folded in are listed."""
    assert not any("heldout" in path.name and path.name != "difficulty_heldout_2026-11.yml" for path in TRAINING)


def test_the_same_examples_train_the_same_model():
    first, second = train_model(TRAINING), default_model()
    assert np.array_equal(first.weights, second.weights) and np.array_equal(first.bias, second.bias)


def test_only_taskless_messages_are_relabelled():
    frustrated = default_model().score("this is useless")
    changed, ranking = relabel({"name": "out_of_scope", "confidence": 0.7}, [{"name": "out_of_scope", "confidence": 0.7}], frustrated)
    assert changed["name"] == INTENT and [r["name"] for r in ranking] == [INTENT, "out_of_scope"]
    assert relabel({"name": "search_flight", "confidence": 0.9}, [], frustrated) is None
    assert relabel({"name": "out_of_scope"}, [], default_model().score("what is the weather")) is None


def test_the_classifier_cannot_call_difficulty_where_the_scorer_sees_none():
    ranking = [{"name": INTENT, "confidence": 0.8}, {"name": "search_flight", "confidence": 0.15}]
    changed, rest = relabel(ranking[0], ranking, default_model().score("can i get a flight out of dulles to paris"))
    assert changed == {"name": "search_flight", "confidence": 0.15} and rest == ranking[1:]


@pytest.mark.parametrize("text, other", [("wait, cancel that", "stop"), ("wait am i talking to a real person?", "bot_challenge")])
def test_a_request_the_classifier_is_sure_of_wins_over_a_doubt_of_the_model(text, other):
    ranking = [{"name": INTENT, "confidence": 0.95}, {"name": other, "confidence": 0.93}]
    difficulty = Difficulty(confusion=0.7, cues=["confusion:wait"])
    changed, rest = relabel(ranking[0], ranking, difficulty, Difficulty())
    assert changed == {"name": other, "confidence": 0.93} and rest == ranking[1:]


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path), Resource("difficulty"), ExecutionContext(GraphSchema({}), "test")


def test_the_component_trains_persists_loads_and_relabels(storage):
    model_storage, resource, context = storage
    config = DifficultyDetector.get_default_config()
    DifficultyDetector.create(config, model_storage, resource, context).train(TrainingData())
    detector = DifficultyDetector.load(config, model_storage, resource, context)
    assert np.array_equal(detector.model.weights, default_model().weights)
    taskless = Message(data={"text": "ugh this is useless", "intent": {"name": "out_of_scope", "confidence": 0.6},
                             "intent_ranking": [{"name": "out_of_scope", "confidence": 0.6}]})
    task = Message(data={"text": "having trouble finding a flight to lisbon", "intent": {"name": "search_flight", "confidence": 0.95}})
    detector.process([taskless, task])
    assert taskless.get("intent")["name"] == INTENT and taskless.get("intent_ranking")[0]["name"] == INTENT
    assert taskless.as_dict(only_output_properties=True)["difficulty"]["kind"] == "frustration"
    assert task.get("intent")["name"] == "search_flight" and task.get("difficulty")["kind"] == "frustration"


def test_editing_the_examples_retrains_the_component(tmp_path):
    """Rasa reuses a trained component whose fingerprint is unchanged; the examples are part of it."""
    copies = [tmp_path / f"{i}-{path.name}" for i, path in enumerate(TRAINING)]
    for copy, path in zip(copies, TRAINING):
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    before = DifficultyDetector.fingerprint_addon({"examples": [str(c) for c in copies]})
    assert before == DifficultyDetector.fingerprint_addon({"examples": None})
    copies[0].write_text(copies[0].read_text(encoding="utf-8") + "  - one more neutral message\n", encoding="utf-8")
    assert DifficultyDetector.fingerprint_addon({"examples": [str(c) for c in copies]}) != before


def test_the_model_alone_does_not_turn_a_taskless_intent_into_difficulty():
    """An out-of-scope message the model (not the word lists) calls difficult keeps its intent."""
    model_only = Difficulty(frustration=0.8)
    out_of_scope = {"name": "out_of_scope", "confidence": 0.7}
    assert relabel(out_of_scope, [out_of_scope], model_only, Difficulty()) is None
    diet = {"name": INTENT, "confidence": 0.7}
    assert relabel(diet, [diet], model_only, Difficulty())[0]["name"] == INTENT


def test_difficulty_leads_the_ranking_by_more_than_the_fallback_s_ambiguity_threshold():
    ranking = [{"name": "deny", "confidence": 0.96}, {"name": "inform", "confidence": 0.02}]
    changed, rest = relabel(ranking[0], ranking, Difficulty(), Difficulty(frustration=0.8, cues=["frustration:ugh"]))
    assert changed["name"] == INTENT and rest[0] == changed
    assert all(changed["confidence"] - r["confidence"] >= 0.1 - 1e-9 for r in rest[1:])


def test_a_question_about_the_bot_the_classifier_is_sure_of_keeps_its_answer_whatever_the_words():
    words = Difficulty(confusion=0.9, cues=["confusion:real person"])
    sure, unsure = [{"name": "bot_challenge", "confidence": 0.97}], [{"name": "bot_challenge", "confidence": 0.45}]
    assert relabel(sure[0], sure, Difficulty(), words) is None
    assert relabel(unsure[0], unsure, Difficulty(), words)[0]["name"] == INTENT
