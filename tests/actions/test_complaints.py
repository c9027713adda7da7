"""A complaint about an existing ticket, against a sandbox help desk of its own (the tests add
notes): the customer's own ticket is found, the complaint is added as an internal note and
nothing else about the ticket changes; visitors and other customers' tickets get nothing."""
from __future__ import annotations

from typing import Callable, List, Tuple

import pytest

from actions.bookings import city_of
from actions.clients.crm import Deal
from actions.clients.ticketing import Ticket
from actions.complaints import NOTE, ActionTicketComplaint, matching_ticket
from actions.support import tickets_about, topic_of
from tests.actions.conftest import make_tracker, point_clients_at, rendered, run, slots_set


@pytest.fixture(scope="module")
def desk_sandbox(make_sandbox):
    return make_sandbox()


@pytest.fixture
def desk(desk_sandbox, monkeypatch):
    point_clients_at(monkeypatch, desk_sandbox.url)
    return desk_sandbox


def customer_where(sandbox, wanted: Callable[[List[Ticket]], bool]) -> Tuple[str, List[Ticket]]:
    """A seeded customer whose tickets are as wanted, and those tickets."""
    crm, tickets = sandbox.crm(), sandbox.ticketing()
    for contact in crm.search_contacts(limit=100):
        user = tickets.find_user_by_email(contact.email)
        if user is not None and wanted(mine := tickets.requested_tickets(user.id)):
            return contact.email, mine
    raise AssertionError("the seed has no such customer")


def open_of(tickets: List[Ticket]) -> List[Ticket]:
    return [t for t in tickets if t.is_open]


def complain(text: str, customer=None, entities=(), slots=None, intent="ticket_complaint"):
    return run(ActionTicketComplaint(), make_tracker(text=text, intent=intent, customer=customer, entities=entities, slots=slots))


def notes(sandbox, ticket_id: int):
    return [c for c in sandbox.ticketing().comments(ticket_id) if c.body.startswith(NOTE.split("{")[0])]


def test_the_only_open_ticket_gets_the_complaint_as_an_internal_note(desk):
    email, tickets = customer_where(desk, lambda ts: len(open_of(ts)) == 1 and open_of(ts)[0].status in ("new", "open", "hold"))
    ticket = open_of(tickets)[0]
    events, sent = complain("why is my ticket taking so long, nobody has answered", customer=email)
    said = rendered(sent)[0]
    assert sent[0]["response"] == f"utter_complaint_noted_{ticket.status}" and str(ticket.id) in said["text"] and ticket.subject in said["text"]
    assert [b["payload"] for b in said["buttons"]] == ["/human_handoff"]
    [note] = notes(desk, ticket.id)
    assert not note.public and "nobody has answered" in note.body
    after = desk.ticketing().get_ticket(ticket.id)
    assert (after.status, after.priority) == (ticket.status, ticket.priority)  # nothing raised or changed
    assert slots_set(events) == {"complaint_text": None}


def test_the_ticket_is_found_by_the_words_of_its_subject(desk):
    def two_topics(ts):
        subjects = {t.subject for t in open_of(ts)}
        return len(open_of(ts)) >= 2 and len(subjects) == len(open_of(ts))
    email, tickets = customer_where(desk, two_topics)
    target = open_of(tickets)[-1]
    _, sent = complain(f"still no answer about my {target.subject.lower()} request, it's been a week", customer=email)
    assert sent[0]["ticket"] == target.id and len(notes(desk, target.id)) >= 1


def test_a_pending_ticket_says_the_agent_is_waiting_for_the_customer(desk):
    email, tickets = customer_where(desk, lambda ts: [t.status for t in open_of(ts)] == ["pending"])
    ticket = open_of(tickets)[0]
    _, sent = complain("nobody got back to me", customer=email)
    said = rendered(sent)[0]["text"]
    assert sent[0]["response"] == "utter_complaint_noted_pending" and "waiting for your reply" in said and sent[0]["last_reply"] in said


