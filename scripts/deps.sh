#!/bin/sh
# Installs the Debian 12 packages sinmun needs, and only those that are missing.
#   scripts/deps.sh          what building and running the server needs
#   scripts/deps.sh --test   also what the test suite and the benchmarks need
# As a normal user it only reports what is missing; as root it installs it.
set -eu

BUILD="build-essential pkg-config libh2o-evloop-dev libuv1-dev libssl-dev libsqlite3-dev \
libjansson-dev libsodium-dev libutf8proc-dev libcurl4-openssl-dev libinih-dev zlib1g-dev \
libbrotli-dev libgumbo-dev libxml2-dev libmd4c-dev libpq-dev"
TEST="clang libclang-rt-14-dev libcriterion-dev libxml2-utils chromium fonts-nanum nodejs \
curl wrk nghttp2-client nginx-light sqlite3 libmicrohttpd-dev"

want="$BUILD"
[ "${1:-}" = "--test" ] && want="$BUILD $TEST"

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# nodejs from some sources bundles npm and conflicts with the npm package.
if [ "${1:-}" = "--test" ] && ! command -v npm >/dev/null 2>&1; then
	missing="$missing npm"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing (run 'sudo scripts/deps.sh ${1:-}')" >&2
	exit 0
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
