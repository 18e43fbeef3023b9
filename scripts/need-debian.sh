#!/usr/bin/env bash
# need-debian.sh COMMAND PACKAGE [PACKAGE…]: installs the Debian packages when
# COMMAND is not on PATH (fresh machines and CI; root is assumed, as on this project's machines).
set -euo pipefail
cmd=$1; shift
command -v "$cmd" >/dev/null 2>&1 && exit 0
echo "installing $* (for $cmd)" >&2
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
# Several builds may install at once (parallel make, worktrees): wait for dpkg's lock
# instead of failing on it.
lock=(-o DPkg::Lock::Timeout=900)
$sudo apt-get "${lock[@]}" update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get "${lock[@]}" install -y -qq "$@"
