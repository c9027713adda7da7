"""Two requests in one message ("flight to rome next friday, can i bring my dog?"): the message is
taken as two turns, each understood and answered on its own, so the second half is never dropped.

A message is cut only where one request may end and another start (a sentence end, "and",
"also", "btw"), and only when the NLU reads the two halves as two different requests, each with
confidence; a complaint with the ticket or the story it is about is one request. A "yes" or "no"
answers the bot's question first; then a question or a look-up (help, ticket status, bookings, "are
you a bot") is answered before a task (a search, a cancellation, a new ticket), so the task's
question is the one the customer answers next. Two tasks at once are left whole: one form at a time. At most MAX_CUTS places are tried, each costing two NLU parses (three when a remark comes first).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Awaitable, Callable, Dict, List

from actions.reading import read_trip

CONFIDENT = 0.5
# Requests that start or continue a task with a question of its own: answered last.
TASKS = {"search_flight", "inform", "refine_search", "select_offer", "cancel_booking", "change_booking", "open_ticket", "add_comment", "human_handoff"}
# Requests that give a trip's details, and the details.
TRIP_TASKS = {"search_flight", "inform", "refine_search"}
TRIP_ENTITIES = {"origin", "destination", "departure_date", "return_date", "cabin"}
# Requests that are only the values they give ("to rome", "friday"): without a value, no request; nor
# is a search without a value or a word of flying ("i need a flight" is one).
VALUES_ONLY = {"inform"}
FLIGHT_WORD = re.compile(r"\b(?:flights?|fly|flying|fligh?t|plane|tickets?|trips?|book|travel\w*|go|going|get\s+away|holiday|vacation)\b", re.I)
# "my lost bag ticket is in a black hole": a ticket at the help desk, no word of flying.
SUPPORT_TICKET = re.compile(r"\b(?:lost|bag|baggage|luggage|support|complaint|refund|wheelchair|assistance|help\s*desk)\s+(?:\w+\s+)?tickets?\b", re.I)
# Answers to the bot's last question ("yes. also are you a bot?"): taken first, as they answer it.
ANSWERS = {"affirm", "deny"}
# Answered in one turn, without a question of their own: answered first.
LOOKUPS = {"ask_question", "ticket_status", "list_tickets", "list_bookings", "bot_challenge", "ask_capabilities", "ticket_complaint"}
QUESTION_START = r"(?:can|could|do|does|did|is|are|will|would|should|how|what|when|where|which|who|why|whats|what's|may|am)"
REQUEST_START = rf"(?:{QUESTION_START}|show|tell|check|cancel|book|open|find|list|give|get|let\s+me|i\s+(?:also\s+)?(?:need|want|wanna))"
BOUNDARY = re.compile(
    r"(?<=[?!.;])\s+(?=\S)"  # a sentence ends and another starts
    r"|\s*,?\s+(?:and\s+also|also|plus|btw|oh\s+and|by\s+the\s+way)\s*,?\s+"  # words that add a request
    r"|\s*,?\s+and\s+"  # "and": the NLU decides whether a new request starts there
    rf"|,\s+(?={REQUEST_START}\b)"  # "," before a new request
    rf"|\s+n\s+(?={REQUEST_START}\b)",  # "show my bookings n whats the status of ticket 1027": a texter's "and"
    re.I,
)
MIN_WORDS = 1
# "..., why??": a question word alone asks about the rest of the message, it is no request of its own.
BARE_QUESTION = re.compile(rf"^\W*{QUESTION_START}\W*$", re.I)
MAX_CUTS = 3
# "he travels with a service dog. Is that going to be a problem?": a question about what was just said.
ABOUT_THE_FIRST = re.compile(r"^\W*(?:is|was|will|would|does|do|can|could|should|won'?t|isn'?t)\s+(?:that|this|it|they|he|she)\b(?!\s+(?:also|too|be\s+possible|possible)\b).*\?\W*$", re.I)
BARE_AND = re.compile(r"\s*,?\s+and\s+", re.I)
# "they are 4 and 7", "the 3rd and the 9th": after "and", one value more of a list, no request.
ONE_VALUE = re.compile(r"^\W*(?:the\s+)?\w+\W*$")
# "i've been waiting about my refund and haven't heard a thing": a verb without a subject after "and"
# goes on with the same sentence. Not the verbs that open a question ("... and can i bring my dog?").
# "three adults and one child she is eight", "2 adults plus our toddler and the baby (6 months)": one
# more of the party.
ONE_MORE_TRAVELLER = re.compile(r"^\W*(?:a|an|one|two|three|four|\d|the|our|my|his|her)\s+(?:\w+\s+)?"
                                r"(?:child|children|kids?|bab(?:y|ies)|infants?|toddlers?|sons?|daughters?|adults?|teens?|mom|mum|mother|"
                                r"dad|father|parents|wife|husband|partner|friends?|sister|brother|grand\w+|boss|colleagues?)\b"
                                r"|^\W*(?:my|our|his|her)\s+\w+[\s-]*(?:years?|yrs?|y/?o|months?|mos?|mths?)[\s-]*old\b", re.I)  # "my 10 month old"
# "Yes, please proceed.\nPassenger name: Ana Ruiz": a detail under its label answers what was asked.
LABELLED = re.compile(r"^\W*(?:(?:passenger|traveller|traveler|full|first|last)\s+)?(?:name|dob|d\.o\.b\.?|date\s+of\s+birth|birth\s?date|"
                      r"e-?mail|phone|from|to|depart\w*|return\w*|dates?|adults|children|kids|class|cabin|ref\w*|booking)\s*:", re.I)
SAME_SUBJECT = re.compile(r"^\W*(?:have|has|had|haven'?t|hasn'?t|hadn'?t|still|never|was|were|wasn'?t|weren'?t|didn'?t|got|"
                          r"been|can'?t|couldn'?t|won'?t|keep|kept|nobody|no\s+one)\b", re.I)
MAX_ANSWER_WORDS = 3

COMPLAINT = "ticket_complaint"
# Read beside a complaint, these are what the complaint is about, not a second request ("you
# charged me twice and nobody has done anything": the problem is the ticket's).
ABOUT_A_TICKET = {"ticket_status", "list_tickets", "open_ticket"}
# "sorry, one question first, ...", "quick q - ...", "before I go any further, ...", "thanks, and ...", "hold on let me ask him...":
# announces the request after it (or thanks for the last) and is none itself (its "first" would otherwise pick the first flight shown, its "book it"
# search or book).
THANKS = (r"(?:thanks|thank\s+you|thx|ty|cheers|ta|great|perfect|lovely|brilliant|gracias|merci|danke|grazie|obrigad[oa])"
          r"(?:\s+(?:so\s+much|a\s+lot|very\s+much|beaucoup|sch[oö]n|mille|muchas))?")
THANKS_ALONE_TEXT = rf"^\W*(?:(?:ok|okay|oh)\W+)?{THANKS}\W*$"
PREFACE = re.compile(
    r"^\W*(?:(?:sorry|ok|okay|oh|ag|wait|hold on|hang on|um+|hmm+|but|actually|and)\W+)*(?:(?:just|one|a|another|quick|small|little|last)\s+)*"
    r"(?:more\s+)?(?:question|q|thing|query|sec|second|moment|(?<=quick\s)one)s?(?:\s+(?:first|before that|before i do|though|real quick))?\W*$"
    r"|^\W*(?:(?:ok|okay|oh|wait|but|and|just)\W+)*(?:before(?:\s+(?:you|we|i)(?:\s+[a-z']+){1,4})?(?:\s+(?:that|anything(?:\s+else)?))?|first\s+of\s+all|"
    r"first\s+things\s+first)\W*$"
    rf"|{THANKS_ALONE_TEXT}"
    # "hold on let me ask him...", "one sec, checking with my wife": a pause to ask someone
    r"|^\W*(?:(?:ok|okay|oh|um+|hmm+)\W+)?(?:(?:wait|hold\s+on|hang\s+on|one\s+sec(?:ond)?|just\s+a\s+(?:sec|second|moment|min(?:ute)?))\W+)?"
    r"(?:(?:let\s+me|lemme|i'?ll|gonna|i'?m)\s+)?(?:ask|asking|check(?:ing)?\s+with|see\s+what)\s+(?:him|her|them|my\s+\w+|the\s+\w+|[a-z]+\s+(?:thinks|says))\W*$"
    # "sorry cat on keyboard.", "oops wrong window": an apology for the message before
    r"|^\W*(?:(?:sorry|sry|oops|whoops|soz|lol|haha|ha)\W+)+(?:(?:my|the|a)\s+)?(?:(?:cat|dog)|(?:cat|dog|kid|son|daughter|baby|toddler)\s+(?:\w+\s+)?(?:on|hit|typed)"
    r"(?:\s+on)?\s+(?:the\s+|my\s+)?(?:keyboard|keys|phone|laptop)|wrong\s+(?:chat|window|tab|button|key))\W*$", re.I)
THANKS_ALONE = re.compile(THANKS_ALONE_TEXT, re.I)
# "gracias, I take the first", "thanks! back on the 17th": the thanks ends at the comma.
THANKS_FIRST = re.compile(rf"^\W*(?:(?:ok|okay|oh)\W+)?{THANKS}\s*[,.!:-]+\s*(?=\w)", re.I)
# "return 24 december, obrigada": the thanks after the request.
THANKS_LAST = re.compile(rf"\s*[,.!;-]+\s*(?:{THANKS}|(?:thanks|thank\s+you|thx|ty|cheers)\s+(?:for|4)\s+[^.!?]{{1,40}})\W*$", re.I)  # "..., thank you for your kind support."
QUESTION_FORM = re.compile(rf"^\W*{QUESTION_START}\b|\?\W*$", re.I)
# "wait, ...", "hang on - ...": a pause before a question, no request of its own.
INTERJECTION = re.compile(r"^\W*(?:(?:oh|ah|um+|hmm+)\W+)?(?:wait|hold\s+on|hang\s+on|one\s+sec(?:ond)?|oh|um+|hmm+)\W*$", re.I)
# Words that say a message was heard, not that its proposal is accepted.
ACKNOWLEDGED = re.compile(r"^\W*(?:ok(?:ay)?|k|alright|all\s+right|right|i\s+see|got\s+it|hmm+|oh|ah|cool|fine|noted)\W*$", re.I)

Parse = Callable[[str], Awaitable[Dict[str, Any]]]


def candidates(text: str) -> List[List[str]]:
    """Ways to cut the message in two at a request boundary: where a sentence ends or words add a
    request ("also", "btw") first, then at a bare "and" ("me and my son" is one request); first
    boundary first within each."""
    strong, weak = [], []
    for match in BOUNDARY.finditer(text):
        first, second = text[: match.start()].strip(" ,"), text[match.end():].strip(" ,")
        bare_and = BARE_AND.fullmatch(match.group()) is not None
        if len(first.split()) >= MIN_WORDS and len(second.split()) >= MIN_WORDS and not BARE_QUESTION.match(second) \
                and not ONE_MORE_TRAVELLER.match(second) and not LABELLED.match(second) and not (bare_and and (ONE_VALUE.match(second) or SAME_SUBJECT.match(second))):
            (weak if bare_and else strong).append([first, second])
    return strong + weak


def _one_complaint(kinds: List[str], halves: List[str]) -> bool:
    """A complaint and what it is about ("i asked for a receipt weeks ago and still nothing", "any
    news on my refund? this is taking forever"): one request. A question asked as one ("... and
    can i bring my dog?") is a request of its own."""
    if COMPLAINT not in kinds or kinds[0] == kinds[1]:
        return False
    other = 1 - kinds.index(COMPLAINT)
    return kinds[other] in ABOUT_A_TICKET or kinds[other] == "ask_question" and not QUESTION_FORM.search(halves[other])


def _two_questions(kinds: List[str], halves: List[str]) -> bool:
    """Two help questions, each asked as one ("can i take my dog and how much is an extra bag?"):
    two requests though of one kind, each answered from its own article."""
    return kinds == ["ask_question", "ask_question"] and all(QUESTION_FORM.search(half) for half in halves) \
        and bool(re.match(rf"^\W*{QUESTION_START}\b", halves[1], re.I))


# "can i move my trip 2 days later? what would it cost": the quote that answers the request says it.
QUOTED = {"change_booking", "cancel_booking"}
ABOUT_THE_PRICE = re.compile(r"\b(?:cost|costs|price|fee|fees|how\s+much|pay|charge|refund|get\s+back)\b", re.I)


def _asks_what_it_costs(kinds: List[str], halves: List[str]) -> bool:
    """A change or a cancellation, and a question about what it costs or refunds: one request."""
    if not QUOTED & set(kinds) or "ask_question" not in kinds:
        return False
    return bool(ABOUT_THE_PRICE.search(halves[kinds.index("ask_question")]))


MAX_REMARK_WORDS = 6


def _a_remark_first(kinds: List[str], halves: List[str]) -> bool:
    """A remark that asks for nothing and gives no trip detail, then a request: a bare answer after
    a remark of any length, any other request after a short one."""
    if kinds[0] or not kinds[1] or read_trip(halves[0], date.today()).fields() or QUESTION_FORM.search(halves[0]):
        return False
    if kinds[1] in ANSWERS:
        return len(halves[1].split()) <= MAX_ANSWER_WORDS
    return len(halves[0].split()) <= MAX_REMARK_WORDS


def _a_greeting(parsed: Dict[str, Any]) -> bool:
    """ "Good afternoon." before the requests: said, and then the requests are read on their own."""
    intent = parsed.get("intent") or {}
    return intent.get("name") == "greet" and (intent.get("confidence") or 0) >= CONFIDENT


def _gives_trip_details(parsed: Dict[str, Any]) -> bool:
    """Whether a half names details of a trip (a date, a place, one way...), whatever the NLU took it for."""
    if QUESTION_FORM.search(parsed.get("text") or ""):
        return False  # "is there wifi on the planes": a question, even about flights
    return any(e.get("entity") in TRIP_ENTITIES for e in parsed.get("entities") or []) or bool(read_trip(parsed.get("text") or "", date.today()).fields())


def _a_request_of_substance(parsed: Dict[str, Any]) -> bool:
    """A request, and for a change to the trip one that names what changes ("Thank you, and sorry again
    for the muddle" is no change to the search)."""
    kind = _request(parsed)
    return bool(kind) and (kind not in TRIP_TASKS or _gives_trip_details(parsed) or bool(FLIGHT_WORD.search(parsed.get("text") or "")))


def _request(parsed: Dict[str, Any]) -> str:
    intent = parsed.get("intent") or {}
    if (intent.get("confidence") or 0) < CONFIDENT:
        return ""
    name = intent.get("name") or ""
    text = parsed.get("text") or ""
    if name in TRIP_TASKS and not parsed.get("entities") and not read_trip(text, date.today()).fields() \
            and (name in VALUES_ONLY or name == "search_flight" and not FLIGHT_WORD.search(SUPPORT_TICKET.sub(" ", text))):
        return ""  # "wait, do i need id?", "Och, I'm fair scunnered.": no answer nor search that gives nothing ("one way" gives one)
    if name in TRIP_TASKS and QUESTION_FORM.search(parsed.get("text") or "") and not any(
            e.get("entity") in TRIP_ENTITIES for e in parsed.get("entities") or []):
        return ""  # "Is it different for one-way tickets?": a question about the rules, read whole with the one before
    return name if name in TASKS | LOOKUPS | ANSWERS else ""


async def split_requests(text: str, parse: Parse, form_open: bool = False) -> List[str]:
    """The message as the turns to take, in the order to answer them: itself, or two halves. While
    a form is open, a trip detail goes first: it answers the form's question, and the lookup answered
    after it leaves one question for the customer, not the form's question asked twice."""
    if not text or text.startswith("/"):
        return [text]
    thanks = THANKS_FIRST.match(text)
    if thanks and _a_request_of_substance(await parse(text[thanks.end():])):  # not "thank you, young man"
        return await split_requests(text[thanks.end():], parse, form_open)
    thanks = THANKS_LAST.search(text)
    if thanks and thanks.start() > 0 and _a_request_of_substance(await parse(text[:thanks.start()])):
        return await split_requests(text[:thanks.start()], parse, form_open)
    for first, second in candidates(text)[:MAX_CUTS]:
        if PREFACE.match(first) or INTERJECTION.match(first) and QUESTION_FORM.search(second):
            if not THANKS_ALONE.match(first) or _a_request_of_substance(await parse(second)):
                return [second]  # "wait, do i need id for domestic flights?": the question alone
            continue  # "Thank you, and sorry again for the muddle": thanks, and nothing asked
        parsed = [await parse(first), await parse(second)]
        kinds = [_request(p) for p in parsed]
        if ABOUT_THE_FIRST.match(second) and kinds[1] in TASKS and kinds[0] in ("", "ask_question"):
            continue  # "... a service dog. Is that going to be a problem?" is no new ticket; "the second one. does it include a bag?" asks
        if any(kinds[i] in TRIP_TASKS and _gives_trip_details(parsed[1 - i]) for i in (0, 1)):
            continue  # "... they live in Raleigh now. I can only get time off from december 21st ...": one trip, told at length
        if kinds[0] == "affirm" and ACKNOWLEDGED.match(first) and kinds[1] in LOOKUPS and QUESTION_FORM.search(second):
            return [second]  # "Ok. And is there a fee on top of that?": heard, not yet agreed
        if kinds[0] in ANSWERS and (len(first.split()) > MAX_ANSWER_WORDS or kinds[1] in TASKS):
            continue  # "no sorry, houston not austin", "ok. friday": one answer, not two requests
        if kinds[1] in ANSWERS and kinds[0] in TRIP_TASKS and not _gives_trip_details(parsed[0]) and len(second.split()) <= MAX_ANSWER_WORDS \
                and not QUESTION_FORM.search(first):
            return [second]  # "less than I hoped but more than nothing. do it": a remark changing nothing, then the answer
        if kinds[1] in ANSWERS and kinds[0] in TASKS:
            return [text]  # "a direct one? i don't fancy a connection": read whole
        if _a_remark_first(kinds, [first, second]):
            # "less than I hoped but more than nothing. do it"; "Och, I'm fair scunnered. My ... request ...",
            # which the remark makes a search naming nothing; not "its been ages and my date change request is still on hold"
            whole = await parse(text)
            if kinds[1] in ANSWERS or _a_greeting(parsed[0]) or (whole.get("intent") or {}).get("name") in TRIP_TASKS and not _request(whole):
                return await split_requests(second, parse, form_open)
            continue
        if not all(kinds) or kinds[0] == kinds[1] and not _two_questions(kinds, [first, second]):
            continue
        if _one_complaint(kinds, [first, second]) or _asks_what_it_costs(kinds, [first, second]):
            return [text]
        if kinds[0] in TASKS and kinds[1] in TASKS or kinds[0] in ANSWERS and kinds[1] in ANSWERS:
            return [text]  # one form at a time: the message stays whole
        if form_open and (kinds[0] in TRIP_TASKS) != (kinds[1] in TRIP_TASKS) and not set(kinds) & ANSWERS:
            trip = 0 if kinds[0] in TRIP_TASKS else 1
            if not _gives_trip_details(parsed[trip]) and kinds[1 - trip] in LOOKUPS:
                return [[first, second][1 - trip]]  # "do i need a visa? i only have my study permit": the question, told with a remark
            return [first, second] if trip == 0 else [second, first]
        if kinds[0] in TASKS and kinds[1] in LOOKUPS:
            return [second, first]  # the task's question comes last
        return [first, second]
    return [text]
