# Used by bench/compile-time.sh (sourced, not
# run): timing one crate's rebuild, and the statistics of a column of numbers.
# Expects `$work` to be the generated workspace.

# Prints the wall time and the CPU time (user + system of cargo and the
# rustc it runs), in milliseconds, of `cargo $mode` rebuilding one crate
# alone: its dependencies are fresh, only its own source changed. On a
# shared machine the CPU time is the steadier of the two: waiting for a
# core counts in the wall time only.
time_one() {
    local mode="$1" crate="$2" TIMEFORMAT='%3R %3U %3S'
    touch "$work/$crate/src/lib.rs"
    # cargo's own output to the terminal (fd 3), `time`'s line to awk.
    { time cargo "$mode" --offline --quiet -p "$crate" --lib >&3 2>&3; } 3>&2 2>&1 |
        awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { sort -n | awk 'NR == 1 { min = $1 } { max = $1 } END { printf "%d-%d", min, max }'; }
