#!/usr/bin/env bash
# Runs Samba's SMB2/3 conformance suite (smbtorture) against an SMB share, one smbtorture process per suite
# (as Samba's own CI does: a suite that hangs or crashes costs only itself), with subunit output.
# Usage: smb-conformance.sh //HOST[:PORT]/SHARE USER%PASSWORD OUTDIR [SUITE...]
#   default suites: the 43-suite smb2 subset below (Samba 4.17 passes 286 of its tests, fails 39, errors 2,
#   skips 44 on a Linux file system). Longer ones for a nightly run: smb2.notify smb2.lease smb2.oplock smb2.replay.
# A test smbtorture started but gave no result (stopped by the timeout, or smbtorture crashed), a suite that
#   ran no test and a suite not run are errors.
# Writes OUTDIR/SUITE.subunit (smbtorture's subunit v1 stream), OUTDIR/SUITE.stderr, OUTDIR/summary.tsv
#   (suite, pass, fail, error, skip, wall seconds, note) and OUTDIR/summary.md (the table and the failed tests).
#   Prints a line per suite and `N passed, N failed, N skipped` last (failed = failures + errors). Exits 0
#   when every suite ran, whatever its results; 2 on bad arguments.
# Env: SUITE_TIMEOUT (120 s per suite, then SIGTERM, SIGKILL 5 s later: the suite gets the note TIMEOUT),
#   SMB_TORTURE_BUDGET (seconds for the whole run, 0 = no limit; the suites left when it is spent are not
#   started and get the note NOT-RUN), TORTURE_EXTRA (more smbtorture arguments, e.g. --option=torture:...).
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,/^[^#]/{/^#/p}' "$0" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
unc=$1 credentials=$2 out=$3
shift 3
suite_timeout=${SUITE_TIMEOUT:-120}
budget=${SMB_TORTURE_BUDGET:-0}
subset="connect read rw create dir getinfo setinfo lock session ioctl compound compound_find compound_async
 credits dosmode ea fileid rename sharemode streams timestamps delete-on-close-perms deny mkdir tcon charset
 maximum_allowed durable-open durable-v2-open acls openattr winattr sdread set-sparse-ioctl zero-data-ioctl
 timestamp_resolution check-sharemode session-id maxfid scan twrp mangle secleak"
if [ $# -gt 0 ]; then
  suites=("$@")
else
  suites=()
  for s in $subset; do suites+=("smb2.$s"); done
fi
# Options the manual suites need to run at all: set-sparse-ioctl marks a file sparse (making it when missing),
# zero-data-ioctl then zeroes a range of that same file (it opens it, so it runs after set-sparse-ioctl).
suite_options() {
  case $1 in
    smb2.set-sparse-ioctl) echo "--option=torture:filename=smbtorture-sparse-ioctl.dat" ;;
    smb2.zero-data-ioctl)
      echo "--option=torture:filename=smbtorture-sparse-ioctl.dat --option=torture:offset=0" \
        "--option=torture:beyond_final_zero=4096" ;;
  esac
}
command -v smbtorture >/dev/null || die "smbtorture is missing: run scripts/test-tools/install.sh"
# smbtorture takes no port in the UNC: it goes to -p (--smb-ports)
[[ $unc =~ ^//(\[[^]]+\]|[^/:]+)(:([0-9]+))?/(.+)$ ]] || { echo "not //HOST[:PORT]/SHARE: $unc" >&2; exit 2; }
host=${BASH_REMATCH[1]} port=${BASH_REMATCH[3]:-445} share=${BASH_REMATCH[4]}
host=${host#[}
host=${host%]}
mkdir -p "$out"
rm -f "$out"/*.subunit "$out"/*.stderr
tsv=$out/summary.tsv
md=$out/summary.md
printf 'suite\tpass\tfail\terror\tskip\twall_s\tnote\n' >"$tsv"
started=$SECONDS
for suite in "${suites[@]}"; do
  if ((budget > 0 && SECONDS - started >= budget)); then
    : >"$out/$suite.subunit"
    printf '%s\t0\t0\t1\t0\t0.0\tNOT-RUN (budget %ss spent)\n' "$suite" "$budget" >>"$tsv"
    printf '%-32s not run: the budget of %s s is spent\n' "$suite" "$budget"
    continue
  fi
  begin=$(date +%s.%N)
  status=0
  # shellcheck disable=SC2086,SC2046
  timeout -k 5 "$suite_timeout" smbtorture "//$host/$share" -p "$port" -U "$credentials" --format=subunit \
    ${TORTURE_EXTRA:-} $(suite_options "$suite") "$suite" >"$out/$suite.subunit" 2>"$out/$suite.stderr" </dev/null || status=$?
  wall=$(awk -v a="$begin" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  # subunit v1 results: success/successful/xfail pass, failure/uxsuccess fail, error, skip; a test started
  # without a result (the timeout stopped it, smbtorture crashed) is an error
  read -r p f e k < <(awk '/^test: /{t++} /^(success|successful|xfail): /{p++} /^(failure|uxsuccess): /{f++}
    /^error: /{e++} /^skip: /{k++} END {print p+0, f+0, e+0+(t>p+f+e+k ? t-p-f-e-k : 0), k+0}' "$out/$suite.subunit")
  note=
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then note="TIMEOUT (${suite_timeout}s)"; fi
  if [ $((p + f + e + k)) = 0 ]; then
    note="$note exit $status: $(grep -m1 -hE '^(failure|error|skip): |NT_STATUS|ERROR' "$out/$suite.subunit" \
      "$out/$suite.stderr" | cut -c1-100)"
    e=1
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$suite" "$p" "$f" "$e" "$k" "$wall" "$note" >>"$tsv"
  printf '%-32s pass %3d  fail %3d  error %2d  skip %3d  %6ss %s\n' "$suite" "$p" "$f" "$e" "$k" "$wall" "$note"
done
read -r P F E K < <(awk -F'\t' 'NR > 1 {p += $2; f += $3; e += $4; k += $5} END {print p+0, f+0, e+0, k+0}' "$tsv")
wall=$((SECONDS - started))
printf 'TOTAL\t%s\t%s\t%s\t%s\t%s\t\n' "$P" "$F" "$E" "$K" "$wall" >>"$tsv"
{
  echo "# smbtorture against //$host:$port/$share ($wall s wall)"
  echo
  echo '| suite | pass | fail | error | skip | wall s | note |'
  echo '|---|---:|---:|---:|---:|---:|---|'
  awk -F'\t' 'NR > 1 {printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7}' "$tsv"
  echo
  echo "Failed tests:"
  for suite in "${suites[@]}"; do
    sed -nE "s/^(failure|uxsuccess|error): (.*[^[ ])( \\[)?\$/- $suite.\2 (\1)/p" "$out/$suite.subunit"
  done
} >"$md"
log "smbtorture: $wall s, results in $out"
echo "$P passed, $((F + E)) failed, $K skipped"
