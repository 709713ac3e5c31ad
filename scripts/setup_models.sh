#!/bin/sh
# Fetches and converts the text-embedding models into the model cache; see scripts/setup_models.py.
set -eu
exec python3 "$(dirname "$0")/setup_models.py" "$@"
