"""Help questions answered from the help center's articles (Zendesk Guide's article search).

The customer's words become a keyword query: filler words dropped, and the few words customers use
for what the articles call otherwise ("suitcase" for a bag, "dog" for a pet) joined by the
articles' word. Zendesk's search finds every article with any of the words; the hits are then
ranked here by how much of the question each one covers, rare words weighing more, a word in the
title more than one in the body. An answer is given only when the best article covers enough of
the question; otherwise the customer is told so and offered a person or a ticket.
"""
from __future__ import annotations

import html
import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Sequence, Set, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .changes import asks_about_the_quote, remind_pending
from .clients import HelpCenterClient, VendorError
from .clients.helpcenter import Article

log = logging.getLogger(__name__)

WORD = re.compile(r"[a-z0-9]+")
TAG = re.compile(r"<[^>]+>")
PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.I)
SENTENCE_END = re.compile(r"(?<=[.!])\s+(?=[A-Z0-9$€£])")
SPLIT = {"carryon": ("carry",), "checkin": ("check",)}  # the search engine sees "carry-on" as two words
PROMOTED_BONUS = 1.08
PLACE_WEIGHTS = (3, 2, 1)  # a question word in an article's title, labels, body
SEARCH_HITS = 50  # one page of Zendesk's search; the best article is well within it
SHORT_ANSWER_CHARS = 320
# How much of the question the best article must contain to be given as the answer (see Match.good).
MIN_SHARE = 0.5
MIN_COVERAGE = 0.35
MIN_COVERAGE_UNTITLED = 0.8
MIN_LEAD = 1.05  # the best article's score over the next one's, for a confident answer
MIN_LEAD_OTHER = 0.8  # a second article as close as this to the best is offered beside it

FILLER = frozenset("""
a about actually after again all also am an and any anyone anything are as ask asking at be been being but by can
cant could did didnt do does doesnt dont each else ever for from get gets getting give go going got had has have
having hello help her here hey hi his how i id if ill im in into is isnt it its ive just know let like long many me
mine more most much my myself need needs no not now of off ok okay on one or our ours out please pls plz policy
question quick really regarding rule rules say she should so some someone something still take tell than thanks
that thats the their them then there theres these they thing things this those to too u understand up us usually
want wanted was way we well were what whats when where which while who why will wish with wondering would yes you
your mom mum dad mother father wife husband son daughter friend partner
""".split())
# Phrases the articles word otherwise, rewritten before the words are taken.
PHRASES = (
    (re.compile(r"\b(?:carry|check)[- ](?:on|in)\b"), lambda m: m.group().replace("-", "").replace(" ", "")),
    (re.compile(r"\b\d+\s*(?:kg|kgs|kilos?|lbs?|pounds)\b"), lambda m: " weight heavy "),
    (re.compile(r"\b(?:1|one)[- ]?(?:year|yr)s?[- ]?old\b|\b\d+\s*months?[- ]old\b"), lambda m: " baby "),
    (re.compile(r"\b\d+[- ]?(?:year|yr)s?[- ]?olds?\b"), lambda m: " child "),
)
# The customer's word -> the help center's words for it, searched beside it.
SYNONYMS: Dict[str, Tuple[str, ...]] = {
    "luggage": ("bag",), "suitcase": ("bag",), "baggage": ("bag",), "backpack": ("bag",),
    "carryon": ("cabin",), "hand": ("cabin",), "onboard": ("cabin",),
    "dog": ("pet",), "cat": ("pet",), "puppy": ("pet",), "kitten": ("pet",), "animal": ("pet",),
    "price": ("cost",), "fee": ("cost",), "charge": ("cost",), "pay": ("cost",), "expensive": ("cost",),
    "kid": ("child", "children"), "toddler": ("child",), "herself": ("alone",), "himself": ("alone",),
    "infant": ("baby",), "stroller": ("pushchair",), "pram": ("pushchair",), "buggy": ("pushchair",),
    "miles": ("point",), "mile": ("point",), "reward": ("point",), "rewards": ("point",),
    "status": ("tier",), "membership": ("loyalty",), "benefits": ("tier",),
    "money": ("refund",), "reimburse": ("refund",), "reimbursement": ("refund",),
    "late": ("delay",), "delayed": ("delay",), "postponed": ("delay",), "claim": ("compensation",),
    "cancelled": ("cancel",), "canceled": ("cancel",), "cancellation": ("cancel",),
    "id": ("document",), "documents": ("document",), "paperwork": ("document",), "license": ("id",), "licence": ("id",),
    "esta": ("visa",), "eta": ("visa",),
    "misspelled": ("name", "spelling"), "spelled": ("spelling",), "typo": ("spelling",), "surname": ("name",),
    "married": ("name", "marriage"), "transfer": ("name", "different", "person"),
    "login": ("sign",), "log": ("sign",), "password": ("sign",),
    "human": ("person",), "agent": ("person",), "phone": ("person",), "speak": ("person",), "talk": ("person",),
    "invoice": ("receipt",), "paypal": ("payment",), "amex": ("american", "express"), "card": ("payment",),
    "debit": ("card",), "credit": ("card",),
    "medicine": ("medication",), "meds": ("medication",), "insulin": ("medication",), "oxygen": ("medical",),
    "cpap": ("medical", "device"), "machine": ("device",),
    "wheelchair": ("assistance",), "walk": ("wheelchair",), "mobility": ("wheelchair",),
    "blind": ("vision",), "deaf": ("hearing",), "dementia": ("cognitive",), "autism": ("cognitive",),
    "unaccompanied": ("alone",), "legroom": ("seat",), "aisle": ("seat",), "window": ("seat",),
    "plane": ("flight",), "connecting": ("connection",), "layover": ("transit", "connection"),
    "switch": ("change",), "move": ("change",), "reschedule": ("change",), "rebook": ("change",),
    "bought": ("paid",), "buy": ("paid",), "purchased": ("paid",),
    "water": ("liquid",), "bottle": ("liquid",), "drink": ("liquid",), "shampoo": ("liquid",), "liquids": ("liquid",),
    "surfboard": ("sport",), "skis": ("sport",), "bike": ("bicycle",), "golf": ("sport",),
    "size": ("cm",), "dimensions": ("cm",), "big": ("cm",),
}


