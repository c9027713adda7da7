"""Support: ticket status, the customer's open tickets, opening a ticket, adding a comment, and
handing over to a person. Tickets are only shown to the customer who asked for them.

The words are domain.yml's: a ticket's status is said by the phrase `utter_phrase_ticket_<status>`
("is waiting for a reply from you"). What is written into tickets for our agents (the transcript,
the handoff summary) stays here: the customer never reads it."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence, Set, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .clients import NotFound, VendorError
from .clients.ticketing import Ticket
from .common import customer_email, latest_entities, profile_slot, say_vendor_problem, slot_before_this_turn, ticketing, today, transcript
from .dates import describe
from .phrases import has_phrase, phrase
from .proactive import is_triggered
from .topics import topic_stems

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
UNVERIFIED_TAG = "unverified_visitor"  # the ticket's contact email is the visitor's word only


def _last_update(ticket: Ticket) -> Optional[str]:
    """When the ticket last changed (Zendesk always sends updated_at; created_at stands in)."""
    changed = ticket.updated_at or ticket.created_at
    return describe(changed.date(), today()) if changed else None


def ticket_words(ticket: Ticket) -> Dict[str, Any]:
    """The variables of the responses that tell one ticket's status (utter_ticket_status and the
    like): its number, subject, status, what the status means, and the day it last changed."""
    meaning = f"ticket_{ticket.status}" if has_phrase(f"ticket_{ticket.status}") else "ticket_other"
    return {"ticket": ticket.id, "subject": ticket.subject, "status": ticket.status, "meaning": phrase(meaning),
            "updated": _last_update(ticket) or "–"}


def ticket_row(ticket: Ticket) -> str:
    """One ticket as a line of data in a list: "- 1042 – Lost bag – pending – Tue 15 Dec"."""
    return " – ".join(str(part) for part in (f"- {ticket.id}", ticket.subject, ticket.status, _last_update(ticket)) if part)


def ticket_card(ticket: Ticket) -> Dict[str, Any]:
    """The ticket as the web widget's status card shows it."""
    return {"type": "ticket_status", "ticket": {"id": ticket.id, "subject": ticket.subject, "status": ticket.status,
                                                "updated": _last_update(ticket)}}


def tickets_of(email: str) -> List[Ticket]:
    """The tickets a customer asked for, most recently updated first."""
    user = ticketing().find_user_by_email(email)
    return ticketing().requested_tickets(user.id) if user else []


def _customer_tickets(tracker: Tracker) -> List[Ticket]:
    return tickets_of(customer_email(tracker))


def _ticket_number(value: Any) -> Optional[int]:
    match = re.search(r"\d{3,7}", str(value or ""))
    return int(match.group()) if match else None


def _named_number(tracker: Tracker) -> Optional[str]:
    """A ticket number written in the message that the NLU did not mark ("status of 1005")."""
    match = re.search(r"(?<![\w.,/:-])\d{3,7}(?![\w.,/:-])", str(tracker.latest_message.get("text") or ""))
    return match.group() if match else None


# Words about tickets, their progress and waiting for them, not about what a ticket is about.
NOT_A_TOPIC = frozenset("""
answer answered anybody back case complaint contact day days email emailed ever hear heard hour hours long month
nobody none nothing reply replied request requests response responded slow sent so support taking team ticket tickets
time update updates wait waited waiting week weeks yet ridiculous still since ago already again status news latest
progress sorted sort fixed fix done happening happened handled dealt deal check look looked open opened closed solved
resolved one ones other about issue problem claim query
""".split())
# Where the assistant's own tickets append the conversation: the customer's words before it are the topic.
TRANSCRIPT_MARK = "--- Conversation with the assistant ---"


def topic_of(text: str) -> Set[str]:
    """The stems of the words that say what a ticket is about ("seat", "bag", "refund")."""
    return topic_stems(text) - topic_stems(" ".join(NOT_A_TOPIC))


def _about_score(ticket: Ticket, words: Set[str]) -> int:
    """How much a ticket is about the words: a word in its subject counts twice, one in its
    description (without the conversation attached to it) once."""
    description = (ticket.description or "").split(TRANSCRIPT_MARK, 1)[0]
    return 2 * len(words & topic_stems(ticket.subject or "")) + len(words & topic_stems(description))


