# fio-compare.sh - sourced by iscsi-compare.sh and nfs-compare.sh: runs each section of $jobs on exports
# a and b in alternating order, ROUNDS times, through the caller's run(), then prints the table of means
# and a/b ratios from the terse files in $out, and exits 1 if any job failed.
# Needs: run WHO URL SECTION ROUND, $url_a $url_b $name_a $name_b $sections $out.

compare_and_report() {
  for ((round = 1; round <= ${ROUNDS:-1}; round++)); do
    for section in $sections; do
      if ((round % 2)); then
        run a "$url_a" "$section" "$round"
        run b "$url_b" "$section" "$round"
      else
        run b "$url_b" "$section" "$round"
        run a "$url_a" "$section" "$round"
      fi
    done
  done

  # terse v3 fields: 3 job name, 5 error, 7 read KiB/s, 8 read IOPS, 48 write KiB/s, 49 write IOPS
  measure() {   # measure WHO SECTION: mean IOPS of a 4k job, MiB/s otherwise, over the rounds; "error" if one failed
    local files=("$out/$2.$1".*.terse)
    [ -e "${files[0]}" ] || { echo error; return; }
    awk -F';' -v iops="$([[ $2 == *4k* ]] && echo 1)" -v rounds="${ROUNDS:-1}" '
      $1 == "3" { found++; if ($5 != 0) bad = 1; io += $8 + $49; kib += $7 + $48 }
      END {
        if (found != rounds || bad || io == 0) print "error"
        else if (iops) printf "%.0f\n", io / found
        else printf "%.1f\n", kib / 1024 / found
      }' "${files[@]}"
  }
  printf '%-20s %-6s %12s %12s %8s\n' job metric "$name_a" "$name_b" "$name_a/$name_b"
  status=0
  for section in $sections; do
    a=$(measure a "$section")
    b=$(measure b "$section")
    metric=MiB/s
    [[ $section == *4k* ]] && metric=IOPS
    if [[ $a != error && $b != error ]]; then
      ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    else
      ratio=- status=1
    fi
    printf '%-20s %-6s %12s %12s %8s\n' "$section" "$metric" "$a" "$b" "$ratio"
  done
  return $status
}
