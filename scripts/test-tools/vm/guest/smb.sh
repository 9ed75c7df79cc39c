#!/bin/bash
# Guest script (vm/run.sh): the Linux kernel's SMB client (cifs, mount.cifs from the host's /) against a
# server on the host.
# Run: SMB_PORT=445 SMB_SHARE=demo SMB_USER=demo SMB_PASSWORD=... scripts/test-tools/vm/run.sh scripts/test-tools/vm/guest/smb.sh 445
#   (with scripts/test-tools/smbd.sh: eval its output, then run.sh scripts/test-tools/vm/guest/smb.sh $SMB_PORT)
# For each dialect of SMB_VERS: mount, df, fs_checks (no chmod: without POSIX extensions cifs makes modes
# up; symbolic links are Minshall-French files, mfsymlinks), then unpack a tarball (SMB_TARBALL_SRC trees:
# without names that differ only in case, which a case-insensitive share, as Samba's, keeps as one) and
# compare it with the originals (types, contents, mtimes, link targets; not modes or owners, for the same
# reason), rename the tree, umount. With SMB_SEAL=1, a 3.1.1 mount with encryption (seal) runs the big
# file round trip and the tarball too.
# Env: SMB_VERS ("2.0 2.1 3.0 3.1.1"), SMB_SEAL (1), SMB_PORT (445), SMB_SHARE (demo), SMB_USER (demo),
#   SMB_PASSWORD, SMB_OPTS (more mount options; default closetimeo=0: with deferred close, kernel 6.1 reads a
#   new hard link of a file it still holds open as EINVAL, at SMB 3.x, against Samba too), SMB_TARBALL_SRC
#   ("/usr/share/zoneinfo/America /usr/include/rdma", trees of the host's /), BIG_MB, TREE_SRC.
# Prints PASS/FAIL per check and "N passed, N failed" last; exits non-zero when a check failed.
set -u
. /tmp/run/guest-lib.sh
# mount.cifs reads the credentials from USER and PASSWD: no quoting of the password in the options
export USER=${SMB_USER:-demo} PASSWD=${SMB_PASSWORD:-}
unc=//$HOST/${SMB_SHARE:-demo}
options=port=${SMB_PORT:-445},mfsymlinks,uid=0,gid=0,${SMB_OPTS:-closetimeo=0}

# cifs and the algorithms SMB 3 signs (AES-CMAC) and seals (AES-CCM, AES-GCM) with: the kernel's own request
# for them (cifs' softdeps) does not load them in the guest, and SMB 3 mounts would fail with ENOENT
crypto="cmac ccm gcm ctr ghash_generic aes_generic sha512_generic ecb"
load_module -a cifs $crypto || { fail "load cifs and $crypto"; finish; exit 1; }

# mount_smb DIR OPTION...: mounts the share on DIR with the common options and OPTION...
mount_smb() {
  local dir=$1 extra
  shift
  extra=$(IFS=,; echo "$*")
  mkdir -p "$dir" && mount -t cifs "$unc" "$dir" -o "$extra,$options"
}

df_reports_size() {
  df -B1 "$1" || return 1
  set -- $(df -B1 --output=size,avail "$1" | tail -1)
  (($1 > 0 && $2 > 0 && $2 <= $1))
}

tarball_trees=${SMB_TARBALL_SRC:-/usr/share/zoneinfo/America /usr/include/rdma}
tarball_names() { local t; for t in $tarball_trees; do echo "${t#/}"; done; }

# manifest ROOT: one line per entry of the trees under ROOT: type, link target or mtime (whole seconds, as
# tar keeps them), size and sha256 of files
manifest() {
  python3 - "$1" $(tarball_names) <<'PY'
import hashlib, os, stat, sys
root = sys.argv[1]
for top in sys.argv[2:]:
    for here, dirs, files in os.walk(os.path.join(root, top)):
        dirs.sort()
        for path in [here] + [os.path.join(here, f) for f in sorted(files)]:
            st = os.lstat(path)
            line = [os.path.relpath(path, root), stat.filemode(st.st_mode)[0]]
            if stat.S_ISLNK(st.st_mode):
                line.append('-> ' + os.readlink(path))
            else:
                line.append('mtime %d' % int(st.st_mtime))
            if stat.S_ISREG(st.st_mode):
                line.append('%d bytes sha256 %s' % (st.st_size, hashlib.sha256(open(path, 'rb').read()).hexdigest()))
            print(' '.join(line))
PY
}

