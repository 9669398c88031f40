#!/usr/bin/env bash
# Set up, start the real services the tests use (PostgreSQL, Chromium), run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
eval "$(bash scripts/services.sh)"
export MERCATO_CHROMIUM=${MERCATO_CHROMIUM:-/usr/bin/chromium}
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
