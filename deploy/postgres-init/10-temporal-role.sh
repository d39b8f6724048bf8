#!/bin/sh
# Run once by the postgres image (it runs /docker-entrypoint-initdb.d/ when it initialises an EMPTY data
# directory; a volume that already holds a cluster skips it: docs/security.md, "Least privilege", says how to move
# a stack created before this script existed).
#
# Creates the role Temporal's server logs in with, and the two databases it uses, owned by that role. The role can
# create and migrate Temporal's own tables and nothing else: no superuser, cannot create roles or databases
# (the temporal service runs auto-setup with SKIP_DB_CREATE=true), no replication. It never learns the
# administrator's password (POSTGRES_PASSWORD), which only the postgresql container has.
#
# The names must match the temporal service in docker-compose.yml (POSTGRES_USER, DBNAME, VISIBILITY_DBNAME);
# test/devstack/compose-file.test.ts checks that they do.
#
# The entrypoint sources this file instead of running it when it is not executable, so: no `exit`, no `set -u`.
set -e

if [ -z "${TEMPORAL_DB_PASSWORD:-}" ]; then
  echo "postgres-init: TEMPORAL_DB_PASSWORD is not set; Temporal's database role needs its own password" >&2
  false
fi

# During initialisation the server listens on its Unix socket only, where the image trusts local connections.
# \getenv reads the password inside psql: it appears on no command line, and :'...' quotes it as a literal.
psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER" --dbname postgres <<'SQL'
\getenv temporal_db_password TEMPORAL_DB_PASSWORD
CREATE ROLE temporal LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'temporal_db_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
-- Only their owner (and the administrator) may connect to them.
REVOKE ALL ON DATABASE temporal, temporal_visibility FROM PUBLIC;
-- Temporal's visibility schema uses btree_gin; the administrator creates it, so the role needs no more rights.
\connect temporal_visibility
CREATE EXTENSION IF NOT EXISTS btree_gin;
SQL
