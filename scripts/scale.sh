#!/usr/bin/env bash
# Scale mode: two Rasa instances and two action servers behind nginx, on loopback.
# Tracker store and knowledge base in PostgreSQL ($DATABASE_URL), lock store in Redis.
# Called by `make scale` after set-up and training. Ctrl-C (or SIGTERM) stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/lib.sh

export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/knotcare}
export REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379} REDIS_DB=${REDIS_DB:-1}
# Slack and Telegram retries answered once across the instances (channels/dedupe.py), beside the locks.
export KNOTCARE_DEDUPE_REDIS_URL=${KNOTCARE_DEDUPE_REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB}
export KNOTCARE_LIMITS_REDIS_URL=${KNOTCARE_LIMITS_REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB}
RASA_PORTS=(${SCALE_RASA_PORTS:-5101 5102})
# `knotcare web serve` behind nginx's chat-page server (the page's CSP and its config.js pointing at nginx).
WEB_APP_PORT=${SCALE_WEB_APP_PORT:-5180}
ACTION_PORTS=(${SCALE_ACTION_PORTS:-5151 5152})
RUN=${SCALE_RUN_DIR:-$PWD/var/scale}
LOG_HINT=$RUN/log/
mkdir -p "$RUN/log" "$RUN/nginx/tmp"
: > "$RUN/pids"
rm -f "$RUN/ready"

# nginx: the Debian package, run as our own process with our own config.
NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
if [ -z "$NGINX" ]; then
  echo "installing nginx (apt-get) ..."
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq nginx >/dev/null; fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

pids=()
stop() {
  trap - EXIT INT TERM
  echo; echo "stopping scale mode ..."
  rm -f "$RUN/ready"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM


# The nginx config from deploy/nginx.conf.template.
real_ip=""
if [ -n "${SCALE_TRUSTED_PROXY:-}" ]; then
  real_ip="    set_real_ip_from $SCALE_TRUSTED_PROXY; real_ip_header X-Forwarded-For; real_ip_recursive on;"
fi
servers() { for port in "$@"; do printf '        server 127.0.0.1:%s max_fails=2 fail_timeout=5s;\\n' "$port"; done; }
user_line=""; [ "$(id -u)" = 0 ] && user_line="user root;"
exempt='127.0.0.1 1;'; [ "${SCALE_LIMIT_LOOPBACK:-0}" = 1 ] && exempt=''
sed -e "s|@RUN@|$RUN/nginx|g" -e "s|@USER_LINE@|$user_line|" -e "s|@HOST@|$RASA_HOST|g" \
    -e "s|@RASA_PORT@|$RASA_PORT|g" -e "s|@ACTIONS_PORT@|$ACTIONS_PORT|g" -e "s|@WEB_PORT@|$WEB_PORT|g" \
    -e "s|@WEB_APP_PORT@|$WEB_APP_PORT|g" -e "s|@WEB_ORIGIN@|$WEB_ORIGIN|g" -e "s|@REAL_IP@|$real_ip|" -e "s|@EXEMPT@|$exempt|" \
    -e "s|@MAX_BODY@|${SCALE_MAX_BODY:-64k}|g" -e "s|@RATE@|${SCALE_RATE:-10r/s}|g" -e "s|@BURST@|${SCALE_BURST:-20}|g" \
    -e "s|@RASA_SERVERS@|$(servers "${RASA_PORTS[@]}")|" -e "s|@ACTION_SERVERS@|$(servers "${ACTION_PORTS[@]}")|" \
    deploy/nginx.conf.template > "$RUN/nginx/nginx.conf"
"$NGINX" -t -q -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf"
if [ "${SCALE_CONFIG_ONLY:-0}" = 1 ]; then echo "nginx config: $RUN/nginx/nginx.conf (checked)"; exit 0; fi

# The database (created when missing), pool sizes that fit max_connections, the endpoints file.
.venv/bin/python - "$RUN" "${#RASA_PORTS[@]}" "${#ACTION_PORTS[@]}" <<'PY'
import os, sys
import psycopg2, yaml
from psycopg2 import sql
from sqlalchemy.engine import make_url

run, rasa_count, action_count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
url = make_url(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1))
admin = psycopg2.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                         dbname="postgres", connect_timeout=5)
admin.autocommit = True
with admin.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,))
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(url.database)))
        print(f"  created database {url.database}")
    cursor.execute("SHOW max_connections")
    max_connections = int(cursor.fetchone()[0])
