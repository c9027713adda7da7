#!/usr/bin/env bash
# Starts the whole assistant natively: sandbox, action server, Rasa. Ctrl-C stops all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
SANDBOX_PORT=${SANDBOX_PORT:-8010}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
LOGS=var/log
mkdir -p "$LOGS"
export TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore RASA_TELEMETRY_ENABLED=false
export HUBSPOT_BASE_URL=${HUBSPOT_BASE_URL:-http://127.0.0.1:$SANDBOX_PORT/hubspot}
export ZENDESK_BASE_URL=${ZENDESK_BASE_URL:-http://127.0.0.1:$SANDBOX_PORT/zendesk}
export DUFFEL_BASE_URL=${DUFFEL_BASE_URL:-http://127.0.0.1:$SANDBOX_PORT/duffel}
# Development secrets for the socket channel; production sets its own.
export CHANNEL_JWT_SECRET=${CHANNEL_JWT_SECRET:-dev-only-socket-channel-key-change-me-in-production}
export CHANNEL_NOTIFY_SECRET=${CHANNEL_NOTIFY_SECRET:-dev-only-notify-secret-change-me-in-production}
# The sandbox's help desk tells the assistant when a ticket's status changes (signed webhook).
export TICKET_WEBHOOK_SECRET=${TICKET_WEBHOOK_SECRET:-dev-only-ticket-webhook-secret}
export SANDBOX_WEBHOOK_SECRET=$TICKET_WEBHOOK_SECRET
export SANDBOX_WEBHOOK_URL=${SANDBOX_WEBHOOK_URL:-http://127.0.0.1:$RASA_PORT/webhooks/socket/tickets}

pids=()
stop() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; echo; echo "Stopped."; exit 0; }
trap stop INT TERM

wait_for() {  # name url log
  for _ in $(seq 1 240); do
    curl -fs -o /dev/null "$2" && return 0
    sleep 0.5
  done
  echo "error: $1 did not start; the end of $3:" >&2; tail -20 "$3" >&2; stop
}

$PY -m sandbox seed --if-empty
$PY -m sandbox serve --port "$SANDBOX_PORT" > "$LOGS/sandbox.log" 2>&1 & pids+=($!)
$PY -m rasa_sdk --actions actions --port "$ACTIONS_PORT" > "$LOGS/actions.log" 2>&1 & pids+=($!)
endpoints=$(mktemp)
printf 'action_endpoint:\n  url: "http://127.0.0.1:%s/webhook"\n' "$ACTIONS_PORT" > "$endpoints"
.venv/bin/rasa run --model models/current.tar.gz --port "$RASA_PORT" --endpoints "$endpoints" \
  --credentials credentials.yml --enable-api > "$LOGS/rasa.log" 2>&1 & pids+=($!)

wait_for sandbox "http://127.0.0.1:$SANDBOX_PORT/health" "$LOGS/sandbox.log"
wait_for "action server" "http://127.0.0.1:$ACTIONS_PORT/health" "$LOGS/actions.log"
wait_for rasa "http://127.0.0.1:$RASA_PORT/status" "$LOGS/rasa.log"
cat <<MSG

The travel assistant is running (logs in $LOGS/):
  Socket channel:       ws://127.0.0.1:$RASA_PORT/socket.io  (web widget; see README "The socket channel")
  Rasa (REST channel):  POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook  {"sender": "me", "message": "hi"}
  Action server:        http://127.0.0.1:$ACTIONS_PORT
  Sandbox vendors:      http://127.0.0.1:$SANDBOX_PORT  (/hubspot, /zendesk, /duffel)
Try it:  curl -s -XPOST localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"me","message":"book a flight to nyc"}'
Ctrl-C stops everything.
MSG
wait