def _fold(word: str) -> str:
    """A crude stem, the same for the question and the articles: "bags" finds "bag", "flying"
    finds "fly", "cancelled" and "charged" find "cancel" and "charge"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for ending in ("ing", "ed", "es", "s"):
        if len(word) - len(ending) >= 3 and word.endswith(ending) and not word.endswith("ss"):
            word = word[: -len(ending)]
            if word[-1] == word[-2] and word[-1] != "s":  # "shipping", "travelled"
                word = word[:-1]
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def _words(text: str) -> List[str]:
    """Lower-case words, with PHRASES rewritten ("carry-on" is one word, "30kg" is heavy)."""
    text = text.lower().replace("_", " ")
    for pattern, replace in PHRASES:
        text = pattern.sub(replace, text)
    return WORD.findall(text)


def topic_words(text: str) -> List[str]:
    """The words that say what the question is about, in order, each once."""
    words: List[str] = []
    for word in _words(text):
        if word not in FILLER and len(word) > 1 and word not in words:
            words.append(word)
    return words


def topic_stems(text: str) -> Set[str]:
    """The stems of the message's topic words and of the help center's words for them."""
    return {_fold(term) for word in topic_words(text) for term in (word, *SYNONYMS.get(word, ()))}


def query_for(words: Sequence[str]) -> str:
    """The search query: the question's words and the help center's words for them."""
    terms: List[str] = []
    for word in words:
        for term in (word, _fold(word), *SYNONYMS.get(word, ()), *SPLIT.get(word, ())):
            if term not in terms:
                terms.append(term)
    return " ".join(terms)


def plain(body_html: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(TAG.sub(" ", body_html))).strip()


def _terms(text: str) -> Set[str]:
    return {_fold(w) for w in _words(text)}


@dataclass(frozen=True)
class Match:
    article: Article
    score: float
    coverage: float  # share of the question's words the article contains, rare words weighing more
    share: float  # share of the question's words the article contains, each word alike
    titled: bool  # one of the question's words is in the title or labels

    @property
    def good(self) -> bool:
        """Answers the question: it holds at least half of the question's words, and one of them
        in its title or labels or nearly all of the question's rare words."""
        return self.share >= MIN_SHARE and self.coverage >= MIN_COVERAGE and (self.titled or self.coverage >= MIN_COVERAGE_UNTITLED)


