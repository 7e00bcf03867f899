#!/usr/bin/env bash
# Takes an online physical base backup of a running PostgreSQL cluster with PostgreSQL's low-level
# backup API (pg_backup_start / pg_backup_stop), while it keeps serving writes: a copy of the data
# directory, its backup_label, and the write-ahead log written during the copy. Restoring it is
# starting PostgreSQL on it (restore-drill.sh does that and checks the result).
#
# For a PostgreSQL on one host that this script can read the data directory of: the run command's,
# a VM's, a Compose volume. For managed or Kubernetes PostgreSQL use the platform's backups or
# pg_basebackup of the server's major version; see docs/backup-and-restore.md.
#
# usage: pg-backup.sh --pgdata DIR --out DIR [--host HOST] [--port PORT] [--user USER]
#   --pgdata  the cluster's data directory (read while the server runs)
#   --out     where the backup goes; must not exist yet
#   --host/--port/--user  how psql reaches the server (defaults 127.0.0.1, 5432, postgres;
#             the password from PGPASSWORD or ~/.pgpass)
# Needs psql (any version that can talk to the server) and tar.
set -euo pipefail

host=127.0.0.1 port=5432 user=postgres pgdata= out=
while [ $# -gt 0 ]; do
  case "$1" in
    --pgdata) pgdata=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --user) user=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pg-backup: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$pgdata" ] || [ -z "$out" ]; then
  echo "pg-backup: --pgdata and --out are required (see --help)" >&2
  exit 2
fi
if [ ! -f "$pgdata/PG_VERSION" ]; then
  echo "pg-backup: $pgdata is not a PostgreSQL data directory (no PG_VERSION)" >&2
  exit 1
fi
if [ -e "$out" ]; then
  echo "pg-backup: $out exists already; give a new directory" >&2
  exit 1
fi
command -v psql >/dev/null || { echo "pg-backup: psql not found (Debian: apt-get install postgresql-client)" >&2; exit 1; }

mkdir -p "$out"
chmod 700 "$out"
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)

tablespaces=$(psql -X -A -t -h "$host" -p "$port" -U "$user" -d postgres \
  -c "SELECT count(*) FROM pg_tablespace WHERE spcname NOT IN ('pg_default', 'pg_global')")
if [ "$tablespaces" != 0 ]; then
  echo "pg-backup: the cluster has tablespaces of its own; back it up with pg_basebackup instead" >&2
  exit 1
fi

# One psql session from start to stop: the backup belongs to the session that started it. The copy
# runs inside it (\!) and skips what a backup must not carry (the server's pid file, WAL, which is
# copied after the stop, and scratch directories), as PostgreSQL's manual lists them.
psql -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "$user" -d postgres <<SQL
\pset tuples_only on
\pset format unaligned
\o /dev/null
SELECT pg_backup_start('pocketbridge $start', true);
\! tar -C '$pgdata' --exclude=./postmaster.pid --exclude=./postmaster.opts --exclude='./pg_wal/*' --exclude='./pg_replslot/*' --exclude='./pg_stat_tmp/*' --exclude='./pg_dynshmem/*' --exclude='./pg_notify/*' --exclude='./pg_serial/*' --exclude='./pg_snapshots/*' --exclude='./pg_subtrans/*' --exclude='./log/*' --warning=no-file-changed --warning=no-file-removed -cf - . | tar -C '$out' -xf -
\o
SELECT labelfile FROM pg_backup_stop(false) \g '$out/backup_label'
SQL

# The WAL from the backup's start to its stop (and whatever followed): without it the copy is not
# consistent. Recovery replays it when the backup is started.
mkdir -p "$out/pg_wal/archive_status"
find "$pgdata/pg_wal" -maxdepth 1 -type f -name '[0-9A-F]*' -exec cp -p {} "$out/pg_wal/" \;
echo "pg-backup: backup of $pgdata taken in $out (started $start, $(du -sh "$out" | cut -f1))"
