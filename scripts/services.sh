#!/usr/bin/env bash
# Install (Debian packages) and start what the test suite uses for real: PostgreSQL on loopback,
# and Chromium for the dashboard's browser tests. Prints the export line for the PostgreSQL URL.
set -euo pipefail
need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$ver main"; then pg_createcluster "$ver" main >&2; fi
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$ver" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='mercato'\"" | grep -q 1 \
  || su postgres -c "psql -q -p $port -c \"CREATE ROLE mercato LOGIN SUPERUSER PASSWORD 'mercato'\"" >&2
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname='mercato'\"" | grep -q 1 \
  || su postgres -c "createdb -p $port -O mercato mercato" >&2
echo "export MERCATO_TEST_PG_URL=postgresql+psycopg://mercato:mercato@127.0.0.1:$port/mercato"
