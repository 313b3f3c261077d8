#!/usr/bin/env bash
# install-deps.sh — install what execbench needs and this machine lacks.
#
#   tools/install-deps.sh [GROUP...]     GROUP: build (default), plot, fuzz, lint, check, wrk,
#                                        package (make package's dpkg-shlibdeps, and
#                                        tools/check-package.sh's debootstrap), mpi
#
# Silent and quick when everything is there (one dpkg-query). Otherwise installs
# with apt-get as root, through sudo when that is available, and else prints the
# exact command to run and fails. Debian/Ubuntu package names.
set -euo pipefail

group_packages() {
    case "$1" in
    build) echo "cmake make pkg-config gcc g++ git libhwloc-dev libbenchmark-dev libjansson-dev libboost-context-dev libevent-dev libhttp-parser-dev liburing-dev help2man" ;;
    plot) echo "python3 python3-matplotlib" ;;
    fuzz) echo "clang libclang-rt-14-dev" ;;
    lint) echo "yamllint" ;;
    check) echo "valgrind" ;;
    wrk) echo "wrk" ;; # tools/wrk-httpd.sh: the outside reference for net.http
    package) echo "dpkg-dev debootstrap" ;;
    mpi) echo "libopenmpi-dev openmpi-bin" ;; # the mpi executor (make MPI=1); optional
    *)
        echo "install-deps.sh: unknown group '$1'; use build, plot, fuzz, lint, check, wrk, package or mpi" >&2
        exit 2
        ;;
    esac
}

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(build)

wanted=()
for g in "${groups[@]}"; do
    # shellcheck disable=SC2207
    wanted+=($(group_packages "$g"))
done

missing=()
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "install-deps.sh: this is not a Debian-like system (no dpkg-query); install the equivalents of: ${wanted[*]}" >&2
    exit 1
fi
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null | awk '$NF == "installed" {print $1}' || true)
for p in "${wanted[@]}"; do
    grep -qx "$p" <<<"$installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "install-deps.sh: missing packages: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "install-deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt_install() { "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/execbench-apt.log 2>&1; }
# A fresh machine has empty package lists: update once, then retry.
if ! apt_install; then
    "${sudo[@]}" apt-get update -q >>/tmp/execbench-apt.log 2>&1 || true
    if ! apt_install; then
        echo "install-deps.sh: apt-get could not install ${missing[*]}; see /tmp/execbench-apt.log" >&2
        tail -5 /tmp/execbench-apt.log >&2
        exit 1
    fi
fi
echo "install-deps.sh: installed ${missing[*]}" >&2
