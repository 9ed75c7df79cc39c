# Sourced by the test-tool scripts, never run. Sets W, the work directory every tool writes to
# (SGW_TEST_TOOLS_DIR, default ~/.cache/sgw-test-tools; nothing is written inside the repository),
# and helpers: log/die on stderr, background processes recorded by PID under $W/pids and stopped by
# that PID only, and waiting for a loopback port.
W=${SGW_TEST_TOOLS_DIR:-${HOME:-/root}/.cache/sgw-test-tools}
export SGW_TEST_TOOLS_DIR=$W
TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$W/bin" "$W/logs" "$W/pids"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# pid_running NAME: the process recorded in $W/pids/NAME.pid is alive
pid_running() {
  local f=$W/pids/$1.pid
  [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

# spawn NAME LOGFILE COMMAND...: runs COMMAND in a session of its own, records its PID
spawn() {
  local name=$1 out=$2
  shift 2
  setsid "$@" </dev/null >"$out" 2>&1 &
  echo $! >"$W/pids/$name.pid"
}

# halt NAME [SECONDS]: SIGTERM to the recorded PID, SIGKILL when it still runs after SECONDS (5)
halt() {
  local f=$W/pids/$1.pid pid n
  if [ -s "$f" ]; then
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for ((n = 0; n < ${2:-5} * 10; n++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      if kill -0 "$pid" 2>/dev/null; then
        log "$1 (pid $pid) still runs after SIGTERM: SIGKILL"
        kill -9 "$pid" 2>/dev/null || true
      fi
    fi
  fi
  rm -f "$f"
}

# listening PORT: something listens on TCP PORT
listening() { ss -Hltn "sport = :$1" | grep -q .; }

# await_port PORT [SECONDS]: waits (20 s) until something listens on TCP PORT
await_port() {
  local n
  for ((n = 0; n < ${2:-20} * 10; n++)); do
    listening "$1" && return 0
    sleep 0.1
  done
  return 1
}
