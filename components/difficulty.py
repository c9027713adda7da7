"""Frustration and confusion in what the customer writes, scored for every message.

Two parts. A learned model (DifficultyModel) decides: a logistic regression over the message's
sentence embedding (common/embeddings.py), the word-list scores below and its hashed words and word
pairs, fitted at `rasa train` time with a fixed seed on the labelled messages in
difficulty_examples.yml and the two measured sets folded into it (TRAINING), so designers change
what it notices by editing that file. The embedding catches wordings no list holds ("doing my head
in", "a little lost here"); the words and pairs catch short cues the embedding blurs ("cheers for
nothing", "so am i booked or not"); the word lists add their negation handling and strong cues.

The word lists (DifficultyScorer): a blank spaCy English pipeline (its tokenizer only: nothing is
downloaded) with a PhraseMatcher over the word lists in difficulty_lexicon.yml. Each cue adds its weight, multiplied by an
intensifier just before it ("so annoying") and cancelled by a negation up to three words before
it ("not confusing at all"); "!!", "??" and shouting in capitals add a little. The sum becomes a
score in [0, 1): 1 - exp(-sum), so one strong cue reaches 0.5 and more cues approach 1.

As a Rasa component (after the intent classifier) it adds `difficulty` to the parse data and,
when a message carries difficulty but no task of its own ("this is useless", "i'm lost"), replaces
the intent with `express_difficulty`, so rules can acknowledge it and offer concrete help; it also
overrules the classifier's `express_difficulty` for a message in which it finds no difficulty. A
message with a task ("I'm having trouble finding a good deal to New York") keeps its intent; the
flow that handles it reads the score and acknowledges the difficulty on the way.
"""
from __future__ import annotations

import hashlib
import math
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import numpy as np
import spacy
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT as INTENT_KEY
from rasa.shared.nlu.constants import INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy import sparse
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from common.embeddings import embed
from common.text import well_formed

LEXICON = Path(__file__).with_name("difficulty_lexicon.yml")
EXAMPLES = Path(__file__).with_name("difficulty_examples.yml")
SETS = Path(__file__).resolve().parents[1] / "tests" / "nlu"
# What the model learns from: the examples and the two labelled sets that were measured on before
# and then folded in (their headers say so). Settings are chosen by cross-validation over all three
# (scripts/check_difficulty.py --cv, docs/embeddings.md); held-out sets are never listed here.
TRAINING = (EXAMPLES, SETS / "difficulty.yml", SETS / "difficulty_heldout_2026-11.yml")
# The learned model's features: the 384 of the embedding, three word-list scores scaled so a strong
# cue weighs like a clear direction in the embedding, and the message's words and word pairs hashed
# into NGRAM_BUCKETS columns, L2-normalised and scaled by NGRAM_WEIGHT. Chosen by cross-validation.
LEXICON_WEIGHT = 2.0
NGRAM_WEIGHT = 1.5
NGRAM_BUCKETS = 1 << 15
REGULARISATION = 8.0
SEED = 2026
KINDS = ("frustration", "confusion")
THRESHOLD = 0.5  # for the word lists' squashed scores
MODEL_THRESHOLD = 0.4  # for the model's probabilities: recall 0.928 at precision 0.930 in cross-validation
TOKEN = re.compile(r"[a-z0-9']+|[^\sa-z0-9']")
NEGATION_WINDOW = 3
INTENT = "express_difficulty"
# Intents that name no task: when difficulty is flagged, the difficulty is the message.
TASKLESS_INTENTS = frozenset({
    "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "ask_capabilities", "stop",
    "out_of_scope", "nlu_fallback", INTENT,
})
BEHIND = 0.1  # more than the FallbackClassifier's ambiguity_threshold (config.yml)
# "is this a real person or a computer?": a question the classifier is sure of has its own answer
# (which offers a person), whatever difficulty its words hint at.
SURE_QUESTIONS = {"bot_challenge": 0.9}
CAPS = re.compile(r"^[A-Z]{4,}$")
SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "edly", "ed", "es", "s", "e")


