#!/bin/bash
# PostgreSQL's first start in docker-compose.yml (docker-entrypoint-initdb.d): one database per
# service, each owned by its own role, so that a service can reach only its own data. Flyway in
# each service creates the tables. The passwords come from the environment (.env); psql variables
# quote them, so any character is safe.
set -euo pipefail
for service in auth device event; do
  var="${service^^}_DB_PASSWORD"
  password="${!var:?${var} is not set (see .env.example)}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v role="pocketbridge_${service}" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
