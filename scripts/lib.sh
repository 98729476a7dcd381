# Shell helpers shared by the start scripts (run.sh, scale.sh). Source it after env.sh.

# wait_for NAME URL SECONDS PID: poll URL until it answers; fail early if PID died. $LOG_HINT says where logs are.
wait_for() {
  local name=$1 url=$2 limit=$3 pid=$4
  for _ in $(seq "$limit"); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then echo "  $name is up: $url"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "  $name stopped; see ${LOG_HINT:-var/log/}" >&2; return 1; fi
    sleep 1
  done
  echo "  $name did not answer within ${limit}s; see ${LOG_HINT:-var/log/}" >&2; return 1
}
