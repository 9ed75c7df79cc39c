#!/usr/bin/env bash
# Prepares the test guest that vm/run.sh boots: the distribution's kernel package (the linux-image the
# linux-image-amd64 metapackage points to, fetched with apt-get download and unpacked, never installed)
# and a small initramfs (busybox-static, the virtio, 9p and virtio-net modules, and an /init that mounts
# the host's / read-only over 9p and runs the guest script chrooted there).
# Quick no-op when both are built. Output in $SGW_TEST_TOOLS_DIR/vm: kernel/ (vmlinuz and modules),
# kernel-version, initramfs.cpio.gz. Prints the kernel and initramfs paths on stdout.
# Env: SGW_GUEST_KERNEL_PACKAGE=linux-image-VERSION (another kernel), FORCE=1 (rebuild the initramfs).
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
vm=$W/vm
mkdir -p "$vm"

kernel_package() {
  if [ -n "${SGW_GUEST_KERNEL_PACKAGE:-}" ]; then
    echo "$SGW_GUEST_KERNEL_PACKAGE"
  elif [ -s "$vm/kernel-version" ] && [ -f "$vm/kernel/boot/vmlinuz-$(cat "$vm/kernel-version")" ]; then
    echo "linux-image-$(cat "$vm/kernel-version")"   # keep the kernel already unpacked
  else
    apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)/\1/p' | head -1
  fi
}
package=$(kernel_package)
[ -n "$package" ] || die "cannot tell which kernel package linux-image-amd64 depends on (run apt-get update)"
version=${package#linux-image-}

if [ ! -f "$vm/kernel/boot/vmlinuz-$version" ]; then
  log "fetching $package"
  rm -rf "$vm/deb" "$vm/kernel"
  mkdir -p "$vm/deb"
  sandbox=()
  [ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root)   # the download directory is root's
  (cd "$vm/deb" && apt-get "${sandbox[@]}" download "$package" >&2)
  dpkg-deb -x "$vm/deb/${package}"_*.deb "$vm/kernel"
  rm -rf "$vm/deb"
fi
# also when an earlier run unpacked the kernel but stopped before its depmod (kmod was not installed)
[ -s "$vm/kernel/lib/modules/$version/modules.dep" ] || depmod -b "$vm/kernel" "$version"
echo "$version" >"$vm/kernel-version"

write_init() {
  cat <<'INIT'
#!/bin/busybox sh
# The guest's first process. The host's / (9p tag "root", read-only) becomes /host; writable tmpfs go
# over the directories tools write to; the run directory (tag "run") is /tmp/run in it and the kernel's
# modules (tag "kernel") are /run/kernel. The guest script then runs chrooted in /host.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r module; do insmod "/modules/$module"; done </modules/load-order
ninep="trans=virtio,version=9p2000.L,msize=512000"
if ! mount -t 9p -o "$ninep,ro,cache=loose" root /host; then
  echo "guest: cannot mount the host's / over 9p"
  poweroff -f
fi
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t devtmpfs devtmpfs /host/dev
mount -t devpts devpts /host/dev/pts 2>/dev/null
for dir in run tmp var/tmp var/lib/nfs root mnt media; do
  [ -d "/host/$dir" ] && mount -t tmpfs tmpfs "/host/$dir"
done
# /etc/iscsi must be writable (node records, initiator name): a tmpfs holding a copy of the host's
if [ -d /host/etc/iscsi ]; then
  mkdir -p /etc-iscsi && cp -a /host/etc/iscsi/. /etc-iscsi/
  mount -t tmpfs tmpfs /host/etc/iscsi && cp -a /etc-iscsi/. /host/etc/iscsi/
fi
mkdir -p /host/run/kernel /host/run/lock /host/tmp/run
mount -t 9p -o "$ninep,ro" kernel /host/run/kernel
mount -t 9p -o "$ninep" run /host/tmp/run
# the kernel asks for modules (fs types, crypto) through this helper; they live under /run/kernel
printf '#!/bin/sh\nexec chroot /host modprobe -d /run/kernel "$@"\n' >/sbin-modprobe
chmod +x /sbin-modprobe
echo /sbin-modprobe >/proc/sys/kernel/modprobe
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
echo "guest: up after $(cut -d' ' -f1 /proc/uptime) s, kernel $(uname -r)"
chroot /host /bin/bash /tmp/run/start.sh >/dev/console 2>&1
echo "guest: powering off after $(cut -d' ' -f1 /proc/uptime) s"
sync
poweroff -f
INIT
}

# the initramfs is rebuilt when this script, the kernel or busybox changed
stamp=$( (cat "$0"; echo "$version"; sha256sum /bin/busybox) | sha256sum | cut -c1-16)
if [ -n "${FORCE:-}" ] || [ ! -f "$vm/initramfs.cpio.gz" ] || [ "$(cat "$vm/initramfs.stamp" 2>/dev/null)" != "$stamp" ]; then
  [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || die "/bin/busybox is missing or not static (install busybox-static)"
  root=$vm/initramfs-root
  rm -rf "$root"
  mkdir -p "$root"/{bin,dev,proc,sys,host,modules}
  cp /bin/busybox "$root/bin/busybox"
  modprobe -d "$vm/kernel" -S "$version" --show-depends -a virtio_pci 9pnet_virtio 9p virtio_net |
    awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
    while read -r ko; do
      cp "$ko" "$root/modules/"
      basename "$ko" >>"$root/modules/load-order"
    done
  write_init >"$root/init"
  chmod +x "$root/init"
  (cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$vm/initramfs.cpio.gz.new"
  mv "$vm/initramfs.cpio.gz.new" "$vm/initramfs.cpio.gz"
  rm -rf "$root"
  echo "$stamp" >"$vm/initramfs.stamp"
  log "initramfs built ($(stat -c %s "$vm/initramfs.cpio.gz") bytes)"
fi
echo "$vm/kernel/boot/vmlinuz-$version"
echo "$vm/initramfs.cpio.gz"
