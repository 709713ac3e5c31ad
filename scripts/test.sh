#!/usr/bin/env bash
# Fresh machine to test results in one command: installs the C libraries and the model files the
# tests check against, then builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install_deps.sh
if [ -x scripts/setup_models.sh ]; then
    scripts/setup_models.sh
fi
swift build --build-tests
swift test --skip-build "$@"