def tickets_about(tickets: Sequence[Ticket], words: Set[str]) -> List[Ticket]:
    """The tickets that are most about the words, all of them when they tie; none when no ticket
    shares a word with them."""
    scores = [(_about_score(t, words), t) for t in tickets] if words else []
    best = max((score for score, _ in scores), default=0)
    return [t for score, t in scores if score == best] if best > 0 else []


def tickets_meant(tickets: Sequence[Ticket], text: str) -> List[Ticket]:
    """The tickets the customer's words are about ("my seat ticket"): the one still open when only
    one of those is; none when the words name no ticket."""
    about = tickets_about(tickets, topic_of(text))
    still_open = [t for t in about if t.is_open]
    return still_open if len(still_open) == 1 else about


def _which_buttons(tickets: Sequence[Ticket]) -> List[Dict[str, str]]:
    return [{"title": f"{t.id}: {t.subject}"[:60], "payload": f'/ticket_status{{"ticket_id": "{t.id}"}}'} for t in tickets][:5]


def _forget_number(tracker: Tracker) -> List[EventType]:
    """The ticket number of a status question is not kept; inside the note form, the ticket the
    note is for is kept (put back, when the question named another one)."""
    if (tracker.active_loop or {}).get("name") != "comment_form":
        return [SlotSet("ticket_id", None)]
    return [SlotSet("ticket_id", slot_before_this_turn(tracker, "ticket_id"))]


class ActionTicketStatus(Action):
    def name(self) -> Text:
        return "action_ticket_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if is_the_answer(tracker):  # the form takes the message as its answer
            return []
        if not customer_email(tracker):
            dispatcher.utter_message(response="utter_sign_in_for_tickets")
            return _forget_number(tracker)
        number = _ticket_number(latest_entities(tracker, "ticket_id").get("ticket_id") or _named_number(tracker))
        try:
            tickets = _customer_tickets(tracker)
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look_up_your_tickets")
            return _forget_number(tracker)
        if number is not None:
            mine = [t for t in tickets if t.id == number]
            if is_triggered(tracker):  # the help desk's webhook, not the customer, asked
                if mine:
                    dispatcher.utter_message(response="utter_ticket_news", json_message=ticket_card(mine[0]), **ticket_words(mine[0]))
                return _forget_number(tracker)
            # Another customer's ticket gets the same answer as one that does not exist.
            if mine:
                dispatcher.utter_message(response="utter_ticket_status", json_message=ticket_card(mine[0]), **ticket_words(mine[0]))
            else:
                dispatcher.utter_message(response="utter_ticket_not_found", ticket=number)
        else:
            self._by_topic(dispatcher, tickets, str(tracker.latest_message.get("text") or ""))
        return _forget_number(tracker)

    @staticmethod
    def _by_topic(dispatcher: CollectingDispatcher, tickets: Sequence[Ticket], text: str) -> None:
        """The ticket the customer's words are about ("my seat ticket"); several as buttons to pick
        from (the open one, when only one of them is still open); the latest when the words name none."""
        about = tickets_meant(tickets, text)
        if len(about) == 1:
            dispatcher.utter_message(response="utter_ticket_status", json_message=ticket_card(about[0]), **ticket_words(about[0]))
        elif about:
            dispatcher.utter_message(response="utter_which_ticket", buttons=_which_buttons(about))
        elif tickets:
            dispatcher.utter_message(response="utter_latest_ticket", json_message=ticket_card(tickets[0]), **ticket_words(tickets[0]))
        else:
            dispatcher.utter_message(response="utter_no_tickets")


class ActionListTickets(Action):
    def name(self) -> Text:
        return "action_list_tickets"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not customer_email(tracker):
            dispatcher.utter_message(response="utter_sign_in_for_tickets")
            return []
        try:
            tickets = [t for t in _customer_tickets(tracker) if t.is_open]
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look_up_your_tickets")
            return []
        if not tickets:
            dispatcher.utter_message(response="utter_no_open_tickets")
        else:
            dispatcher.utter_message(response="utter_open_tickets", tickets="\n".join(ticket_row(t) for t in tickets))
        return []


# How a question or a request starts ("any news on 1042", "show my bookings"): not a note's words.
ASKING = re.compile(r"^\W*(?:can|could|do|does|did|is|are|was|will|would|should|has|have|how|what|whats|what's|when|where|which|who|"
                    r"why|may|am|any|show|tell|check|list|status|cancel|book|open|find|give|get|talk|speak)\b", re.I)
