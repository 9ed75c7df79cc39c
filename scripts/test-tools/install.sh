#!/usr/bin/env bash
# Installs the third-party clients and conformance suites sgw's integration tests run against the gateway
# (Debian/Ubuntu packages, as root). Quick no-op when everything is there. Services the packages bring
# are kept from starting. Prints what it installed.
#   libiscsi-bin      iscsi-test-cu (the iSCSI conformance suite), iscsi-ls, iscsi-inq, iscsi-readcapacity16
#   build-essential pkg-config libiscsi-dev libnfs-dev libaio-dev zlib1g-dev
#                     build-fio.sh: fio with the libiscsi and nfs engines, from the fio source package
#   qemu-system-x86 busybox-static kmod cpio socat
#                     vm/build.sh and vm/run.sh: the test guest (qemu TCG, an initramfs, port relays)
#   open-iscsi        the Linux iSCSI initiator the guest runs (iscsiadm, iscsid; from the host's /)
#   iproute2          ss, to wait for ports
#   tgt               tgt.sh: the reference iSCSI target bench/iscsi-compare.sh measures against
#   libnfs-utils      nfs-ls, nfs-cp, nfs-cat: a user-space NFSv3 client (libnfs) for the NFS tests
#   nfs-common        mount.nfs, the Linux kernel NFS client's mount helper the guest runs (from the host's /)
#   python3           the guest's byte-range lock checks (fcntl from a second process)
#   nfs-ganesha nfs-ganesha-vfs
#                     ganesha.sh: the reference NFS server (FSAL_VFS) bench/nfs-compare.sh measures against
#   rpcbind           ganesha registers its NFSv3 MOUNT service with it (ganesha.sh starts one if none runs)
#   smbclient         smbclient: the SMB client the SMB tests and bench/smb-compare.sh copy files with
#   samba-testsuite   smbtorture (smb-conformance.sh): Samba's SMB2/3 conformance suite
#   samba             smbd.sh: the reference SMB server bench/smb-compare.sh measures against
#   samba-vfs-modules streams_xattr, which smbd.sh's share loads (without it every tree connect fails)
#   cifs-utils        mount.cifs, the Linux kernel SMB client's mount helper the guest runs (from the host's /)
#   winbind           ntlm_auth: Samba's own NTLMSSP/SPNEGO client, which logs on to the gateway's SMB
#                     authentication in its unit tests
#   lintian systemd binutils
#                     the .deb's checks (DebPackageIT): lintian, systemd-analyze verify of the unit, and strip,
#                     which the distribution build uses on the bundled runtime
# Env: SGW_TEST_PACKAGES_EXTRA="pkg ..." adds packages.
set -euo pipefail
packages="libiscsi-bin
  build-essential pkg-config libiscsi-dev libnfs-dev libaio-dev zlib1g-dev
  qemu-system-x86 busybox-static kmod cpio socat
  open-iscsi iproute2 tgt
  libnfs-utils nfs-common python3 nfs-ganesha nfs-ganesha-vfs rpcbind
  smbclient samba-testsuite samba samba-vfs-modules cifs-utils winbind
  lintian systemd binutils
  ${SGW_TEST_PACKAGES_EXTRA:-}"
missing=()
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test tools: all $(wc -w <<<"$packages") packages installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "test tools: run as root to install: ${missing[*]}" >&2
  exit 1
fi
policy=/usr/sbin/policy-rc.d
if [ ! -e $policy ]; then
  printf '#!/bin/sh\nexit 101\n' > $policy
  chmod +x $policy
  trap 'rm -f $policy' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "test tools: installed ${missing[*]}"
