#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Run the audit benchmarks. As root, the paging benchmark gets a zram swap
# device made here and ALWAYS removed on exit (trap); without one it falls
# back to file-backed MAP_SHARED memory and says why.
# Usage: bench/audit/run.sh BUILD_DIR
set -u
build=${1:?usage: run.sh BUILD_DIR}
dev=""

cleanup() {
	if [ -n "$dev" ]; then
		swapoff "/dev/zram$dev" 2>/dev/null
		echo "$dev" > /sys/class/zram-control/hot_remove 2>/dev/null ||
			echo "warning: zram$dev not removed" >&2
	fi
}
trap cleanup EXIT INT TERM HUP

"$build/bench/audit/bench-reader" "$build/tools/mseal" || exit 1
echo

mode=--file
why="no /sys/class/zram-control (zram module not loaded)"
if [ "$(id -u)" != 0 ]; then
	why="not root: cannot make a zram swap device"
elif [ -w /sys/class/zram-control/hot_add ]; then
	dev=$(cat /sys/class/zram-control/hot_add)
	if echo 256M > "/sys/block/zram$dev/disksize" &&
	   mkswap "/dev/zram$dev" >/dev/null && swapon -p 32767 "/dev/zram$dev"; then
		mode=--swap
	else
		why="zram$dev could not be set up as swap"
	fi
fi
if [ "$mode" = --swap ]; then
	echo "paging through zram swap /dev/zram$dev (256 MiB, removed on exit)"
else
	echo "paging through file-backed MAP_SHARED memory: $why"
fi
echo
"$build/bench/audit/bench-paging" "$mode"
