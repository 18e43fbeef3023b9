#!/usr/bin/env bash
# need-debian.sh COMMAND PACKAGE [PACKAGE…]: installs the Debian packages when
# COMMAND is not on PATH (fresh machines and CI; root is assumed, as on this project's machines).
set -euo pipefail
cmd=$1; shift
command -v "$cmd" >/dev/null 2>&1 && exit 0
echo "installing $* (for $cmd)" >&2
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
