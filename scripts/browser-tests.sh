#!/bin/sh
# Runs the browser tests: Debian's chromium driven by playwright-core, with
# the node test runner.  Installs playwright-core from package-lock.json
# the first time.  SINMUN_BIN is the binary under test.
set -eu
bin=${1:-build/sinmun}
if [ ! -x /usr/bin/chromium ]; then
	echo "browser tests: /usr/bin/chromium is missing (run scripts/deps.sh --test as root)" >&2
	exit 1
fi
# Install (again) whenever package-lock.json changed since the last install.
if ! cmp -s package-lock.json node_modules/.sinmun-lock 2>/dev/null; then
	npm ci --no-audit --no-fund --loglevel=error
	cp package-lock.json node_modules/.sinmun-lock
fi
mkdir -p build/screenshots
SINMUN_BIN=$bin node --test --test-reporter=spec tests/browser/ tests/node/
