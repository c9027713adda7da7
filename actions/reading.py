"""Reads the details of a trip from a customer's own words, whatever the bot asked.

"bos-mia 1/14 rt back 1/20", "actually from chicago", "me, my wife and our two kids in business",
"anything earlier?": every detail the message gives (places, dates, one-way or return, party,
cabin, time of day, stops, airline, order) in one pass, with no model and no network.

The reader is conservative: a detail it is unsure of stays None, so the NLU's entities or the
form's next question decide. Each kind of detail is read in turn, and the words it used are
blanked out before the next kind is read ("first class" is not a date, "may 5" is not an airport,
"for a week" is not a party of one). Places come last, matched against the NLU's place list
(data/lookups/places.yml) longest first; a lower-case code that is an English word ("the", "sat",
"mad") is never an airport, and names that are everyday words ("mobile", "buffalo") need a "from"
or "to" before them.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import islice
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

from common.embeddings import vocabulary
from common.text import well_formed

from .dates import MONTHS, NUMBERS, ORDINALS, TOMORROW, UNITS, WEEKDAYS, DateNotUnderstood, parse_date
from .places import KNOWN_NAMES, airport_city, known_names

MAX_FINDS = 12  # of each kind in one message: a long message is read as fast as a short one
TYPO_MIN_LENGTH, TYPO_CUTOFF, ONE_SLIP_CUTOFF = 6, 0.85, 0.8  # a misspelt city: how long a word, how close to the name
TRIP_FIELDS = ("origin", "destination", "departure_date", "return_date", "one_way", "adults", "children", "infants",
               "more_adults", "more_children", "cabin", "time_of_day", "max_stops", "airline", "sort")


@dataclass
class TripReading:
    """The trip details one message gives; None where it gives none."""

    origin: Optional[str] = None          # place text as written ("bos", "chicago", "new york")
    destination: Optional[str] = None
    departure_date: Optional[date] = None
    return_date: Optional[date] = None
    one_way: Optional[bool] = None        # False when a return is said, with or without its date
    adults: Optional[int] = None
    children: Optional[int] = None
    infants: Optional[int] = None
    more_adults: Optional[int] = None     # joining the party already counted ("my girlfriend wants to come too")
    more_children: Optional[int] = None
    cabin: Optional[str] = None           # economy|premium_economy|business|first
    time_of_day: Optional[str] = None     # morning|afternoon|evening|night
    max_stops: Optional[int] = None       # 0 for nonstop/direct
    airline: Optional[str] = None         # IATA code
    sort: Optional[str] = None            # cheapest|fastest|earliest|latest
    corrected: Set[str] = field(default_factory=set)  # fields the message explicitly corrects

    def fields(self) -> Dict[str, Any]:
        """Only the fields that were read."""
        return {name: getattr(self, name) for name in TRIP_FIELDS if getattr(self, name) is not None}


# ---- words ----------------------------------------------------------------------------------

def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


COUNT_WORDS = {w: n for w, n in NUMBERS.items() if w not in ("a", "an", "couple", "few") and n <= 12}
NUM = rf"(?:\d{{1,2}}|{_alternatives(COUNT_WORDS)})"
QTY = rf"(?:a\s+couple(?:\s+of)?|couple\s+of|a\s+few|an?|{NUM})"
UNIT = r"(?:days?|nights?|weeks?|fortnights?)"
MONTH = rf"(?:{_alternatives(MONTHS)})\.?(?![a-z])"
ORD_WORD = rf"(?:(?:twenty|thirty)[\s-]+(?:{_alternatives(list(ORDINALS)[:9])})|{_alternatives(ORDINALS)})"
DAY_NUM = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"
DAY = rf"(?:{DAY_NUM}|{ORD_WORD})"
YEAR = r"(?:,?\s*(?:19|20)\d\d(?!\d))?"
FULL_WEEKDAYS = [name for name in WEEKDAYS if len(name) > 5]
# Abbreviations that are also English words ("sat", "sun", "wed", "mon") need a word before them.
LOOSE_WEEKDAYS = ("sat", "sun", "wed", "mon")
SAFE_WEEKDAYS = [name for name in WEEKDAYS if len(name) <= 5 and name not in LOOSE_WEEKDAYS]

STARRED = r"^\s*\*(?=\w)(?![^*\n]*\*)"  # "*tue": a texter's correction of what was just typed (not "*sigh*")
CORRECTION = re.compile(
    STARRED + "|"
    r"^\W*(?:(?:ugh|argh|oh|hmm+|um+|ah)\W+)?(?:no+|nope|nah|oops|wait|sorry)\b\s*[,.!:;-]|^\W*(?:no+|nope|nah)\s+(?=(?:from|to|the|it|its|i|make|leaving|on|in|back|"
    r"we|not|actually|sorry|wait|change|out)\b)|[,.;!]\s*(?:no+|nope|sorry|oops|wait)\s*[,.;!-]|\bno+\s+wait\b|"
    r"[,.;!]\s*(?:sorry|oops)\s+(?=the\s+\d|\d)|"
    r"\b(?:actually|actualy|acutally|instead|(?:i\s+)?meant|i\s+mean|meant\s+to\s+say|"
    r"make\s+(?:that|it)|correction|change|changed|switch|rather|scratch\s+that|my\s+(?:bad|mistake)|typo|made\s+a\s+mistake|after\s+all|"
    r"should\s+(?:be|have\s+been|have\s+said|read))\b")
NEGATED = re.compile(r"(?:\b(?:not|no|except|but|avoid|avoiding|hate|never|without|instead\s+of|rather\s+than|other\s+than)|n't)"
                     r"\s+(?:\w+\s+)?$")
DISLIKED = re.compile(r"\b(?:(?:don'?t|do\s+not|doesn'?t|does\s+not|never|can'?t|cannot|won'?t)\s+(?:really\s+)?"
                      r"(?:like|want|fancy|enjoy|do|stand|fly|travel)|hate|avoid|dread|rather\s+not|no\s+more|"
                      r"not\s+(?:so\s+|very\s+|too\s+)?(?:good|great|ok|okay|fine)\s+(?:for|with))\b")

OVERLAND = r"(?:train|rail|bus|coach|car|ferry|boat|road)\b(?!\s+(?:seats?|rental|hire|park\w*))"
ONE_WAY_RE = re.compile(
    r"\b(?:one|1|won)[\s-]?way\b|\boneway\b|\b(?:only|just)\s+one\s+direction\b|\bone\s+direction\s+only\b|\b(?:so|solo|sola|solamente)\s+(?:ida|andata)\b|\baller\s+simple\b|\bo/?w\b|\bno\s+return\b|\bnot\s+(?:coming|flying)\s+back\b|\bwithout\s+(?:a\s+)?return\b|"
    r"\b(?:don'?t|do\s+not|won'?t|no)\s+need\s+(?:a\s+|the\s+)?return\b|\bsingle\s+(?:ticket|flight|journey|trip)\b|\bjust\s+there\b|"
    r"\b(?:only|just)\s+(?:the\s+)?(?:outward|outbound|going|there)\b(?!\s+and\s+back)|\b(?:i|we|she|he|they)\s+(?:stays?|will\s+stay|(?:am|is|are)\s+staying)\s+there\b|"
    # "I come back with the train", "driving back": no flight back
    rf"\b(?:back|return\w*)\s+(?:\w+\s+)?(?:by|with|on)\s+(?:the\s+|a\s+)?{OVERLAND}|\b(?:driv(?:e|ing)|tak(?:e|ing)\s+the\s+(?:train|bus|ferry|boat))\s+back\b")
RETURN_RE = re.compile(
    r"\bround[\s-]?trip\b|\br/?t\b|\bida\s+(?:e|y)\s+vuelta\b|\bida\s+e\s+volta\b|\bandata\s+e\s+ritorno\b|\baller[\s-]+retour\b|\breturn\s+(?:flight|ticket|trip|journey|leg|fare)s?\b|\bthere\s+and\s+back\b|"
    r"\b(?:a|with|plus|want|need|add)\s+(?:a\s+)?return\b|\bboth\s+ways\b|\btwo[\s-]?way\b|\b(?:returning|coming\s+back|"
    rf"come\s+back|fly(?:ing)?\s+back)\b(?!\s+to\s+(?:you|u|this|that|it)\b)(?!\s+(?:\w+\s+)?(?:by|with|on)\s+(?:the\s+|a\s+)?{OVERLAND})")  # not "I'll come back to you"

# "a return to edinburgh on the 11th" (British): a return ticket, leaving on the 11th.
RETURN_CUE = re.compile(r"(?<!\ba\s)\b(?:back|return(?:ing|s)?|ret|rtn|inbound|until|till|til)\b(?!\s+(?:flights?|trips?|tickets?|journey|fares?))|"
                        r"\bcom(?:e|es|ing)\s+(?:back\s+)?home\b|"  # "need 3 seats, coming home 12/20"; not "going home on friday"
                        r"\bthe\s+(?:back|return)\s+(?:flight|trip|journey|leg)\b")  # "for the back flight I take the 16th"
DEPART_CUE = re.compile(r"\b(?:leav(?:e|es|ing)|depart(?:s|ing|ure)?|outbound|outward|out|going|go|fly(?:ing)?|start(?:ing)?)\b")
# A date said as when one flies ("returning on the 18th"), not as a limit ("school till the 28th").
TRAVEL_CUE_BEFORE = re.compile(r"\b(?:back|return\w*|ret|rtn|inbound|leav\w*|depart\w*|outbound|out|going|go|fly\w*)\s+(?:on\s+)?(?:the\s+)?$")
RANGE_SEP = re.compile(r"^\s*(?:-|>|to|and|till|until|thru|through)\s*(?:the\s+)?$")
DATE_CUE_BEFORE = re.compile(r"\b(?:on|by|back|until|till|leav(?:e|ing)|return(?:ing)?|depart(?:ing)?|date|to|from|through|"
                             r"arriv(?:e|ing)|fly(?:ing)?|go(?:ing)?|make\s+it|meant)\s+(?:the\s+)?$")
NOT_THIS_DATE = re.compile(r"(?:\b(?:not|instead\s+of|rather\s+than|except)\s+(?:on\s+)?(?:the\s+)?|"
                           r"\b(?:born|birth\s?(?:day|date)|dob|date\s+of\s+birth)\b[^.;!?]{0,12})$")
NOT_A_DATE_AFTER = re.compile(r"\s*(?:one|ones|option|flight|offer|result|choice|seat|row|stop|leg|time|cheapest|class|floor|bag|"
                              r"passenger|traveller|traveler|person|adult|child|kid|of\s+(?:them|those|these|the\s+\w+s))\b")

# "friday 11 december", "tue dec 8": the weekday only names the date after it.
BEFORE_A_DATE = rf"(?!,?\s+(?:the\s+)?[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}|,?\s+{MONTH}\s*[0-3]?\d)"
DATE_RE = re.compile("|".join([
    r"(?P<iso>\b\d{4}-\d{1,2}-\d{1,2}\b)",
    rf"(?P<range>\b(?P<r_month>{MONTH})\s+(?P<r_from>{DAY_NUM})\s*(?:-|to|till|until|thru|through)\s*(?P<r_to>{DAY_NUM})\b"
    rf"(?!\s*(?:/|:|am\b|pm\b|{MONTH}))|"
    rf"\b(?P<r_from2>{DAY_NUM})\s*(?:-|to|till|until)\s*(?P<r_to2>{DAY_NUM})\s+(?:of\s+)?(?P<r_month2>{MONTH}))",
    rf"(?P<absolute>\b{MONTH}\s*(?:the\s+)?{DAY}\b{YEAR}|\b(?:the\s+)?{DAY}\s*(?:of\s+)?{MONTH}{YEAR})",
    r"(?P<numeric>(?<![\d/.])(?!24/7)\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?(?![\d/]))",
    r"(?P<holiday>\b(?:(?:over|for|at|around|on)\s+)?(?:the\s+)?(?:(?:christmas|xmas)(?:\s+(?:eve|day|holidays?|break))?|"
    r"new\s?years?'?s?(?:\s+(?:eve|day))?|nye|thanksgiving(?:\s+(?:day|weekend|break))?)\b)",
    rf"(?P<soon>\b(?:the\s+)?day\s+after\s+(?:{_alternatives(TOMORROW)})\b|\b(?:today|tonight|{_alternatives(TOMORROW)})\b)",
    rf"(?P<from_now>\b{QTY}\s+{UNIT}\s+from\s+(?:today|now|{_alternatives(TOMORROW)})\b|\b(?:in|within)\s+{QTY}\s+{UNIT}\b)",
    rf"(?P<later>\b(?:for|stay(?:ing)?(?:\s+for)?)\s+(?:the\s+)?{QTY}\s+{UNIT}\b|\b{QTY}\s+{UNIT}\s+(?:later|after(?:wards)?)\b|"
    rf"\b{QTY}[\s-]+(?:day|night|week)\s+(?:trip|stay|holiday|vacation|getaway)\b|"
    r"\b(?:the\s+)?(?:next|following)\s+day\b|\bthe\s+day\s+after\b)",
    r"(?P<weekend>\b(?:the\s+)?(?:weekend|wknd|wkend|week)\s+after\s+next\b|"
    r"\b(?:this(?:\s+coming)?|next|over\s+the|on\s+the)\s+(?:weekend|wknd|wkend)\b(?!\s+(?:of|after\s+next)\b))",
    r"(?P<weekpart>\b(?:at\s+)?(?:the\s+)?(?:end|start|beginning|middle|mid)(?:\s+of)?(?:\s+the)?[\s-]+(?:this|next)\s+week\b)",
    rf"(?P<weekday>\b(?:(?P<w_which>this|next|coming|following)\s+)?(?P<w_day>{_alternatives(FULL_WEEKDAYS + SAFE_WEEKDAYS)})\b"
    rf"{BEFORE_A_DATE}(?:,?\s+(?:the\s+(?P<w_num>[0-3]?\d)(?:st|nd|rd|th)?|(?P<w_num2>[0-3]?\d)(?:st|nd|rd|th))\b(?!\s*(?:[:./]\d|am\b|pm\b|%)))?|"
    rf"\b(?:(?P<w_which2>this|next|coming|following)|on|by|back|leaving|returning|until|till|make\s+(?:it|that)|it'?s|or|instead\s+of|"
    r"sorry|no|nope|wait|oops|actually)"
    rf"\s+(?P<w_day2>{_alternatives(LOOSE_WEEKDAYS)})\b{BEFORE_A_DATE}|"
    # "sfo sat back sun": a short weekday with the return after it
    rf"\b(?P<w_day3>{_alternatives(LOOSE_WEEKDAYS)})\b(?=\s*(?:-|back|return\w*|ret|rtn|till|until|thru)\s+(?:on\s+)?(?:the\s+)?"
    rf"(?:{_alternatives(WEEKDAYS)}|\d)\b))",
    rf"(?P<ordinal>\b(?:the\s+)?[0-3]?\d(?:st|nd|rd|th)\b|\bthe\s+{ORD_WORD}\b|\bon\s+the\s+[0-3]?\d\b(?!\s*(?:[:.]\d|am\b|pm\b|%)))",
]))

CABINS = [
    ("first", re.compile(r"\b(?:first|1st)[\s-]*class\b|\b(?:in|fly(?:ing)?|upgrade(?:\s+me)?\s+to|go(?:ing)?|to)\s+first\b"
                         r"(?!\s+(?:time|flight|one|thing|of|option|week|day|available|leg|stop|half|\w+day))")),
    ("premium_economy", re.compile(r"\bprem(?:ium)?[\s-]*(?:economy|econ|eco)\b|\bpremium(?:[\s-]*(?:class|cabin|seats?))?\b"
                                   r"(?!\s+(?:member|membership|account|card|support|plan|service|customer|status|lounge))")),
    ("business", re.compile(r"\b(?:business|busines|busness|buisness|bussiness|bussines|biz|executive)[\s-]*class\b|\bexecutiva\b|(?<!\bon\s)(?<!\bfor\s)(?<!\bmy\s)(?<!\bour\s)"
                            r"\b(?:business|biz)\b(?!\s*(?:trip|travel|meeting|reasons?|purposes?|days?|hours|card|account|customer|"
                            r"partner|conference|traveller|traveler|event|lunch|dinner|'s|s\b))")),
    ("economy", re.compile(r"\b(?:economy|econ|economic|economique|econ[oô]mica|coach|main\s+cabin|standard\s+class)\b|\b(?:to|in|fly(?:ing)?)\s+eco\b|\beco\s+class\b")),
]
CABIN_CODES = {"J": "business", "Y": "economy", "F": "first", "W": "premium_economy"}
CABIN_CODE = re.compile(r"(?<![\w/'])(?P<code>[JYFW])(?:\s*(?:class|cabin))?(?![\w/'])|\b(?P<lower>[jyfw])\s+(?:class|cabin)\b")
NONSTOP = re.compile(r"\bnon[\s-]?stops?\b|\bdirect(?:ly)?\b(?!\s+(?:me|us|you|him|her|them|message|debit|deposit|line|link|contact|"
                     r"number|phone|email|chat))|\bno\s+(?:layovers?|stops?|connections?|stopovers?|changes)\b|"
                     r"\bwithout\s+(?:a\s+|any\s+)?(?:layovers?|stops?|connections?|stopovers?)\b|\bzero\s+stops\b")
FEW_STOPS = re.compile(rf"\b(?:(?:max(?:imum)?|at\s+most|up\s+to|no\s+more\s+than|only)\s+)?(?P<n>one|1|a\s+single|{NUM})\s+"
                       r"(?:stop|layover|connection|stopover)s?\b")
NOT_NEEDED = re.compile(r"(?:\b(?:not|no\s+need|needn't|need\s+not)|n't)\b[^,.;!?]{0,25}$")

TIMES = [
    ("night", re.compile(r"\bred[\s-]?eyes?\b|\bovernight\b|\blate[\s-]night\b|\bat\s+night\b|(?<!good\s)(?<!last\s)(?<!per\s)"
                         r"(?<!\d\s)(?<!\ba\s)(?<!one\s)\bnight\b(?!s)(?!\s+(?:shifts?|owls?|before|out)\b)")),
    ("morning", re.compile(r"(?<!good\s)\bmornings?\b|\bearly\s+(?:in\s+the\s+day|flights?|ones?|departures?|start)\b|"
                           r"\bfirst\s+thing\b|\bbefore\s+(?:noon|lunch|midday)\b|\bam\s+(?:only|flights?|ones?|departures?|pls|please)\b|"
                           r"\b(?:only|in\s+the)\s+am\b")),
    ("afternoon", re.compile(r"(?<!good\s)\bafternoons?\b|\bpm\s+(?:only|flights?|ones?|departures?)\b|\b(?:only|in\s+the)\s+pm\b|\bmid[\s-]?day\b|\baround\s+noon\b|\blunch\s?time\b")),
    ("evening", re.compile(r"(?<!good\s)\bevenings?\b|\bafter\s+work\b|\blate\s+(?:flights?|ones?|departures?|in\s+the\s+day)\b|"
                           # "after 5pm", "anything departing after 1800"
                           r"(?<!nothing\s)(?<!none\s)(?<!land\s)(?<!lands\s)(?<!landing\s)(?<!arrive\s)(?<!arriving\s)"
                           r"\bafter\s+(?:(?:[4-8](?::[0-5]\d)?|1[67](?::?[0-5]\d)?)\s*(?:pm|p\.m\.|p)\b|(?:1[6-8][:.h]?|19[:.h]|20[:.h])[0-5]\d\b(?!\s*(?:am|pm)))")),
]


def _relative(word: str) -> str:
    """'earlier' in 'anything earlier?', 'an earlier flight', 'leave earlier', not in 'as I said earlier'."""
    return (rf"\b(?:anything|something|any|a\s+bit|bit|little|slightly|much|an?|one|ones|flights?|departures?|options?|leave|leaving|"
            rf"depart|departing|go|going|fly|flying)\s+{word}\b|\b{word}\s+(?:flights?|ones?|options?|departures?|times?|in\s+the\s+day|"
            rf"than)\b|\b{word}\s*\?")


SORTS = [
    ("cheapest", re.compile(r"\b(?:cheapest|cheaper|cheap|lowest\s+(?:price|fare|cost)|least\s+expensive|less\s+expensive|"
                            r"lower\s+(?:price|fare)|best\s+(?:price|deal))\b")),
    ("fastest", re.compile(r"\b(?:fastest|quickest|shortest|faster|quicker|shorter\s+(?:flights?|trip|journey|travel\s+time))\b")),
    ("earliest", re.compile(rf"\b(?:earliest|first\s+flight(?:\s+out)?)\b|{_relative('earlier')}")),
    ("latest", re.compile(rf"(?<!what's\sthe\s)(?<!whats\sthe\s)(?<!what\sis\sthe\s)\blatest\b(?!\s+(?:on|news|update|status|info|about))|"
                          rf"\blast\s+flight(?:\s+out)?\b|{_relative('later')}")),
]

# What customers call the airlines, by their codes.
AIRLINE_NAMES = {
    "delta": "DL", "united": "UA", "american": "AA", "jetblue": "B6", "jet blue": "B6", "southwest": "WN", "alaska": "AS",
    "british airways": "BA", "british": "BA", "lufthansa": "LH", "air france": "AF", "klm": "KL", "tap": "TP",
    "iberia": "IB", "swiss": "LX", "aer lingus": "EI", "virgin": "VS", "air canada": "AC", "emirates": "EK",
    "qatar": "QR", "turkish": "TK", "easyjet": "U2", "ryanair": "FR", "finnair": "AY", "sas": "SK", "ita": "AZ",
}
# Names the flight data does not carry, and the names that are also everyday words.
AIRLINES = {**AIRLINE_NAMES, "delta air lines": "DL", "virgin atlantic": "VS", "scandinavian": "SK", "ethiopian": "ET",
            "air india": "AI", "singapore airlines": "SQ", "cathay": "CX", "cathay pacific": "CX", "all nippon": "NH",
            "japan airlines": "JL", "jal": "JL", "korean air": "KE", "qantas": "QF", "air new zealand": "NZ",
            "aeromexico": "AM", "aero mexico": "AM", "latam": "LA", "avianca": "AV", "tap portugal": "TP", "tap air": "TP"}
AIRLINES_NEEDING_A_CUE = {"united", "american", "british", "swiss", "virgin", "alaska", "turkish", "qatar", "tap", "sas", "ita",
                          "scandinavian", "ethiopian", "emirates"}
AIRLINE_RE = re.compile(rf"\b(?P<name>{_alternatives(AIRLINES)})(?P<suffix>\s+(?:airlines?|airways|air\s+lines))?\b")
AIRLINE_CUE_BEFORE = re.compile(r"\b(?:on|with|only|just|prefer(?:ably)?|fly(?:ing)?|any|book|the|via|by|take|use|want|"
                                r"through|what\s+about|how\s+about)\s+$")
AIRLINE_CUE_AFTER = re.compile(r"^\s*(?:one|ones|flights?|planes?|only|please|pls|option|is\s+fine|instead|\?|"
                               r"if\s+(?:possible|available|they\s+(?:have|fly)|there(?:'s|\s+is)|you\s+can)|preferably|ideally|pref)")
AIRLINE_CODE_RE = re.compile(rf"\b(?P<code>{_alternatives({c.lower() for c in AIRLINES.values()})})\b")
# Airline codes that are everyday words too: only in capitals ("AS", not "as").
CODES_THAT_ARE_WORDS = {"as", "am", "la", "ai", "ay"}
NOT_AN_AIRLINE_AFTER = re.compile(r"^\s*(?:states|kingdom|nations|arab|express|pacific\s+railway)\b")

PARTY_NUMBER = {**COUNT_WORDS, "a": 1, "an": 1, "single": 1}
PARTY_NOUNS = {
    "adults": r"adults?|adts?|ad(?=\s|$)|grown[\s-]?ups?|seniors?|adultos",
    "children": r"kids?|child(?:ren)?|boys?|girls?|sons?|daughters?|teens?|teenagers?|toddlers?",
    "infants": r"infants?|bab(?:y|ies)|newborns?",
    "total": r"people|ppl|persons?|passengers?|pax|travell?ers?|tickets?|tix|seats?|guests?",
}
PARTY_COUNT = re.compile(rf"\b(?P<n>{NUM}|an?)(?:\s+|(?<=\d))(?:(?:small|young|little|lap|grown)\s+)?"
                         rf"(?P<noun>{'|'.join(PARTY_NOUNS.values())})\b(?!')")
# Dictated "two" ("i need to tickets to denver"): "to" is never a count before these words.
DICTATED_TWO = re.compile(r"\b(?:to|too)\s+(?P<noun>tickets?|tix|seats?|adults?)\b")
PARTY_TOTAL = re.compile(
    rf"\b(?:(?:all|the)\s+)?(?P<n>{NUM}|both)\s+of\s+us\b|\bsomos\s+(?P<n6>{NUM})\b|(?<![a-z0-9])(?<!bags\s)(?<!bag\s)x(?P<n7>[2-9])\b|"
    rf"\b(?:just|only)\s+the\s+(?P<n8>{NUM})\s+of\s+them\b(?!\s+(?:are|is|have|has)\b)|\bus\s+(?P<n2>two|both)\b|\b(?:family|party|group|team)\s+of\s+(?P<n3>{NUM})\b|"
    rf"\bwe\s*(?:are|'re|re)\s+(?P<n4>{NUM})\b(?!\s*(?:days?|weeks?|hours?|mins?|minutes?))|"
    rf"\bfor\s+(?:the\s+)?(?P<n5>{NUM})\b(?!\s*(?:[a-z]+day|days?|nights?|weeks?|months?|years?|hours?|hrs?|mins?|minutes?|am\b|pm\b|"
    r"a\.?m|p\.?m|o'?clock|[:.,/-]\d|\$|dollars?|euros?|bucks|usd|eur|gbp|pounds?|%|stops?|bags?|suitcases?|pieces?|pets?|dogs?|"
    r"cats?|st\b|nd\b|rd\b|th\b|of\b))")
SPANISH_ADULTS = r"esposa|esposo|marido|suegra|suegro|mam[aá]|pap[aá]|hermana|hermano|amiga|amigo|novia|novio"
COMPANIONS = {
    "adults": r"wife|husband|partner|spouse|missus|missis|hubby|other\s+half|better\s+half|girlfriend|boyfriend|gf|bf|fiance|fiancee|friend|buddy|mate|colleague|co-?worker|boss|"
              r"mom|mum|mother|dad|father|brother|sister|bro|sis|aunt|uncle|cousin|grandma|grandpa|grandmother|grandfather|granny|"
              r"grand-?dad|nana|mother[\s-]in[\s-]law|father[\s-]in[\s-]law|roommate|flatmate|friends|colleagues|co-?workers|"
              r"brothers|sisters|cousins|mates|buddies|lads|fellas|pals|besties?|bffs?|"
              rf"{SPANISH_ADULTS}|"  # Spanish, as US customers mix it in
              # "me n him", "me and her": someone the customer need not name, right beside the customer
              r"(?<=\bme\sand\s)(?:him|her)\b|(?<=\bme\sn\s)(?:him|her)\b|(?<=\bmyself\sand\s)(?:him|her)\b",
    "pairs": r"parents|grandparents|in[\s-]laws",
    "children": r"sons?|daughters?|kids?|child(?:ren)?|boys?|girls?|toddlers?|teens?|teenagers?|step-?sons?|step-?daughters?|"
                r"nephews?|nieces?|grand-?sons?|grand-?daughters?|grand-?kids?|grand-?children|twins|triplets",
    "infants": r"bab(?:y|ies)|infants?|newborns?|beb[eé]s?",
}
COMPANION_RE = re.compile(rf"\b(?:(?:my|our|the|his|her|a|an|mi|mis)\s+)?(?:(?P<n>{NUM})\s+)?(?:(?P<young>baby|infant|newborn|lap|little|"
                          rf"young|small|teenage|grown|adult|elderly)\s+)?(?P<who>{'|'.join(COMPANIONS.values())})\b")
# "my little sister who is 9", "my son (7)": the age says whether a companion flies as a child.
AGE_AFTER = re.compile(r"^\s*,?\s*(?:\(\s*|who\s*(?:is|'s)\s+|whos\s+|aged?\s+|is\s+|(?:he|she)\s*(?:is|'s)\s+|hes\s+|shes\s+)(?P<age>\d{1,2})(?:\s*(?:yrs?|years?|yo|y/o))?"
                       r"(?:\s*old)?\s*\)?(?!\s*(?:[/:.-]\d|am|pm|of|th|st|nd|rd|days?|weeks?|months?))")
# "the kids are 5 and 11", "kids (4, 7)": as many children as ages.
AGES_LIST = re.compile(r"^\s*(?:\(|,)?\s*(?:are|r|'re|aged?|who\s+are|,)?\s*(?P<ages>\d{1,2}(?:\s*(?:,|and|&|\+|\bn\b)\s*\d{1,2})+)\b"
                       r"(?!\s*(?:[/:.-]\d|am\b|pm\b|st\b|nd\b|rd\b|th\b|days?|nights?|weeks?|months?|of\b))")
ADULT_AGE = 18
INFANT_AGE = 2
# "my 3 year old", "our 10-month-old daughter": a companion said by age, who flies as that age says.
# The words after "old": a child ("son"), or nothing more of it ("my 3 year old, ..."); not "my 2 year old laptop".
AGED_TAIL = (rf"(?:\s+(?:{COMPANIONS['children']}|{COMPANIONS['infants']})\b|"
             r"(?=\s*(?:[,.;!?)]|$)|\s+(?:and|&|n|y|plus|too|as\s+well|on|in|with|who|is|will)\b))")
AGED = re.compile(rf"\b(?:my|our|his|her|the)\s+(?P<n>{NUM})[\s-]*(?P<unit>y(?:ea)?rs?|y/?o|months?|mos?|mths?)[\s-]*old\b{AGED_TAIL}")
# A companion named without "and"/"with", said to be joining the party already counted.
JOINING = re.compile(r"\b(?:too|as\s+well|also|joining|join(?:s)?\s+(?:us|me)|com(?:e|es|ing)\s+(?:along|with\s+(?:us|me)|too)|"
                     r"tag(?:ging)?\s+along|wants?\s+to\s+come|(?:is|are)\s+coming|add(?:ing)?)\b")
MORE = re.compile(rf"\b(?:(?P<n>{NUM})\s+more|another)\s+(?P<noun>adults?|grown[\s-]?ups?|people|persons?|passengers?|travell?ers?|"
                  r"kids?|child(?:ren)?)\b")
LINK_BEFORE = re.compile(r"(?:\b(?:me|i|myself|and|n|with|plus|taking|bringing|including|incl|for|y|con|para)\b|[,+&])\s*(?:also\s+)?$|"
                         r"\b(?:y|con|para)\s+(?:el|la)\s+$")  # "y el baby"
# "to visit our daughter, on the 13th", "my sister just had her baby", "I'll talk it over with my husband":
# the one visited, born or asked is not travelling.
VISITED_BEFORE = re.compile(r"\b(?:visit(?:ing)?|see(?:ing)?|meet(?:ing)?|join(?:ing)?|stay(?:ing)?\s+with|pick(?:ing)?\s+up|had|having|expecting|"
                            r"(?:talk|discuss|check|speak)(?:\s+(?:it|this|that))?(?:\s+over)?\s+with|ask(?:ing)?)\s+$")
# "my husband is staying home", "my brother cant come after all", "my wife says i should go": named, not travelling.
NOT_COMING_AFTER = re.compile(r"\s*(?:is|'s|are)?\s*(?:stay(?:s|ing)?\s+(?:at\s+)?(?:home|behind|here)|says?|said|thinks?|thought|reckons?|"
                              r"told\s+me|suggest(?:s|ed)?|insists?|(?:wants|asked|told)\s+me\s+to|(?:can'?t|cannot|won'?t|isn'?t|aren'?t|"
                              r"is\s+not|are\s+not|will\s+not|not)\s+(?:be\s+)?(?:com(?:e|ing)|fly(?:ing)?|travel(?:l?ing)?|join(?:ing)?|make\s+it)|"
                              r"(?:dropped|bailed)\s+out|bailed|dropped|"
                              r"(?:will|'ll|is\s+going\s+to|can)\s+(?:drive|pick|take|collect|bring)\s+(?:me|us)|(?:is\s+)?(?:driving|picking\s+up|collecting)\s+(?:me|us))\b")
LINK_AFTER = re.compile(r"^\s*(?:,|and\b|&|\+|plus\b|y\b)")
SELF = re.compile(rf"\b(?:me|myself|i|i'm|im|i'll|i'd|i've|ive)\b|\b(?:para|y|con)\s+m[ií]\b(?!\s+(?:{SPANISH_ADULTS}|beb[eé]|hij[oa]s?)\b)|\b(?:y\s+yo|yo\s+y)\b")
WE = re.compile(r"\b(?:we|us|we're|we've)\b")
# "actually 5", "back to 2", "make it 4": a bare number correcting a party already known.
BARE_PARTY = re.compile(rf"\b(?:actually|make\s+(?:it|that)|back\s+to|now|change\s+(?:it|that)\s+to|wait|sorry|oops|no|nope|nah|so|"
                        r"just|only|it'?s)"
                        rf"\s*[,.!:-]?\s*(?P<n>{NUM})\b(?!\s*(?:st|nd|rd|th|am|pm|a\.m|p\.m|o'?clock|[:./-]\d|%|\$|days?|"
                        r"nights?|weeks?|months?|hours?|hrs?|h\b|mins?|minutes?|stops?|bags?|of\b|more\b))")
# "4 not 3": a number for the one said before; the party when that was the party's size.
PARTY_SWAP = re.compile(rf"\b(?P<n>{NUM})\s*,?\s*(?:not|instead\s+of|rather\s+than)\s+(?P<old>{NUM})\b(?!\s*(?:st|nd|rd|th|[:./-]\d|am\b|pm\b))")
NOT_ME = re.compile(r"\bnot\s+(?:for\s+)?(?:me|myself)\b|\b(?:on|in|under)\s+(?:the\s+)?name\s+of\b")
SOLO = re.compile(r"\b(?:just|only)\s+(?:me|myself)\b|\b(?:by\s+myself|on\s+my\s+own|solo|alone|just\s+for\s+me|only\s+for\s+me|"
                  r"me\s+only|me\s+alone)\b|\bjust\s+(?:the\s+)?one\s+(?:of\s+us|person|passenger|travell?er|ticket|seat)\b")

# Lower-case codes that are everyday words: never an airport (first set), or only with "from"/"to"
# or next to another place as in "mad-bcn" (second set). Upper case ("MAD") is always a code.
NEVER_CODES = frozenset(
    "the and can any one two man fly bag dog pet sat sun bom mon fri wed tue thu may jan dec mar feb jun jul aug sep oct nov "
    "was for are you not but all new get out now how who why yes sin pie toe sub saw sap pop pen par nap nag mow mad lap inc "
    "hog gym gum gig fat ego dug dam dad bud bro yum uni tap suv sob sip rob lux kin hah bah lee ben liz sid ali rex ill "
    "per via ago pls plz thx lol omg mrs".split())  # "mrs": Mrs, never Marseille in lower case
WEAK_CODES = frozenset(
    "den ade aer alp ama bel bey bil bla bon buf cap cen clo dal dar deb del dia dil dir dub dur eri esb ext gae gan geo ges "
    "han hav hel het hul ind isl ito kea lan lao las lei lim lin lio lis lon lop los lov lun mam mao mel mem mil mir mot nan "
    "nas nat nav nev nim nog ols ont opo osa ost pac pap pew pia pos pus rai rar rec res ric roc rom rop ror rov sal san sao "
    "sav sco sel sti sto std sty tai tam tas tia tru tul tun tus ura ver vie vin yap zam sea ham oma".split())
WEAK_NAMES = frozenset(
    "la ny sf dc alice argyle banana buffalo casper david flint gander greer hamilton jackson jebel limestone logan manta "
    "marathon midland midway mobile mopa providence reagan regina rivera salto taba victoria male melo beja colonia "
    "nice split cork sofia fez aspen".split())
SKIP_PLACE_BEFORE = re.compile(
    r"(?:\bvia|\bthrough|\bthru|\bconnect(?:ing|ion)?\s+(?:in|at|through|via)|\b(?:layover|stopover|stop|change|changing\s+planes?)\s+"
    r"(?:in|at)|\btransit(?:ing)?\s+(?:in|at|through|via)|\bnot(?:\s+(?:from|to|in|out\s+of|into))?|\bexcept|\bavoid(?:ing)?|"
    r"\bother\s+than|\binstead\s+of|\brather\s+than|\bnear|\bclose\s+to|\bor|\beither)\s+(?:the\s+)?$")
REPLACED_BEFORE = re.compile(r"(?:\bnot|\binstead\s+of|\brather\s+than)\s+(?:the\s+)?$")
INSTEAD_AFTER = re.compile(r"\s*(?:class\s+)?(?:instead|rather)\b")
ALTERNATIVE_AFTER = re.compile(r"\s*,?\s*(?:or|and/or)\b")  # "paris or rome": undecided
AGAIN_BEFORE = re.compile(r"^\s*\*\s*$|(?:\bi\s+mean|\b(?:i\s+)?meant|\bactually|\bsorry|\bmake\s+(?:it|that)|\brather|\bno)\s*[,.!]?\s+$")
ORIGIN_BEFORE = re.compile(
    r"(?:\bfrom|\bfrm|\bform|\bfae|\bout\s+of|\boutta|\bex|\bde|\bda|\bdesde|\bleaving(?:\s+from)?|\bleave(?:\s+from)?|\bdeparting(?:\s+from)?|\bdepart(?:\s+from)?|"
    r"\bstart(?:ing)?\s+(?:in|from|at)|\b(?<!\bis\s)(?<!\bare\s)(?<!\bthey\s)(?<!\bwho\s)(?:live|living|based|located|stuck)\s+(?:in|at|near)|"
    r"\b(?:i'?m|i\s+am|we'?re|we\s+are|currently)\s+(?:in|at)|\bhome\s+is(?:\s+in)?|"
    r"\b(?:origin|departure\s+(?:city|airport))(?:\s+(?:city|airport))?(?:\s+(?:is|to|should\s+be|will\s+be))?)\s*[:=]?\s+(?:the\s+)?$")
# "i'm an exchange student in boston", "I'm working in Boston next week": where the customer is,
# the trip's start or its end as the rest of the message says; no role of its own.
STAYING_IN = re.compile(r"\b(?:i'?m|i\s+am)\s+(?:\w+\s+){0,3}?(?:student|studying|working|stationed)\s+(?:in|at)\s+(?:the\s+)?$|"
                        r"\bi\s+(?:study|work)\s+(?:in|at)\s+(?:the\s+)?$")
FROM_THERE = re.compile(r"\b(?:from|out\s+of|leaving)\s+there\b")
BACK_TO_BEFORE = re.compile(r"\bback\s+(?:to|in)\s+(?:the\s+)?$")
DEST_BEFORE = re.compile(
    r"(?:\bto|\b2|\btae|\binto|\btowards?|\bfor|\bpara|\bdest|\bvisit(?:ing)?|\bin|\bdestination(?:\s+(?:city|airport))?(?:\s+(?:is|to|should\s+be|will\s+be))?|"
    r"\barriv(?:e|ing)\s+(?:in|at|into)|\bland(?:ing)?\s+(?:in|at)|\bheading|\bbound\s+for|"
    r"\b(?:they|she|he|who)\s+(?:now\s+)?(?:live|lives|living|stay|stays)\s+(?:in|at|near))\s*[:=]?\s+(?:the\s+)?$")  # the family visited
# Capitals that are not airports (the list's codes aside).
NOT_CODES = frozenset("usa uae eur usd gbp cad aud chf jpy faq pnr eta etd tsa dob fyi btw lol omg wtf imo ceo pdf api sms vip atm "
                      "gps tbd tba est pst cet gmt utc edt pdt cst mst bst ok".split())
PLACE_JOINER = re.compile(r"[\s\-./',]{1,3}")  # "washington, d.c."
PAIR_JOINER = re.compile(r"^\s*(?:-|>|to|2|/|,|go(?:\s+to)?|se)?\s*$")  # "seattle go los angeles", Hindi "delhi se hyderabad"
ROUTE_JOINER = re.compile(r"^\s*(?:-|>|to|2)\s*$")


# ---- the message ----------------------------------------------------------------------------

# "oh la la, it is very expensive": words that look like places (Los Angeles) and are none.
NOT_A_PLACE = re.compile(r"\b(?:o+h+\s+)?la\s+la(?:\s+la)*\b", re.I)


class _Message:
    """The customer's words, lower case, with what has been read blanked out as the reading goes."""

    def __init__(self, text: str) -> None:
        text = well_formed(text)
        self.upper_codes = {w.lower() for w in re.findall(r"\b[A-Z]{3}\b", text)}
        self.upper_pairs = {w.lower() for w in re.findall(r"\b[A-Z][A-Z0-9]\b", text)}  # "BA", "B6": airline codes
        if re.search(r"\b[A-Z]{4,}\b", text) and sum(c.isupper() for c in text) > sum(c.islower() for c in text):
            self.upper_codes = set()  # "FROM MAN TO BOS": shouting, not codes
        folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
        folded = re.sub(r"[\u2018\u2019\u02bc`]", "'", folded)
        folded = re.sub(r"->|=>|[\u2192\u21d2\u2794\u279d\u27a1\u27f6\u2708\U0001f6eb\U0001f6ec]\ufe0f?", " > ", folded)
        folded = re.sub(r"[\u2010-\u2015\u2212]", "-", folded)
        folded = re.sub(r"\bnxt\b", "next", folded)
        folded = NOT_A_PLACE.sub(" ", folded)
        folded = re.sub(r"\bl8r\b", "later", re.sub(r"\bb4\b", "before", folded))
        folded = re.sub(r"\b(\d+|a|one|two|three|four)\s*wk(s?)\b", r"\1 week\2", folded)
        self.text = folded.replace("&", " and ").replace("+", " + ")
        self.left = self.text
        self.corrects = CORRECTION.search(self.text) is not None

    def finds(self, pattern: re.Pattern) -> List[re.Match]:
        return list(islice(pattern.finditer(self.left), MAX_FINDS))

    def blank(self, start: int, end: int) -> None:
        self.left = self.left[:start] + " " * (end - start) + self.left[end:]

    def before(self, start: int, width: int = 40) -> str:
        return self.text[max(0, start - width):start]


