"""Messages that name nothing are not understood, whatever intent the classifier is sure of."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from components.vague import VagueMessageDetector, is_vague, unsure


@pytest.mark.parametrize("text", ["???", "?", "...", "🙂🙂🙂", "the thing with the stuff", "uh the ting with my whatchamacallit", "i mean the other thing",
                                  "can you do the thing", "the thing from before", "that stuff again", "zzzz", "mmmmm"])
def test_messages_that_name_nothing_are_vague(text):
    assert is_vague(text)


@pytest.mark.parametrize("text", ["1", "the first one", "something cheaper", "same thing but a day later", "book the thing to rome",
                                  "hmm", "the other one", "friday", "can i ask you something", "www.example.com", "aaa123"])
def test_messages_with_a_word_of_their_own_are_not(text):
    assert not is_vague(text)


@pytest.mark.parametrize("text", ["lkjlkj", "sdfgh", "asdasd", "jkjkjk", "qwrtzp!", "Lkjlkj", "qwerty uiop", "asdf", "poiuy", "zxcv asdf",
                                  "asdkjh qwe", "mkjhg", "vjdks", "sdfsdf sdf", "asdasd asd", "qwpoeiruty", "asdfjkl"])
def test_keyboard_mash_is_vague(text):
    assert is_vague(text)


@pytest.mark.parametrize("text", ["jfk", "lhr", "kjfk", "hmm", "haha", "hahaha", "byebye", "nonono", "yesyes", "ciao",
                                  "tschüss", "adios", "rhythm", "oslo", "sydney", "lkj lkj flights", "maria", "qwerty airways", "were", "type",
                                  "szczepanski", "typewriter", "proprietor", "wojciech", "bydgoszcz", "ngozi okafor", "tkachenko", "jfk dxb", "hkg to sfo"])
def test_codes_words_names_and_laughs_are_no_mash(text):
    assert not is_vague(text)


def test_a_task_read_into_a_vague_message_loses_its_confidence_but_not_a_conversational_intent():
    assert unsure({"name": "select_offer", "confidence": 0.9}, "the thing with the stuff") == {"name": "select_offer", "confidence": 0.0}
    assert unsure({"name": "inform", "confidence": 0.7}, "???")["confidence"] == 0.0
    assert unsure({"name": "affirm", "confidence": 0.9}, "👍") is None
    assert unsure({"name": "small_talk", "confidence": 0.9}, "you know, that thing")["confidence"] == 0.0
    assert unsure({"name": "express_difficulty", "confidence": 0.9}, "that thing again") is None
    assert unsure({"name": "inform", "confidence": 0.9}, "one way") is None


def test_the_component_lowers_the_intent_and_keeps_the_ranking():
    message = Message(data={"text": "i mean the other thing", "intent": {"name": "inform", "confidence": 0.94},
                            "intent_ranking": [{"name": "inform", "confidence": 0.94}]})
    VagueMessageDetector().process([message])
    assert message.get("intent")["confidence"] == 0.0 and message.get("intent_ranking")[0]["confidence"] == 0.94
