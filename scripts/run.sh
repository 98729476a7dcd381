#!/usr/bin/env bash
# Start the action server, Rasa and the web page on loopback, and keep them running
# until Ctrl-C. Called by `make run` after set-up, seeding and training.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/lib.sh
LOG_HINT=var/log/

mkdir -p var/log
pids=()
stop() {
  echo; echo "stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM


# Conversations stored under ids from before each channel had its own (telegram:…, slack:…, web:…) move to them.
.venv/bin/knotcare migrate-ids --slack-team "${KNOTCARE_SLACK_TEAM:-}" 2>> var/log/migrate.log
.venv/bin/knotcare forget-pending 2>> var/log/migrate.log

# The action server and Rasa start side by side (Rasa's model load is the long part); Rasa only calls the
# action server once a message comes, and both answer before the page says it is ready.
echo "starting the action server on $ACTIONS_HOST:$ACTIONS_PORT ..."
.venv/bin/knotcare actions --host "$ACTIONS_HOST" --port "$ACTIONS_PORT" > var/log/actions.log 2>&1 &
pids+=($!)
actions_pid=$!

echo "starting Rasa on $RASA_HOST:$RASA_PORT ..."
.venv/bin/rasa run --model models/knotcare.tar.gz --enable-api --auth-token "$RASA_AUTH_TOKEN" \
  --interface "$RASA_HOST" --port "$RASA_PORT" --cors "$WEB_ORIGIN" \
  --credentials "${RASA_CREDENTIALS:-credentials.yml}" --endpoints endpoints.yml > var/log/rasa.log 2>&1 &
pids+=($!)
wait_for "action server" "http://$ACTIONS_HOST:$ACTIONS_PORT/health" 60 "$actions_pid"
wait_for "Rasa" "http://$RASA_HOST:$RASA_PORT/" 180 "${pids[-1]}"

echo "starting the web page on $WEB_HOST:$WEB_PORT ..."
.venv/bin/knotcare web serve --host "$WEB_HOST" --port "$WEB_PORT" > var/log/web.log 2>&1 &
pids+=($!)
wait_for "web page" "http://$WEB_HOST:$WEB_PORT/" 20 "${pids[-1]}"

cat <<MSG

Knotcare is running. Talk to it:
  - in a browser:  http://localhost:$WEB_PORT/
  - over REST:     curl -s -XPOST http://$RASA_HOST:$RASA_PORT/webhooks/rest/webhook \\
                     -H 'Content-Type: application/json' -d '{"sender":"me","message":"knot in my neck"}'
  - the tracker:   curl -s "http://$RASA_HOST:$RASA_PORT/conversations/me/tracker?token=\$(cat var/rasa-auth-token)"
Logs are in var/log/. Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
echo "a process stopped; see var/log/" >&2
exit 1