def _pick(found: List[Tuple[int, Any]], corrects: bool) -> Any:
    """The value said first, or after a correction the one said last; None when nothing was found."""
    if not found:
        return None
    return sorted(found, key=lambda f: f[0])[-1 if corrects else 0][1]


def _agreed(found: List[Tuple[int, Any]], corrects: bool) -> Any:
    """Like _pick, but two different values without a correction are a contradiction: None."""
    if not corrects and len({value for _, value in found}) > 1:
        return None
    return _pick(found, corrects)


def _disliked(message: _Message, start: int) -> bool:
    """ "I don't like to rush about in the evening": the clause before the words says no to them."""
    clause = re.split(r"[.!?;,]|\bbut\b", message.text[:start])[-1]
    return bool(DISLIKED.search(clause))


def _read_patterns(message: _Message, patterns: List[Tuple[Any, re.Pattern]]) -> List[Tuple[int, Any]]:
    """(position, value) of each pattern's matches, unless negated ("not business", "i hate early
    mornings"); only the one followed by "instead" when there is one ("premium economy instead,
    business is crazy money")."""
    found, instead = [], []
    for value, pattern in patterns:
        for match in message.finds(pattern):
            if not NEGATED.search(message.before(match.start(), 25)) and not _disliked(message, match.start()):
                found.append((match.start(), value))
                if INSTEAD_AFTER.match(message.text, match.end()):
                    instead.append((match.start(), value))
                message.blank(*match.span())
    return instead if len(instead) == 1 else found


