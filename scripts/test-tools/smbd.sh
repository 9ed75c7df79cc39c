#!/usr/bin/env bash
# Starts or stops a reference SMB server: Samba's smbd (standalone, SMB 2.0.2 to 3.1.1, signing when the
# client asks, encryption when it asks) on 127.0.0.1, sharing a directory under $SGW_TEST_TOOLS_DIR/NAME as
# "share" to one user with a password (tdbsam; the Unix user is made with useradd -M when missing). Streams
# and DOS attributes live in xattrs (streams_xattr, acl_xattr), as smbtorture's tests expect. Its state
# (config, passdb, logs, share) lives in $SGW_TEST_TOOLS_DIR/NAME; the process is recorded by PID and stopped
# by it. NAME (SGW_SMBD_NAME, default smbd) tells instances apart. smbd opens files as the user, who must
# reach the shared directory: when the work directory is not open to others (root's ~/.cache), the share is
# /tmp/sgw-NAME-share instead.
# Usage: smbd.sh start    prints eval-able KEY=value lines: SMB_UNC (//127.0.0.1:PORT/share, as
#                         smb-conformance.sh takes it), SMB_HOST, SMB_PORT, SMB_SHARE, SMB_USER, SMB_PASSWORD,
#                         SMB_DIR (the shared directory on this host)
#        smbd.sh stop     stops smbd; the share's files stay
#        smbd.sh status   running or stopped
# Env: SMB_PORT (default the first free one from 14450 up), SGW_SMBD_NAME (smbd), SGW_SMBD_USER (smbtest),
#   SGW_SMBD_PASSWORD (Passw0rd!), SGW_SMBD_CLEAN=1 (start with an empty share). Needs root (smbd, useradd).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
name=${SGW_SMBD_NAME:-smbd}
[[ $name =~ ^[A-Za-z0-9_-]+$ ]] || die "SGW_SMBD_NAME must be letters, digits, '_' or '-': $name"
state=$W/$name
user=${SGW_SMBD_USER:-smbtest}
password=${SGW_SMBD_PASSWORD:-Passw0rd!}

config() {
  cat <<EOF
[global]
    server role = standalone server
    workgroup = SGWTEST
    netbios name = SGWTESTPEER
    interfaces = lo 127.0.0.1
    bind interfaces only = yes
    smb ports = $1
    disable netbios = yes
    server min protocol = SMB2_02
    server max protocol = SMB3_11
    server signing = auto
    server smb encrypt = if_required
    passdb backend = tdbsam:$state/private/passdb.tdb
    private dir = $state/private
    lock directory = $state/lock
    state directory = $state/state
    cache directory = $state/cache
    pid directory = $state/pid
    ncalrpc dir = $state/ncalrpc
    log file = $state/log/log.%m
    log level = 1
    load printers = no
    printing = bsd
    printcap name = /dev/null
    disable spoolss = yes
    map to guest = never
    ea support = yes
    store dos attributes = yes
    kernel oplocks = no
    kernel share modes = no
    posix locking = yes
[share]
    path = $share_dir
    read only = no
    valid users = $user
    create mask = 0666
    directory mask = 0777
    vfs objects = acl_xattr streams_xattr
EOF
}

stop() { halt "$name" 10; }

start() {
  command -v smbd >/dev/null && command -v smbpasswd >/dev/null ||
    die "smbd is missing: run scripts/test-tools/install.sh"
  stop
  local port=${SMB_PORT:-}
  if [ -z "$port" ]; then
    for port in $(seq 14450 14499); do listening "$port" || break; done
  fi
  listening "$port" && die "port $port is in use: set SMB_PORT"
  id "$user" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$user"
  mkdir -p "$state"/{private,lock,state,cache,pid,ncalrpc,log}
  share_dir=$state/share
  setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups test -x "$state" || share_dir=/tmp/sgw-$name-share
  [ -z "${SGW_SMBD_CLEAN:-}" ] || rm -rf "$share_dir"
  mkdir -p "$share_dir"
  chmod 777 "$share_dir"
  config "$port" >"$state/smb.conf"
  # (re)sets the password, so that a changed SGW_SMBD_PASSWORD takes effect
  printf '%s\n%s\n' "$password" "$password" | smbpasswd -c "$state/smb.conf" -s -a "$user" >/dev/null
  spawn "$name" "$state/smbd.out" smbd --foreground --no-process-group --debug-stdout -s "$state/smb.conf"
  await_port "$port" 20 || die "smbd does not listen on $port, see $state/smbd.out"
  log "$name: $share_dir as //127.0.0.1:$port/share, user $user"
  printf "%s='%s'\n" SMB_UNC "//127.0.0.1:$port/share" SMB_HOST 127.0.0.1 SMB_PORT "$port" SMB_SHARE share \
    SMB_USER "$user" SMB_PASSWORD "$password" SMB_DIR "$share_dir"
}

status() {
  if pid_running "$name"; then echo "$name running, pid $(cat "$W/pids/$name.pid")"; else echo "$name stopped"; fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) sed -n '2,/^[^#]/{/^#/p}' "$0" >&2; exit 2 ;;
esac
