"""Booking the chosen flight against the sandbox over HTTP: the travellers' details, the order,
and vendors that fail."""
from actions.flights import ActionBookFlight, ValidateTravellerForm, idempotency_key
from sandbox.models import Order
from tests.actions.conftest import MAYA, make_tracker, point_clients_at, run, searched, slots_set, texts


def test_signed_in_customer_travels_as_themselves_and_booking_lands_everywhere(vendors):
    slots, _ = searched(days=23)
    offer = slots["offers"][0]
    form_events, _ = run(ValidateTravellerForm(), make_tracker({"selected_offer": offer, "travellers": []}, active_loop="traveller_form", customer=MAYA))
    filled = slots_set(form_events)
    assert filled["travellers"][0]["given_name"] == "Maya" and filled["requested_slot"] is None

    tracker = make_tracker({"selected_offer": offer, "travellers": filled["travellers"]}, sender="conv-book-1", customer=MAYA)
    events, messages = run(ActionBookFlight(), tracker)
    reference = slots_set(events)["booking_reference"]
    assert f"booking reference is {reference}" in texts(messages)
    with vendors.db.transaction() as session:
        order = session.query(Order).filter_by(booking_reference=reference).one()
        assert order.idempotency_key == idempotency_key("conv-book-1", offer["id"])
    deals = vendors.crm().purchase_history(vendors.crm().get_contact_by_email(MAYA).id)
    assert any(d.booking_reference == reference and d.order_id == order.id for d in deals)

    again, messages = run(ActionBookFlight(), tracker)  # the customer says "book it" twice
    assert slots_set(again)["booking_reference"] == reference


def test_a_signed_in_customer_booking_for_someone_else_is_asked_their_details(vendors):
    slots, _ = searched(days=23)
    offer = {**slots["offers"][0], "passengers": 1}
    asked_for = [{"event": "user", "text": "I need to book my mother on a flight to Vancouver"}, {"event": "action", "name": "action_search_flights"}]
    tracker = make_tracker({"selected_offer": offer, "travellers": []}, text="Yes, book it for her", intent="affirm", events=asked_for,
                           active_loop="traveller_form", customer=MAYA)
    filled = slots_set(run(ValidateTravellerForm(), tracker)[0])
    assert "travellers" not in filled and filled["requested_slot"] == "traveller_name"


def test_a_question_about_something_for_someone_else_leaves_the_customer_the_traveller(vendors):
    slots, _ = searched(days=23)
    offer = {**slots["offers"][0], "passengers": 1}
    asked = [{"event": "user", "text": "can I bring maple syrup in my carry-on? it's for my aunt",
              "parse_data": {"intent": {"name": "ask_question", "confidence": 0.9}}}, {"event": "action", "name": "action_answer_question"}]
    tracker = make_tracker({"selected_offer": offer, "travellers": []}, text="yup, book 'er", intent="affirm", events=asked,
                           active_loop="traveller_form", customer=MAYA)
    filled = slots_set(run(ValidateTravellerForm(), tracker)[0])
    assert filled["travellers"][0]["given_name"] == "Maya"


def test_anonymous_traveller_details_are_checked(vendors):
    from rasa_sdk.executor import CollectingDispatcher

    form = ValidateTravellerForm()
    dispatcher = CollectingDispatcher()
    assert form.validate_traveller_name("x", dispatcher, make_tracker(), {}) == {"traveller_name": None}
    assert form.validate_traveller_birthdate("next friday", dispatcher, make_tracker(), {}) == {"traveller_birthdate": None}
    assert form.validate_traveller_email("nope", dispatcher, make_tracker(), {}) == {"traveller_email": None}
    done = form.validate_traveller_birthdate("2 April 1988", dispatcher, make_tracker({"traveller_name": "Ana Silva", "travellers": []}), {})
    assert done["travellers"] == [{"given_name": "Ana", "family_name": "Silva", "born_on": "1988-04-02"}]


def test_details_pasted_or_said_with_their_label_are_taken(vendors):
    offer = {"id": "off_1", "passengers": 1}
    tracker = make_tracker({"selected_offer": offer, "travellers": []}, text="Yes, please proceed.\nPassenger name: Priscilla Okonkwo-Hart",
                           intent="affirm", active_loop="traveller_form")
    filled = slots_set(run(ValidateTravellerForm(), tracker)[0])
    assert filled == {"traveller_name": "Priscilla Okonkwo-Hart"}  # the form asks the birth date next
    pasted = make_tracker({"selected_offer": offer, "travellers": []}, text="ok book\nName: Ana Silva\nDOB: 1988-04-02\nEmail: Ana@Example.org",
                          intent="affirm", active_loop="traveller_form")
    filled = slots_set(run(ValidateTravellerForm(), pasted)[0])
    assert filled["travellers"] == [{"given_name": "Ana", "family_name": "Silva", "born_on": "1988-04-02"}]
    assert filled["traveller_email"] == "ana@example.org"
    from rasa_sdk.executor import CollectingDispatcher
    form, dispatcher = ValidateTravellerForm(), CollectingDispatcher()
    assert form.validate_traveller_name("yes please its for jordan ellis", dispatcher, make_tracker(), {}) == {"traveller_name": "Jordan Ellis"}
    both = form.validate_traveller_name("Sam Okoye, born april 11 1990", dispatcher, make_tracker({"selected_offer": offer, "travellers": []}), {})
    assert both["travellers"] == [{"given_name": "Sam", "family_name": "Okoye", "born_on": "1990-04-11"}]
    for said, email in (("marco bellini 22 april 1987 marco.bellini@example.com", "marco.bellini@example.com"),
                        ("She is called Marco Bellini, born 22 April 1987", None)):
        all_of_it = form.validate_traveller_name(said, dispatcher, make_tracker({"selected_offer": offer, "travellers": []}), {})
        assert all_of_it["travellers"] == [{"given_name": "Marco", "family_name": "Bellini", "born_on": "1987-04-22"}], said
        assert all_of_it.get("traveller_email") == email, said


def test_expired_offer_is_explained_and_nothing_booked(make_sandbox, monkeypatch):
    short = make_sandbox(SANDBOX_OFFER_TTL_SECONDS="1")
    point_clients_at(monkeypatch, short.url)
    slots, _ = searched(days=24)
    import time

    time.sleep(1.2)
    traveller = [{"given_name": "Ana", "family_name": "Silva", "born_on": "1988-04-02"}]
    _, messages = run(ActionBookFlight(), make_tracker({"selected_offer": slots["offers"][0], "travellers": traveller, "traveller_email": "ana@example.com"}))
    assert "expired" in texts(messages) and "nothing was booked" in texts(messages)


def test_booking_timeout_promises_no_double_charge(failing, monkeypatch):
    server = failing(200, {}, 3)
    point_clients_at(monkeypatch, server.url, timeout_seconds=2)
    offer = {"id": "off_x", "passengers": 1}
    _, messages = run(ActionBookFlight(), make_tracker({"selected_offer": offer, "travellers": []}, customer=MAYA))
    assert "couldn't reach" in texts(messages) or "won't be charged twice" in texts(messages)