# ---- dates ------------------------------------------------------------------------------------

@dataclass
class _DateFound:
    start: int
    end: int
    text: str
    kind: str
    role: Optional[str]  # "departure", "return" or None when the words do not say
    unsure: bool = False  # "the 2nd" may be an offer: a date only next to other dates


# "december 22 go, january 5 come back": the word after a date says which it is, when a comma or the
# end of the message closes it.
TRAILING_CUE = re.compile(r"\s*(?:(?P<departure>go|going|out|leav(?:e|ing)|depart(?:ing)?|outbound)|"
                          r"(?P<return>(?:come|coming|fly|flying|go|going)\s+(?:back|home)|back|return(?:ing)?))\s*(?=[,;.!]|$)")


def _trailing_role(message: _Message, found: _DateFound) -> Optional[Tuple[str, int]]:
    """The role the words right after a date give it, and where they end."""
    match = TRAILING_CUE.match(message.text, found.end)
    return (match.lastgroup, match.end()) if match else None


def _date_role(message: _Message, start: int, previous_end: Optional[int]) -> Optional[str]:
    """What the words between the previous date and this one say: the last "back" or "leaving" wins."""
    segment = message.text[previous_end or 0:start]
    cues = [(m.start(), "return") for m in RETURN_CUE.finditer(segment)]
    cues += [(m.start(), "departure") for m in DEPART_CUE.finditer(segment)]
    if cues:
        return max(cues)[1]
    if previous_end is not None and RANGE_SEP.match(segment):
        return "return"
    return None


