# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
RASA  := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
MODEL := models/current.tar.gz
PREFERENCES := models/preferences.joblib
DEMO_ANALYTICS := var/analytics-demo.db
TRAINING_DATA := config.yml domain.yml $(wildcard data/*.yml data/lookups/*.yml components/*.py components/*.yml) tests/nlu/difficulty.yml tests/nlu/difficulty_heldout_2026-11.yml
WEB_STAMP := web/node_modules/.installed
WEB_BUILD := web/dist/index.html
WEB_SOURCES := web/index.html web/vite.config.js $(shell find web/src -type f 2>/dev/null)

SANDBOX_HOST ?= 127.0.0.1
SANDBOX_PORT ?= 8010
# Rasa must not phone home (no network here, and none wanted): no telemetry, no error reports.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONWARNINGS := ignore
export SANDBOX_HOST SANDBOX_PORT

.PHONY: install preferences web web-install chromium webchat test-web report lock run run-prod bench bench-quick bench-flood compose-check sandbox seed train validate test test-nlu test-stories test-python test-conversations lookups nlu-variations clean

install: $(STAMP)

# Re-runs only when the dependency files change, so a second `make install` takes well under a second.
$(STAMP): requirements.in constraints.txt scripts/find-python.sh
	@if [ ! -x $(PY) ]; then \
	  python_path=$$(scripts/find-python.sh) || exit 1; \
	  echo "Creating $(VENV) with $$python_path"; \
	  "$$python_path" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.in -c constraints.txt
	@touch $(STAMP)

# The site and widget's packages, exactly as web/package-lock.json pins them.
$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $(WEB_STAMP)

web-install: $(WEB_STAMP)

# The demo site and the widget as static files (web/dist), rebuilt when their sources change.
$(WEB_BUILD): $(WEB_STAMP) $(WEB_SOURCES)
	cd web && npx vite build --logLevel warn
	@touch $(WEB_BUILD)

web: $(WEB_BUILD)

# The browser tests drive Debian's Chromium (no browser downloads); installed when missing.
chromium:
	@scripts/ensure-chromium.sh

# The stock rasa-webchat 1.x, for the browser test that the channel still serves sites using Rasa's
# own widget: its lib/index.js is a standalone UMD bundle (React included). Fetched from the npm
# registry when missing, checked against the pinned tarball, unpacked into tests/web/webchat/vendor
# (gitignored); the test itself needs no network.
WEBCHAT_VERSION := 1.0.1
WEBCHAT_SHA256  := cd2a8ee5211df95c626fc78bcf9d7d3a50368eacd43c7154476d29e519d42685
WEBCHAT_DIR     := tests/web/webchat/vendor
WEBCHAT_STAMP   := $(WEBCHAT_DIR)/.rasa-webchat-$(WEBCHAT_VERSION)

$(WEBCHAT_STAMP):
	rm -rf $(WEBCHAT_DIR) && mkdir -p $(WEBCHAT_DIR)
	cd $(WEBCHAT_DIR) && npm pack --silent --loglevel=error rasa-webchat@$(WEBCHAT_VERSION) > /dev/null
	echo "$(WEBCHAT_SHA256)  $(WEBCHAT_DIR)/rasa-webchat-$(WEBCHAT_VERSION).tgz" | sha256sum --check --quiet
	tar -xzf $(WEBCHAT_DIR)/rasa-webchat-$(WEBCHAT_VERSION).tgz -C $(WEBCHAT_DIR) --strip-components=1 \
	  package/lib/index.js package/package.json package/LICENSE package/README.md
	rm $(WEBCHAT_DIR)/rasa-webchat-$(WEBCHAT_VERSION).tgz
	@touch $@

webchat: $(WEBCHAT_STAMP)

# Vitest: the widget's reducers and the components that render cards and buttons.
test-web: $(WEB_STAMP)
	cd web && npx vitest run

# Re-pins every package after requirements.in changed. Commit the new constraints.txt.
lock: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.in
	$(PY) -m pip freeze --exclude-editable | sort -f > constraints.txt
	@touch $(STAMP)

# Trains only when the configuration or training data changed since the last model.
$(MODEL): $(STAMP) $(TRAINING_DATA)
	@mkdir -p models
	/usr/bin/time -f "%e" -o models/current.seconds $(RASA) train --fixed-model-name current --out models
	@echo "training took $$(cat models/current.seconds) s"
	@touch $(MODEL)

# The demo's analytics store: the sandbox seed's customer histories as the events Rasa and the
# channel publish, stored by the analytics consumer's own code (made afresh when any of it changes).
$(DEMO_ANALYTICS): $(STAMP) scripts/seed_analytics.py sandbox/stream.py sandbox/seed.py analytics/ingest.py analytics/schema.py
	@mkdir -p $(@D) && rm -f $@ $@-wal $@-shm
	$(PY) scripts/seed_analytics.py --database sqlite:///$@
	@touch $@

# The preference model (quick replies ranked per customer), learned from an analytics store:
# `make train` uses the demo's; `make preferences` retrains from ANALYTICS_DATABASE_URL when set
# (the production store; the nightly job in docs/preferences.md), else from the demo's.
$(PREFERENCES): $(STAMP) scripts/train_preferences.py $(wildcard preferences/*.py) $(DEMO_ANALYTICS)
	$(PY) scripts/train_preferences.py --database sqlite:///$(DEMO_ANALYTICS) --out $(PREFERENCES)

ifdef ANALYTICS_DATABASE_URL
preferences: install
	$(PY) scripts/train_preferences.py --database "$(ANALYTICS_DATABASE_URL)" --out $(PREFERENCES)
else
preferences: install $(DEMO_ANALYTICS)
	$(PY) scripts/train_preferences.py --database sqlite:///$(DEMO_ANALYTICS) --out $(PREFERENCES)
endif

train: $(MODEL) $(PREFERENCES)

# Regenerate data/lookups/places.yml and data/flights_variations.yml after editing their scripts.
lookups: install
	$(PY) scripts/build_lookups.py

nlu-variations: install
	$(PY) scripts/generate_flight_examples.py

validate: install
	$(RASA) data validate --fail-on-warnings

test-nlu: $(MODEL)
	$(RASA) test nlu --model $(MODEL) --nlu tests/nlu/test_nlu.yml --out results/nlu --successes
	$(PY) scripts/check_nlu.py results/nlu
	$(PY) scripts/check_difficulty.py tests/nlu/difficulty_heldout_2026-11b.yml --floor 0.9

test-stories: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/stories

test-python: $(MODEL) $(PREFERENCES) $(WEB_BUILD) chromium webchat
	$(PY) -m pytest --ignore=tests/conversations

# 200+ multi-turn conversations through the real stack, checked turn by turn; pass rates per kind
# printed and written to results/conversations.json, floors in tests/conversations/floors.yml.
test-conversations: $(MODEL) $(PREFERENCES)
	$(PY) -m pytest tests/conversations

test: install validate compose-check train test-nlu test-stories test-web test-python test-conversations

# Ours against stock Rasa on the same model, same run: bench/results/latest.md, latency.png, README.
bench: install $(MODEL)
	$(PY) bench/run.py

bench-quick: install $(MODEL)
	$(PY) bench/run.py --quick

# Another customer's reply time while 200 sockets flood from one address (about five minutes).
bench-flood: install $(MODEL)
	$(PY) bench/flood.py --diagnose

# For designers and analysts: NLU on the held-out set and by cross-validation, and the test stories,
# in one HTML page (results/report/report.html); headline numbers kept in reports/history.csv.
report: install $(MODEL)
	$(PY) -m report

seed: install
	$(PY) -m sandbox seed

sandbox: install
	$(PY) -m sandbox serve --host $(SANDBOX_HOST) --port $(SANDBOX_PORT)

run: install $(MODEL) $(PREFERENCES) $(WEB_BUILD)
	@scripts/run-local.sh

# The production profile natively: this machine's PostgreSQL, Redis and RabbitMQ, two Rasa instances.
run-prod: install $(MODEL) $(PREFERENCES) $(WEB_BUILD)
	@scripts/run-prod.sh

# docker-compose.yml must stay valid although no Docker engine runs here (Debian's docker-compose
# only reads the file). Dummy secrets: the file refuses to start without every one, and each
# container refuses a short or development value (scripts/secrets_env.py check).
compose-check:
	@command -v docker-compose > /dev/null || (echo "installing Debian's docker-compose to check docker-compose.yml"; \
	  apt-get install -y -qq docker-compose > /dev/null 2>&1 || sudo apt-get install -y -qq docker-compose > /dev/null)
	CHANNEL_JWT_SECRET=check CHANNEL_NOTIFY_SECRET=check TICKET_WEBHOOK_SECRET=check REVIEW_STAFF=check:check \
	  REVIEW_SECRET_KEY=check RASA_API_TOKEN=check ACTION_SERVER_TOKEN=check REST_CHANNEL_TOKEN=check \
	  IDENTITY_PROOF_SECRET=check docker-compose config -q
	@echo "docker-compose.yml is valid"

clean:
	rm -rf $(VENV) var models results .pytest_cache web/node_modules web/dist
