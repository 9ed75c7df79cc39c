#!/usr/bin/env bash
# Boots the test guest (qemu TCG, no KVM; the kernel and initramfs of vm/build.sh; the host's / read-only
# over 9p as its root) and runs GUEST_SCRIPT in it as root, with the real Linux kernel clients.
# Usage: vm/run.sh GUEST_SCRIPT [PORT...]
# Network: qemu user networking, restricted: the guest reaches only 10.0.2.100:PORT for each PORT given,
#   which qemu relays (socat) to 127.0.0.1:PORT on the host. Nothing else leaves the guest.
# Environment passed into the guest: ISCSI_* NFS_* MNT_* SMB_* CHAP_* GUEST_* BIG_MB TREE_SRC.
# Env: SGW_GUEST_TIMEOUT (900 s), SGW_GUEST_MEMORY (1024 MiB), SGW_GUEST_CPUS (1; TCG gains nothing from a second here).
# Streams the guest's console on stdout (also kept in $SGW_TEST_TOOLS_DIR/vm/last-console.log) and exits
# with the guest script's status; 124 when the timeout stopped the guest, 125 when no status came back.
# The VM is stopped when this script is interrupted, terminated, or its parent goes away.
# Kernel option no_timer_check: on a loaded host TCG runs the guest so slowly that the kernel's IO-APIC timer
# check fails and it panics at boot ("IO-APIC + timer doesn't work!"); the check proves nothing here.
set -euo pipefail
[ $# -ge 1 ] && [ -f "$1" ] || { sed -n '2,/^[^#]/{/^#/p}' "$0" >&2; exit 2; }
. "$(dirname "$0")/../lib.sh"
vm=$W/vm
script=$1
shift
version=$(cat "$vm/kernel-version" 2>/dev/null) && [ -f "$vm/initramfs.cpio.gz" ] ||
  die "the guest is not built: run scripts/test-tools/vm/build.sh"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing: run scripts/test-tools/install.sh"
command -v socat >/dev/null || die "socat is missing: run scripts/test-tools/install.sh"

mkdir -p "$vm/runs"
run=$(mktemp -d "$vm/runs/XXXXXX")
name=vm-$(basename "$run")
finish() {
  halt "$name" 3
  [ -f "$run/console.log" ] && cp "$run/console.log" "$vm/last-console.log"
  rm -rf "$run"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

cp "$script" "$run/guest.sh"
cp "$TOOLS/vm/guest-lib.sh" "$run/guest-lib.sh"
export -p | grep -E '^declare -x (ISCSI_|NFS_|MNT_|SMB_|CHAP_|GUEST_|BIG_MB=|TREE_SRC=)' >"$run/env" || true
cat >"$run/start.sh" <<'START'
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
. /tmp/run/env
cd /tmp
status=0
setsid -w bash /tmp/run/guest.sh || status=$?   # a session of its own: a stray kill(0) cannot reach us
echo "guest: script exit status $status"
echo "$status" >/tmp/run/status
START

relays=
for port in "$@"; do
  [[ $port =~ ^[0-9]+$ ]] || die "not a port: $port"
  relays+=",guestfwd=tcp:10.0.2.100:$port-cmd:socat - TCP:127.0.0.1:$port"
done
qemu-system-x86_64 -accel tcg -m "${SGW_GUEST_MEMORY:-1024}" -smp "${SGW_GUEST_CPUS:-1}" \
  -nographic -no-reboot \
  -kernel "$vm/kernel/boot/vmlinuz-$version" -initrd "$vm/initramfs.cpio.gz" \
  -append "console=ttyS0 quiet loglevel=4 panic=-1 rdinit=/init no_timer_check" \
  -virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap,id=root \
  -virtfs "local,path=$vm/kernel,mount_tag=kernel,security_model=none,readonly=on,id=kernel" \
  -virtfs "local,path=$run,mount_tag=run,security_model=none,id=run" \
  -netdev "user,id=net,restrict=on,net=10.0.2.0/24,host=10.0.2.2$relays" \
  -device virtio-net-pci,netdev=net,romfile= \
  </dev/null > >(tee "$run/console.log") 2>&1 &
echo $! >"$W/pids/$name.pid"

started=$SECONDS
while pid_running "$name"; do
  if ((SECONDS - started > ${SGW_GUEST_TIMEOUT:-900})); then
    log "guest timed out after ${SGW_GUEST_TIMEOUT:-900} s: stopping it"
    exit 124
  fi
  kill -0 "$PPID" 2>/dev/null || { log "the caller went away: stopping the guest"; exit 143; }
  sleep 0.2
done
rm -f "$W/pids/$name.pid"
log "guest ran $((SECONDS - started)) s"
[ -s "$run/status" ] || { log "no exit status came back from the guest"; exit 125; }
exit "$(cat "$run/status")"
