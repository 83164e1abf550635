#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The main job on a built-in default: install what is missing, build, run
# /usr/bin/python3 sealed under `mseal run --report`, and while it sleeps
# show its mappings with `mseal maps` (seal state and the per-object
# summary). Any other program can be given: scripts/demo.sh PROG ARGS...
set -eu
cd "$(dirname "$0")/.."
sh scripts/bootstrap.sh

# The same options as scripts/test.sh, which reuses an existing build/.
if [ ! -d build ]; then
	meson setup build -Dwerror=true >build.setup.log 2>&1 ||
		{ cat build.setup.log; exit 1; }
fi
ninja -C build >build.build.log 2>&1 || { cat build.build.log; exit 1; }

if [ $# -eq 0 ]; then
	set -- /usr/bin/python3 -c \
		'import time; print("python3 is running sealed"); time.sleep(30)'
fi

report=$(mktemp)
trap 'rm -f "$report"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; true' EXIT
: >"$report"
build/tools/mseal run --report="$report" -- "$@" &
pid=$!

# The shim writes its report before main(): once it is there, sealing is done.
tries=0
while [ ! -s "$report" ] && kill -0 "$pid" 2>/dev/null && [ $tries -lt 100 ]; do
	sleep 0.1
	tries=$((tries + 1))
done
echo "== mseal run --report: what the shim sealed in PID $pid"
cat "$report"
echo
if ! kill -0 "$pid" 2>/dev/null; then
	# Gone before its map could be read: say so, with its exit status.
	status=0
	wait "$pid" || status=$?
	pid=
	echo "== $1 exited (status $status) before its map could be shown;" \
		"mseal maps needs a program that is still running" >&2
	exit "$status"
fi
echo "== mseal maps $pid"
build/tools/mseal maps "$pid"
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
pid=
