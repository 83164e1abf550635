#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Install what is missing, build libmseal twice (a plain build with -Werror
# and an ASan+UBSan build), run every test in both, and print one closing
# line "N passed, N failed, N skipped" counted from meson's JUnit files.
# Exit status: 0 when every case passed, 1 otherwise.
set -u
cd "$(dirname "$0")/.."
sh scripts/bootstrap.sh || exit 1

status=0
build() {
	dir=$1
	shift
	if [ ! -d "$dir" ]; then
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 ||
			{ cat "$dir.setup.log"; return 1; }
	fi
	ninja -C "$dir" >"$dir.build.log" 2>&1 || { cat "$dir.build.log"; return 1; }
}

build build -Dwerror=true || status=1
build build-asan -Db_sanitize=address,undefined -Db_lundef=false || status=1
# clang must compile it warning-free too (STYLE.md); its tests are gcc's.
if command -v clang >/dev/null 2>&1; then
	CC=clang build build-clang -Dwerror=true || status=1
fi

# handle_segv=0: tests that expect SIGSEGV (writes to sealed pages) must see
# the signal, not ASan's report.
ASAN_OPTIONS=handle_segv=0:detect_leaks=1:abort_on_error=0
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS

meson test -C build --print-errorlogs --num-processes 2 >build.test.log 2>&1 || status=1
tail -n 12 build.test.log
meson test -C build-asan --print-errorlogs --num-processes 2 >build-asan.test.log 2>&1 || status=1
tail -n 12 build-asan.test.log

/usr/bin/python3 scripts/junit-count.py build build-asan || status=1
exit $status