admin.close()
# Each action server's knowledge base: SQLAlchemy's default pool, 5 + 10 overflow.
# Keep 10 for admin tools and the retention job; the rest is shared by the Rasa instances.
budget = max_connections - 10 - action_count * 15
per_rasa = max(4, budget // rasa_count)
pool = min(20, per_rasa // 2)
overflow = min(20, per_rasa - pool)
with open(f"{run}/pool.env", "w") as out:
    out.write(f"export SQL_POOL_SIZE={pool} SQL_MAX_OVERFLOW={overflow}\n")
print(f"  PostgreSQL max_connections={max_connections}: each Rasa pool {pool} + {overflow} overflow, "
      f"each action server 5 + 10: at most {rasa_count * (pool + overflow) + action_count * 15} connections")
tracker = {"type": "stores.tracker.ForgetfulSQLTrackerStore", "dialect": url.drivername.split("+")[0],
           "url": url.host or "127.0.0.1", "port": url.port or 5432, "db": url.database}
if url.username:
    tracker["username"] = url.username
if url.password:
    tracker["password"] = "${KNOTCARE_DB_PASSWORD}"  # read from the environment, not written to disk
endpoints = {
    "action_endpoint": {"url": f"http://127.0.0.1:{os.environ['ACTIONS_PORT']}/webhook",
                        "enable_selective_domain": True,
                        # the action servers answer only Rasa; Rasa reads the secret from the environment
                        "headers": {"Authorization": "Bearer ${KNOTCARE_ACTIONS_TOKEN}"}},
    "tracker_store": tracker,
    "lock_store": {"type": "stores.redis_lock.AtomicRedisLockStore", "url": os.environ["REDIS_HOST"],
                   "port": int(os.environ["REDIS_PORT"]), "db": int(os.environ["REDIS_DB"]),
                   "key_prefix": os.environ.get("SCALE_LOCK_PREFIX", "knotcare")},
}
with open(f"{run}/endpoints.yml", "w") as out:
    yaml.safe_dump(endpoints, out, sort_keys=False)
PY
source "$RUN/pool.env"
export KNOTCARE_DB_PASSWORD=$(.venv/bin/python -c 'import os; from sqlalchemy.engine import make_url; print(make_url(os.environ["DATABASE_URL"]).password or "")')

echo "seeding the knowledge base in PostgreSQL (if needed) ..."
.venv/bin/knotcare db seed --if-needed

echo "starting ${#ACTION_PORTS[@]} action servers and ${#RASA_PORTS[@]} Rasa instances ..."
for port in "${ACTION_PORTS[@]}"; do
  .venv/bin/knotcare actions --host 127.0.0.1 --port "$port" > "$RUN/log/actions-$port.log" 2>&1 &
  pids+=($!); echo "actions-$port ${pids[-1]}" >> "$RUN/pids"
done
for port in "${RASA_PORTS[@]}"; do
  .venv/bin/rasa run --model models/knotcare.tar.gz --enable-api --auth-token "$RASA_AUTH_TOKEN" \
    --interface 127.0.0.1 --port "$port" --cors "$WEB_ORIGIN" \
    --credentials credentials.yml --endpoints "$RUN/endpoints.yml" > "$RUN/log/rasa-$port.log" 2>&1 &
  pids+=($!); echo "rasa-$port ${pids[-1]}" >> "$RUN/pids"
done

.venv/bin/knotcare web serve --host 127.0.0.1 --port "$WEB_APP_PORT" > "$RUN/log/web.log" 2>&1 &
pids+=($!); echo "web ${pids[-1]}" >> "$RUN/pids"

"$NGINX" -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!); echo "nginx ${pids[-1]}" >> "$RUN/pids"

for i in "${!ACTION_PORTS[@]}"; do
  wait_for "action server ${ACTION_PORTS[$i]}" "http://127.0.0.1:${ACTION_PORTS[$i]}/health" 90 "${pids[$i]}"
done
for i in "${!RASA_PORTS[@]}"; do
  wait_for "Rasa ${RASA_PORTS[$i]}" "http://127.0.0.1:${RASA_PORTS[$i]}/" 300 "${pids[$((i + ${#ACTION_PORTS[@]}))]}"
done
wait_for "nginx" "http://$RASA_HOST:$RASA_PORT/" 20 "${pids[-1]}"
touch "$RUN/ready"

cat <<MSG

Knotcare scale mode is running: nginx on $RASA_HOST:$RASA_PORT in front of Rasa on ${RASA_PORTS[*]}
(action servers ${ACTION_PORTS[*]} behind 127.0.0.1:$ACTIONS_PORT), PostgreSQL at $(.venv/bin/python -c 'import os; from sqlalchemy.engine import make_url; print(make_url(os.environ["DATABASE_URL"]).render_as_string(hide_password=True))'),
Redis lock store at $REDIS_HOST:$REDIS_PORT/$REDIS_DB. Chat page: http://localhost:$WEB_PORT/
Logs in $RUN/log and $RUN/nginx. Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
echo "a process stopped; see $RUN/log/" >&2
exit 1
