"""The frustration and confusion scorer, and the Rasa component around it."""
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.difficulty import INTENT, DifficultyDetector, default_scorer, relabel, stem
from scripts.check_difficulty import evaluate

SETS = Path(__file__).resolve().parents[1] / "nlu"


def kind(text: str):
    return default_scorer().score(text).kind


def test_the_seed_conversation_counts_as_difficulty():
    assert kind("I'm trying to book a flight to New York City, but I'm having trouble finding a good deal.") == "frustration"


@pytest.mark.parametrize("text", ["no trouble at all, thanks", "that's not annoying", "I'm not confused", "it wasn't frustrating"])
def test_negation_cancels_a_cue(text):
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
    assert kind("WHY IS THIS BROKEN!!") == "frustration"
    assert kind("is it booked??") == "confusion"


def test_plain_requests_score_nothing():
    for text in ("bos to jfk tomorrow", "show my bookings", "what's the status of ticket 1042", "two adults, economy"):
        assert kind(text) is None, text


def test_labelled_set_precision_and_recall():
    scores, _ = evaluate(SETS / "difficulty.yml")
    assert sum(s["support"] for k, s in scores.items() if k != "any difficulty") >= 200
    for label in ("frustration", "confusion"):
        assert scores[label]["precision"] >= 0.95 and scores[label]["recall"] >= 0.9, scores


def test_held_out_precision_stays_high():
    """Messages written after the lexicon was tuned: precision is what matters (never nag)."""
    scores, _ = evaluate(SETS / "difficulty_heldout.yml")
    assert scores["any difficulty"]["precision"] >= 0.9 and scores["any difficulty"]["recall"] >= 0.4, scores


def test_only_taskless_messages_are_relabelled():
    frustrated = default_scorer().score("this is useless")
    changed, ranking = relabel({"name": "out_of_scope", "confidence": 0.7}, [{"name": "out_of_scope", "confidence": 0.7}], frustrated)
    assert changed["name"] == INTENT and [r["name"] for r in ranking] == [INTENT, "out_of_scope"]
    assert relabel({"name": "search_flight", "confidence": 0.9}, [], frustrated) is None
    assert relabel({"name": "out_of_scope"}, [], default_scorer().score("what is the weather")) is None


def test_the_classifier_cannot_call_difficulty_where_the_scorer_sees_none():
    ranking = [{"name": INTENT, "confidence": 0.8}, {"name": "search_flight", "confidence": 0.15}]
    changed, rest = relabel(ranking[0], ranking, default_scorer().score("can i get a flight out of dulles to paris"))
    assert changed == {"name": "search_flight", "confidence": 0.15} and rest == ranking[1:]


def test_component_adds_scores_and_relabels():
    detector = DifficultyDetector()
    taskless = Message(data={"text": "ugh this is useless", "intent": {"name": "out_of_scope", "confidence": 0.6},
                             "intent_ranking": [{"name": "out_of_scope", "confidence": 0.6}]})
    task = Message(data={"text": "having trouble finding a flight to lisbon", "intent": {"name": "search_flight", "confidence": 0.95}})
    detector.process([taskless, task])
    assert taskless.get("intent")["name"] == INTENT and taskless.get("intent_ranking")[0]["name"] == INTENT
    assert taskless.as_dict(only_output_properties=True)["difficulty"]["kind"] == "frustration"
    assert task.get("intent")["name"] == "search_flight" and task.get("difficulty")["kind"] == "frustration"
