"""The intents that give or change the details of a trip: a flight request ("bos to mia friday"),
an answer to the search's questions ("from newark instead") and a change to shown results ("for 2
of us", "evening flights?"). Their words overlap by nature, and the classifier often splits its
confidence between two of them, though either leads to the same thing: the search reads every
detail of the message (actions/trip.py), whatever the intent. A split is therefore no doubt about
what the customer wants, and must not make the message "not understood": the likeliest of them
takes their joint confidence, and the others leave the ranking, before the FallbackClassifier judges.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

TRIP_INTENTS = frozenset({"search_flight", "inform", "refine_search"})


def merged(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """{intent, ranking} with the trip intents' confidence joined in the likeliest; None when the
    two likeliest intents are not both trip intents (or the message was judged vague)."""
    if not intent or intent.get(INTENT_NAME_KEY) not in TRIP_INTENTS or not intent.get(PREDICTED_CONFIDENCE_KEY):
        return None
    if len(ranking) < 2 or ranking[1].get(INTENT_NAME_KEY) not in TRIP_INTENTS:
        return None  # no split between trip intents: gibberish the classifier half reads as an answer stays unsure
    joint = sum(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0 for r in ranking if r.get(INTENT_NAME_KEY) in TRIP_INTENTS)
    joint = min(1.0, max(joint, intent[PREDICTED_CONFIDENCE_KEY]))
    top = {**intent, PREDICTED_CONFIDENCE_KEY: joint}
    rest = [r for r in ranking if r.get(INTENT_NAME_KEY) not in TRIP_INTENTS]
    return {"intent": top, "ranking": [top] + rest}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class TripIntentMerger(GraphComponent):
    """Place after the intent classifier and before VagueMessageDetector and FallbackClassifier."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TripIntentMerger":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            result = merged(message.get(INTENT), message.get(INTENT_RANKING_KEY) or [])
            if result:
                message.set(INTENT, result["intent"], add_to_output=True)
                message.set(INTENT_RANKING_KEY, result["ranking"], add_to_output=True)
        return messages