def test_several_open_tickets_and_no_clue_asks_which_then_notes_the_first_words(desk):
    email, tickets = customer_where(desk, lambda ts: len({t.subject for t in open_of(ts)}) >= 2)
    events, sent = complain("why is nobody answering me", customer=email)
    said = rendered(sent)[0]
    assert sent[0]["response"] == "utter_complaint_which_ticket" and said["text"].count("?") == 1
    assert [b["payload"] for b in said["buttons"]] == ["/human_handoff"] + [f'/ticket_complaint{{"ticket_id": "{t.id}"}}' for t in open_of(tickets)]
    assert slots_set(events) == {"complaint_text": "why is nobody answering me"}
    chosen = open_of(tickets)[0]
    _, sent = complain(said["buttons"][1]["payload"], customer=email, entities=[("ticket_id", str(chosen.id))],
                       slots={"complaint_text": "why is nobody answering me"})
    assert sent[0]["ticket"] == chosen.id and any("why is nobody answering me" in n.body for n in notes(desk, chosen.id))


def test_another_customers_ticket_gets_no_note(desk):
    email, _ = customer_where(desk, lambda ts: len(open_of(ts)) >= 1)
    _, theirs = customer_where(desk, lambda ts: len(open_of(ts)) >= 1 and desk.ticketing().get_user(ts[0].requester_id).email != email)
    ticket = open_of(theirs)[0]
    before = len(notes(desk, ticket.id))
    _, sent = complain(f"ticket {ticket.id} still has no reply", customer=email, entities=[("ticket_id", str(ticket.id))])
    assert sent[0]["response"] == "utter_complaint_ticket_not_found" and ticket.subject not in rendered(sent)[0]["text"]
    assert len(notes(desk, ticket.id)) == before


def test_a_closed_ticket_is_named_and_gets_no_note_but_a_person_or_a_new_ticket(desk):
    email, tickets = customer_where(desk, lambda ts: len(ts) == 1 and ts[0].status == "closed")
    _, sent = complain("the ticket was closed but nothing was fixed!", customer=email)
    said = rendered(sent)[0]
    assert sent[0]["response"] == "utter_complaint_ticket_closed" and str(tickets[0].id) in said["text"]
    assert [b["payload"] for b in said["buttons"]] == ["/human_handoff", "/open_ticket"] and notes(desk, tickets[0].id) == []


def test_no_open_ticket_offers_a_new_one_or_a_person(desk):
    email, _ = customer_where(desk, lambda ts: not ts)
    _, sent = complain("still waiting for an answer about my refund", customer=email)
    assert sent[0]["response"] == "utter_complaint_no_open_ticket"
    assert [b["payload"] for b in rendered(sent)[0]["buttons"]] == ["/open_ticket", "/human_handoff"]


def test_a_visitor_is_asked_to_sign_in_or_for_the_number_which_goes_to_our_team_in_a_new_ticket(desk):
    events, sent = complain("still nobody answered about my assistance request")
    said = rendered(sent)[0]
    assert sent[0]["response"] == "utter_complaint_sign_in" and "?" not in said["text"] and said["buttons"][0]["payload"] == "/human_handoff"
    assert slots_set(events) == {"complaint_text": "still nobody answered about my assistance request"}
    events, sent = complain("it's 1003", entities=[("ticket_id", "1003")], intent="ticket_status",
                            slots={"complaint_text": "still nobody answered about my assistance request"})
    assert sent == [] and events[-1] == {"event": "followup", "timestamp": None, "name": "ticket_form"}
    slots = slots_set(events)
    assert "1003" in slots["ticket_subject"] and slots["ticket_description"] == "still nobody answered about my assistance request"


def test_a_status_question_after_a_complaint_is_a_status_question(desk):
    email, _ = customer_where(desk, lambda ts: len(open_of(ts)) >= 1)
    events, sent = complain("status of ticket 1003", customer=email, intent="ticket_status")
    assert sent == [] and events == [{"event": "followup", "timestamp": None, "name": "action_ticket_status"}]


def test_help_desk_down_is_said(failing_desk):
    _, sent = complain("nobody answered my ticket", customer="maya.chen@example.com")
    assert sent[0]["response"] == "utter_complaint_help_desk_down"


def test_matching_prefers_subject_words_and_falls_back_to_the_only_open_ticket():
    def ticket(number: int, subject: str, status: str = "open") -> Ticket:
        return Ticket(number, subject, "", status, None, None, 1, (), None, None)
    refund, bag, old = ticket(1, "Refund for my cancelled flight"), ticket(2, "Bag did not arrive"), ticket(3, "Seat assignment", "solved")
    assert matching_ticket([refund, bag, old], "no reply about my money back").id == 1
    assert matching_ticket([refund, bag], "my luggage claim is taking forever").id == 2
    assert matching_ticket([refund, bag], "why is nobody answering") is None
    assert matching_ticket([bag, old], "why is nobody answering").id == 2
    assert matching_ticket([old, ticket(4, "Bag did not arrive", "closed")], "my seat is still wrong").id == 3
    assert matching_ticket([old], "why is nobody answering").id == 3


