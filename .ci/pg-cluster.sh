#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster for the tests: a fresh data directory in a temp dir,
# a free port on 127.0.0.1, trust auth, superuser `lantu`, database `lantu_test`.
#
#   eval "$(bash .ci/pg-cluster.sh start)"   # prints: export PG_TMP=… TEST_DATABASE_URL=…
#   bash .ci/pg-cluster.sh stop "$PG_TMP"     # stops the server and deletes the directory
#
# stdout carries only the export lines (for eval); progress and errors go to stderr.
# PostgreSQL refuses to run as root: as root, every server command runs as the `postgres` user
# (created by the Debian package), in a temp dir that user owns, from a working directory it can read.
# Override the binaries with PG_BIN and the temp dir's parent with PG_CLUSTER_PARENT (default /tmp,
# which every user can traverse; $TMPDIR may sit under a home that `postgres` cannot enter).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PARENT=${PG_CLUSTER_PARENT:-/tmp}

say() { echo "pg-cluster: $*" >&2; }
die() { say "$*"; exit 1; }

# Run a command as the server's user (postgres when we are root, else ourselves), from $1.
as_server_user() {
	local dir=$1
	shift
	if [ "$(id -u)" = 0 ]; then
		(cd "$dir" && runuser -u postgres -- "$@")
	else
		(cd "$dir" && "$@")
	fi
}

start() {
	[ -x "$PG_BIN/initdb" ] || die "no PostgreSQL at $PG_BIN (apt-get install postgresql-15-postgis-3, or set PG_BIN)"
	[ -f "$PG_BIN/../lib/postgis-3.so" ] || [ -n "$(ls "$PG_BIN"/../lib/postgis-3*.so 2>/dev/null)" ] ||
		say "warning: PostGIS 3 library not found next to $PG_BIN; 'create extension postgis' may fail"
	command -v python3 >/dev/null || die "python3 is needed to pick a free port"
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user (it comes with the postgresql-15 package)"
	fi

	local tmp
	tmp=$(mktemp -d "$PARENT/lantu-pg.XXXXXX")
	# On any failure from here, do not leave a half-started cluster behind.
	trap 'rc=$?; if [ $rc -ne 0 ]; then say "start failed; logs:"; tail -n 30 "$tmp"/*.log >&2 2>/dev/null || true; stop "$tmp" >&2 || true; fi' EXIT
	chmod 755 "$tmp"
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$tmp"
		runuser -u postgres -- test -w "$tmp" ||
			die "user postgres cannot write $tmp (is a parent directory closed to other users? set PG_CLUSTER_PARENT)"
	fi

	as_server_user "$tmp" "$PG_BIN/initdb" -D "$tmp/data" -U lantu --auth=trust -E UTF8 --locale=C.UTF-8 \
		>"$tmp/initdb.log" 2>&1 || die "initdb failed (see above)"

	local port attempt
	for attempt in 1 2 3 4 5; do
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
		# Throwaway data: no fsync, no full-page writes, no synchronous commit.
		if as_server_user "$tmp" "$PG_BIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 start \
			-o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
			>/dev/null; then
			break
		fi
		# Another process may have taken the port between the probe and the start: try another.
		[ "$attempt" = 5 ] && die "the server did not start (see above)"
		say "start on port $port failed, retrying"
	done

	as_server_user "$tmp" "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U lantu lantu_test
	trap - EXIT
	say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $tmp"
	echo "export PG_TMP='$tmp'"
	echo "export TEST_DATABASE_URL='postgres://lantu@127.0.0.1:$port/lantu_test'"
}

stop() {
	local tmp=${1:-${PG_TMP:-}}
	[ -n "$tmp" ] || die "usage: $0 stop <dir printed as PG_TMP>"
	# Only ever delete a directory this script made.
	case "$(basename "$tmp")" in lantu-pg.*) ;; *) die "refusing to remove $tmp: not a lantu-pg.* directory" ;; esac
	[ -d "$tmp" ] || return 0
	if [ -f "$tmp/data/postmaster.pid" ]; then
		as_server_user / "$PG_BIN/pg_ctl" -D "$tmp/data" -m fast -w -t 60 stop >/dev/null ||
			as_server_user / "$PG_BIN/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null || true
	fi
	rm -rf "$tmp"
}

case "${1:-start}" in
start) start ;;
stop) stop "${2:-}" ;;
*) die "usage: $0 start | stop <dir>" ;;
esac
