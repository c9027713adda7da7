"""Two requests in one message are taken as two turns, questions first and the task last; one
request, or a message cut where no request ends, stays whole."""
import asyncio

import pytest

from channels.requests import PREFACE, candidates, split_requests

READ = {  # what the NLU makes of each half, as Rasa's parse result has it
    "flight to rome next friday": "search_flight",
    "can i bring my dog?": "ask_question",
    "Good afternoon.": "greet",
    "the second one.": "select_offer",
    "whats the status of 1005?": "ticket_status",
    "is it possible to cancel my lisbon trip?": "cancel_booking",
    "does it include a carry on?": "ask_question",
    "Is that going to be a problem?": "open_ticket",
    "can i take my dog with me.": "ask_question",
    "since my lost bag ticket is in a black hole": "search_flight",
    "since my lost bag ticket is in a black hole, whats the status of 1005?": "ticket_status",
    "whats the status of 1005? and show my bookings": "list_bookings",
    "and show my bookings": "list_bookings",
    "whats the status of 1005 and also show my bookings": "ticket_status",
    "i need a flight to rome next friday": "search_flight",
    "whats the status of 1005": "ticket_status",
    "show my bookings": "list_bookings",
    "cancel my lisbon trip": "cancel_booking",
    "open a ticket": "open_ticket",
    "hmm ok then": "affirm",
    "hmm ok then.": "affirm",
    "hmm no sorry, houston not austin.": "deny",
    "back dec 22": "inform",
    "ok.": "affirm",
    "friday": "inform",
    "wait": "inform",
    "do i need id for domestic flights?": "ask_question",
    "i asked for a receipt weeks ago": "ask_question",
    "still nothing!!": "ticket_complaint",
    "any update on the date change ticket?": "ticket_status",
    "this is taking forever": "ticket_complaint",
    "nobody answered my refund ticket.": "ticket_complaint",
    "you charged me twice": "open_ticket",
    "nobody has done anything about it": "ticket_complaint",
    "can i take my dog with me": "ask_question",
    "how much is an extra bag?": "ask_question",
    "do i get a refund": "ask_question",
    "when is it paid?": "ask_question",
    "hmm thats too little.": "refine_search",
    "keep it": "deny",
    "is there a direct one?": "refine_search",
    "I don't fancy a connection.": "deny",
    "they are 4": "ask_question",
    "7": "select_offer",
    "I take the first": "select_offer",
    "can i move my boston trip 2 days later?": "change_booking",
    "what would it cost": "ask_question",
    "Ok.": "affirm",
    "only nonstop": "refine_search",
    "And if it's within 24 hours of booking?": "ask_question",
    "Is it different for one-way tickets?": "refine_search",
    "american if they have it": "ask_question",
    "my sister lives in raleigh now.": "search_flight",
    "I can only get time off from december 21st and have to be back at my desk by the 28th": "ticket_complaint",
    "And is there a fee on top of that?": "ask_question",
    "Only going, no return.": "inform",
    "And how early must I be at the airport?": "ask_question",
    "I take the first one": "select_offer",
    "do it": "affirm",
    "and sorry again for the muddle": "refine_search",
    "Hello": "greet",
    "Hello, i need a flight to rome next friday": "search_flight",
    "i need a flight to rome next friday, can i bring my dog?": "ask_question",
    "Och, I'm fair scunnered.": "search_flight",
    "Och, I'm fair scunnered. My faither's wheelchair request has been sat there for weeks": "search_flight",
    "its been ages": "nlu_fallback",
    "my date change request is still on hold": "change_booking",
    "its been ages. my date change request is still on hold": "ticket_complaint",
    "Ah, it's very little.": "nlu_fallback",
    "Then I keep it.": "ask_question",
    "My faither's wheelchair request has been sat there for weeks": "ticket_complaint",
    "wait do i need a visa to fly back into canada?": "ask_question",
    "i only have my study permit": "refine_search",
}
VALUES = {"back dec 22": "return_date", "friday": "departure_date"}


async def parse(text: str):
    entities = [{"entity": VALUES[text], "value": text}] if text in VALUES else []
    return {"text": text, "intent": {"name": READ.get(text, "nlu_fallback"), "confidence": 0.9 if text in READ else 0.3}, "entities": entities}


