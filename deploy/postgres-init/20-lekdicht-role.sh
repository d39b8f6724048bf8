#!/bin/sh
# Run once by the postgres image after 10-temporal-role.sh (it runs /docker-entrypoint-initdb.d/ in name order when
# it initialises an EMPTY data directory; a volume that already holds a cluster skips it: docs/security.md,
# "Moving an existing database volume", says how to add this role to such a volume).
#
# Creates the role lekdicht's worker and HTTP service log in with, and the one database that holds lekdicht's three
# stores (the art. 33(5) register, the people's passwords and sessions, the intake's replay cache and rate limits),
# owned by that role. The role creates and migrates its own tables at start-up and can do nothing else: no
# superuser, cannot create roles or databases, no replication, and it cannot connect to Temporal's databases
# (10-temporal-role.sh closed them to PUBLIC). It never learns the administrator's password or Temporal's.
#
# The names must match LEKDICHT_DATABASE_URL of the worker and http services in docker-compose.yml;
# test/devstack/compose-file.test.ts checks that they do, and test/devstack/postgres-init.test.ts runs this script
# against a real PostgreSQL and opens the stores as this role.
#
# The entrypoint sources this file instead of running it when it is not executable, so: no `exit`, no `set -u`.
set -e

if [ -z "${LEKDICHT_DB_PASSWORD:-}" ]; then
  echo "postgres-init: LEKDICHT_DB_PASSWORD is not set; lekdicht's database role needs its own password" >&2
  false
fi

# As in 10-temporal-role.sh: the Unix socket during initialisation, and the password read by psql's \getenv, so it
# appears on no command line and :'...' quotes it as a literal.
psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER" --dbname postgres <<'SQL'
\getenv lekdicht_db_password LEKDICHT_DB_PASSWORD
CREATE ROLE lekdicht LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'lekdicht_db_password';
-- Its owner may create tables in its public schema (PostgreSQL 15 gives that right to the database owner only).
CREATE DATABASE lekdicht OWNER lekdicht;
-- Only its owner (and the administrator) may connect: not Temporal's role.
REVOKE ALL ON DATABASE lekdicht FROM PUBLIC;
SQL
