#!/usr/bin/env bash
# Set up Mercato in .venv/ from the hash-pinned lock file (PyPI only).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  for cand in python3.13 python3.12 python3.11; do command -v "$cand" >/dev/null && PY=$cand && break; done
fi
if ! "$PY" -c 'import ensurepip' >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  # Debian splits venv/ensurepip out of the interpreter package
  ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python$ver-venv" || \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
fi
# a half-made .venv (an earlier failed attempt) is made again
.venv/bin/python -m pip --version >/dev/null 2>&1 || { rm -rf .venv; "$PY" -m venv .venv; }
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
echo "Mercato is installed: .venv/bin/mercato"
