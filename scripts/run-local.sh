#!/usr/bin/env bash
# The embedded profile: sandbox, action server, the travel site and one Rasa (SQLite tracker store, in-memory lock
# store, no broker; endpoints.yml), all on this machine with no services. Ctrl-C stops them all.
set -uo pipefail
source "$(dirname "$0")/processes.sh"
RASA_PORT=${RASA_PORT:-5005}
export SANDBOX_WEBHOOK_URL=${SANDBOX_WEBHOOK_URL:-http://127.0.0.1:$RASA_PORT/webhooks/socket/tickets}

$PY -m sandbox seed --if-empty
start sandbox $PY -m sandbox serve --port "$SANDBOX_PORT"
start actions $PY -m rasa_sdk --actions actions --port 5055
start site $PY -m web.server --port "$SITE_PORT" --socket-url "http://127.0.0.1:$RASA_PORT"
start rasa $RASA run --model models/current.tar.gz --port "$RASA_PORT" --endpoints endpoints.yml \
  --credentials credentials.yml --enable-api

wait_for sandbox "http://127.0.0.1:$SANDBOX_PORT/health"
wait_for actions "http://127.0.0.1:5055/health"
wait_for site "http://127.0.0.1:$SITE_PORT/health"
wait_for rasa "http://127.0.0.1:$RASA_PORT/status"
cat <<MSG

The travel assistant is running (embedded profile; logs in $LOGS/):

  Open the travel site:  http://127.0.0.1:$SITE_PORT   (sign in as a seeded customer, chat in the corner)

  Socket channel:       ws://127.0.0.1:$RASA_PORT/socket.io  (web widget; see README "The socket channel")
  Rasa (REST channel):  POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook  {"sender": "me", "message": "hi"}
  Action server:        http://127.0.0.1:5055
  Sandbox vendors:      http://127.0.0.1:$SANDBOX_PORT  (/hubspot, /zendesk, /duffel)
Try it:  curl -s -XPOST localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"me","message":"book a flight to nyc"}'
Ctrl-C stops everything.
MSG
wait
