"""Support actions against the sandbox's help desk: only the customer's own tickets are shown."""
from sandbox.models import Ticket
from actions.clients.ticketing import Ticket as DeskTicket
from actions.support import (
    HANDOFF_SUBJECT, TRANSCRIPT_MARK, ActionAddComment, ActionHandoff, ActionListTickets, ActionOpenTicket, ActionTicketStatus,
    ValidateCommentForm, ValidateTicketForm, tickets_about, topic_of,
)
from tests.actions.conftest import MAYA, make_tracker, rendered, run, seeded_customer, slots_set, texts

CONVERSATION = [
    {"event": "user", "text": "my bag never arrived"},
    {"event": "bot", "text": "I'm sorry to hear that."},
]


def maya_tickets(vendors):
    desk = vendors.ticketing()
    return desk.requested_tickets(desk.find_user_by_email(MAYA).id)


def test_status_of_my_latest_and_by_number(vendors):
    latest = maya_tickets(vendors)[0]
    _, messages = run(ActionTicketStatus(), make_tracker(intent="ticket_status", customer=MAYA))
    assert texts(messages).startswith(f'Your latest ticket: Ticket {latest.id} "{latest.subject}" ')
    assert f"({latest.status}, last update " in texts(messages) and messages[0]["custom"]["ticket"]["id"] == latest.id
    _, messages = run(ActionTicketStatus(), make_tracker(entities=[("ticket_id", f"#{latest.id}")], customer=MAYA))
    assert f"Ticket {latest.id}" in texts(messages)


def desk_ticket(number: int, subject: str, description: str = "") -> DeskTicket:
    return DeskTicket(number, subject, description, "open", None, None, 1, (), None, None)


def test_the_ticket_the_words_are_about():
    seat, bag = desk_ticket(1, "Seat assignment", "I paid for an aisle seat"), desk_ticket(2, "Bag did not arrive")
    handoff = desk_ticket(3, HANDOFF_SUBJECT, f"The customer asked for a person.\n\n{TRANSCRIPT_MARK}\nCustomer: my seat and my luggage")
    mine = [handoff, seat, bag]
    assert tickets_about(mine, topic_of("whats the status of my seat ticket?")) == [seat]
    assert tickets_about(mine, topic_of("any news on my luggage claim")) == [bag]
    assert tickets_about(mine, topic_of("is my ticket sorted yet")) == []
    other_seat = desk_ticket(4, "Wrong seat again")
    assert tickets_about([desk_ticket(1, "Seat assignment"), other_seat, bag], topic_of("the seat one")) == [desk_ticket(1, "Seat assignment"), other_seat]


def test_status_of_the_ticket_named_by_its_topic_not_the_latest(vendors):
    desk = vendors.ticketing()
    email = seeded_customer(vendors, with_tickets=True, other_than=[MAYA])
    named = desk.create_ticket("Stroller damaged", "The airline broke our stroller", requester_email=email)
    desk.create_ticket(HANDOFF_SUBJECT, "The customer asked for a person.", requester_email=email)
    _, messages = run(ActionTicketStatus(), make_tracker(text="whats happening with my stroller ticket?", intent="ticket_status", customer=email))
    assert texts(messages).startswith(f'Ticket {named.id} "Stroller damaged" ')


def test_several_tickets_about_the_words_are_offered_as_buttons(vendors):
    desk = vendors.ticketing()
    email = seeded_customer(vendors, with_tickets=True, other_than=[MAYA, seeded_customer(vendors, with_tickets=True, other_than=[MAYA])])
    made = [desk.create_ticket(f"Meal {n}", "The vegan meal I ordered was missing", requester_email=email) for n in (1, 2)]
    tracker = make_tracker(text="any news on my meal ticket", customer=email, slots={"requested_slot": "departure_date"})
    _, messages = run(ActionTicketStatus(), tracker)
    assert messages[0]["response"] == "utter_which_ticket" and "?" not in texts(messages, tracker)
    assert sorted(b["payload"] for b in rendered(messages, tracker)[0]["buttons"]) == sorted(f'/ticket_status{{"ticket_id": "{t.id}"}}' for t in made)


def test_of_two_tickets_about_the_words_the_one_still_open(vendors):
    desk = vendors.ticketing()
    email = seeded_customer(vendors, with_tickets=True, other_than=[MAYA])
    done = desk.create_ticket("Pram broken", "The pram arrived broken", requester_email=email)
    desk.set_status(done.id, "solved")
    still = desk.create_ticket("Pram broken again", "The pram arrived broken", requester_email=email)
    _, messages = run(ActionTicketStatus(), make_tracker(text="news on the pram ticket?", customer=email))
    assert texts(messages).startswith(f'Ticket {still.id} "Pram broken again" ')


