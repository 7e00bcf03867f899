#!/usr/bin/env bash
# Restore drill: proves that a backup of PocketBridge's PostgreSQL restores into a working
# database. It copies the backup (a physical base backup: pg-backup.sh's, or pg_basebackup's plain
# format with its WAL) into a scratch directory, starts a PostgreSQL of the same major version on it
# on a loopback port of its own (recovery replays the WAL), and checks every PocketBridge database:
#   - every Flyway migration recorded there succeeded (the services will start on it);
#   - every table can be read in full (row counts go to the report);
#   - the event log's own rules hold: no event above its user's head, heads and positions agree.
# The live server is never touched. Then it stops the scratch server and removes its copy.
#
# usage: restore-drill.sh --backup DIR --bin-dir DIR [--port PORT] [--report FILE] [--keep-running]
#   --backup        the backup to restore (left as it is)
#   --bin-dir       the PostgreSQL server binaries (pg_ctl, postgres) of the backup's major version
#   --port          the scratch server's port (default 55439)
#   --report        where to write the report (tab-separated: database, table, rows; then checks)
#   --keep-running  leave the scratch server running for more checks; it prints the data directory,
#                   and `restore-drill.sh --stop DIR` stops it and removes the copy
# Needs psql (any version that can talk to the server). Exit status 0 only if every check passed.
set -euo pipefail

backup= bin= port=55439 report= keep=false stop=
while [ $# -gt 0 ]; do
  case "$1" in
    --backup) backup=$2; shift 2 ;;
    --bin-dir) bin=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --report) report=$2; shift 2 ;;
    --keep-running) keep=true; shift ;;
    --stop) stop=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "restore-drill: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# PostgreSQL refuses to run as root; as root, run it in a user namespace where it is not (as the
# embedded PostgreSQL of the run command does).
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    unshare -U "$@"
  else
    "$@"
  fi
}

stop_scratch() { # $1: the scratch directory
  local scratch=$1 pg_ctl
  pg_ctl=$(cat "$scratch/pg_ctl.path" 2>/dev/null || true)
  if [ -n "$pg_ctl" ] && [ -f "$scratch/data/postmaster.pid" ]; then
    as_server_user "$pg_ctl" -D "$scratch/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$scratch"
}

if [ -n "$stop" ]; then
  stop_scratch "$stop"
  echo "restore-drill: stopped and removed $stop"
  exit 0
fi
if [ -z "$backup" ] || [ -z "$bin" ]; then
  echo "restore-drill: --backup and --bin-dir are required (see --help)" >&2
  exit 2
fi
[ -f "$backup/PG_VERSION" ] || { echo "restore-drill: $backup is not a base backup (no PG_VERSION)" >&2; exit 1; }
[ -x "$bin/pg_ctl" ] || { echo "restore-drill: no pg_ctl in $bin" >&2; exit 1; }
command -v psql >/dev/null || { echo "restore-drill: psql not found (Debian: apt-get install postgresql-client)" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/pocketbridge-restore-drill.XXXXXX")
echo "$bin/pg_ctl" > "$scratch/pg_ctl.path"
if [ "$keep" != true ]; then
  trap 'stop_scratch "$scratch"' EXIT
fi
cp -a "$backup" "$scratch/data"
chmod 700 "$scratch/data"
started=$(date +%s)
# Loopback only, its own socket directory, no archiving: the copy must never reach anything live.
as_server_user "$bin/pg_ctl" -D "$scratch/data" -l "$scratch/server.log" -w -t 300 \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$scratch -c archive_mode=off" start >/dev/null \
  || { echo "restore-drill: the restored server did not start; its log:" >&2; tail -n 30 "$scratch/server.log" >&2; exit 1; }

sql() { # $1: database, $2: statement; prints unaligned tuples
  PGCONNECT_TIMEOUT=10 psql -X -A -t -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$1" -c "$2"
}

out=$(mktemp)
failed=0
check() { # $1: description, $2: database, $3: query that returns 0 when the check holds
  local got
  got=$(sql "$2" "$3")
  if [ "$got" = 0 ]; then
    printf 'check\t%s\t%s\tok\n' "$2" "$1" >> "$out"
  else
    printf 'check\t%s\t%s\tFAILED (%s)\n' "$2" "$1" "$got" >> "$out"
    failed=1
  fi
}

databases=$(sql postgres "SELECT datname FROM pg_database WHERE datname LIKE 'pocketbridge%' ORDER BY datname")
if [ -z "$databases" ]; then
  echo "restore-drill: the backup holds no pocketbridge* database" >&2
  exit 1
fi
for db in $databases; do
  check "every Flyway migration succeeded" "$db" \
    "SELECT count(*) FROM flyway_schema_history WHERE NOT success"
  printf 'migration\t%s\t%s\n' "$db" "$(sql "$db" "SELECT max(version::int) FROM flyway_schema_history WHERE version IS NOT NULL")" >> "$out"
  for table in $(sql "$db" "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"); do
    printf 'rows\t%s\t%s\t%s\n' "$db" "$table" "$(sql "$db" "SELECT count(*) FROM \"$table\"")" >> "$out"
  done
  if [ "$(sql "$db" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'user_logs'")" = 1 ]; then
    check "no event above its user's head" "$db" \
      "SELECT count(*) FROM events e LEFT JOIN user_logs h ON h.user_id = e.user_id WHERE h.user_id IS NULL OR e.seq > h.head_seq"
    check "no stream position above its stream's head" "$db" \
      "SELECT count(*) FROM events e JOIN stream_heads s ON s.user_id = e.user_id AND s.stream_id = e.stream_id WHERE e.stream_seq > s.head_stream_seq"
    check "no device acknowledged beyond its user's head" "$db" \
      "SELECT count(*) FROM device_cursors c JOIN user_logs h ON h.user_id = c.user_id WHERE c.last_acked_seq > h.head_seq"
  fi
done
printf 'restored\t%s s\n' "$(( $(date +%s) - started ))" >> "$out"

if [ -n "$report" ]; then
  cp "$out" "$report"
fi
cat "$out"
rm -f "$out"
if [ "$keep" = true ]; then
  echo "restore-drill: scratch server running on 127.0.0.1:$port; stop it with: $0 --stop $scratch"
  echo "scratch=$scratch"
fi
if [ "$failed" -ne 0 ]; then
  echo "restore-drill: FAILED" >&2
  exit 1
fi
echo "restore-drill: passed"
