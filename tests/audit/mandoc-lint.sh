#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Lint every man page in DIR with mandoc; any message (warnings included,
# style notes excluded) fails. Usage: mandoc-lint.sh MANDOC DIR
set -u
mandoc=$1
dir=$2
status=0
count=0
for page in "$dir"/*.[0-9]; do
	[ -e "$page" ] || continue
	count=$((count + 1))
	out=$("$mandoc" -T lint -W warning "$page" 2>&1)
	if [ -n "$out" ]; then
		printf '%s\n' "$out"
		status=1
	fi
done
if [ "$count" -eq 0 ]; then
	echo "no man pages in $dir"
	exit 1
fi
echo "$count pages linted"
exit $status
