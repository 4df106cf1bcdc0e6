#!/bin/sh
# Replays every fuzz harness over its seed corpus (and any crashes found
# since, kept in the corpus), one line per harness.  A harness run on files
# executes each input once and exits non-zero on any sanitizer finding.
#   scripts/fuzz-replay.sh DIR_WITH_HARNESSES
set -u
dir=${1:-build/fuzz}
status=0
for h in "$dir"/fuzz_*; do
	[ -x "$h" ] || continue
	name=$(basename "$h"); name=${name#fuzz_}
	corpus=tests/fuzz/corpus/$name
	if [ ! -d "$corpus" ]; then
		echo "fuzz replay: $name: no corpus in $corpus"; status=1; continue
	fi
	n=$(find "$corpus" -type f | wc -l)
	if "$h" -runs=0 "$corpus" >"$dir/$name.replay.log" 2>&1 && \
	   find "$corpus" -type f -print0 | xargs -0 "$h" >>"$dir/$name.replay.log" 2>&1; then
		echo "fuzz replay: $name: $n inputs ok"
	else
		echo "fuzz replay: $name: FAILED (see $dir/$name.replay.log)"; tail -20 "$dir/$name.replay.log"; status=1
	fi
done
exit $status