def test_a_number_the_nlu_did_not_mark_is_still_the_ticket(vendors):
    mine = maya_tickets(vendors)[-1]
    _, messages = run(ActionTicketStatus(), make_tracker(text=f"status of {mine.id}", intent="ticket_status", customer=MAYA))
    assert texts(messages).startswith(f'Ticket {mine.id} "{mine.subject}" ')
    _, messages = run(ActionTicketStatus(), make_tracker(text="status of my ticket about the 12/20 flight", intent="ticket_status", customer=MAYA))
    assert "can't find a ticket" not in texts(messages)


def test_another_customers_ticket_looks_like_no_ticket(vendors):
    theirs = maya_tickets(vendors)[0]
    _, messages = run(ActionTicketStatus(), make_tracker(entities=[("ticket_id", str(theirs.id))], customer="daniel.okafor@example.com"))
    assert f"can't find a ticket {theirs.id}" in texts(messages) and theirs.subject not in texts(messages)
    _, messages = run(ActionTicketStatus(), make_tracker(entities=[("ticket_id", str(theirs.id))]))
    assert "please sign in" in texts(messages)


def test_each_status_is_said_in_words(vendors):
    pending = next(t for t in maya_tickets(vendors) if t.status == "pending")
    _, messages = run(ActionTicketStatus(), make_tracker(entities=[("ticket_id", str(pending.id))], customer=MAYA))
    assert texts(messages).startswith(f'Ticket {pending.id} "{pending.subject}" is waiting for a reply from you (pending, last update ')


def test_no_tickets_is_said_without_a_question(vendors):
    """Asked in the middle of a form, the answer must leave the one question to the form."""
    _, messages = run(ActionTicketStatus(), make_tracker(customer="tom.becker@example.com"))
    assert "?" not in texts(messages) and [b["payload"] for b in rendered(messages)[0]["buttons"]] == ["/open_ticket"]


def test_open_tickets_listed(vendors):
    open_tickets = [t for t in maya_tickets(vendors) if t.is_open]
    _, messages = run(ActionListTickets(), make_tracker(customer=MAYA))
    lines = texts(messages).split("\n")
    assert lines[0] == "Your open tickets:" and len(lines) == 1 + len(open_tickets)
    assert all(line.startswith(f"- {t.id} – {t.subject} – {t.status} – ") for line, t in zip(lines[1:], open_tickets))
    _, messages = run(ActionListTickets(), make_tracker(customer="tom.becker@example.com"))
    assert "no open tickets" in texts(messages)


def test_open_a_ticket_with_the_transcript(vendors):
    slots = {"ticket_subject": "Lost bag", "ticket_description": "Bag did not arrive at BOS", "contact_email": "new.person@example.com"}
    events, messages = run(ActionOpenTicket(), make_tracker(slots, events=CONVERSATION))
    number = int(slots_set(events)["ticket_id"])
    with vendors.db.transaction() as session:
        ticket = session.get(Ticket, number)
        assert ticket.subject == "Lost bag" and "Customer: my bag never arrived" in ticket.description
    assert f"ticket {number}" in texts(messages) and "new.person@example.com" in texts(messages) and "status" not in texts(messages)


def test_handoff_marks_the_ticket_for_an_agent(vendors):
    events, messages = run(ActionHandoff(), make_tracker(text="talk to a human", events=CONVERSATION, customer=MAYA))
    number = int(slots_set(events)["ticket_id"])
    with vendors.db.transaction() as session:
        ticket = session.get(Ticket, number)
        assert set(ticket.tags) == {"assistant", "handoff"} and ticket.priority == "high"
        assert "my bag never arrived" in ticket.description
    assert texts(messages) == (f"I've passed you to our team as ticket {number}, with our conversation attached. A person will email you at {MAYA}, "
                               "usually within a few hours. I'm here if you need anything else meanwhile.")


def test_anonymous_handoff_asks_for_an_email_first(vendors):
    events, _ = run(ActionHandoff(), make_tracker(text="talk to a human"))
    assert slots_set(events)["ticket_subject"] == HANDOFF_SUBJECT
    assert any(e.get("event") == "followup" and e.get("name") == "ticket_form" for e in events)


def test_comment_only_on_my_own_ticket(vendors):
    mine = maya_tickets(vendors)[0]
    form = ValidateCommentForm()
    assert form.validate_ticket_id(str(mine.id), None, make_tracker(customer=MAYA), {}) == {"ticket_id": str(mine.id)}
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    assert form.validate_ticket_id(str(mine.id), dispatcher, make_tracker(customer="daniel.okafor@example.com"), {}) == {"ticket_id": None}
    assert texts(dispatcher.messages) == f"I can't find a ticket {mine.id} on your account."  # the form asks for the number next
    _, messages = run(ActionAddComment(), make_tracker({"ticket_id": str(mine.id), "comment_text": "It arrived!"}, customer=MAYA))
    assert f"added your note to ticket {mine.id}" in texts(messages)
    assert vendors.ticketing().comments(mine.id)[-1].body.endswith("It arrived!")