def stem(word: str) -> str:
    """A crude stem, so one lexicon entry covers a word's forms (confuse, confused, confusing)."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@Language.component("difficulty_stems")
def _stems(doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = stem(token.lower_)
    return doc


@dataclass
class Difficulty:
    frustration: float = 0.0
    confusion: float = 0.0
    cues: List[str] = field(default_factory=list)
    negated: float = 0.0  # the same squashed sum for the cues a negation cancelled ("not annoyed")
    threshold: float = THRESHOLD

    @property
    def kind(self) -> Optional[str]:
        """The stronger of the two when it reaches the threshold, else None."""
        best = max(KINDS, key=lambda k: getattr(self, k))
        return best if getattr(self, best) >= self.threshold else None

    def as_dict(self) -> Dict[str, Any]:
        return {"frustration": round(self.frustration, 3), "confusion": round(self.confusion, 3),
                "kind": self.kind, "cues": self.cues}


class DifficultyScorer:
    """Scores text; built once from the lexicon (a few milliseconds) and reused."""

    def __init__(self, lexicon: Dict[str, Any]) -> None:
        self.nlp = spacy.blank("en")
        self.nlp.add_pipe("difficulty_stems")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self.weights: Dict[Tuple[str, str], float] = {}
        for kind in KINDS:
            for section in ("phrases", "words"):
                for text, weight in (lexicon[kind].get(section) or {}).items():
                    key = f"{kind}|{text}"
                    self.weights[(kind, text)] = float(weight)
                    self.matcher.add(key, [self.nlp(str(text))])
        self.patterns = [(kind, re.compile(rx), float(w)) for kind, table in (lexicon.get("patterns") or {}).items()
                         for rx, w in table.items()]
        self.negations = {str(n).lower() for n in lexicon.get("negations", [])}
        self.intensifiers = {str(k).lower(): float(v) for k, v in (lexicon.get("intensifiers") or {}).items()}

    def score(self, text: str) -> Difficulty:
        text = well_formed(text or "")
        doc = self.nlp(text)
        totals = {kind: 0.0 for kind in KINDS}
        negated = 0.0
        cues: List[str] = []
        taken = [False] * len(doc)
        # Longest matches first, so a phrase owns its words ("doesn't work" is not a negated "work").
        matches = sorted(self.matcher(doc), key=lambda m: (-(m[2] - m[1]), m[1]))
        for match_id, start, end in matches:
            if any(taken[start:end]):
                continue
            kind, cue = self.nlp.vocab.strings[match_id].split("|", 1)
            weight = self.weights[(kind, cue)] * self._modifier(doc, start)
            if weight <= 0:
                negated += self.weights[(kind, cue)]
                continue
            for i in range(start, end):
                taken[i] = True
            totals[kind] += weight
            cues.append(f"{kind}:{cue}")
        for kind, pattern, weight in self.patterns:
            if pattern.search(text.lower()):
                totals[kind] += weight
                cues.append(f"{kind}:/{pattern.pattern}/")
        totals["frustration"] += self._shouting(doc, text)
        if re.search(r"\?\s*\?|\?!|!\?", text):
            totals["confusion"] += 0.7
        return Difficulty(*(1 - math.exp(-totals[k]) for k in KINDS), cues=cues, negated=1 - math.exp(-negated))

    def _modifier(self, doc: Doc, start: int) -> float:
        """0 when negated, the intensifier's factor when one comes just before, else 1."""
        before = [t.lower_ for t in doc[max(0, start - NEGATION_WINDOW):start]]
        if any(word in self.negations for word in before):
            return 0.0
        for word in reversed(before[-2:]):
            if word in self.intensifiers:
                return self.intensifiers[word]
        return 1.0

    @staticmethod
    def _shouting(doc: Doc, text: str) -> float:
        extra = 0.4 if re.search(r"!{2,}", text or "") else 0.0
        shouted = sum(1 for t in doc if CAPS.match(t.text))
        return extra + min(0.8, 0.4 * shouted)


@lru_cache(maxsize=1)
def default_scorer() -> DifficultyScorer:
    return DifficultyScorer(yaml.safe_load(LEXICON.read_text(encoding="utf-8")))