def _find_dates(message: _Message, asked: Optional[str]) -> List[_DateFound]:
    found: List[_DateFound] = []
    for match in message.finds(DATE_RE):
        kind, text = match.lastgroup, match.group()
        if kind.startswith(("r_", "w_")):
            kind = next(k for k in ("range", "weekday") if match.group(k))
        day = _is_a_day(message, match, asked) if kind == "ordinal" else True
        if day is False:
            continue
        if kind == "holiday" and re.search(r"\b(?:happy|merry)\s+$", message.before(match.start(), 10)):
            continue
        message.blank(*match.span())
        if NOT_THIS_DATE.search(message.before(match.start(), 30)):
            continue
        previous = found[-1].end if found else None
        trailing = _trailing_role(message, found[-1]) if found else None
        if trailing:  # "december 22 go, january 5 come back": the "go" is the 22nd's
            found[-1].role = found[-1].role or trailing[0]
            previous = trailing[1]
        if kind == "range":
            month, first, last = (match.group(g) or match.group(g + "2") for g in ("r_month", "r_from", "r_to"))
            role = _date_role(message, match.start(), previous)
            found.append(_DateFound(match.start(), match.start(), f"{month} {first}", "absolute", role))
            back = f"{month} {last}" if int(re.match(r"\d+", last).group()) >= int(re.match(r"\d+", first).group()) else f"the {last}"
            found.append(_DateFound(match.start(), match.end(), back, "absolute", "return"))
            continue
        if kind == "weekday" and (match.group("w_num") or match.group("w_num2")):
            kind, text = "ordinal", f"the {match.group('w_num') or match.group('w_num2')}"  # "tuesday 8th", "friday the 11th": the day of the month
        elif kind == "weekday":
            which = match.group("w_which") or match.group("w_which2") or ""
            text = f"{which} {match.group('w_day') or match.group('w_day2') or match.group('w_day3')}".strip()
        elif kind == "weekend":
            after_next = re.search(r"(week(?:end)?|wknd|wkend)\s+after", text)
            if after_next:
                text = "week after next" if after_next.group(1) == "week" else "weekend after next"
            else:
                text = "next weekend" if text.startswith("next") else "this weekend"
        role = _date_role(message, match.start(), previous)
        if found and found[-1].kind == "later" and kind != "later" and MOVED_ON.fullmatch(found[-1].text) \
                and RESTATED.match(message.text[found[-1].end:match.start()]):
            later = found.pop()  # "leave a day later, 12/14": the date says the same day; the words before it say which
            role = _date_role(message, later.start, found[-1].end if found else None)
        if kind == "later" and not (role is None and not found and MOVED_ON.fullmatch(text)):
            role = "return"  # "for a week", "back 3 days later": counted from the departure
        found.append(_DateFound(match.start(), match.end(), text, kind, role, unsure=day is None))
    trailing = _trailing_role(message, found[-1]) if found and found[-1].role is None else None
    if trailing:
        found[-1].role = trailing[0]
    return found if not all(f.unsure for f in found) else []