NOTE_MIN_WORDS = 3
# Asked what a problem is about "in a few words", a word or two is the answer ("receipt needed").
MIN_WORDS = {"ticket_subject": 1}
# What a statement given as the answer is misread as: words about a ticket, thanks, a remark.
MISREAD = {"ticket_status", "list_tickets", "ask_question", "thank", "small_talk", "add_comment", "open_ticket", "inform"}


# The slots whose answer is the customer's own words, by the form that asks for them.
FREE_TEXT = {"comment_form": ("comment_text",), "ticket_form": ("ticket_subject", "ticket_description")}


def is_the_answer(tracker: Tracker, slot: Optional[str] = None) -> bool:
    """Asked for a note or for what a problem is, the customer wrote a statement ("the bag tag number
    is BA123456", "booking B69VXS has my surname wrong"): it is the answer (to `slot`, or to any
    such slot), whatever the NLU took it for. A question or a request ("any update on 1042?",
    "show my bookings") is answered instead, and the form asks again."""
    asked = tracker.get_slot("requested_slot")
    if asked not in FREE_TEXT.get((tracker.active_loop or {}).get("name") or "", ()) or slot not in (None, asked):
        return False
    text = str(tracker.latest_message.get("text") or "").strip()
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    statement = len(text.split()) >= MIN_WORDS.get(asked, NOTE_MIN_WORDS) and "?" not in text and not ASKING.match(text) and not text.startswith("/")
    return statement and intent in MISREAD


def _said(tracker: Tracker, slot: str) -> Dict[str, Any]:
    """The customer's message as the slot's value, when it answers the slot (see is_the_answer)."""
    return {slot: str(tracker.latest_message.get("text"))} if is_the_answer(tracker, slot) else {}


class ValidateTicketForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_ticket_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        return ["ticket_subject", "ticket_description"] + ([] if customer_email(tracker) else ["contact_email"])

    def extract_ticket_subject(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[str, Any]:
        return _said(tracker, "ticket_subject")

    def extract_ticket_description(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[str, Any]:
        return _said(tracker, "ticket_description")

    def validate_ticket_subject(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        text = str(value or "").strip()
        if len(text) < 3:
            dispatcher.utter_message(response="utter_ticket_subject_too_short")
            return {"ticket_subject": None}
        return {"ticket_subject": text[:150]}

    def validate_ticket_description(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        text = str(value or "").strip()
        if len(text) < 3:
            dispatcher.utter_message(response="utter_ticket_description_too_short")
            return {"ticket_description": None}
        return {"ticket_description": text[:5000]}

    def validate_contact_email(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        email = str(value or "").strip().lower()
        if not EMAIL.match(email):
            dispatcher.utter_message(response="utter_contact_email_invalid")
            return {"contact_email": None}
        return {"contact_email": email}


def open_ticket(tracker: Tracker, subject: str, description: str, tags: List[str], priority: Optional[str] = None) -> Ticket:
    """Opens a ticket with the conversation attached: the signed-in customer's own ticket.

    An anonymous visitor's email is unverified: as the requester it would put the ticket on the
    account of whoever owns that address (Zendesk attaches it to an existing user and emails
    them). So their ticket has no requester email (it stays on the assistant's own help desk
    account) and the address they gave is written into the ticket for the agent. Nothing is
    looked up either, so the reply cannot tell whether the address has an account."""
    email = customer_email(tracker)
    body = f"{description}\n\n--- Conversation with the assistant ---\n{transcript(tracker)}"
    if not email:
        body = f"Contact email given by an unverified visitor: {tracker.get_slot('contact_email')}\n\n{body}"
        tags = tags + [UNVERIFIED_TAG]
    return ticketing().create_ticket(
        subject, body, requester_email=email, requester_name=profile_slot(tracker, "customer_name"), priority=priority, tags=tags,
    )


class ActionOpenTicket(Action):
    def name(self) -> Text:
        return "action_open_ticket"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        handoff = tracker.get_slot("ticket_subject") == HANDOFF_SUBJECT
        tags = ["assistant", "handoff"] if handoff else ["assistant"]
        reset = [SlotSet(s, None) for s in ("ticket_subject", "ticket_description", "contact_email")]
        try:
            ticket = open_ticket(tracker, tracker.get_slot("ticket_subject"), tracker.get_slot("ticket_description"), tags, "high" if handoff else None)
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "open_the_ticket")
            return reset
        signed_in = customer_email(tracker)
        email = signed_in or tracker.get_slot("contact_email")
        if handoff:
            dispatcher.utter_message(response="utter_handoff_ticket_opened", ticket=ticket.id, email=email)
        elif signed_in:
            dispatcher.utter_message(response="utter_ticket_opened", ticket=ticket.id, email=email)
        else:  # a visitor cannot follow the ticket here: only a signed-in customer sees ticket status
            dispatcher.utter_message(response="utter_ticket_opened_for_visitor", ticket=ticket.id, reply_to=email)
        return reset + [SlotSet("ticket_id", str(ticket.id))]


class ValidateCommentForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_comment_form"

    def extract_comment_text(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[str, Any]:
        return _said(tracker, "comment_text")

    def extract_ticket_id(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[str, Any]:
        """The ticket named by what it is about ("add a note to my bag ticket", "the refund one"),
        when the customer gives no number and the words fit one of their tickets."""
        asked = tracker.get_slot("requested_slot")
        if tracker.get_slot("ticket_id") or asked not in (None, "ticket_id") or not customer_email(tracker):
            return {}
        try:
            meant = tickets_meant(_customer_tickets(tracker), str(tracker.latest_message.get("text") or ""))
        except VendorError:  # the form asks for the number; its check says what failed
            return {}
        return {"ticket_id": str(meant[0].id)} if len(meant) == 1 else {}

    def validate_ticket_id(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        number = _ticket_number(value)
        if not customer_email(tracker):
            dispatcher.utter_message(response="utter_sign_in_for_tickets")
            return {"ticket_id": None, "requested_slot": None}
        try:
            mine = number is not None and any(t.id == number for t in _customer_tickets(tracker))
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "look_up_your_tickets")
            return {"ticket_id": None, "requested_slot": None}
        if not mine:  # the form asks for the number again
            if number is None:
                dispatcher.utter_message(response="utter_ticket_number_missing")
            else:
                dispatcher.utter_message(response="utter_comment_ticket_not_found", ticket=number)
            return {"ticket_id": None}
        return {"ticket_id": str(number)}

    def validate_comment_text(self, value: Any, dispatcher, tracker, domain) -> Dict[str, Any]:
        text = str(value or "").strip()
        if not text:
            return {"comment_text": None}
        return {"comment_text": text[:5000]}


class ActionAddComment(Action):
    def name(self) -> Text:
        return "action_add_comment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        number, text = _ticket_number(tracker.get_slot("ticket_id")), tracker.get_slot("comment_text")
        reset = [SlotSet("comment_text", None)]
        if not (number and text):
            return reset
        # The form checked the ticket is the customer's; slots set any other way (the HTTP API) were not.
        if not customer_email(tracker):
            dispatcher.utter_message(response="utter_sign_in_for_tickets")
            return reset
        try:
            mine = any(t.id == number for t in _customer_tickets(tracker))
            if mine:
                ticketing().add_comment(number, f"From the customer, via the assistant:\n{text}")
        except NotFound:
            mine = False
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "add_your_note_to_the_ticket")
            return reset
        if not mine:
            dispatcher.utter_message(response="utter_ticket_gone", ticket=number)
            return reset
        dispatcher.utter_message(response="utter_note_added", ticket=number)
        return reset


HANDOFF_SUBJECT = "Customer asked to talk to a person"


class ActionHandoff(Action):
    """Opens a ticket marked for an agent, with the conversation, and says what happens next."""

    def name(self) -> Text:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        reason = _last_request(tracker)
        stop_form = [SlotSet("requested_slot", None)]
        if not customer_email(tracker):  # an anonymous visitor: ask where the team can reach them
            return stop_form + [SlotSet("ticket_subject", HANDOFF_SUBJECT), SlotSet("ticket_description", reason), FollowupAction("ticket_form")]
        try:
            ticket = open_ticket(tracker, HANDOFF_SUBJECT, reason, ["assistant", "handoff"], "high")
        except VendorError as exc:
            say_vendor_problem(dispatcher, exc, "reach_our_team")
            return stop_form
        dispatcher.utter_message(response="utter_handed_off", ticket=ticket.id, email=customer_email(tracker))
        return stop_form + [SlotSet("ticket_id", str(ticket.id))]


def _last_request(tracker: Tracker) -> str:
    """What the customer last asked before asking for a person, for the agent's summary."""
    texts = [e.get("text") for e in tracker.events if e.get("event") == "user" and e.get("text") and not str(e["text"]).startswith("/")]
    earlier = texts[:-1]
    return f"The customer asked for a person. Their last request before that: \"{earlier[-1]}\"" if earlier else "The customer asked for a person."
