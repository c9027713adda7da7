"""Reading the help desk's signed ticket webhook."""
import json

import pytest

from proactive.tickets import BadEvent, parse, signature_ok
from sandbox.webhooks import sign

EVENT = {"id": "e-1", "type": "zen:event-type:ticket.status_changed", "detail": {"id": "1042", "requester_id": "7", "status": "SOLVED"},
         "event": {"current": "SOLVED", "previous": "PENDING"}}


def test_signature_made_the_zendesk_way_is_accepted_and_any_change_refused():
    body = json.dumps(EVENT).encode()
    signature = sign("secret", "2026-11-25T10:00:00Z", body)
    assert signature_ok("secret", "2026-11-25T10:00:00Z", body, signature)
    assert not signature_ok("secret", "2026-11-25T10:00:01Z", body, signature)
    assert not signature_ok("other", "2026-11-25T10:00:00Z", body, signature)
    assert not signature_ok("secret", "2026-11-25T10:00:00Z", body + b" ", signature)
    assert not signature_ok("secret", "", body, signature)


def test_a_status_change_is_read():
    change = parse(EVENT)
    assert (change.event_id, change.ticket_id, change.status, change.previous, change.requester_id) == ("e-1", 1042, "solved", "pending", 7)


@pytest.mark.parametrize("payload", [[], {"type": "zen:event-type:ticket.created"}, {**EVENT, "detail": {}}, {**EVENT, "detail": {"id": "x", "requester_id": 1}}])
def test_other_or_broken_events_are_refused(payload):
    with pytest.raises(BadEvent):
        parse(payload)