def ngram_columns(text: str) -> List[int]:
    """The hashed columns of a text's lower-cased words, punctuation marks, emoji and word pairs.

    crc32, not Python's salted hash, so a word lands in the same column in every process.
    """
    tokens = TOKEN.findall(well_formed(text or "").lower())
    grams = set(tokens) | {f"{a} {b}" for a, b in zip(tokens, tokens[1:])}
    return sorted({zlib.crc32(gram.encode("utf-8")) % NGRAM_BUCKETS for gram in grams})


def features(texts: List[str], scorer: DifficultyScorer) -> sparse.csr_matrix:
    """Each text's embedding, its word-list scores (negated cues included) and its hashed n-grams."""
    texts = [well_formed(t or "") for t in texts]
    lexical = [scorer.score(text) for text in texts]
    scores = np.array([[d.frustration, d.confusion, d.negated] for d in lexical], dtype=np.float32).reshape(len(texts), 3)
    rows, columns, values = [], [], []
    for row, text in enumerate(texts):
        hashed = ngram_columns(text)
        if not hashed:  # an empty message has no n-grams
            continue
        rows += [row] * len(hashed)
        columns += hashed
        values += [NGRAM_WEIGHT / math.sqrt(len(hashed))] * len(hashed)
    ngrams = sparse.csr_matrix((np.array(values, dtype=np.float32), (rows, columns)), shape=(len(texts), NGRAM_BUCKETS))
    return sparse.hstack([sparse.csr_matrix(np.hstack([embed(texts), LEXICON_WEIGHT * scores])), ngrams], format="csr")


@dataclass(frozen=True)
class DifficultyModel:
    """A multinomial logistic regression, applied with numpy (scikit-learn is needed only to fit it)."""

    weights: np.ndarray  # one row of feature weights per label
    bias: np.ndarray
    labels: Tuple[str, ...]
    scorer: DifficultyScorer

    def probabilities(self, rows: sparse.csr_matrix) -> List[Dict[str, float]]:
        """Each feature row's probability per label."""
        logits = np.asarray(rows @ self.weights.T) + self.bias
        odds = np.exp(logits - logits.max(axis=1, keepdims=True))
        return [dict(zip(self.labels, row.tolist())) for row in odds / odds.sum(axis=1, keepdims=True)]

    def score(self, text: str) -> Difficulty:
        """The probabilities of frustration and confusion, with the word-list cues that were found."""
        text = well_formed(text or "")
        probability = self.probabilities(features([text], self.scorer))[0]
        return Difficulty(probability["frustration"], probability["confusion"], cues=self.scorer.score(text).cues,
                          threshold=MODEL_THRESHOLD)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, weights=self.weights, bias=self.bias, labels=np.array(self.labels))

    @classmethod
    def load(cls, path: Path, scorer: DifficultyScorer) -> "DifficultyModel":
        with np.load(path, allow_pickle=False) as saved:
            return cls(saved["weights"], saved["bias"], tuple(str(x) for x in saved["labels"]), scorer)


def labelled(paths: Sequence[Path] = TRAINING) -> Tuple[List[str], List[str]]:
    """The messages and their labels from files of label -> list of messages."""
    texts, labels = [], []
    for path in paths:
        for label, messages in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            texts += [str(text) for text in messages or []]
            labels += [label] * len(messages or [])
    return texts, labels


def fit(rows: sparse.csr_matrix, labels: Sequence[str], scorer: DifficultyScorer) -> DifficultyModel:
    """The logistic regression over feature rows (features()); same rows, same model."""
    from sklearn.linear_model import LogisticRegression

    classifier = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000, random_state=SEED)
    classifier.fit(rows, list(labels))
    return DifficultyModel(classifier.coef_.astype(np.float32), classifier.intercept_.astype(np.float32),
                           tuple(classifier.classes_), scorer)


def train_model(paths: Sequence[Path] = TRAINING, scorer: Optional[DifficultyScorer] = None) -> DifficultyModel:
    """Fits the model on the labelled files; same files, same model."""
    scorer = scorer or default_scorer()
    texts, labels = labelled(paths)
    return fit(features(texts, scorer), labels, scorer)


