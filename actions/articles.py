"""The help center's articles, matched to what a customer says by meaning.

The articles come through Zendesk Guide's Help Center API: every article of the locale (cursor
paging) and the sections they sit in. Each article is cut into passages (each paragraph and list
item of its body, after its section's name and its title); its title, its passages and the example
questions customers asked about it (help_examples.yml, by title) are embedded once
(common.embeddings). The list is read again at most every REFRESH_SECONDS, and only an article
whose updated_at changed is embedded again.

An article's score for a question is EXAMPLE_WEIGHT x the cosine with its closest example question
plus the rest x its text's: TITLE_WEIGHT x the cosine with its title, the rest x the cosine with its
closest passage, plus KEYWORD_WEIGHT x the Okapi BM25 score of the words they share (names, numbers
and terms the model knows little about; the question's words with the help desk's words for them,
topics.topic_stems: "suitcase" is also "bag"). An article nobody has asked about yet is scored by its
text alone. Example questions that no article answers (null in help_examples.yml) stand for what
the help center does not cover.

An article is given as the answer only when it scores MIN_SCORE, leads the next by MIN_MARGIN and
its closest example is nearer the question than the closest unanswered one, by NULL_MARGIN; when
that one is nearer, no article is offered as a maybe either. The
weights and thresholds were tuned on help_examples.yml by cross-validation, each fifth of its
questions held out of the examples in turn (tests/actions/test_questions.py).
"""
from __future__ import annotations

import html
import logging
import math
import re
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import yaml

from common.embeddings import embed

from .clients import HelpCenterClient, VendorError
from .clients.helpcenter import DEFAULT_LOCALE, Article
from .topics import FILLER, WORD, fold, topic_stems

log = logging.getLogger(__name__)

EXAMPLES = Path(__file__).with_name("help_examples.yml")
REFRESH_SECONDS = 300
EXAMPLE_WEIGHT = 0.5
TITLE_WEIGHT = 0.1
KEYWORD_WEIGHT = 0.02
MIN_SCORE = 0.5
MIN_MARGIN = 0.07
NULL_MARGIN = 0.02
# Below a confident answer, the articles this close to the question are offered as a maybe.
MAYBE_SCORE = 0.45
MAYBE_MARGIN = 0.08
BM25_K1, BM25_B = 1.2, 0.75
TAG = re.compile(r"<[^>]+>")
PASSAGE = re.compile(r"<(p|li)\b[^>]*>(.*?)</\1>", re.S | re.I)


def plain(body_html: str) -> str:
    """HTML as plain text on one line."""
    return re.sub(r"\s+", " ", html.unescape(TAG.sub(" ", body_html))).strip()


def passages(body_html: str) -> List[str]:
    """The body's paragraphs and list items as plain text (the whole body when it has none)."""
    found = [plain(match.group(2)) for match in PASSAGE.finditer(body_html)]
    return [text for text in found if text] or [plain(body_html)]


def terms(text: str) -> List[str]:
    return [fold(word) for word in WORD.findall(text.lower()) if word not in FILLER]


