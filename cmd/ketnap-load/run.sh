#!/usr/bin/env bash
# Measures the dashboard's request mix against one PostgreSQL primary and one
# streaming replica, with 1 and then 2 ketnap API processes (reads on the
# replica, round robin between the processes), with the answer cache on (the
# default) and off (every request computed). Run from the repository root:
#
#   cmd/ketnap-load/run.sh            # SCALE=M DURATION=20s CONCURRENCY=8
#
# Everything is throwaway, on loopback, under a temp dir; the servers run as
# dbtest starts them (fsync off, synchronous_commit off). Prints one line a
# run; BENCHMARKS.md records them with the machine.
set -euo pipefail
SCALE=${SCALE:-M}
DURATION=${DURATION:-20s}
CONCURRENCY=${CONCURRENCY:-8}
PGBIN=${PGBIN:-$(dirname "$(readlink -f "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")")}

work=$(mktemp -d /tmp/ketnap-load-XXXXXX)
chmod 755 "$work"
pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$work"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for d in s p; do [ -d "$work/$d" ] && pg "$PGBIN/pg_ctl" -D "$work/$d" -m fast -w stop >/dev/null 2>&1 || true; done
	rm -rf "$work"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
startpg() { # dir port
	pg "$PGBIN/pg_ctl" -D "$work/$1" -l "$work/$1.log" -w start -o \
		"-p $2 -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" >/dev/null
}

go build -o "$work/ketnap" ./cmd/ketnap
go build -o "$work/ketnap-load" ./cmd/ketnap-load

P1=$(port)
pg "$PGBIN/initdb" -D "$work/p" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
echo "host replication postgres 127.0.0.1/32 trust" >>"$work/p/pg_hba.conf"
startpg p "$P1"
PRIMARY="postgres://postgres@127.0.0.1:$P1/ketnap?sslmode=disable"
pg "$PGBIN/createdb" -h 127.0.0.1 -p "$P1" -U postgres ketnap
"$work/ketnap" migrate --db "$PRIMARY" >/dev/null 2>&1
/usr/bin/time -f "seeded scale $SCALE in %e s" "$work/ketnap" seed synthetic --scale "$SCALE" --seed 1 --db "$PRIMARY" >/dev/null
export KETNAP_LOAD_PASSWORD=bench-password-2026
echo "$KETNAP_LOAD_PASSWORD" | "$work/ketnap" user add --username bench --role ADMIN --password-stdin --db "$PRIMARY" >/dev/null

P2=$(port)
pg "$PGBIN/pg_basebackup" -D "$work/s" -R -X stream -h 127.0.0.1 -p "$P1" -U postgres --no-sync
startpg s "$P2"
REPLICA="postgres://postgres@127.0.0.1:$P2/ketnap?sslmode=disable"

echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for cache in on off; do
	for n in 1 2; do
		urls=()
		pids=()
		for i in $(seq "$n"); do
			a=$(port)
			flags=()
			[ "$cache" = off ] && flags=(--answer-cache-mb 0)
			"$work/ketnap" serve --db "$PRIMARY" --db-replica "$REPLICA" --addr "127.0.0.1:$a" --log-level warn "${flags[@]}" \
				>"$work/serve-$i.log" 2>&1 &
			pids+=($!)
			urls+=("http://127.0.0.1:$a")
		done
		for u in "${urls[@]}"; do
			for _ in $(seq 100); do curl -sf "$u/readyz" >/dev/null && break; sleep 0.1; done
		done
		printf 'cache %-3s ' "$cache"
		"$work/ketnap-load" --urls "$(IFS=,; echo "${urls[*]}")" --concurrency "$CONCURRENCY" --duration "$DURATION"
		for p in "${pids[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done
		pids=()
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
