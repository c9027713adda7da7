"""Random secrets for one test run, passed to every process the tests start (Rasa, the action
server, the site, the review page) so they agree with each other and no fixed value is trusted."""
from __future__ import annotations

import secrets
from typing import Dict

NAMES = ("CHANNEL_JWT_SECRET", "CHANNEL_NOTIFY_SECRET", "TICKET_WEBHOOK_SECRET", "RASA_API_TOKEN", "ACTION_SERVER_TOKEN",
         "REST_CHANNEL_TOKEN", "IDENTITY_PROOF_SECRET", "REVIEW_SECRET_KEY")
SECRETS: Dict[str, str] = {name: secrets.token_urlsafe(32) for name in NAMES}

# What a caller of Rasa's HTTP API and of the REST channel sends.
API_PARAMS: Dict[str, str] = {"token": SECRETS["RASA_API_TOKEN"]}
REST_HEADERS: Dict[str, str] = {"Authorization": f"Bearer {SECRETS['REST_CHANNEL_TOKEN']}"}
ACTION_HEADERS: Dict[str, str] = {"Authorization": f"Bearer {SECRETS['ACTION_SERVER_TOKEN']}"}
