#!/usr/bin/env bash
# Fresh machine to search page in one command: installs the C libraries, builds in release mode,
# runs the demo pipeline (scan -> sample -> caption -> build) over demo/ and serves the search page.
# Extra arguments go to `imgrec demo` (for example --port 9000).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
swift build -c release --product imgrec
exec .build/release/imgrec demo "$@"