def customer_with_a_trip(sandbox, cancelled: bool = False) -> Tuple[str, Deal, str]:
    """A seeded customer with a booking to a city no other booking of theirs goes to, and that
    city, with no ticket about it yet; the booking is cancelled first in the CRM when asked."""
    crm = sandbox.crm()
    for contact in crm.search_contacts(limit=100):
        if sandbox.ticketing().find_user_by_email(contact.email) is None:
            continue
        deals = crm.purchase_history(contact.id)
        for deal in deals:
            city = city_of(deal.destination)
            fresh = not tickets_about_booking(sandbox, contact.email, deal.booking_reference)
            if city and fresh and deal.stage != "closedlost" and [d.destination for d in deals].count(deal.destination) == 1:
                return contact.email, crm.set_deal_stage(deal.id, "closedlost") if cancelled else deal, city
    raise AssertionError("the seed has no such customer")


def tickets_about_booking(sandbox, email: str, reference: str) -> List[Ticket]:
    desk = sandbox.ticketing()
    return [t for t in desk.requested_tickets(desk.find_user_by_email(email).id) if reference in f"{t.subject} {t.description}"]


@pytest.mark.parametrize("cancelled", [False, True])
def test_a_complaint_about_a_booking_finds_it_says_what_we_know_and_opens_a_ticket_for_it(desk, cancelled):
    email, deal, city = customer_with_a_trip(desk, cancelled)
    before = tickets_about_booking(desk, email, deal.booking_reference)
    _, sent = complain(f"my flight to {city.lower()} got cancelled and nobody told me", customer=email)
    said = rendered(sent)
    assert sent[0]["response"] == ("utter_complaint_booking_cancelled" if cancelled else "utter_complaint_booking_booked")
    assert deal.booking_reference in said[0]["text"] and [b["payload"] for b in said[0]["buttons"]] == ["/human_handoff"]
    [opened] = [t for t in tickets_about_booking(desk, email, deal.booking_reference) if t not in before]
    assert opened.id == sent[0]["ticket"] and "nobody told me" in opened.description and ("cancelled" if cancelled else "booked") in opened.description
    assert sent[-1]["response"] == "utter_offer_help_article" and sent[-1]["title"] == "The airline cancelled my flight. What are my options?"


def test_a_second_complaint_about_the_booking_goes_into_its_ticket(desk):
    email, deal, city = customer_with_a_trip(desk)
    complain(f"{deal.booking_reference} was changed and nobody told me", customer=email)
    [ticket] = tickets_about_booking(desk, email, deal.booking_reference)
    _, sent = complain(f"still nothing about my {city.lower()} trip, this is a joke", customer=email)
    assert sent[0]["response"] == "utter_complaint_booking_noted" and sent[0]["ticket"] == ticket.id
    assert len(tickets_about_booking(desk, email, deal.booking_reference)) == 1  # no second ticket
    assert [n.body for n in notes(desk, ticket.id)][-1].endswith("still nothing about my " + city.lower() + " trip, this is a joke")


def test_a_complaint_naming_a_closed_case_is_about_the_case_not_the_trip(desk):
    crm, desk_api = desk.crm(), desk.ticketing()
    for contact in crm.search_contacts(limit=100):
        user = desk_api.find_user_by_email(contact.email)
        tickets = desk_api.requested_tickets(user.id) if user else []
        closed = [t for t in tickets if not t.is_open and len(tickets_about(tickets, topic_of(t.subject))) == 1]
        cities = [city_of(d.destination) for d in crm.purchase_history(contact.id) if city_of(d.destination)]
        if closed and cities:
            break
    else:
        raise AssertionError("the seed has no customer with a closed ticket and a trip")
    _, sent = complain(f"you closed my case about the {closed[0].subject.lower()} without sorting it, after my {cities[0].lower()} flight",
                       customer=contact.email)
    assert sent[0]["response"] == f"utter_complaint_ticket_{closed[0].status}" and str(closed[0].id) in rendered(sent)[0]["text"]
