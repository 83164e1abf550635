#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Compare the functions libmseal.so exports with the names listed in
# libmseal.sym, and print TAP: one case for "nothing missing", one for
# "nothing extra".
lib=$1
sym=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" |
	awk '$2 ~ /^[TDBRW]$/ {sub(/@.*/, "", $3); print $3}' |
	grep -v '^LIBMSEAL_' | sort -u >"$tmp/exported"
sed -e 's,/\*.*\*/,,g' "$sym" | tr -d ' \t' |
	grep -E '^[a-z_][a-z0-9_]*;$' | tr -d ';' | sort -u >"$tmp/listed"

missing=$(comm -23 "$tmp/listed" "$tmp/exported" | tr '\n' ' ')
extra=$(comm -13 "$tmp/listed" "$tmp/exported" | tr '\n' ' ')
echo "1..2"
if [ -z "$missing" ]; then
	echo "ok 1 - every name in libmseal.sym is exported"
else
	echo "not ok 1 - listed but not exported: $missing"
fi
if [ -z "$extra" ]; then
	echo "ok 2 - nothing is exported beyond libmseal.sym"
else
	echo "not ok 2 - exported but not listed: $extra"
fi
