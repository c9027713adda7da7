#!/usr/bin/env bash
# The embedded profile: sandbox, action server, the travel site and one Rasa (SQLite tracker store, in-memory lock
# store, no broker; endpoints.yml), all on this machine's loopback with no services. Ctrl-C stops them all.
set -uo pipefail
source "$(dirname "$0")/processes.sh"
RASA_PORT=${RASA_PORT:-5005}
export SANDBOX_WEBHOOK_URL=${SANDBOX_WEBHOOK_URL:-http://127.0.0.1:$RASA_PORT/webhooks/socket/tickets}
use_local_secrets var/secrets.env

$PY -m sandbox seed --if-empty
start sandbox $PY -m sandbox serve --port "$SANDBOX_PORT"
start actions $PY -m actions.server --port 5055
start site $PY -m web.server --port "$SITE_PORT" --socket-url "http://127.0.0.1:$RASA_PORT"
start rasa $RASA run --model models/current.tar.gz --interface 127.0.0.1 --port "$RASA_PORT" --endpoints endpoints.yml \
  --credentials credentials.yml --enable-api --auth-token="$RASA_API_TOKEN"

wait_for sandbox "http://127.0.0.1:$SANDBOX_PORT/health"
wait_for actions "http://127.0.0.1:5055/health"
wait_for site "http://127.0.0.1:$SITE_PORT/health"
wait_for rasa "http://127.0.0.1:$RASA_PORT/status?token=$RASA_API_TOKEN"
cat <<MSG

The travel assistant is running (embedded profile, loopback only; logs in $LOGS/):

  Open the travel site:  http://127.0.0.1:$SITE_PORT   (sign in as a seeded customer, chat in the corner)

  Socket channel:       ws://127.0.0.1:$RASA_PORT/socket.io  (web widget; see README "The socket channel")
  Rasa (REST channel):  POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook  (Authorization: Bearer \$REST_CHANNEL_TOKEN)
  Rasa HTTP API:        http://127.0.0.1:$RASA_PORT  (?token=\$RASA_API_TOKEN)
  Action server:        http://127.0.0.1:5055  (Authorization: Bearer \$ACTION_SERVER_TOKEN)
  Sandbox vendors:      http://127.0.0.1:$SANDBOX_PORT  (/hubspot, /zendesk, /duffel)
  Secrets of this checkout: var/secrets.env (made once; see docs/security.md)
Try it:  set -a; . var/secrets.env; set +a
  curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H "Authorization: Bearer \$REST_CHANNEL_TOKEN" -d '{"sender":"me","message":"book a flight to nyc"}'
Ctrl-C stops everything.
MSG
wait
