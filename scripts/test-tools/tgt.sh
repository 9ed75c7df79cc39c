#!/usr/bin/env bash
# Starts or stops a reference iSCSI target: tgtd (the Linux SCSI target framework) on 127.0.0.1 with one
# file-backed LUN (LUN 1) on a sparse file, thin provisioned (UNMAP), with glibc's malloc thresholds fixed
# (see below) so that its speed does not depend on what it served before. Its state lives in
# $SGW_TEST_TOOLS_DIR/tgt; the process is recorded by PID and stopped by it.
# Usage: tgt.sh start [SIZE_BYTES [BLOCK_SIZE]]   prints the LUN's iscsi:// URL (default 1 GiB, 512 B blocks)
#        tgt.sh stop                              stops tgtd and removes the backing file
# Env: SGW_TGT_PORT (default the first free one from 13260 up), SGW_TGT_IQN (iqn.2026-11.dev.sgw.test:tgt). Needs root (tgtd).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
state=$W/tgt
iqn=${SGW_TGT_IQN:-iqn.2026-11.dev.sgw.test:tgt}
mkdir -p "$state"

admin() { tgtadm -C "$(cat "$state/control")" --lld iscsi "$@"; }

stop() {
  if pid_running tgtd; then   # tgtd ignores SIGTERM while it has targets: remove them, then ask it to exit
    for tid in $(admin --mode target --op show | awk '/^Target [0-9]+:/ { sub(":", "", $2); print $2 }'); do
      admin --mode target --op delete --force --tid "$tid" || true
    done
    admin --mode system --op delete || true
  fi
  halt tgtd 5
  rm -f "$state/lun.img"
}

start() {
  local size=${1:-1073741824} block=${2:-512} control=
  command -v tgtd >/dev/null || die "tgtd is missing: run scripts/test-tools/install.sh"
  stop
  local port=${SGW_TGT_PORT:-}
  if [ -z "$port" ]; then
    for port in $(seq 13260 13299); do listening "$port" || break; done
  fi
  listening "$port" && die "port $port is in use: set SGW_TGT_PORT"
  # a control channel number no other tgtd uses
  for n in $(seq 1 99); do
    grep -q "/tgtd/socket\.$n\$" /proc/net/unix || { control=$n; break; }
  done
  [ -n "$control" ] || die "no free tgtd control channel"
  echo "$control" >"$state/control"
  avail=$(df -B1 --output=avail "$state" | tail -1)
  ((avail > size)) || log "warning: $state has $avail bytes free, less than the LUN's $size"
  rm -f "$state/lun.img"
  truncate -s "$size" "$state/lun.img"
  # tgtd mallocs a buffer per command. By default glibc maps and unmaps each 1 MiB buffer until some
  # larger one has been freed, so tgtd's 1 MiB throughput would depend on its history (5x apart on reads):
  # fixed thresholds make it always the fast one.
  spawn tgtd "$state/tgtd.log" env GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864 \
    tgtd -f -C "$control" --iscsi "portal=127.0.0.1:$port"
  await_port "$port" || die "tgtd does not listen on $port, see $state/tgtd.log"
  admin --mode target --op new --tid 1 --targetname "$iqn"
  admin --mode logicalunit --op new --tid 1 --lun 1 --backing-store "$state/lun.img" --blocksize "$block"
  admin --mode logicalunit --op update --tid 1 --lun 1 --params thin_provisioning=1
  admin --mode target --op bind --tid 1 --initiator-address 127.0.0.1
  log "tgtd: $iqn LUN 1, $size bytes in $block-byte blocks, on 127.0.0.1:$port"
  echo "iscsi://127.0.0.1:$port/$iqn/1"
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) stop ;;
  *) sed -n '2,/^[^#]/{/^#/p}' "$0" >&2; exit 2 ;;
esac
