#!/usr/bin/env bash
# Set up Mercato in .venv/ from the hash-pinned lock file (PyPI only).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  for cand in python3.13 python3.12 python3.11; do command -v "$cand" >/dev/null && PY=$cand && break; done
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
echo "Mercato is installed: .venv/bin/mercato"
