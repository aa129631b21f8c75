#!/usr/bin/env bash
# Install the Debian 12 packages needed to build, test and run Participe.
#
#   deploy/install-deps.sh
#
# - Everything already installed: exits 0 quickly (one dpkg-query call, no apt).
# - Something missing and running as root: apt-get update + apt-get install.
# - Something missing and not root: prints the apt-get line to run, exits 1.
#
# Installing postgresql-15 makes Debian create a default "main" cluster on port
# 5432. We never use it (deploy/pg.sh runs a private cluster under var/pg), so
# services are kept from starting during the install (policy-rc.d) and that
# cluster is stopped afterwards if it is running.
set -euo pipefail

# All packages, in one place (a bash array). passwd provides useradd (deploy/pg.sh creates a
# system user when run as root); util-linux provides runuser and flock.
PACKAGES=(
    build-essential pkg-config
    libevent-dev libpq-dev libjansson-dev libsodium-dev libcmocka-dev libgmp-dev libglpk-dev
    postgresql-15 postgresql-client-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl
    wrk clang-format clang-tidy cppcheck
    curl procps iproute2 passwd util-linux
    clang libclang-rt-14-dev
)
# The contract tests (OpenAPI lint, response validation) run on Node.js
# with packages from the npm registry; use Debian's only if none is here.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    PACKAGES+=(nodejs npm)
fi

log() { printf 'install-deps: %s\n' "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

# Prints the packages of PACKAGES that are not fully installed, one per line.
# A single dpkg-query call: unknown packages are reported on stderr (ignored)
# and simply do not appear in the output, so they count as missing too.
missing_packages() {
    local pkg status line
    declare -A installed=()
    status=$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)
    while IFS= read -r line; do
        case "$line" in
        *" install ok installed") installed["${line%% *}"]=1 ;;
        esac
    done <<<"$status"
    for pkg in "${PACKAGES[@]}"; do
        [[ -n "${installed[$pkg]:-}" ]] || printf '%s\n' "$pkg"
    done
}

command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script supports Debian (12) only"

mapfile -t missing < <(missing_packages)
if ((${#missing[@]} == 0)); then
    log "all packages present"
    exit 0
fi

log "missing: ${missing[*]}"
if [[ "$(id -u)" -ne 0 ]]; then
    log "not running as root; install them with:"
    printf '  sudo apt-get update && sudo apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# Keep package maintainer scripts from starting services (the default
# PostgreSQL cluster, in particular): it would fail without systemd and we do
# not want it anyway. Only if no policy-rc.d exists, and removed on exit.
POLICY_RC=/usr/sbin/policy-rc.d
created_policy=0
cleanup() {
    if ((created_policy)); then rm -f "$POLICY_RC"; fi
}
trap cleanup EXIT
if [[ ! -e "$POLICY_RC" ]]; then
    printf '#!/bin/sh\n# temporary, created by participe deploy/install-deps.sh\nexit 101\n' >"$POLICY_RC"
    chmod 0755 "$POLICY_RC"
    created_policy=1
fi

pg_was_missing=0
for pkg in "${missing[@]}"; do
    [[ "$pkg" == postgresql-15 ]] && pg_was_missing=1
done

log "running apt-get update"
apt-get -q -q update || die "apt-get update failed"
log "installing: ${missing[*]}"
apt-get -q -y -o Dpkg::Use-Pty=0 install --no-install-recommends "${missing[@]}" ||
    die "apt-get install failed"

cleanup
created_policy=0

if ((pg_was_missing)) && command -v pg_ctlcluster >/dev/null 2>&1 &&
    [[ -d /etc/postgresql/15/main ]]; then
    # Not used by Participe; make sure it does not hold port 5432.
    pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
    log "stopped Debian's default PostgreSQL cluster 15/main (not used; deploy/pg.sh runs a private one)"
fi

mapfile -t still_missing < <(missing_packages)
if ((${#still_missing[@]} != 0)); then
    die "still missing after install: ${still_missing[*]}"
fi
log "all packages installed"
