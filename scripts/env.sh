# Shared environment for make targets and scripts (sourced, not run).
export RASA_TELEMETRY_ENABLED=false        # no telemetry from a health assistant
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export RASA_HOST=${RASA_HOST:-127.0.0.1}
export RASA_PORT=${RASA_PORT:-5005}
export ACTIONS_HOST=${ACTIONS_HOST:-127.0.0.1}
export ACTIONS_PORT=${ACTIONS_PORT:-5055}
export WEB_HOST=${WEB_HOST:-127.0.0.1}
export WEB_PORT=${WEB_PORT:-8080}
export WEB_ORIGIN=${WEB_ORIGIN:-http://localhost:$WEB_PORT}
mkdir -p var
# The HTTP API token: $RASA_AUTH_TOKEN, else a random one made once and kept in var/.
if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  [ -s var/rasa-auth-token ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > var/rasa-auth-token)
  RASA_AUTH_TOKEN=$(cat var/rasa-auth-token)
fi
export RASA_AUTH_TOKEN
# The REST token callers behind a proxy (scale mode's nginx) show: $KNOTCARE_REST_TOKEN, else one kept in var/.
if [ -z "${KNOTCARE_REST_TOKEN:-}" ]; then
  [ -s var/rest-token ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > var/rest-token)
  KNOTCARE_REST_TOKEN=$(cat var/rest-token)
fi
export KNOTCARE_REST_TOKEN
# The secret Rasa shows the action server (endpoints.yml sends it; actions/server.py checks it).
if [ -z "${KNOTCARE_ACTIONS_TOKEN:-}" ]; then
  [ -s var/actions-token ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > var/actions-token)
  KNOTCARE_ACTIONS_TOKEN=$(cat var/actions-token)
fi
export KNOTCARE_ACTIONS_TOKEN
