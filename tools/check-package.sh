#!/usr/bin/env bash
# check-package.sh — the .deb of `make package` on a clean Debian 12.
#
#   tools/check-package.sh [DEB]         in a fresh chroot: debootstrap bookworm
#                                        (minbase) from $MIRROR (deb.debian.org)
#                                        into a scratch folder; needs root and
#                                        Debian's archive (a few minutes)
#   tools/check-package.sh --here [DEB]  on this machine, which must be a clean
#                                        one (the workflow's fresh container)
#
# DEB defaults to build/execbench_*.deb. There, as a user would:
# apt-get install ./execbench_*.deb (its dependencies come from the archive),
# then in an empty folder: execbench --preset quick && execbench-compare summary
# results/latest.json && execbench-plot results/latest.json, the charts
# drawn; execbench --micro runs execbench-micro, which runs its spawn target
# from libexec/ (no error row); man execbench shows the options; nothing of
# the source tree is there to be found.
set -euo pipefail
prog=check-package.sh
here=$(cd "$(dirname "$0")" && pwd)
mirror=${MIRROR:-http://deb.debian.org/debian}
mode=chroot
if [ "${1:-}" = --here ]; then
    mode=here
    shift
fi
deb=${1:-}
if [ -z "$deb" ]; then
    # shellcheck disable=SC2012
    deb=$(ls -t "$here"/../build/execbench_*.deb 2>/dev/null | head -1 || true)
fi
[ -n "$deb" ] && [ -f "$deb" ] || { echo "$prog: no package: run make package, or name the .deb" >&2; exit 2; }
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
[ "$(id -u)" -eq 0 ] || { echo "$prog: installing a package needs root; run it as root" >&2; exit 2; }

# What runs on the clean system: the install and the user's commands.
inner() {
    cat <<'EOF'
set -euo pipefail
say() { printf '\ncheck-package.sh: %s\n' "$*"; }
export DEBIAN_FRONTEND=noninteractive
say "apt-get install ./$(basename "$DEB") man-db"
apt-get update -q >/tmp/apt.log 2>&1 || { tail -5 /tmp/apt.log; exit 1; }
apt-get install -y -q "$DEB" man-db >>/tmp/apt.log 2>&1 || { tail -20 /tmp/apt.log; exit 1; }
dpkg -s execbench | grep -E '^(Version|Depends):'
for c in execbench execbench-micro execbench-compare execbench-plot execbench-httpd; do
    printf '  %-18s %s\n' "$c" "$(command -v "$c")"
done
work=$(mktemp -d /tmp/check-package-XXXXXX)
cd "$work"
say "execbench --preset quick && execbench-compare summary results/latest.json && execbench-plot results/latest.json (in $work)"
execbench --preset quick --quiet >/dev/null
# Into a file, then head: under pipefail, compare would die of SIGPIPE (exit 141) when head
# stops reading before compare has written its last table.
execbench-compare summary results/latest.json >summary.txt
head -12 summary.txt
execbench-plot results/latest.json
for f in overview scaling overheads; do test -s "results/latest/$f.png"; done
say "execbench --micro (execbench-micro, and its spawn target in /usr/libexec/execbench/)"
execbench --workload cpu.sumsq --executor sequential --tasks 1 --param n=1000 --repetitions 1 \
    --micro=micro.spawn/posix_spawn --quiet --out micro.json >/dev/null
grep -q '"micro.spawn/posix_spawn' micro.json
if grep -q '"error_occurred": true' micro.json; then grep '"error_message"' micro.json; exit 1; fi
echo "  micro.spawn/posix_spawn ran"
say "man execbench"
MANPAGER=cat MANWIDTH=80 man execbench >man.txt 2>/dev/null
sed -n 1,12p man.txt
grep -q -- '--repetitions' man.txt
for c in execbench-compare execbench-micro execbench-plot; do MANPAGER=cat man "$c" >/dev/null 2>&1; done
if [ -n "${SOURCE_TREE:-}" ]; then test ! -e "$SOURCE_TREE"; fi # the chroot has no source tree
say "all good: installed, ran, plotted, and man pages there"
EOF
}

if [ "$mode" = here ]; then
    # Container images often tell dpkg to drop man pages (path-exclude in
    # /etc/dpkg/dpkg.cfg.d/); this throwaway system keeps them, so that
    # man execbench shows what the package installed.
    for f in /etc/dpkg/dpkg.cfg.d/*; do
        [ -f "$f" ] && grep -q '^path-exclude=/usr/share/man' "$f" || continue
        echo "$prog: $f drops man pages; keeping them on this throwaway system"
        sed -i 's|^path-exclude=/usr/share/man|#&|' "$f"
    done
    DEB=$deb bash -c "$(inner)"
    exit
fi

command -v debootstrap >/dev/null || { echo "$prog: debootstrap is missing: apt-get install debootstrap" >&2; exit 2; }
root=$(mktemp -d /tmp/execbench-chroot-XXXXXX)
cleanup() {
    for m in dev/pts dev sys proc; do
        mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m" 2>/dev/null || true
    done
    rm -rf --one-file-system "$root"
}
trap cleanup EXIT
echo "$prog: debootstrap bookworm (minbase) into $root from $mirror"
start=$(date +%s)
# debootstrap fetches with wget, which does not retry: a second attempt, from
# scratch, so that one dropped connection to the archive does not fail CI.
for attempt in 1 2; do
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 && break
    tail -20 "$root.debootstrap.log" >&2
    if [ $attempt = 2 ]; then rm -f "$root.debootstrap.log"; exit 1; fi
    echo "$prog: debootstrap failed (above); once more in 30 s" >&2
    rm -rf --one-file-system "$root" && mkdir "$root"
    sleep 30
done
rm -f "$root.debootstrap.log"
echo "$prog: debootstrap took $(($(date +%s) - start)) s"
# /proc for /proc/self/exe (how the programs find one another), /sys for
# hwloc's topology, /dev for /dev/null and the rest.
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
inner >"$root/tmp/check.sh"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    DEB="/tmp/$(basename "$deb")" SOURCE_TREE="$(cd "$here/.." && pwd)" /bin/bash /tmp/check.sh
echo "$prog: the package works on a fresh Debian 12 ($(($(date +%s) - start)) s in all)"
