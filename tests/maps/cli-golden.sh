#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Golden tests of `mseal maps` on canned /proc trees (TAP).
# Usage: cli-golden.sh MSEAL DATA_DIR
#   MSEAL     the built mseal binary
#   DATA_DIR  tests/data/maps (trees <case>/<pid>/smaps, golden/*.out)
# Each case runs `mseal maps --proc-root DATA_DIR/TREE ARGS...` and compares
# stdout byte for byte with golden/NAME.out and the exit status with the
# expected one. Error cases expect exit 1, no stdout and exactly one stderr
# line starting "mseal: maps: " (containing the optional fifth field, when
# given). MSEAL_GOLDEN_UPDATE=1 rewrites the .out files instead (review
# the diff before keeping it).
set -u

mseal=$1
data=$2
golden=$data/golden
export LC_ALL=C
unset COLUMNS LINES

# name | tree | expected exit | arguments [| text the error line has]
cases=(
	"demo-default|demo|0|4242"
	"demo-chosen-columns|demo|0|4242 -o START,END,PERMS,SEALED,PATH"
	"demo-json|demo|0|-J 4242"
	"demo-all-raw|demo|0|--output-all -r 4242"
	"demo-all-json|demo|0|--output-all -J 4242"
	"demo-bytes-noheadings|demo|0|-b -n 4242"
	"demo-plus-columns|demo|0|-o +OFFSET,DEV,INODE,LOCKED 4242"
	"demo-lowercase-columns|demo|0|-o path,sealed,perms 4242"
	"demo-raw-bytes|demo|0|-r -b 4242"
	"r02-no-vdso|r02|0|100"
	"r03-split-vdso|r03|0|--output-all 101"
	"r03-four-page-vdso|r03|0|102"
	"r24-huge-bytes|r24|0|-b -o +VMFLAGS 103"
	"r24-huge-human|r24|0|103"
	"r27-paths-json|r27|0|--output-all -J 104"
	"r27-paths-raw|r27|0|-r -o PATH,DELETED 104"
	"r30-anon-padding|r30|0|--output-all 105"
	"r32-vmflags|r32|0|-o START,SEALED,VMFLAGS 106"
	"r33-wide-dev|r33|0|-o START,END,OFFSET,DEV,INODE,PATH 107"
	"escape-raw|escape|0|-r -o PATH 108"
	"escape-json|escape|0|-J -o PATH 108"
	"anon-name|anon-name|0|-o START,PATH 109"
	"deleted-all|deleted|0|--output-all 110"
	"seccomp-filter-line|seccomp|0|120"
	"seccomp-not-in-json|seccomp|0|-J 120"
	"nonutf8-json|nonutf8|0|-J 121"
	"nonutf8-raw|nonutf8|0|-r -o START,PATH 121"
	"list-columns|demo|0|-H"
	"list-columns-json|demo|0|-H -J"
	"err-missing-pid|demo|1|999"
	"err-bad-pid|demo|1|12abc"
	"err-no-pid|demo|1|"
	"err-two-pids|demo|1|4242 4243"
	"err-unknown-column|demo|1|-o START,NOPE 4242"
	"err-unknown-option|demo|1|--frobnicate 4242"
	"err-json-and-raw|demo|1|-J -r 4242|mutually exclusive arguments"
	"err-torn|torn|1|111"
	"err-syntax|bad|1|113"
	"err-no-proc-root|no-such-tree|1|4242"
)

echo "1..${#cases[@]}"
n=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for c in "${cases[@]}"; do
	IFS='|' read -r name tree want args msg <<<"$c"
	n=$((n + 1))
	# shellcheck disable=SC2086 # the argument list is split on purpose
	"$mseal" maps --proc-root "$data/$tree" $args \
		>"$tmp/out" 2>"$tmp/err"
	got=$?
	why=""
	if [ "$got" != "$want" ]; then
		why="exit $got, expected $want"
	elif [ "$want" = 0 ]; then
		if [ "${MSEAL_GOLDEN_UPDATE:-}" = 1 ]; then
			cp "$tmp/out" "$golden/$name.out"
		fi
		if ! cmp -s "$tmp/out" "$golden/$name.out"; then
			why="stdout differs from golden/$name.out"
		elif [ -s "$tmp/err" ]; then
			why="unexpected stderr: $(head -c 200 "$tmp/err")"
		fi
	else
		if [ -s "$tmp/out" ]; then
			why="stdout not empty on error"
		elif [ "$(wc -l <"$tmp/err")" != 1 ] ||
			! grep -q '^mseal: maps: ' "$tmp/err"; then
			why="stderr is not one 'mseal: maps:' line: $(head -c 200 "$tmp/err")"
		elif [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/err"; then
			why="stderr lacks '$msg': $(head -c 200 "$tmp/err")"
		fi
	fi
	if [ -z "$why" ]; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name: $why"
		if [ "$want" = 0 ] && [ -f "$golden/$name.out" ]; then
			diff -u "$golden/$name.out" "$tmp/out" | head -20 |
				sed 's/^/# /'
		fi
		failed=$((failed + 1))
	fi
done
[ "$failed" = 0 ]
