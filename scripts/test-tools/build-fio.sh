#!/usr/bin/env bash
# Builds fio with the libiscsi and nfs (libnfs) ioengines, which the distribution's fio lacks, into
# $SGW_TEST_TOOLS_DIR/bin/fio (default ~/.cache/sgw-test-tools). A no-op when that binary is there and
# has both engines. Prints the binary's path on stdout; progress goes to stderr.
# The source is the distribution's fio source package, fetched with apt-get into a private apt state
# under the work directory (the system's apt configuration is not touched), or FIO_SRC=DIR, an unpacked
# fio source tree. Build dependencies (install.sh): build-essential pkg-config libiscsi-dev libnfs-dev
# libaio-dev zlib1g-dev. Env: SGW_BUILD_JOBS (2), FIO_SRC_URI (the archive to fetch the source from).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
fio=$W/bin/fio

has_engines() {
  [ -x "$fio" ] || return 1
  local engines
  engines=$("$fio" --enghelp 2>/dev/null) || return 1
  grep -qx '[[:space:]]*libiscsi' <<<"$engines" && grep -qx '[[:space:]]*nfs' <<<"$engines"
}

if has_engines; then
  log "fio already built ($("$fio" --version))"
  echo "$fio"
  exit 0
fi

fetch_source() {   # unpacks the distribution's fio source package under $W/src/fio
  local apt=$W/apt uri components keyring
  . /etc/os-release
  case ${ID:-debian} in
    ubuntu) uri=http://archive.ubuntu.com/ubuntu components="main universe"
            keyring=/usr/share/keyrings/ubuntu-archive-keyring.gpg ;;
    *)      uri=http://deb.debian.org/debian components=main
            keyring=/usr/share/keyrings/debian-archive-keyring.gpg ;;
  esac
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$W/src/fio"
  echo "deb-src [signed-by=$keyring] ${FIO_SRC_URI:-$uri} ${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release} $components" \
    >"$apt/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent
              -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1)
  [ "$(id -u)" != 0 ] || opts+=(-o APT::Sandbox::User=root)   # the private directories are root's
  log "fetching the fio source package"
  apt-get "${opts[@]}" -qq update >&2
  (cd "$W/src/fio" && apt-get "${opts[@]}" -q source fio >&2)
  rm -rf "$apt"
}

if [ -n "${FIO_SRC:-}" ]; then
  src=$FIO_SRC
else
  src=$(ls -d "$W"/src/fio/fio-*/ 2>/dev/null | head -1 || true)
  if [ -z "$src" ]; then
    fetch_source
    src=$(ls -d "$W"/src/fio/fio-*/ | head -1)
  fi
fi
cd "$src"
log "configuring fio in $src"
./configure --enable-libiscsi --enable-libnfs >"$W/logs/fio-configure.log" 2>&1 ||
  die "fio configure failed, see $W/logs/fio-configure.log"
grep -E '^(iscsi engine|NFS engine)' "$W/logs/fio-configure.log" >&2 || true
log "compiling fio"
nice -n 10 make -j"${SGW_BUILD_JOBS:-2}" >"$W/logs/fio-make.log" 2>&1 || die "fio make failed, see $W/logs/fio-make.log"
cp fio "$fio.new"
mv "$fio.new" "$fio"
has_engines || die "the built fio lacks the libiscsi or nfs engine (libiscsi-dev, libnfs-dev?), see $W/logs/fio-configure.log"
log "built $("$fio" --version)"
echo "$fio"