# "we'll look at it tonight", "I'll talk it over with my husband tonight": deciding, not flying.
DECIDING = re.compile(r"\b(?:look(?:ing)?\s+at|talk\w*|think\w*|decid\w*|discuss\w*|chat\w*|sleep\s+on|yarn|go\s+over|get\s+back|come\s+back\s+to)\b")
# "a day later, 12/14", "one day later, so 25 december": a relative date, then the same day by its date.
RESTATED = re.compile(r"^\s*(?:[,:;(-]|\s)\s*(?:so|i\.?e\.?|that(?:'s|\s+is|\s+would\s+be|\s+makes?\s+it)|which\s+is|meaning|making\s+it)?"
                      r"\s*,?\s*(?:on\s+)?(?:the\s+)?$")
# "what about the day after", "a day later": with no other date and no "back", the departure moved on.
MOVED_ON = re.compile(rf"(?:the\s+)?(?:next|following)\s+day|the\s+day\s+after|{QTY}\s+days?\s+later")


def _is_a_day(message: _Message, match: re.Match, asked: Optional[str]) -> Optional[bool]:
    """'the 3rd' is a day, but 'the 3rd one' is an offer, and a lone 'the 2nd' may be one too (None)."""
    if NOT_A_DATE_AFTER.match(message.text, match.end()):
        return False
    words = re.split(r"[\s-]+", match.group())
    day = re.match(r"\d+", words[-1])
    number = int(day.group()) if day else ORDINALS.get(words[-1], 0) + {"twenty": 20, "thirty": 30}.get(words[-2], 0)
    if number > 5 or asked in ("departure_date", "return_date") or message.corrects:
        return True
    return True if DATE_CUE_BEFORE.search(message.before(match.start())) else None


