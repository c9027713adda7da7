"""The designers' list of responses, their variables and who sends them, read from the source."""
from scripts.response_variables import table


def test_each_response_with_its_variables_and_who_sends_it():
    rows = set(table(["utter_ticket_status", "utter_did_you_mean", "utter_phrase_ticket_pending", "utter_goodbye"]).splitlines()[2:])
    assert rows == {
        "| utter_ticket_status | meaning, status, subject, ticket, updated | support.py (meaning, status, subject, ticket, updated) |",
        "| utter_did_you_mean | first, second | conversation.py (first, second) |",
        "| utter_phrase_ticket_pending | - | phrase |",
        "| utter_goodbye | - | not sent by an action |",
    }
