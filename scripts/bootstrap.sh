#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Install the Debian packages that building and testing libmseal need,
# when any is missing. Run as root (apt-get); a no-op when all are there.
set -eu

packages="build-essential meson ninja-build pkg-config libsmartcols-dev
libelf-dev zlib1g-dev libcriterion-dev mandoc libsodium-dev python3
python3-prometheus-client perl git binutils iproute2 util-linux kmod clang
strace locales"

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "bootstrap: missing Debian packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "bootstrap: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
