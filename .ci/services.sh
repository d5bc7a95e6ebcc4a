#!/usr/bin/env bash
# CI services for the engine tests: a redis-server on 127.0.0.1, on a free port, with no persistence.
#
#   url=$(.ci/services.sh start)   # installs redis-server from Debian packages if missing, prints its URL
#   CLEANSE_TEST_REDIS_URL="$url" python -m pytest
#   .ci/services.sh stop           # stops the server this script started
#
# Nothing is exported: the caller passes the URL to pytest. Without it the tests start their own
# redis-server from the same binary (tests/engines/conftest.py), or skip with a reason if there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
state_dir="${CLEANSE_SERVICES_DIR:-${TMPDIR:-/tmp}/cleanse-ci-services}"
pid_file="$state_dir/redis.pid"

install_redis() {
    if command -v redis-server >/dev/null 2>&1; then
        return
    fi
    echo "services: installing redis-server" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends redis-server >&2
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    install_redis
    mkdir -p "$state_dir"
    if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
        cat "$state_dir/redis.url"
        return
    fi
    local port
    port=$(free_port)
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
        --pidfile "$pid_file" --dir "$state_dir" --logfile "$state_dir/redis.log" >&2
    for _ in $(seq 1 100); do
        if redis-cli -p "$port" ping >/dev/null 2>&1; then
            echo "redis://127.0.0.1:$port/0" | tee "$state_dir/redis.url"
            return
        fi
        sleep 0.1
    done
    echo "services: redis-server did not answer on port $port; see $state_dir/redis.log" >&2
    exit 1
}

stop() {
    if [ -f "$pid_file" ]; then
        kill "$(cat "$pid_file")" 2>/dev/null || true
        rm -f "$pid_file" "$state_dir/redis.url"
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
