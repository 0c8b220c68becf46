#!/usr/bin/env bash
# Start `make run` on the embedded defaults (no DATABASE_URL, no REDIS_URL), wait for
# GET /health to answer 200, then stop it as Ctrl-C would and check nothing is left running.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${SMOKE_PORT:-8765}"
log="var/smoke-run.log"
mkdir -p var

env -u DATABASE_URL -u REDIS_URL WEB_PORT="$port" setsid make run >"$log" 2>&1 &
leader=$!
stop() { kill -INT -- "-$leader" 2>/dev/null || true; }
trap stop EXIT

status=""
for _ in $(seq 180); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)
  [ "$status" = "200" ] && break
  if ! kill -0 "$leader" 2>/dev/null; then break; fi
  sleep 1
done
if [ "$status" != "200" ]; then
  echo "make run did not become healthy (last status: ${status:-none}); its log:"
  tail -50 "$log"
  exit 1
fi
curl -s "http://127.0.0.1:$port/health"; echo
grep -q "Demo sign-ins" "$log" || { echo "make run did not print the demo sign-ins"; exit 1; }

# Ctrl-C: SIGINT to the whole process group, as a terminal sends it.
stop
trap - EXIT
for _ in $(seq 60); do kill -0 "$leader" 2>/dev/null || break; sleep 1; done
if kill -0 "$leader" 2>/dev/null; then
  echo "make run did not stop within 60 s of Ctrl-C"; tail -30 "$log"; kill -KILL -- "-$leader"; exit 1
fi
if grep -q '^make: \*\*\*' "$log"; then
  echo "make reported an error on Ctrl-C:"; grep '^make: \*\*\*' "$log"; exit 1
fi
if .venv/bin/python -c "import sys; from portal import embedded; sys.exit(0 if embedded.is_running() else 1)"; then
  echo "the embedded PostgreSQL was left running after Ctrl-C"; exit 1
fi
echo "make run: healthy on :$port, stopped cleanly with the embedded database"