def _days_later(text: str) -> Optional[int]:
    if re.search(r"\b(?:next|following)\s+day\b|\bday\s+after\b", text):
        return 1
    match = re.search(rf"(?P<n>{QTY})[\s-]+(?P<unit>day|night|week|fortnight)", text)
    if not match:
        return None
    words = match.group("n").split()
    amount = 2 if "couple" in words else 3 if "few" in words else _count(words[-1])
    return amount * UNITS[match.group("unit")] if amount else None


def _assign_dates(found: List[_DateFound], asked: Optional[str], message: _Message) -> Tuple[Optional[_DateFound], Optional[_DateFound]]:
    """Which found date is the departure and which the return."""
    corrects = message.corrects
    for before, after in zip(found, found[1:]):
        if corrects and after.role is None and before.role and CORRECTION.search(message.text[before.end:after.end]) \
                and TRAVEL_CUE_BEFORE.search(message.before(before.start, 30)):
            after.role = before.role  # "returning on the 18th. no, wait... the 19th": the 19th is the return
        if after.role is None and before.role and after.text == before.text:
            after.role = before.role  # "no, december 26. ok december 26, final answer": said again, the same date
    if corrects and len(found) > 1 and all(f.role is None for f in found):
        found = found[-1:]  # "the 20th, sorry i meant the 21st"
    departures = [f for f in found if f.role == "departure"]
    returns = [f for f in found if f.role == "return"]
    loose = [f for f in found if f.role is None]
    if loose and not departures and not returns and len(loose) == 1:
        (returns if asked == "return_date" else departures).append(loose[0])
    elif loose:
        if not departures:
            departures.append(loose.pop(0))
        if loose and not returns:
            returns.append(loose.pop(0))
    pick = (lambda items: items[-1] if corrects else items[0])
    return (pick(departures) if departures else None), (pick(returns) if returns else None)


def _read_dates(message: _Message, today: date, asked: Optional[str], known: Mapping[str, Any],
                reading: TripReading) -> List[Tuple[int, bool]]:
    """Sets the departure and return dates; returns where a return date was said (for one_way)."""
    found = _find_dates(message, asked)
    if known.get("departure_date") and asked not in ("departure_date", "return_date") and DECIDING.search(message.text):
        found = [f for f in found if f.text != "tonight"]  # "we'll look at it tonight": when they decide, not when they fly
    leaving, back = _assign_dates(found, asked, message)
    if leaving:
        moved_from = _iso(known.get("departure_date")) if leaving.kind == "later" else None
        reading.departure_date = _date_of(leaving, today, moved_from)
    if back:
        base = reading.departure_date or _iso(known.get("departure_date"))
        reading.return_date = _date_of(back, today, base)
    known_leaving, known_back = _iso(known.get("departure_date")), _iso(known.get("return_date"))
    if leaving and not back and leaving.role is None and asked != "departure_date" and known_leaving and known_back \
            and reading.departure_date and known_back < reading.departure_date <= known_back + (known_back - known_leaving):
        # "make it the 22nd" on a trip of the 17th to the 21st: a day past the return moves the return; a
        # date well past it (the 30th) is a new trip, whose return is asked again
        reading.departure_date, reading.return_date, back = None, reading.departure_date, leaving
    return [(back.start, False)] if reading.return_date else []


def _date_of(found: _DateFound, today: date, after: Optional[date]) -> Optional[date]:
    try:
        if found.kind == "later":
            days = _days_later(found.text)
            return after + timedelta(days=days) if after and days else None
        return parse_date(found.text, today, after=None if found.kind in ("soon", "from_now") else after)
    except (DateNotUnderstood, ValueError, OverflowError):  # no such date, or beyond year 9999
        return None


def _iso(value: Any) -> Optional[date]:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# ---- party --------------------------------------------------------------------------------------

def _count(word: str) -> Optional[int]:
    if word.isdigit():
        number = int(word)
        return number if 0 < number < 100 else None
    return PARTY_NUMBER.get(word, 2 if word == "both" else None)


def _noun_kind(noun: str, kinds: Mapping[str, str]) -> str:
    return next((kind for kind, pattern in kinds.items() if re.fullmatch(pattern, noun)), "adults")  # "him", "her": as matched, beside "me and"