def turns(text: str):
    return asyncio.run(split_requests(text, parse))


@pytest.mark.parametrize("text, expected", [
    ("flight to rome next friday, can i bring my dog?", ["can i bring my dog?", "flight to rome next friday"]),
    ("whats the status of 1005 and also show my bookings", ["whats the status of 1005", "show my bookings"]),
    ("cancel my lisbon trip and open a ticket", ["cancel my lisbon trip and open a ticket"]),  # two tasks: one form at a time
    ("hmm ok then. can i bring my dog?", ["hmm ok then.", "can i bring my dog?"]),  # the answer first
    ("from boston to rome and back on the 20th", ["from boston to rome and back on the 20th"]),
    ("/affirm", ["/affirm"]),
    ("hmm thats too little. keep it", ["keep it"]),  # a remark changing nothing, then the answer
    ("less than I hoped but more than nothing. do it", ["do it"]),
    ("Thank you, and sorry again for the muddle", ["Thank you, and sorry again for the muddle"]),  # thanks, then nothing to change
    ("hold on let me ask him... ok she's in georgia", ["ok she's in georgia"]),  # a pause, then the answer
    # a remark the whole message is understood with stays
    ("its been ages. my date change request is still on hold", ["its been ages. my date change request is still on hold"]),
    ("Ah, it's very little. Then I keep it.", ["Ah, it's very little. Then I keep it."]),
    # a greeting first: the message is cut where the requests meet
    ("Hello, i need a flight to rome next friday, can i bring my dog?", ["can i bring my dog?", "i need a flight to rome next friday"]),
    ("I take the first one. Thank you for your kind support.", ["I take the first one"]),
    # a search that names no trip nor flying is no request of its own: a short remark, before the request
    ("Och, I'm fair scunnered. My faither's wheelchair request has been sat there for weeks",
     ["My faither's wheelchair request has been sat there for weeks"]),
    ("is there a direct one? I don't fancy a connection.", ["is there a direct one? I don't fancy a connection."]),
    ("they are 4 and 7", ["they are 4 and 7"]),
    ("can i take my dog with me and how much is an extra bag?", ["can i take my dog with me", "how much is an extra bag?"]),
    ("gracias, I take the first", ["I take the first"]),  # thanks for the last turn, then the request
    ("back dec 22, obrigada", ["back dec 22"]),
    ("Thanks. can i bring my dog?", ["can i bring my dog?"]),
    ("Thank You, Young Man.", ["Thank You, Young Man."]),
    # what a change costs is what its quote says
    ("can i move my boston trip 2 days later? what would it cost", ["can i move my boston trip 2 days later? what would it cost"]),
    ("show my bookings n whats the status of 1005", ["show my bookings", "whats the status of 1005"]),  # a texter's "and"
    ("Good afternoon. whats the status of 1005 and also show my bookings", ["whats the status of 1005", "show my bookings"]),
    ("can i take my dog with me. Is that going to be a problem?", ["can i take my dog with me. Is that going to be a problem?"]),
    ("lol cat on my phone. flight to rome next friday", ["flight to rome next friday"]),
    ("the second one. does it include a carry on?", ["does it include a carry on?", "the second one."]),
    ("whats the status of 1005? is it possible to cancel my lisbon trip?", ["whats the status of 1005?", "is it possible to cancel my lisbon trip?"]),
    # a help desk ticket is no word of flying
    ("since my lost bag ticket is in a black hole, whats the status of 1005? and show my bookings",
     ["since my lost bag ticket is in a black hole, whats the status of 1005?", "and show my bookings"]),
])
def test_a_message_becomes_the_turns_to_take(text, expected):
    assert turns(text) == expected


def test_only_request_boundaries_are_cut():
    assert candidates("bos-mia 1/14 rt back 1/20") == []
    assert candidates("to paris, leaving friday, back sunday") == []
    assert ["me and my wife want to fly to rome", "can we bring a stroller"] in candidates(
        "me and my wife want to fly to rome and can we bring a stroller")


def test_a_correction_that_starts_with_no_stays_whole():
    text = "hmm no sorry, houston not austin. back dec 22"
    assert turns(text) == [text]


