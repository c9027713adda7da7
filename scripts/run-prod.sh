#!/usr/bin/env bash
# The production profile natively, on this machine's PostgreSQL, Redis and RabbitMQ: sandbox,
# action server, two Rasa instances (endpoints.production.yml) behind a sticky proxy, and the
# analytics consumer. The same processes as docker-compose.yml. Ctrl-C stops them all.
# Every secret comes from the environment: nothing starts while one is missing, short or a
# development value (docs/security.md says how to make them).
set -uo pipefail
source "$(dirname "$0")/processes.sh"
require_secrets CHANNEL_JWT_SECRET CHANNEL_NOTIFY_SECRET TICKET_WEBHOOK_SECRET RASA_API_TOKEN ACTION_SERVER_TOKEN \
  REST_CHANNEL_TOKEN IDENTITY_PROOF_SECRET REVIEW_STAFF REVIEW_SECRET_KEY
PG_HOST=${PG_HOST:-127.0.0.1} PG_PORT=${PG_PORT:-5432} PG_USER=${PG_USER:-postgres} PG_PASSWORD=${PG_PASSWORD:-}
pg_url() { echo "postgresql://$PG_USER${PG_PASSWORD:+:$PG_PASSWORD}@$PG_HOST:$PG_PORT/$1"; }
export ACTION_SERVER_URL=${ACTION_SERVER_URL:-http://127.0.0.1:5055/webhook}
export TRACKER_DB_HOST=${TRACKER_DB_HOST:-$PG_HOST} TRACKER_DB_PORT=${TRACKER_DB_PORT:-$PG_PORT}
export TRACKER_DB_NAME=${TRACKER_DB_NAME:-travel_tracker} TRACKER_DB_USER=${TRACKER_DB_USER:-$PG_USER}
export TRACKER_DB_PASSWORD=${TRACKER_DB_PASSWORD:-$PG_PASSWORD}
export REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379} LOCK_STORE_DB=${LOCK_STORE_DB:-1}
export LOCK_STORE_PREFIX=${LOCK_STORE_PREFIX:-travel} TICKET_LOCK_LIFETIME=${TICKET_LOCK_LIFETIME:-300}
export RABBITMQ_HOST=${RABBITMQ_HOST:-127.0.0.1} RABBITMQ_PORT=${RABBITMQ_PORT:-5672}
export RABBITMQ_USER=${RABBITMQ_USER:-guest} RABBITMQ_PASSWORD=${RABBITMQ_PASSWORD:-guest}
export RABBITMQ_EXCHANGE=${RABBITMQ_EXCHANGE:-rasa-exchange} RABBITMQ_QUEUE=${RABBITMQ_QUEUE:-rasa_events}
export RABBITMQ_URL=${RABBITMQ_URL:-amqp://$RABBITMQ_USER:$RABBITMQ_PASSWORD@$RABBITMQ_HOST:$RABBITMQ_PORT/}
export REDIS_URL=${REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT/0}
# The proxy runs here: the channel takes the client's address from the X-Forwarded-For it adds.
export CHANNEL_TRUSTED_PROXIES=${CHANNEL_TRUSTED_PROXIES:-127.0.0.1}
export DATABASE_URL=${DATABASE_URL:-$(pg_url travel_sandbox)}
export CHANNEL_DATABASE_URL=${CHANNEL_DATABASE_URL:-$(pg_url travel_channel)}
export ANALYTICS_DATABASE_URL=${ANALYTICS_DATABASE_URL:-$(pg_url travel_analytics)}
PROXY_PORT=${PROXY_PORT:-5000}
REVIEW_PORT=${REVIEW_PORT:-8090}
export SANDBOX_WEBHOOK_URL=${SANDBOX_WEBHOOK_URL:-http://127.0.0.1:$PROXY_PORT/webhooks/socket/tickets}

$PY scripts/create_databases.py "$DATABASE_URL" "$CHANNEL_DATABASE_URL" "$ANALYTICS_DATABASE_URL" \
  "$(pg_url "$TRACKER_DB_NAME")" || exit 2
# Fail fast, naming the setting, when a store is missing or refuses us.
$PY scripts/check_stores.py endpoints.production.yml || exit 2

$PY -m sandbox seed --if-empty
start sandbox $PY -m sandbox serve --port "$SANDBOX_PORT"
start actions $PY -m actions.server --port 5055 --require-token
start analytics $PY -m analytics
# One after the other: the first creates Rasa's tracker tables, which two at once would race on.
for port in 5005 5006; do
  start "rasa-$port" $RASA run --model models/current.tar.gz --interface 127.0.0.1 --port "$port" \
    --endpoints endpoints.production.yml --credentials credentials.yml --enable-api --auth-token="$RASA_API_TOKEN"
  wait_for "rasa-$port" "http://127.0.0.1:$port/status?token=$RASA_API_TOKEN"
done
start proxy $PY deploy/proxy.py --port "$PROXY_PORT" http://127.0.0.1:5005 http://127.0.0.1:5006
start site $PY -m web.server --port "$SITE_PORT" --socket-url "http://127.0.0.1:$PROXY_PORT"
start review $PY -m review --port "$REVIEW_PORT"

wait_for sandbox "http://127.0.0.1:$SANDBOX_PORT/health"
wait_for actions "http://127.0.0.1:5055/health"
wait_for proxy "http://127.0.0.1:$PROXY_PORT/health"
wait_for site "http://127.0.0.1:$SITE_PORT/health"
wait_for review "http://127.0.0.1:$REVIEW_PORT/health"
cat <<MSG

The travel assistant is running (production profile; logs in $LOGS/):
  Open the travel site:  http://127.0.0.1:$SITE_PORT
  Review conversations:  http://127.0.0.1:$REVIEW_PORT  (staff: ${REVIEW_STAFF%%:*})
  Front door (sticky proxy over two Rasa instances): http://127.0.0.1:$PROXY_PORT
    forwards only the socket channel ws://127.0.0.1:$PROXY_PORT/socket.io and the help desk's
    POST /webhooks/socket/tickets; /health is its own. REST channel, HTTP API (?token=) and
    /webhooks/socket/notify: on the instances, http://127.0.0.1:5005 and :5006
  Tracker store $TRACKER_DB_NAME, channel and analytics in PostgreSQL at $PG_HOST:$PG_PORT;
  lock store Redis $REDIS_HOST:$REDIS_PORT db $LOCK_STORE_DB; events to RabbitMQ $RABBITMQ_HOST ($RABBITMQ_QUEUE)
  Analytics tables: psql $(pg_url travel_analytics) -c 'select intent, count(*) from turns group by 1'
Ctrl-C stops everything.
MSG
wait
