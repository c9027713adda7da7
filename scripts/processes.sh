# Shared by run-local.sh and run-prod.sh (sourced): settings, starting processes in the background
# with their logs in var/log/, waiting for them, and stopping them all on Ctrl-C.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
RASA=.venv/bin/rasa
SANDBOX_PORT=${SANDBOX_PORT:-8010}
SITE_PORT=${SITE_PORT:-8080}
LOGS=var/log
mkdir -p "$LOGS"
export TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore RASA_TELEMETRY_ENABLED=false
export HUBSPOT_BASE_URL=${HUBSPOT_BASE_URL:-http://127.0.0.1:$SANDBOX_PORT/hubspot}
export ZENDESK_BASE_URL=${ZENDESK_BASE_URL:-http://127.0.0.1:$SANDBOX_PORT/zendesk}
export DUFFEL_BASE_URL=${DUFFEL_BASE_URL:-http://127.0.0.1:$SANDBOX_PORT/duffel}

# Secrets have no defaults (docs/security.md): make run makes its own once per checkout, run-prod
# takes them from the environment and refuses missing, short or development ones.
use_local_secrets() {  # file: made once (mode 600) and reused; a variable already set wins
  $PY scripts/secrets_env.py local "$1" || exit 2
  local name value
  while IFS='=' read -r name value; do
    [ -n "${!name:-}" ] || export "$name=$value"
  done < "$1"
  export SANDBOX_WEBHOOK_SECRET=$TICKET_WEBHOOK_SECRET
}

require_secrets() {  # name...: exits 2 naming each one missing or unsafe, before anything starts
  $PY scripts/secrets_env.py check "$@" || exit 2
  export SANDBOX_WEBHOOK_SECRET=$TICKET_WEBHOOK_SECRET
}

pids=()
stop() { kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; echo; echo "Stopped."; exit 0; }
trap stop INT TERM

start() {  # name command...: runs it in the background, output in var/log/<name>.log
  local name=$1; shift
  "$@" > "$LOGS/$name.log" 2>&1 & pids+=($!)
}

wait_for() {  # name url
  for _ in $(seq 1 240); do
    curl -fs -o /dev/null "$2" && return 0
    sleep 0.5
  done
  echo "error: $1 did not start; the end of $LOGS/$1.log:" >&2; tail -20 "$LOGS/$1.log" >&2; stop
}
