"""Messages that say nothing a task could use: "???", "the thing with the stuff", "i mean the other
thing". The intent classifier has to pick some intent and can be sure of one anyway (a bare "?"
reads like an answer to the form, "the thing" like picking an offer), which starts a task the
customer never asked for. Such a message is taken as not understood instead: its intent's
confidence becomes 0, so the FallbackClassifier after it turns it into `nlu_fallback`, and the
fallback suggests the likeliest things from the ranking, which is kept.

A message is vague when it has no letter or digit at all, or when every word of it is a filler
word and one of them is a placeholder for what the customer does not name ("thing", "stuff") or
one letter held down ("zzzz"), or when it is keyboard mash: one run of letters that is no word
("lkjlkj", "sdfgh", "asdasd": five letters or more without a vowel, or two or three letters typed
over and over; pieces of it beside it, "sdfsdf sdf", change nothing), words that are all runs of four or more neighbouring keys ("qwerty uiop") or letters of one row
with a pair no word holds ("qwpoeiruty"), or
words of five letters or more in which letter pairs no English word has ("kj", "jh", "dk"), taken
from the vocabulary of the sentence-embedding model's tokenizer, make three or more and at least a
third of all pairs ("asdkjh qwe", "mkjhg"); names with one or two such pairs ("szczepanski") pass.
Airport codes ("jfk", "lhr") and short words keep their meaning; laughs and doubled words ("haha",
"byebye", "nono") are no mash.
Words that say something ("book", "cheaper", "friday", "2", "sure thing") keep the classifier's
intent. Emoji and punctuation keep a conversational one (greetings, thanks, yes and no, small
talk: "👍", "🙂"), which needs no words to be understood; "you know, that thing" is no small talk.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from common.embeddings import vocabulary

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SAYS_SOMETHING = re.compile(r"[^\W_]")
NOISE = re.compile(r"^([a-z])\1{2,}$")  # "zzzz", "mmmmm": one letter held down
NO_VOWEL = re.compile(r"^[b-df-hj-np-tv-xz]{5,}$")  # "lkjlkj", "sdfgh": no word has no vowel
REPEATED = re.compile(r"^([a-z]{2,3})\1+$")  # "asdasd", "jkjkjk": a few keys typed over and over
KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# A letter pair is rare when at most this many words of the tokenizer's vocabulary hold it.
RARE_PAIR_WORDS = 2
RARE_PAIRS_MASH = 3
# Units said twice on purpose: laughs, doubled words, baby talk.
DOUBLED = frozenset("ha he hi ho hu ja la lo lol no na yo ya ye yes bye si da ok mm hm xo ma pa".split())
# Words that stand for something the customer does not name.
PLACEHOLDERS = frozenset("thing things ting stuff whatever something thingy thingie whatsit whatchamacallit".split())
FILLER = frozenset("""
a an the this that these those it its it's that's my your his her our their i i'm me you we they he she him them
mean meant means said say saying talking about with from before earlier other another same one ones again do did
does doing done can could would will should please pls plz just like know um uh er erm hmm well so and or of for
to in on at there here yeah oh ah what which all some any not was is are be have had w w/
""".split()) | PLACEHOLDERS
# Intents a message of emoji or punctuation alone can carry ("👍", "🙂", "!!").
WORDLESS = frozenset({
    "greet", "goodbye", "thank", "affirm", "deny", "stop", "human_handoff", "express_difficulty", "out_of_scope",
    "bot_challenge", "ask_capabilities", "how_are_you", "small_talk", "nlu_fallback",
})
# Intents kept for words around a placeholder too: the difficulty scorer found difficulty in them.
KEPT = frozenset({"express_difficulty", "nlu_fallback"})


def is_wordless(text: str) -> bool:
    return not SAYS_SOMETHING.search(text or "")


def is_vague(text: str) -> bool:
    """True when the message names nothing: no letter or digit, keyboard mash, or only filler around a placeholder."""
    if is_wordless(text) or is_mash(text):
        return True
    words = WORD.findall(text.lower().replace("’", "'"))
    placeholders = [w for w in words if w in PLACEHOLDERS or NOISE.match(w)]
    return bool(placeholders) and all(w in FILLER or NOISE.match(w) for w in words)


def is_mash(text: str) -> bool:
    """True for keyboard mash: a single run of letters that no one types as a word, or words that
    are all runs of neighbouring keys ("qwerty uiop", "asdf")."""
    tokens = [t.strip(".,!?") for t in (text or "").lower().split()]
    if tokens and all(_key_run(t) or _one_row_mash(t) for t in tokens):
        return True
    if tokens and all(t.isalpha() and t.isascii() for t in tokens) and _unlike_words(tokens):
        return True
    longest = max(tokens, key=len) if tokens else ""
    token = longest if all(t in longest for t in tokens) else ""  # "sdfsdf sdf": the mash and a piece of it
    if len(token) < 5 or not token.isalpha() or not token.isascii():
        return False
    repeated = REPEATED.match(token)
    return bool(NO_VOWEL.match(token) or (repeated and repeated.group(1) not in DOUBLED))


def _unlike_words(tokens: List[str]) -> bool:
    """Whether the letter pairs of the longer words are mostly ones no English word holds. Words
    of four letters or fewer are left out: airport codes ("jfk", "kjfk") are made of such pairs."""
    pairs = [t[i:i + 2] for t in tokens if len(t) >= 5 for i in range(len(t) - 1)]
    common = _pair_counts()
    rare = sum(common[pair] <= RARE_PAIR_WORDS for pair in pairs)
    return rare >= RARE_PAIRS_MASH and rare * 3 >= len(pairs)


@lru_cache(maxsize=1)
def _pair_counts() -> Counter:
    """How many words of the tokenizer's vocabulary (whole lower-case words) hold each letter pair."""
    return Counter(pair for word in vocabulary() for pair in {word[i:i + 2] for i in range(len(word) - 1)})


def _key_run(token: str) -> bool:
    """Four or more neighbouring keys of one keyboard row, either way ("qwer", "uiop", "lkjh"): no
    English word is one."""
    return len(token) >= 4 and any(token in row or token in row[::-1] for row in KEY_ROWS)


def _one_row_mash(token: str) -> bool:
    """Six or more letters of one keyboard row holding a pair no word holds ("qwpoeiruty", "asdfjkl");
    "typewriter" is of one row too, but every pair of it is in words."""
    if len(token) < 6 or not any(set(token) <= set(row) for row in KEY_ROWS):
        return False
    common = _pair_counts()
    return any(common[token[i:i + 2]] == 0 for i in range(len(token) - 1))


def unsure(intent: Optional[Dict[str, Any]], text: str) -> Optional[Dict[str, Any]]:
    """The intent with no confidence, for a vague message read as something it cannot say; else None."""
    if not intent or not is_vague(text) or intent.get("name") in (WORDLESS if is_wordless(text) else KEPT):
        return None
    return {**intent, PREDICTED_CONFIDENCE_KEY: 0.0}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class VagueMessageDetector(GraphComponent):
    """Place after the intent classifier and before FallbackClassifier in config.yml."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "VagueMessageDetector":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            changed = unsure(message.get(INTENT), message.get(TEXT) or "")
            if changed:
                message.set(INTENT, changed, add_to_output=True)
        return messages