def test_an_ok_before_an_answer_to_the_form_stays_whole():
    assert turns("ok. friday") == ["ok. friday"]


def test_an_interjection_before_a_question_is_no_request():
    assert turns("wait, do i need id for domestic flights?") == ["do i need id for domestic flights?"]


def test_a_question_word_alone_is_no_second_request():
    assert candidates("ticket 1003 has been open for weeks, why??") == []
    assert candidates("a flight for me and my son, he's 4, and also can we take his pushchair?")[0] == [
        "a flight for me and my son, he's 4", "can we take his pushchair?"]
    assert candidates("my refund is late. how come?") != []


@pytest.mark.parametrize("text", ["i asked for a receipt weeks ago and still nothing!!",
                                  "any update on the date change ticket? this is taking forever",
                                  "you charged me twice and nobody has done anything about it"])
def test_a_complaint_with_what_it_is_about_is_one_request(text):
    assert turns(text) == [text]


def test_a_question_beside_a_complaint_is_a_request_of_its_own():
    assert turns("nobody answered my refund ticket. can i bring my dog?") == ["nobody answered my refund ticket.", "can i bring my dog?"]


@pytest.mark.parametrize("preface", ["sorry one question first", "one more thing", "quick question", "ok, just one q", "Before you book it", "but before we confirm", "Before I decide", "before that", "first of all", "Before I go any further",
                                     "Ag sorry, quick one first."])
def test_a_preface_announcing_a_question_is_left_out(preface):
    assert turns(f"{preface}, can i bring my dog?") == ["can i bring my dog?"]


def test_a_verb_without_its_subject_after_and_goes_on_with_the_sentence():
    assert candidates("i've been waiting a week about my refund and haven't heard a thing") == []
    assert candidates("i need a flight to rome and can i bring my dog?") != []
    assert candidates("actually its three adults and one child she is eight") == []
    assert candidates("Yes, please proceed.\nPassenger name: Priscilla Okonkwo-Hart") == []
    assert ["hi, i need to book for me", "my mom, she uses a wheelchair"] not in candidates("hi, i need to book for me and my mom, she uses a wheelchair")
    assert turns("sorry cat on keyboard. flights dc to boston 12/11 one way") == ["flights dc to boston 12/11 one way"]
    assert turns("lol sry my cat. can u book me a hotel in miami") == ["can u book me a hotel in miami"]
    assert not PREFACE.match("Sorry, my daughter.")  # who travels, not who typed
    assert candidates("flight from boston to chicago on december 12 for me and my 10 month old") == []
    assert candidates("we're 2 adults plus our toddler who's 2 and the baby (6 months, she'll sit on my lap)") == []


def test_an_ok_before_a_question_is_heard_not_agreed():
    assert turns("Ok. And is there a fee on top of that?") == ["And is there a fee on top of that?"]


def test_an_answer_the_reader_reads_without_entities_is_a_request():
    assert turns("Only going, no return. And how early must I be at the airport?") == [
        "And how early must I be at the airport?", "Only going, no return."]


def test_a_trip_told_at_length_is_one_request():
    text = "my sister lives in raleigh now. I can only get time off from december 21st and have to be back at my desk by the 28th"
    assert turns(text) == [text]


def test_while_a_form_is_open_the_trip_detail_goes_first():
    text = "Only going, no return. And how early must I be at the airport?"
    assert asyncio.run(split_requests(text, parse, form_open=True)) == ["Only going, no return.", "And how early must I be at the airport?"]
    assert asyncio.run(split_requests("flight to rome next friday, can i bring my dog?", parse, form_open=True)) == [
        "flight to rome next friday", "can i bring my dog?"]
    remark = "wait do i need a visa to fly back into canada? i only have my study permit"  # no trip detail in the remark
    assert asyncio.run(split_requests(remark, parse, form_open=True)) == ["wait do i need a visa to fly back into canada?"]


def test_a_detail_the_nlu_took_for_a_question_is_no_second_request():
    assert turns("only nonstop and american if they have it") == ["only nonstop and american if they have it"]


def test_a_question_about_the_rules_that_reads_like_a_trip_stays_with_the_question():
    text = "And if it's within 24 hours of booking? Is it different for one-way tickets?"
    assert turns(text) == [text]