def _read_party(message: _Message, reading: TripReading, party_known: bool, passengers: Any = None) -> None:
    counts: Dict[str, List[Tuple[int, int]]] = {"adults": [], "children": [], "infants": [], "total": []}
    swap = next(iter(message.finds(PARTY_SWAP)), None)
    if swap and passengers is not None and _count(swap.group("old")) == int(float(passengers)) and _count(swap.group("n")):
        counts["total"].append((swap.start(), _count(swap.group("n"))))  # "sorry 4 not 3", three travelling so far
        message.blank(*swap.span())
    for match in message.finds(PARTY_COUNT):
        kind = _noun_kind(match.group("noun"), PARTY_NOUNS)
        number = _count(match.group("n"))
        if number is None or (match.group("n") in ("a", "an") and kind == "total"):
            continue
        counts[kind].append((match.start(), number))
        message.blank(*match.span())
    for match in message.finds(DICTATED_TWO):
        counts["adults" if match.group("noun").startswith("adult") else "total"].append((match.start(), 2))
        message.blank(*match.span())
    for match in message.finds(PARTY_TOTAL):
        number = _count(next(g for g in match.groups() if g))
        if number:
            counts["total"].append((match.start(), number))
            message.blank(*match.span())
    if party_known and not any(counts.values()):
        for bare in message.finds(BARE_PARTY):  # "no actually 4. wait no, 3": the last one said
            if _count(bare.group("n")):
                counts["total"].append((bare.start(), _count(bare.group("n"))))
                message.blank(*bare.span())

    companions = {"adults": 0, "children": 0, "infants": 0}
    joining = {"adults": 0, "children": 0, "infants": 0}
    for match in message.finds(MORE):
        kind = "children" if re.match(r"kid|child", match.group("noun")) else "adults"
        joining[kind] += _count(match.group("n")) if match.group("n") else 1
        message.blank(*match.span())
    unknown = taken_along = for_them = False
    for match in message.finds(AGED):
        link = LINK_BEFORE.search(message.before(match.start(), 30))
        if (link or LINK_AFTER.match(message.text[match.end():match.end() + 10])) and not VISITED_BEFORE.search(message.before(match.start(), 30)):
            taken_along = taken_along or bool(link and re.match(r"with|taking|bringing", link.group()))
            months = _count(match.group("n")) * (1 if match.group("unit").startswith("m") else 12)
            companions["infants" if months < 12 * INFANT_AGE else "children" if months < 12 * ADULT_AGE else "adults"] += 1
            message.blank(*match.span())
    for match in message.finds(COMPANION_RE):
        link = LINK_BEFORE.search(message.before(match.start(), 30))
        if VISITED_BEFORE.search(message.before(match.start(), 30)) or NOT_COMING_AFTER.match(message.text, match.end()):
            continue
        linked = link or LINK_AFTER.match(message.text[match.end():match.end() + 10])
        if linked and JOINING.search(message.text[match.end():]) and not (SELF.search(message.text) or WE.search(message.text)):
            linked = None  # "oh and my sister is coming too": one more, not the whole party
        if not linked and not JOINING.search(message.text):
            continue
        taken_along = taken_along or bool(link and re.match(r"with|taking|bringing", link.group()))
        for_them = for_them or bool(link and link.group().strip() == "for" and not SELF.search(message.text[match.end():]))  # "for my mum"
        message.blank(*match.span())
        who, young = match.group("who"), match.group("young")
        kind = _noun_kind(who, COMPANIONS)
        number = _count(match.group("n")) if match.group("n") else None
        if kind == "pairs":
            kind, number = "adults", number or 2
        elif who in ("twins", "triplets"):
            number = number or (2 if who == "twins" else 3)
        elif number is None and (not re.search(r"(?:ren|s)$", who) or who in ("boss", "sis", "missus", "missis")):
            number = 1
        if young in ("baby", "infant", "newborn", "lap"):
            kind = "infants"
        ages = AGES_LIST.match(message.text[match.end():match.end() + 30]) if number is None and kind == "children" else None
        if ages:
            number = len(re.findall(r"\d+", ages.group("ages")))
        age = AGE_AFTER.match(message.text[match.end():match.end() + 25])
        if age and number == 1:
            years = int(age.group("age"))
            kind = "infants" if years < INFANT_AGE else "children" if years < ADULT_AGE else "adults"
        if number is None:
            unknown = True  # "my kids": how many?
            continue
        (companions if linked else joining)[kind] += number

    if any(joining.values()):  # "my sister is coming with her baby": both join the party counted before
        joining = {kind: joining[kind] + companions[kind] for kind in joining}
        companions = {kind: 0 for kind in companions}
        taken_along = False
    if unknown and not (counts["total"] or counts["adults"]):  # "with my friends, 5 of us": the count says how many
        return
    reading.more_adults, reading.more_children = joining["adults"] or None, joining["children"] or None
    if joining["infants"]:
        counts["infants"].append((len(message.text), joining["infants"]))
    picked = {kind: _pick(values, message.corrects) for kind, values in counts.items()}
    children = picked["children"] if picked["children"] is not None else (companions["children"] or None)
    infants = picked["infants"] if picked["infants"] is not None else (companions["infants"] or None)
    adults = picked["adults"]
    if adults is None and picked["total"] is not None:
        rest = picked["total"] - (children or 0) - (infants or 0)
        adults = rest if rest >= 1 else None
    elif adults is None and (companions["adults"] or children or infants):
        for_them = for_them or bool(NOT_ME.search(message.text))  # "on the name of my mother, not me"
        speaker = taken_along or (SELF.search(message.text) and not for_them) or (WE.search(message.text) and companions["adults"])
        adults = (1 if speaker else 0) + companions["adults"] or None
    elif adults is None and SOLO.search(message.left):
        adults = 1
    reading.adults, reading.children, reading.infants = adults, children, infants


# ---- airline, stops, one-way --------------------------------------------------------------------

def _read_airline(message: _Message) -> Optional[str]:
    found = []
    for match in message.finds(AIRLINE_RE):
        name, after = match.group("name"), message.text[match.end():match.end() + 20]
        if NOT_AN_AIRLINE_AFTER.match(after) or NEGATED.search(message.before(match.start(), 25)):
            continue
        cued = match.group("suffix") or AIRLINE_CUE_BEFORE.search(message.before(match.start(), 15)) or AIRLINE_CUE_AFTER.match(after)
        if name in AIRLINES_NEEDING_A_CUE and not cued:
            continue
        found.append((match.start(), AIRLINES[name]))
        message.blank(*match.span())
    for match in message.finds(AIRLINE_CODE_RE):  # "only BA please", "on ua", "DL flights"
        code, after = match.group("code"), message.text[match.end():match.end() + 20]
        capitals = code in message.upper_pairs
        if (code in CODES_THAT_ARE_WORDS and not capitals) or NEGATED.search(message.before(match.start(), 25)):
            continue
        if AIRLINE_CUE_BEFORE.search(message.before(match.start(), 15)) or capitals and AIRLINE_CUE_AFTER.match(after):
            found.append((match.start(), code.upper()))
            message.blank(*match.span())
    return _agreed(found, message.corrects)


def _read_stops(message: _Message) -> Optional[int]:
    found = []
    for match in message.finds(NONSTOP):
        if not NOT_NEEDED.search(message.before(match.start())):
            found.append((match.start(), 0))
        message.blank(*match.span())
    for match in message.finds(FEW_STOPS):
        word = match.group("n")
        number = 1 if word in ("one", "1") or word.startswith("a") else _count(word)
        if number is not None and number < 4:
            found.append((match.start(), number))
            message.blank(*match.span())
    return _agreed(found, message.corrects)


def _read_one_way(message: _Message, return_dates: List[Tuple[int, bool]]) -> Optional[bool]:
    """True for "one way", False for "round trip" or a return date; None when both are said unless corrected."""
    found = _read_patterns(message, [(True, ONE_WAY_RE), (False, RETURN_RE)])
    return _agreed(found + return_dates, message.corrects)


# ---- places ---------------------------------------------------------------------------------------