make_tarball() {
  tar -C / -czf /tmp/source.tar.gz $(tarball_names) && manifest / >/tmp/source.manifest &&
    echo "$(wc -l </tmp/source.manifest) entries, $(stat -c %s /tmp/source.tar.gz) bytes compressed"
}

same_as_source() {
  manifest "$1" >/tmp/copy.manifest && diff /tmp/source.manifest /tmp/copy.manifest >/tmp/manifest.diff && return 0
  head -n 20 /tmp/manifest.diff
  return 1
}

# unpack DIR: the tarball unpacked under DIR/unpacked (owners and modes are the mount's) equals the originals
unpack() {
  mkdir -p "$1/unpacked" && tar -C "$1/unpacked" --no-same-owner --no-same-permissions -xzf /tmp/source.tar.gz &&
    drop_caches && same_as_source "$1/unpacked"
}

# rename_tree DIR: the unpacked tree moved into another directory, still equal
rename_tree() {
  mkdir "$1/elsewhere" && mv "$1/unpacked" "$1/elsewhere/moved" && [ ! -e "$1/unpacked" ] && drop_caches &&
    same_as_source "$1/elsewhere/moved"
}

tarball_checks() {   # tarball_checks DIR LABEL
  local dir=$1/sgw-smb-$2-$$ label=$2
  check "$label: make a test directory" mkdir -p "$dir" || return 0
  check "$label: unpack a tarball, equal to the originals" unpack "$dir"
  check "$label: move the unpacked tree, still equal" rename_tree "$dir"
  check "$label: rm -rf the test directory" remove_tree "$dir"
}

# remove_tree DIR: rm -rf, once more after 2 s when it fails, saying so. The gateway sometimes answers the
# rmdir of a just-emptied directory with "not empty" after the tree was renamed (a file's delete still pending
# behind another open; a known bug, not found yet); the WARN line keeps it visible in the log.
remove_tree() {
  rm -rf "$1" && return 0
  echo "WARN: rm -rf $1 failed once; again after 2 s"
  sleep 2
  rm -rf "$1"
}

check "make the tarball of $(echo $tarball_trees)" make_tarball || { finish; exit 1; }
tail -n 1 /tmp/check.out
for version in ${SMB_VERS:-2.0 2.1 3.0 3.1.1}; do
  mnt=/mnt/smb$version
  check "smb$version mount $unc" mount_smb "$mnt" "vers=$version" || continue
  grep " $mnt " /proc/mounts | cut -c1-300
  check "smb$version: df reports a size" df_reports_size "$mnt"
  NO_CHMOD=1 fs_checks "$mnt" "smb$version"
  tarball_checks "$mnt" "smb$version"
  check "smb$version umount" umount "$mnt"
done
if [ "${SMB_SEAL:-1}" = 1 ]; then
  mnt=/mnt/smbseal
  if check "smb3.1.1 seal: mount $unc encrypted" mount_smb "$mnt" vers=3.1.1 seal; then
    grep " $mnt " /proc/mounts | cut -c1-300
    dir=$mnt/sgw-seal-$$
    check "smb3.1.1 seal: make a test directory" mkdir -p "$dir"
    check "smb3.1.1 seal: ${BIG_MB:-64} MiB round trip by sha256 after dropping caches" big_file_round_trip "$dir"
    check "smb3.1.1 seal: rm -rf the test directory" rm -rf "$dir"
    tarball_checks "$mnt" "smb3.1.1-seal"
    check "smb3.1.1 seal: umount" umount "$mnt"
  fi
fi
finish