@lru_cache(maxsize=1)
def default_model() -> DifficultyModel:
    """The model `rasa train` builds, for scripts and tests that run without a trained assistant."""
    return train_model()


def relabel(intent: Optional[Dict[str, Any]], ranking: List[Dict[str, Any]], difficulty: Difficulty,
            words: Optional[Difficulty] = None) -> Optional[Tuple[Dict[str, Any], List[Dict[str, Any]]]]:
    """The intent and ranking to use instead of the classifier's, or None to keep them.

    A taskless message becomes `express_difficulty` when the word lists (`words`) find difficulty,
    as before the learned model, or when the model (`difficulty`) does and the intent classifier
    also saw difficulty or nothing it knows. The model alone does not turn an out-of-scope question,
    a "no" or a "stop" into difficulty: on the project's taskless training messages it would flag
    one in ten (docs/embeddings.md). The classifier's `express_difficulty` stands only when the
    model or the word lists see difficulty; otherwise the next intent does.
    """
    words = words or difficulty
    name = (intent or {}).get("name")
    if (intent or {}).get("confidence", 0.0) >= SURE_QUESTIONS.get(name, 2.0):
        return None
    others = [r for r in ranking if r.get("name") != INTENT]
    judge = None
    if name in TASKLESS_INTENTS | {None}:
        judge = words if words.kind else difficulty if name in (None, "nlu_fallback", INTENT) else None
        if judge is difficulty and others and others[0].get("confidence", 0.0) > getattr(difficulty, difficulty.kind or "confusion"):
            judge = None  # "wait, cancel that": the classifier is surer of the request than the model of the difficulty
        if judge is not None and judge.kind is not None:
            chosen = {"name": INTENT, "confidence": max(0.9, getattr(judge, judge.kind))}
            # the others stay behind it, or the FallbackClassifier would find the two too close to call
            behind = [{**r, "confidence": min(r.get("confidence") or 0.0, chosen["confidence"] - BEHIND)} for r in others]
            return chosen, [chosen, *behind]
    if name == INTENT and words.kind is None and (difficulty.kind is None or judge is None):
        return (dict(others[0]) if others else {"name": None, "confidence": 0.0}), others
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class DifficultyDetector(GraphComponent):
    """Place after the intent classifier and before FallbackClassifier in config.yml.

    `examples` (optional) lists other labelled files to learn from instead of TRAINING, relative
    to where `rasa train` runs.
    """

    MODEL_FILE = "difficulty.npz"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"examples": None}

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """Retrain when the examples or the word lists change, though Rasa's own data did not."""
        digest = hashlib.sha256()
        for path in (*cls._examples(config), LEXICON):
            digest.update(path.read_bytes())
        return digest.hexdigest()

    @staticmethod
    def _examples(config: Dict[Text, Any]) -> Tuple[Path, ...]:
        return tuple(Path(p) for p in config["examples"]) if config.get("examples") else TRAINING

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "DifficultyDetector":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "DifficultyDetector":
        with model_storage.read_from(resource) as directory:
            model = DifficultyModel.load(directory / cls.MODEL_FILE, default_scorer())
        return cls(config, model_storage, resource, model)

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[DifficultyModel] = None) -> None:
        self.config, self.model_storage, self.resource, self.model = config, model_storage, resource, model

    def train(self, training_data: TrainingData) -> Resource:
        self.model = train_model(self._examples(self.config))
        with self.model_storage.write_to(self.resource) as directory:
            self.model.save(directory / self.MODEL_FILE)
        return self.resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        model = self.model or default_model()
        for message in messages:
            text = message.get(TEXT) or ""
            difficulty = model.score(text)
            message.set("difficulty", difficulty.as_dict(), add_to_output=True)
            changed = relabel(message.get(INTENT_KEY), message.get(INTENT_RANKING_KEY) or [], difficulty,
                              model.scorer.score(text))
            if changed:
                message.set(INTENT_KEY, changed[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, changed[1], add_to_output=True)
        return messages
