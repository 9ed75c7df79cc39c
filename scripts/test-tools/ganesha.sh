#!/usr/bin/env bash
# Starts or stops a reference NFS server: nfs-ganesha (FSAL_VFS) on 127.0.0.1 exporting a directory under
# $SGW_TEST_TOOLS_DIR/NAME, NFSv3 and NFSv4.1 over TCP, sec=sys, no root squashing, no grace period
# (Graceless: it serves at once after a start). The export's path for MOUNT v3 and for NFSv4 is the same,
# /export. Its state (config, logs, export) lives in $SGW_TEST_TOOLS_DIR/NAME; the processes are
# recorded by PID and stopped by it. NAME (SGW_GANESHA_NAME, default ganesha) tells instances apart.
# Usage: ganesha.sh start    prints eval-able KEY=value lines: NFS_URL_V3 (for libnfs and fio's nfs engine),
#                            NFS_EXPORT, NFS_PORT, MNT_PORT, NFS_DIR (the exported directory on this host)
#        ganesha.sh stop     stops ganesha (and the rpcbind it started); the export's files stay
#        ganesha.sh status   running or stopped, per process
# Env: NFS_PORT (2049), MNT_PORT (20048), SGW_GANESHA_NAME (ganesha), SGW_GANESHA_CLEAN=1 (start with an
# empty export). Needs root.
# ganesha registers MOUNT and NFS with rpcbind, which listens on *:111: start uses a running rpcbind,
# or starts one (and stop stops only that one: another instance started meanwhile loses its rpcbind, which
# clients given both ports, as these tests are, do not need). Don't change the export's files locally
# while ganesha runs: its attribute cache would not see it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
name=${SGW_GANESHA_NAME:-ganesha}
[[ $name =~ ^[A-Za-z0-9_-]+$ ]] || die "SGW_GANESHA_NAME must be letters, digits, '_' or '-': $name"
state=$W/$name
export_dir=$state/export
nfs_port=${NFS_PORT:-2049}
mnt_port=${MNT_PORT:-20048}

config() {
  cat <<EOF
NFS_CORE_PARAM {
    Bind_Addr = 127.0.0.1;
    NFS_Port = $nfs_port;
    MNT_Port = $mnt_port;
    Protocols = 3, 4;
    Enable_NLM = false;      # guests mount v3 with nolock: NLM would need a call back into the guest
    Enable_RQUOTA = false;
    Enable_UDP = false;
    Mount_Path_Pseudo = true;   # MOUNT v3 takes the NFSv4 path too: /export for both
}
NFSV4 {
    Minor_Versions = 1;
    Graceless = true;
    Lease_Lifetime = 30;
    RecoveryBackend = fs;
    RecoveryRoot = $state/recovery;
    Only_Numeric_Owners = true;
    Allow_Numeric_Owners = true;
}
NFS_KRB5 { Active_krb5 = false; }
EXPORT {
    Export_Id = 1;
    Path = $export_dir;
    Pseudo = /export;
    Protocols = 3, 4;
    Transports = TCP;
    Access_Type = RW;
    Squash = No_Root_Squash;
    SecType = sys;
    FSAL { Name = VFS; }
}
LOG { Default_Log_Level = EVENT; }
EOF
}

stop() {
  halt "$name" 15
  halt "$name-rpcbind" 5
}

start() {
  command -v ganesha.nfsd >/dev/null || die "ganesha.nfsd is missing: run scripts/test-tools/install.sh"
  command -v rpcbind >/dev/null || die "rpcbind is missing: run scripts/test-tools/install.sh"
  stop
  for port in "$nfs_port" "$mnt_port"; do
    listening "$port" && die "port $port is in use: set NFS_PORT and MNT_PORT"
  done
  [ -z "${SGW_GANESHA_CLEAN:-}" ] || rm -rf "$export_dir"
  mkdir -p "$export_dir" "$state/recovery"
  if ! listening 111; then   # rpcbind -h 127.0.0.1 crashes (1.2.6): it listens on every address
    spawn "$name-rpcbind" "$state/rpcbind.log" rpcbind -f -w
    await_port 111 || die "rpcbind does not listen on 111, see $state/rpcbind.log"
  fi
  config >"$state/ganesha.conf"
  rm -f "$state/ganesha.log"
  spawn "$name" "$state/ganesha.out" ganesha.nfsd -F -f "$state/ganesha.conf" -L "$state/ganesha.log" \
    -p "$state/ganesha.pid" -N NIV_EVENT
  await_port "$nfs_port" 30 && await_port "$mnt_port" 10 ||
    die "ganesha does not listen on $nfs_port and $mnt_port, see $state/ganesha.log"
  log "$name: $export_dir as /export on 127.0.0.1:$nfs_port (MOUNT $mnt_port)"
  printf "%s='%s'\n" NFS_URL_V3 "nfs://127.0.0.1/export?version=3&nfsport=$nfs_port&mountport=$mnt_port" \
    NFS_EXPORT /export NFS_PORT "$nfs_port" MNT_PORT "$mnt_port" NFS_DIR "$export_dir"
}

status() {
  local process
  for process in "$name" "$name-rpcbind"; do
    if pid_running "$process"; then echo "$process running, pid $(cat "$W/pids/$process.pid")"; else echo "$process stopped"; fi
  done
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) sed -n '2,/^[^#]/{/^#/p}' "$0" >&2; exit 2 ;;
esac
