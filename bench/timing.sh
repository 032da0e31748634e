# Used by bench/compile-time.sh (sourced, not
# run): timing one crate's rebuild, and the statistics of a column of numbers.
# Expects `$work` to be the generated workspace.

# Prints the wall time, in milliseconds, of `cargo $mode` rebuilding one
# crate alone: its dependencies are fresh, only its own source changed.
time_one() {
    local mode="$1" crate="$2" start end
    touch "$work/$crate/src/lib.rs"
    start=$(date +%s%N)
    cargo "$mode" --offline --quiet -p "$crate" --lib
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { sort -n | awk 'NR == 1 { min = $1 } { max = $1 } END { printf "%d-%d", min, max }'; }
