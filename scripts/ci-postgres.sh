#!/usr/bin/env bash
# Start a PostgreSQL server for the store tests and print the URL to export as
# ZOPA_TEST_POSTGRES_URL. Debian, as root: installs PostgreSQL with apt-get if it is not
# there, creates (or starts) a cluster, and creates a login role `zopa` (password
# `zopa`, allowed to create databases: each test makes and drops its own, and a member
# of pg_signal_backend so that dropping one can end an autovacuum worker on it) and a
# database `zopa_test`. Safe to run twice. Progress goes to stderr; only the URL to stdout.
#
#   export ZOPA_TEST_POSTGRES_URL="$(bash scripts/ci-postgres.sh)"
set -euo pipefail

log() { echo "ci-postgres: $*" >&2; }

if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed"; then
    log "installing PostgreSQL with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
fi

version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
[ -n "$version" ] || { log "no PostgreSQL server found under /usr/lib/postgresql"; exit 1; }
if ! pg_lsclusters --no-header | awk '{print $1" "$2}' | grep -qx "$version main"; then
    log "creating cluster $version/main"
    pg_createcluster "$version" main >&2
fi
port="$(pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"
if ! pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' \
        | grep -q online; then
    log "starting cluster $version/main on port $port"
    pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || { log "PostgreSQL did not become ready"; exit 1; }

psql_admin() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -q -p "$port" -d postgres "$@"; }
psql_admin >&2 <<'SQL'
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zopa') THEN
        CREATE ROLE zopa LOGIN PASSWORD 'zopa' CREATEDB;
    ELSE
        ALTER ROLE zopa LOGIN PASSWORD 'zopa' CREATEDB;
    END IF;
END $$;
-- DROP DATABASE ... WITH (FORCE) may have to end an autovacuum worker on a test database
GRANT pg_signal_backend TO zopa;
SQL
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'zopa_test'")" != 1 ]; then
    psql_admin -c "CREATE DATABASE zopa_test OWNER zopa" >&2
fi
log "PostgreSQL $version ready on 127.0.0.1:$port"
echo "postgresql+psycopg://zopa:zopa@127.0.0.1:${port}/zopa_test"