def examples(path: Path = EXAMPLES) -> List[Tuple[str, Optional[str]]]:
    """(question, article title) for each example question that one article answers, and
    (question, None) for each that none does."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    return [(item["q"], item["article"]) for item in items if item["article"] is None or isinstance(item["article"], str)]


@dataclass(frozen=True)
class Match:
    article: Article
    score: float
    # The question is nearer an example no article answers than this article's closest example.
    unanswered: bool = False


@dataclass(frozen=True)
class _Embedded:
    """One article as it is matched: its vectors and its words."""
    article: Article
    section: str
    title: np.ndarray  # (dim,)
    passages: np.ndarray  # (n, dim)
    words: Counter


@lru_cache(maxsize=4096)
def _embedded(article: Article, section: str) -> _Embedded:
    """Kept while the article stays the same (its updated_at, text and place), for every Library."""
    texts = [article.title] + [f"{section}: {article.title} {text}" for text in passages(article.body)]
    vectors = embed(texts)
    return _Embedded(article, section, vectors[0], vectors[1:], Counter(terms(f"{article.title} {article.title} {plain(article.body)}")))


@lru_cache(maxsize=8)
def _vectors(texts: Tuple[str, ...]) -> np.ndarray:
    return embed(texts)


class Library:
    """The articles of one locale, embedded, and the example questions about them."""

    def __init__(self, client: HelpCenterClient, locale: str = DEFAULT_LOCALE,
                 asked: Sequence[Tuple[str, Optional[str]]] = (), clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.locale = locale
        self.clock = clock
        self.read_at: Optional[float] = None
        self.articles: Dict[int, _Embedded] = {}
        self.asked_titles = [title for _, title in asked]
        self.asked = _vectors(tuple(question for question, _ in asked))

    def refresh(self) -> None:
        """Reads the articles again when REFRESH_SECONDS have passed; only new and changed ones
        (another updated_at) are embedded. A help center that cannot be read leaves the articles
        read before, if any."""
        if self.read_at is not None and self.clock() - self.read_at < REFRESH_SECONDS:
            return
        try:
            listed = self.client.articles(self.locale)
            sections = {section.id: section.name for section in self.client.sections(self.locale)}
        except VendorError:
            if not self.articles:
                raise
            log.warning("help center articles could not be read again; using those read before", exc_info=True)
            self.read_at = self.clock()
            return
        self.articles = {article.id: _embedded(article, sections.get(article.section_id, "")) for article in listed}
        self.read_at = self.clock()

    def find(self, text: str) -> List[Match]:
        """Every article with its score for the text, best first."""
        self.refresh()
        entries = list(self.articles.values())
        if not entries or not text.strip():
            return []
        question = embed([text])[0]
        keyword = self._bm25(sorted(topic_stems(text)), entries)
        by_title = self._by_example(question)
        scores = []
        for entry, words_score in zip(entries, keyword):
            meaning = TITLE_WEIGHT * float(entry.title @ question) + (1 - TITLE_WEIGHT) * float(np.max(entry.passages @ question))
            text_score = meaning + KEYWORD_WEIGHT * words_score
            asked = by_title.get(entry.article.title)
            scores.append(text_score if asked is None else EXAMPLE_WEIGHT * asked + (1 - EXAMPLE_WEIGHT) * text_score)
        order = sorted(range(len(entries)), key=lambda i: (-scores[i], entries[i].article.position, entries[i].article.id))
        nearest = by_title.get(entries[order[0]].article.title)
        unanswered = None in by_title and nearest is not None and by_title[None] + NULL_MARGIN > nearest
        return [Match(entries[i].article, round(scores[i], 4), unanswered) for i in order]

    def _by_example(self, question: np.ndarray) -> Dict[Optional[str], float]:
        """The cosine with the closest example of each article (None: of the unanswered ones)."""
        best: Dict[Optional[str], float] = {}
        for title, similarity in zip(self.asked_titles, (self.asked @ question).tolist() if len(self.asked_titles) else []):
            best[title] = max(best.get(title, -1.0), similarity)
        return best

    @staticmethod
    def _bm25(words: Sequence[str], entries: Sequence[_Embedded]) -> List[float]:
        lengths = [sum(entry.words.values()) for entry in entries]
        average = sum(lengths) / len(entries) or 1.0
        scores = [0.0] * len(entries)
        for word in set(words):
            holding = sum(1 for entry in entries if word in entry.words)
            if not holding:
                continue
            idf = math.log(1 + (len(entries) - holding + 0.5) / (holding + 0.5))
            for i, entry in enumerate(entries):
                count = entry.words.get(word, 0)
                if count:
                    scores[i] += idf * count * (BM25_K1 + 1) / (count + BM25_K1 * (1 - BM25_B + BM25_B * lengths[i] / average))
        return scores


def confident(matches: Sequence[Match]) -> bool:
    """The best article answers the question: it scores high enough, clearly beats the next, and
    the question is not more like one the help center does not cover."""
    if not matches or matches[0].score < MIN_SCORE or matches[0].unanswered:
        return False
    return len(matches) == 1 or matches[0].score - matches[1].score >= MIN_MARGIN


def maybe(matches: Sequence[Match]) -> List[Article]:
    """The one or two articles that may answer the question when none does for sure (none when
    the question is more like one the help center does not cover)."""
    if not matches or matches[0].score < MAYBE_SCORE or matches[0].unanswered:
        return []
    return [m.article for m in matches[:2] if m.score >= MAYBE_SCORE and matches[0].score - m.score <= MAYBE_MARGIN]


@lru_cache(maxsize=1)
def helpcenter() -> HelpCenterClient:
    return HelpCenterClient.from_env()


@lru_cache(maxsize=4)
def library(locale: str = DEFAULT_LOCALE) -> Library:
    """The articles of the locale, shared by every conversation of this action server."""
    return Library(helpcenter(), locale, examples())


def find(text: str, locale: str = DEFAULT_LOCALE) -> List[Match]:
    return library(locale).find(text)


def sure_answer(text: str, locale: str = DEFAULT_LOCALE) -> Optional[Article]:
    """The article that answers the text for sure; None when none does, or when the help center
    cannot be read (for an extra line beside another reply, which goes out all the same)."""
    try:
        matches = find(text, locale)
    except VendorError as exc:
        log.warning("no help article: the help center could not be read: %s", exc)
        return None
    return matches[0].article if confident(matches) else None
