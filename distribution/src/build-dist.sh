#!/usr/bin/env bash
# Builds sgw's distribution from target/app/lib (the application's jars, copied by Maven):
#   target/dist/sgw-VERSION-linux-x86_64.tar.gz   a trimmed Java runtime (jlink) and the application
#   target/dist/sgw_DEBVERSION_amd64.deb           the same under /usr/lib/sgw, with /usr/bin/sgw, the
#                                                  systemd unit, /etc/sgw and the maintainer scripts
# Usage (Maven runs it at package): build-dist.sh VERSION DEBVERSION TARGET_DIR JAVA_HOME
# Reproducible where the tools allow: files dated SOURCE_DATE_EPOCH (the last commit's time by default),
# sorted, owned by root, gzip without names or times.
set -euo pipefail
version=$1 deb_version=$2 target=$3 java_home=$4
src=$(cd "$(dirname "$0")" && pwd)/dist
name=sgw-$version-linux-x86_64
out=$target/dist
stage=$out/$name
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$src" log -1 --format=%ct 2>/dev/null || echo 0)}

# The JDK modules the gateway and its libraries use (jdeps --print-module-deps over target/app/lib, plus
# what is reached by reflection or service loading: logging, XML for the S3 and OSS clients, the HTTP
# server of the console, zip file systems, the Kerberos/GSS classes the SMB and HTTP clients may load).
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss
modules=$modules,java.sql,java.xml,jdk.httpserver,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs
modules=$modules,jdk.crypto.cryptoki,jdk.localedata

rm -rf "$out"
mkdir -p "$stage/bin" "$stage/lib"
if ! "$java_home/bin/jlink" --add-modules "$modules" --include-locales=en --compress=zip-6 --strip-debug --no-header-files \
    --no-man-pages --output "$stage/runtime" 2>"$out/jlink.log"; then
  cat "$out/jlink.log" >&2
  echo "build-dist: jlink could not build the runtime from $java_home; a JDK whose jlink links without" >&2
  echo "packaged modules (Temurin 24+) or one with its jmods (e.g. Debian's openjdk-21-jmods) is needed" >&2
  exit 1
fi
# the runtime's native programs and libraries without their symbol tables (where binutils is here)
if command -v strip >/dev/null 2>&1; then
  find "$stage/runtime/bin" "$stage/runtime/lib" -type f \( -name '*.so' -o -perm -u+x \) -exec sh -c \
    'for f; do if [ "$(head -c 4 "$f" | od -An -c | tr -d " ")" = "177ELF" ]; then strip --strip-unneeded "$f"; fi; done' sh {} +
fi
chmod -R u+w,go-w,a+rX "$stage/runtime"
cp "$target"/app/lib/*.jar "$stage/lib/"
# RocksDB's jar carries its native library for fifteen platforms; this distribution is for x86-64 glibc.
rocks=$(ls "$stage"/lib/rocksdbjni-*.jar)
rm -rf "$out/rocksdb" && mkdir "$out/rocksdb"
(cd "$out/rocksdb" && "$java_home/bin/jar" xf "$rocks")
find "$out/rocksdb" -maxdepth 1 -name 'librocksdbjni-*' ! -name 'librocksdbjni-linux64.so' -delete
rm "$rocks"
"$java_home/bin/jar" --create --date="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)" --file "$rocks" \
  --manifest "$out/rocksdb/META-INF/MANIFEST.MF" -C "$out/rocksdb" .
rm -rf "$out/rocksdb"
install -m 0755 "$src/bin/sgw" "$stage/bin/sgw"
cp "$src/etc/sgw.json" "$stage/sgw.example.json"
printf 'sgw %s\n' "$version" >"$stage/VERSION"

# The archive.
find "$stage" -exec touch -h -d "@$epoch" {} +
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$out" -cf - "$name" \
  | gzip -n -6 >"$out/$name.tar.gz"

# The .deb (needs dpkg-deb; skipped with a note where there is none, e.g. on a non-Debian machine).
if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "build-dist: no dpkg-deb here; the .deb is not built" >&2
  exit 0
fi
root=$out/deb
mkdir -p "$root/DEBIAN" "$root/usr/lib" "$root/usr/bin" "$root/etc/sgw" "$root/lib/systemd/system" \
  "$root/usr/share/doc/sgw" "$root/etc/default"
cp -a "$stage" "$root/usr/lib/sgw"
rm "$root/usr/lib/sgw/sgw.example.json"
ln -s ../lib/sgw/bin/sgw "$root/usr/bin/sgw"
install -m 0640 "$src/etc/sgw.json" "$root/etc/sgw/sgw.json"
install -m 0644 "$src/etc/default-sgw" "$root/etc/default/sgw"
install -m 0644 "$src/systemd/sgw.service" "$root/lib/systemd/system/sgw.service"
install -m 0644 "$src/etc/sgw.json" "$root/usr/share/doc/sgw/sgw.example.json"
install -m 0644 "$src/debian/copyright" "$root/usr/share/doc/sgw/copyright"
install -d "$root/usr/share/lintian/overrides"
install -m 0644 "$src/debian/lintian-overrides" "$root/usr/share/lintian/overrides/sgw"
gzip -n -9 -c "$src/debian/changelog" >"$root/usr/share/doc/sgw/changelog.gz"
for script in postinst prerm postrm; do
  install -m 0755 "$src/debian/$script" "$root/DEBIAN/$script"
done
install -m 0644 "$src/debian/conffiles" "$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$deb_version/" -e "s/@SIZE@/$size/" "$src/debian/control" >"$root/DEBIAN/control"
chmod -R go-w "$root"
find "$root" -exec touch -h -d "@$epoch" {} +
SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zgzip --build "$root" "$out/sgw_${deb_version}_amd64.deb" >/dev/null
rm -rf "$root"
echo "build-dist: $out/$name.tar.gz and $out/sgw_${deb_version}_amd64.deb"