def test_the_note_goes_to_the_ticket_named_by_its_topic(vendors):
    desk = vendors.ticketing()
    email = seeded_customer(vendors, with_tickets=True, other_than=[MAYA])
    named = desk.create_ticket("Skis damaged", "The airline broke my skis", requester_email=email)
    form = ValidateCommentForm()
    assert form.extract_ticket_id(None, make_tracker(text="add a note to my skis ticket", customer=email), {}) == {"ticket_id": str(named.id)}
    asked = {"requested_slot": "ticket_id"}
    assert form.extract_ticket_id(None, make_tracker(asked, text="the skis one", customer=email), {}) == {"ticket_id": str(named.id)}
    assert form.extract_ticket_id(None, make_tracker(asked, text="the one from last week", customer=email), {}) == {}
    writing = {"requested_slot": "comment_text", "ticket_id": None}
    assert form.extract_ticket_id(None, make_tracker(writing, text="the skis were fixed", customer=email), {}) == {}
    assert form.extract_ticket_id(None, make_tracker(text="add a note to my skis ticket"), {}) == {}


def test_a_status_question_inside_the_note_form_keeps_the_notes_ticket(vendors):
    mine = maya_tickets(vendors)
    earlier = [{"event": "slot", "name": "ticket_id", "value": str(mine[0].id)}]
    tracker = make_tracker({"ticket_id": str(mine[-1].id), "requested_slot": "comment_text"}, text=f"status of {mine[-1].id}",
                           entities=[("ticket_id", str(mine[-1].id))], events=earlier, active_loop="comment_form", customer=MAYA)
    events, _ = run(ActionTicketStatus(), tracker)
    assert slots_set(events) == {"ticket_id": str(mine[0].id)}
    events, _ = run(ActionTicketStatus(), make_tracker(text=f"status of {mine[0].id}", customer=MAYA))
    assert slots_set(events) == {"ticket_id": None}


def test_asked_for_a_note_or_a_problem_a_statement_is_the_answer_and_a_question_is_answered(vendors):
    form, asking = ValidateCommentForm(), {"requested_slot": "comment_text", "ticket_id": "1001"}

    def note(text: str):
        return make_tracker(asking, text=text, intent="ticket_status", active_loop="comment_form", customer=MAYA)

    assert form.extract_comment_text(None, note("the bag tag number is BA123456"), {}) == {"comment_text": "the bag tag number is BA123456"}
    assert run(ActionTicketStatus(), note("the bag tag number is BA123456")) == ([], [])
    for question in ("any update on 1001", "status of my seat ticket?", "show my tickets", "ok"):
        assert form.extract_comment_text(None, note(question), {}) == {}
    assert run(ActionTicketStatus(), note("whats the status of my seat ticket"))[1]
    assert form.extract_comment_text(None, make_tracker(text="the bag tag number is BA123456", customer=MAYA), {}) == {}

    def describing(text: str, intent: str):
        return make_tracker({"requested_slot": "ticket_description"}, text=text, intent=intent, active_loop="ticket_form", customer=MAYA)

    problem = "booking B69VXS has my surname as rosi"
    assert ValidateTicketForm().extract_ticket_description(None, describing(problem, "ticket_status"), {}) == {"ticket_description": problem}
    assert ValidateTicketForm().extract_ticket_subject(None, describing(problem, "ticket_status"), {}) == {}
    subject = make_tracker({"requested_slot": "ticket_subject"}, text="receipt needed", intent="ticket_status", active_loop="ticket_form", customer=MAYA)
    assert ValidateTicketForm().extract_ticket_subject(None, subject, {}) == {"ticket_subject": "receipt needed"}
    assert run(ActionTicketStatus(), subject) == ([], [])
    assert ValidateTicketForm().extract_ticket_description(None, describing("i'd like to see my bookings", "list_bookings"), {}) == {}


def test_the_ticket_forms_checks_leave_the_question_to_the_form():
    from rasa_sdk.executor import CollectingDispatcher

    form, dispatcher = ValidateTicketForm(), CollectingDispatcher()
    assert form.validate_ticket_subject("x", dispatcher, make_tracker(), {}) == {"ticket_subject": None}
    assert form.validate_contact_email("maya at home", dispatcher, make_tracker(), {}) == {"contact_email": None}
    assert ValidateCommentForm().validate_ticket_id("the one about my bag", dispatcher, make_tracker(customer=MAYA), {}) == {"ticket_id": None}
    assert "?" not in texts(dispatcher.messages) and "my bag" not in texts(dispatcher.messages)


def test_help_desk_down_is_said_honestly(failing_desk):
    _, messages = run(ActionListTickets(), make_tracker(customer=MAYA))
    assert texts(messages) == ("Sorry, I couldn't reach our help desk just now, so I couldn't look up your tickets. Nothing was changed. "
                               "Please try again in a minute, or say \"talk to an agent\".")
    events, messages = run(ActionOpenTicket(), make_tracker({"ticket_subject": "x", "ticket_description": "y", "contact_email": "a@b.co"}))
    assert "couldn't reach our help desk" in texts(messages)
