#!/bin/sh
# Fetches and converts the text-embedding models into the model cache; see scripts/setup_models.py.
# The conversion reads the GloVe matrix with NumPy and its vocabulary with pyarrow: installed here if missing.
set -eu
if ! python3 -c "import numpy, pyarrow" 2>/dev/null; then
    python3 -m pip install -q numpy pyarrow
fi
exec python3 "$(dirname "$0")/setup_models.py" "$@"