def _rank(words: Sequence[str], articles: Sequence[Article], total: int) -> List[Match]:
    """Articles ranked by the question's words they hold: rare words weigh more; a word in the
    title counts three times, in a label twice, in the body once; the help center's word for it
    (SYNONYMS) half as much as the customer's own. The articles the help center promotes (the main
    one of each section) win a near tie."""
    fields = [(_terms(a.title), _terms(" ".join(a.label_names)), _terms(plain(a.body))) for a in articles]
    own = {w: {_fold(w)} for w in words}
    other = {w: {_fold(t) for t in SYNONYMS.get(w, ())} - own[w] for w in words}
    seen = {w: sum(1 for f in fields if any((own[w] | other[w]) & part for part in f)) for w in words}
    weight = {w: math.log(1 + total / (seen[w] + 0.5)) for w in words}
    matches = []
    for article, parts in zip(articles, fields):
        score, found, count, titled = 0.0, 0.0, 0, False
        for word in words:
            place = max([PLACE_WEIGHTS[i] for i, part in enumerate(parts) if own[word] & part]
                        + [PLACE_WEIGHTS[i] / 2 for i, part in enumerate(parts) if other[word] & part] + [0])
            if place:
                found += weight[word]
                score += place * weight[word]
                count += 1
                titled = titled or place > 1
        score *= PROMOTED_BONUS if article.promoted else 1.0
        matches.append(Match(article, score, found / sum(weight.values()), count / len(words), titled))
    return sorted(matches, key=lambda m: (-m.score, m.article.position))


def search(client: HelpCenterClient, text: str) -> List[Match]:
    """The help center's articles for one question, best first (none when it has no topic words)."""
    words = topic_words(text)
    if not words:
        return []
    results = client.search(query_for(words), per_page=SEARCH_HITS)
    return _rank(words, [hit.article for hit in results.hits], max(results.count, len(results.hits)) + 1)


def short_answer(body_html: str) -> str:
    """The article's opening paragraph (the articles answer the question there), as plain text,
    cut after the sentence that passes SHORT_ANSWER_CHARS."""
    opening = PARAGRAPH.search(body_html)
    text = plain(opening.group(1) if opening else body_html)
    kept = ""
    for sentence in SENTENCE_END.split(text):
        kept = f"{kept} {sentence}".strip()
        if len(kept) >= SHORT_ANSWER_CHARS:
            break
    return kept


@lru_cache(maxsize=1)
def helpcenter() -> HelpCenterClient:
    return HelpCenterClient.from_env()


def confident(matches: Sequence[Match]) -> bool:
    """The best article answers the question and is clearly better than the next one."""
    if not matches or not matches[0].good:
        return False
    return len(matches) == 1 or matches[0].score >= MIN_LEAD * matches[1].score


def answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Answers the help question in the customer's latest message, from the help center.

    Every reply is a statement (the offers are buttons), so a form can ask its question after it."""
    question = tracker.latest_message.get("text") or ""
    if not topic_words(question):
        dispatcher.utter_message(response="utter_help_ask_away")
        return
    try:
        matches = search(helpcenter(), question)
    except VendorError as exc:
        log.warning("help center search failed: %s", exc)
        dispatcher.utter_message(response="utter_help_unavailable")
        return
    if confident(matches):
        best = matches[0].article
        dispatcher.utter_message(response="utter_help_answer", answer=short_answer(best.body), title=best.title, link=best.html_url)
    elif matches and matches[0].share >= MIN_SHARE:
        near = [m.article for m in matches[:2] if m.score >= MIN_LEAD_OTHER * matches[0].score]
        if len(near) == 2:
            dispatcher.utter_message(response="utter_help_maybe_two", title=near[0].title, link=near[0].html_url,
                                     other_title=near[1].title, other_link=near[1].html_url)
        else:
            dispatcher.utter_message(response="utter_help_maybe", title=near[0].title, link=near[0].html_url)
    else:
        dispatcher.utter_message(response="utter_help_no_answer")


class ActionAnswerQuestion(Action):
    """Answers a help question. Outside a form the question is then taken back out of the dialogue
    state (as Rasa's fallback does), so the conversation goes on from where it was: after flight
    results "yes" still shows the offers, after a quote "yes" still confirms it. Inside a form the
    rules go on to the form, which asks its question again."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.active_loop.get("name"):
            answer(dispatcher, tracker)
            return []
        # A cancellation or change quote waiting for a yes is recalled after the answer; a question
        # about its amount ("how much extra is that?") is answered by the quote alone.
        if not asks_about_the_quote(tracker):
            answer(dispatcher, tracker)
        remind_pending(dispatcher, tracker, domain)
        return [UserUtteranceReverted()]
