"""The words that say what a customer's message is about ("bag", "seat", "refund"), as stems, with
the help desk's words for the customer's own ("suitcase" is a bag, "dog" a pet): what matches a
complaint or a status question to the ticket it is about (actions/support.py).
"""
from __future__ import annotations

import re
from typing import Dict, List, Set, Tuple

WORD = re.compile(r"[a-z0-9]+")
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
# Phrases the help desk words otherwise, rewritten before the words are taken.
PHRASES = (
    (re.compile(r"\b(?:carry|check)[- ](?:on|in)\b"), lambda m: m.group().replace("-", "").replace(" ", "")),
    (re.compile(r"\b\d+\s*(?:kg|kgs|kilos?|lbs?|pounds)\b"), lambda m: " weight heavy "),
    (re.compile(r"\b(?:1|one)[- ]?(?:year|yr)s?[- ]?old\b|\b\d+\s*months?[- ]old\b"), lambda m: " baby "),
    (re.compile(r"\b\d+[- ]?(?:year|yr)s?[- ]?olds?\b"), lambda m: " child "),
)
# The customer's word -> the help desk's words for it, matched beside it.
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


def fold(word: str) -> str:
    """A crude stem, the same for the message and what it is matched with: "bags" finds "bag",
    "flying" finds "fly", "cancelled" and "charged" find "cancel" and "charge"."""
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
    """The words that say what the message is about, in order, each once."""
    words: List[str] = []
    for word in _words(text):
        if word not in FILLER and len(word) > 1 and word not in words:
            words.append(word)
    return words


def topic_stems(text: str) -> Set[str]:
    """The stems of the message's topic words and of the help desk's words for them."""
    return {fold(term) for word in topic_words(text) for term in (word, *SYNONYMS.get(word, ()))}