def _fold(name: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", plain))


@lru_cache(maxsize=1)
def _place_names() -> Tuple[FrozenSet[str], int]:
    """Every name the NLU's place list and the aliases know, folded, and the longest in words."""
    names = frozenset(_fold(n) for n in (*known_names(), *KNOWN_NAMES, *KNOWN_NAMES.values())) - {""}
    return names, max(len(n.split()) for n in names)


@dataclass
class _PlaceFound:
    start: int
    end: int
    name: str
    weak: bool
    role: Optional[str] = None


def _find_places(message: _Message) -> List[_PlaceFound]:
    names, longest = _place_names()
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[a-z0-9]+", message.left)]
    paired = _code_pairs(message.left, names)
    found: List[_PlaceFound] = []
    i = 0
    while i < len(tokens) and len(found) < MAX_FINDS:
        for size in range(min(longest, len(tokens) - i), 0, -1):
            words = tokens[i:i + size]
            if any(not PLACE_JOINER.fullmatch(message.left[a[1]:b[0]]) for a, b in zip(words, words[1:])):
                continue
            name = " ".join(w[2] for w in words)
            listed = name in names and not name.isdigit() and len(name) > 1 or size == 1 and words[0][0] in paired
            capitals = name in message.upper_codes and name not in NOT_CODES  # "SEA", "MAN": codes the list leaves out as words
            if listed and (name not in NEVER_CODES or words[0][0] in paired) or capitals:
                weak = (name in WEAK_CODES or name in WEAK_NAMES) and words[0][0] not in paired and not capitals or capitals and not listed
                found.append(_PlaceFound(words[0][0], words[-1][1], name, weak))
                i += size
                break
        else:
            i += 1
    found = sorted(found + _misspelt_places(message, tokens, found), key=lambda place: place.start)
    return _airports_named_with_their_city(message, found)


@lru_cache(maxsize=1)
def _long_names() -> Tuple[str, ...]:
    return tuple(sorted(n for n in _place_names()[0] if " " not in n and len(n) >= TYPO_MIN_LENGTH and n.isalpha()))


def _misspelt_places(message: _Message, tokens: List[Tuple[int, int, str]], found: List[_PlaceFound]) -> List[_PlaceFound]:
    """ "to nashvile", "from pittsburg": a word after "from" or "to" that is no word the language
    model knows and one slip away from a city's name is that city."""
    taken = {place.start for place in found}
    misspelt = []
    for start, end, word in tokens:
        if start in taken or len(word) < TYPO_MIN_LENGTH or not word.isalpha() or word in vocabulary():
            continue
        before = message.before(start)
        if not (ORIGIN_BEFORE.search(before) or DEST_BEFORE.search(before)):
            continue
        close = difflib.get_close_matches(word, _long_names(), n=2, cutoff=ONE_SLIP_CUTOFF)
        if close and (len(close) == 1 or _likeness(word, close[0]) > _likeness(word, close[1])) and (
                _likeness(word, close[0]) >= TYPO_CUTOFF or _one_letter_off(word, close[0])):  # "bostin", not "chaneg" for changi
            misspelt.append(_PlaceFound(start, end, close[0], weak=False))
    return misspelt


def _likeness(word: str, name: str) -> float:
    return difflib.SequenceMatcher(None, word, name).ratio()


def _one_letter_off(word: str, name: str) -> bool:
    """One letter changed, added or dropped."""
    if abs(len(word) - len(name)) > 1:
        return False
    if len(word) == len(name):
        return sum(a != b for a, b in zip(word, name)) == 1
    short, long_ = sorted((word, name), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _airports_named_with_their_city(message: _Message, found: List[_PlaceFound]) -> List[_PlaceFound]:
    """ "london heathrow", "new york jfk", "boston, logan airport": one place, the airport, not a route."""
    merged: List[_PlaceFound] = []
    for place in found:
        city = merged[-1] if merged else None
        if city and not message.text[city.end:place.start].strip(" ,(-") and not city.weak:
            code = KNOWN_NAMES.get(place.name, place.name if len(place.name) == 3 else "")
            if code and _fold(airport_city(code)) == city.name:
                merged[-1] = _PlaceFound(city.start, place.end, place.name, weak=False)
                continue
        merged.append(place)
    return merged


CODE_PAIR = re.compile(r"\b([a-z]{3})(?:\s*(?:-|–|>|→|/)\s*|\s+(?:to|2)\s+)([a-z]{3})\b")


def _code_pairs(text: str, names: FrozenSet[str]) -> Set[int]:
    """Where two codes are written as a route ("mad-lis", "bos to pit"): both are places when one is
    a known place, even if the other is an everyday word or missing from the list."""
    starts: Set[int] = set()
    for match in CODE_PAIR.finditer(text):
        first, second = match.group(1), match.group(2)
        known = [code in names and code not in NEVER_CODES for code in (first, second)]
        possible = [code in names or code not in NEVER_CODES for code in (first, second)]
        # one a known place; the other a listed code that is also a word ("mad") or one the list lacks ("pit")
        if any(known) and all(possible):
            starts |= {match.start(1), match.start(2)}
    return starts


def _place_role(message: _Message, place: _PlaceFound) -> Optional[str]:
    before = message.before(place.start)
    if ALTERNATIVE_AFTER.match(message.text, place.end):
        return "skip"
    if STAYING_IN.search(before):
        return None
    for role, pattern in (("skip", SKIP_PLACE_BEFORE), ("origin", ORIGIN_BEFORE), ("back", BACK_TO_BEFORE), ("destination", DEST_BEFORE),
                          ("again", AGAIN_BEFORE)):
        if pattern.search(before):
            return role
    return None


def _adjacent(message: _Message, first: _PlaceFound, second: _PlaceFound) -> bool:
    return bool(PAIR_JOINER.match(message.text[first.end:second.start]))


def _read_places(message: _Message, asked: Optional[str], known: Mapping[str, Any], reading: TripReading) -> None:
    found = _find_places(message)
    for place in found:
        place.role = _place_role(message, place)
    # A word that may be a place ("mobile", "den") is one when something says so: a "from" or "to",
    # another place next to it, or the question asked.
    replaced = _replaced_slot(message, found, known)
    kept = [p for p in found if p.role != "skip" and (not p.weak or p.role or replaced or asked in ("origin", "destination") or any(
        _adjacent(message, *sorted((p, other), key=lambda place: place.start)) for other in found if other is not p)
        or _quick_query(message, p, reading))]
    for place in kept:  # "from boston, i mean providence": the role of the place corrected
        if place.role == "again":
            earlier = [p.role for p in kept if p.start < place.start and p.role in ("origin", "destination")]
            said = [slot for slot in ("origin", "destination") if known.get(slot)]
            # "sorry meant san antonio" with only the destination known: the destination corrected
            meant = re.search(r"\b(?:i\s+)?mean[t]?\s*[,.!]?\s+$", message.before(place.start))
            place.role = earlier[-1] if earlier else said[0] if meant and len(said) == 1 and len(kept) == 1 else None
    for first, second in zip(kept, kept[1:]):  # "looking for YVR to London": a route, not two destinations
        if first.role == second.role == "destination" and ROUTE_JOINER.match(message.text[first.end:second.start]):
            first.role = "origin"
    there = FROM_THERE.search(message.text)
    said_before = [p for p in kept if there and p.end <= there.start()]
    if said_before and not any(p.role == "origin" for p in kept):
        said_before[-1].role = "origin"  # "i'll be in new york that week, so flying from there"
    origins = [(p.start, p.name) for p in kept if p.role == "origin"]
    destinations = [(p.start, p.name) for p in kept if p.role == "destination"]
    if not destinations:  # "back to chicago" is where the trip goes, unless it is where the trip starts
        destinations = [(p.start, p.name) for p in kept if p.role == "back" and (origins or not _is_known_as(p.name, known, "origin"))]
    loose = [p for p in kept if p.role is None]
    if loose and (origins or destinations):
        if not origins and destinations:
            origins = [(loose[0].start, loose[0].name)]
        elif origins and not destinations:
            destinations = [(loose[0].start, loose[0].name)]
    elif len(loose) >= 2 and not message.corrects:
        if _adjacent(message, loose[0], loose[1]):  # "bos-mia", "jfk lax"
            origins, destinations = [(loose[0].start, loose[0].name)], [(loose[1].start, loose[1].name)]
    elif loose:
        slot = replaced or _lone_place_slot(asked, known) or _slot_named(loose[-1].name, known)
        if slot:
            (origins if slot == "origin" else destinations).append((loose[-1].start, loose[-1].name))
    reading.origin = _pick(origins, message.corrects)
    reading.destination = _pick(destinations, message.corrects)


def _replaced_slot(message: _Message, found: List[_PlaceFound], known: Mapping[str, Any]) -> Optional[str]:
    """ "newark not jfk", "cork instead of dublin": the slot whose value (its code, or the name in
    its label in `known`) the place said "not" to is the one the other place corrects."""
    for place in found:
        if place.role == "skip" and REPLACED_BEFORE.search(message.before(place.start)):
            code = KNOWN_NAMES.get(place.name, place.name).upper()
            for slot in ("origin", "destination"):
                label = _fold(str(known.get(f"{slot}_label") or ""))
                if str(known.get(slot) or "").upper() == code or re.search(rf"\b{re.escape(place.name)}\b", label):
                    return slot
    return None


def _slot_named(name: str, known: Mapping[str, Any]) -> Optional[str]:
    """ "columbus georgia i mean, not ohio" with Columbus (CMH) known: the place of that name, said again to say which."""
    return next((slot for slot in ("destination", "origin") if _is_known_as(name, known, slot)), None)


def _is_known_as(name: str, known: Mapping[str, Any], slot: str) -> bool:
    """Whether the place of that name is already the slot's ("he flies back to chicago" from Chicago)."""
    return bool(re.search(rf"\b{re.escape(name)}\b", _fold(str(known.get(f"{slot}_label") or ""))))


def _quick_query(message: _Message, place: _PlaceFound, reading: TripReading) -> bool:
    """ "lis 12/14 ow": a word that may be a place is one when it is all the message says besides
    the dates of a trip."""
    rest = message.left[:place.start] + message.left[place.end:]
    said_a_trip = reading.departure_date or reading.return_date or reading.one_way is not None
    return bool(said_a_trip) and not re.search(r"[a-z0-9]", rest)


def _lone_place_slot(asked: Optional[str], known: Mapping[str, Any]) -> Optional[str]:
    """A place said with no "from" or "to": the one asked for, else the one still missing."""
    if asked in ("origin", "destination"):
        return asked
    has_origin, has_destination = bool(known.get("origin")), bool(known.get("destination"))
    if has_origin and has_destination:
        return None
    return "origin" if has_destination else "destination"


# ---- the whole message -------------------------------------------------------------------------------

def says_a_correction(text: str) -> bool:
    """Whether the words correct something said before ("ugh sorry, orlando after all")."""
    return isinstance(text, str) and _Message(text).corrects


def _cabin_code(text: str) -> Optional[str]:
    """ "3 pax, J, FRA-JFK", "switch to J", "y class": the cabin by the letter airlines give it."""
    match = CABIN_CODE.search(text)
    if not match or len(text.strip(" .!?")) == 1:  # "Y" alone is a yes
        return None
    return CABIN_CODES[(match.group("code") or match.group("lower")).upper()]


# "I've got a meeting in the morning. Anything in the afternoon?": the part of the day taken is not the one wanted.
BUSY_BEFORE = re.compile(r"\b(?:meetings?|work(?:ing)?|busy|shifts?|class(?:es)?|appointments?|conference|school|interview)\b(?:\s+\w+){0,2}\s+$")


def _times_wanted(message: _Message) -> List[Tuple[int, Any]]:
    """The parts of the day said; of two different ones, not "that morning" nor "a meeting in the
    morning" (when something else happens: "I come off a night shift that morning, anything in the evening?")."""
    found = _read_patterns(message, TIMES)
    if len({value for _, value in found}) > 1:
        found = [(at, value) for at, value in found if not message.text[:at].endswith("that ")
                 and not BUSY_BEFORE.search(message.before(at, 30))] or found
    return found


def read_trip(text: str, today: date, asked: Optional[str] = None, known: Optional[Mapping[str, Any]] = None) -> TripReading:
    """Every trip detail in `text`. `asked` is the form's open question, which decides what a lone
    value answers; `known` holds the current slot values (ISO dates, place codes), which relative
    answers ("a week later") and lone places build on."""
    reading = TripReading()
    if not isinstance(text, str) or not text.strip():
        return reading
    known = known or {}
    message = _Message(text)
    return_dates = _read_dates(message, today, asked, known, reading)
    reading.one_way = _read_one_way(message, return_dates)
    reading.cabin = _agreed(_read_patterns(message, CABINS), message.corrects) or _cabin_code(text)
    reading.airline = _read_airline(message)
    reading.max_stops = _read_stops(message)
    _read_party(message, reading, party_known=known.get("passengers") is not None and asked not in ("departure_date", "return_date"),
                passengers=known.get("passengers"))
    reading.time_of_day = _agreed(_times_wanted(message), message.corrects)
    reading.sort = _agreed(_read_patterns(message, SORTS), message.corrects)
    _read_places(message, asked, known, reading)
    if message.corrects:
        reading.corrected = set(reading.fields())
    return reading
