#!/usr/bin/env bash
# Compile time and code size of N address types written with `#[address]`,
# side by side with two baselines: the same N written with memory_addr's
# `def_usize_addr!` + `def_usize_addr_formatter!` ("bare"), and those plus,
# written by hand, the rest of `#[address]`'s API ("equal API");
# bench/README.md has the method and the figures.
#
#   RUNS=5 NS=1000 bash bench/compile-time.sh     # the README's table
#   bash bench/compile-time.sh                    # N = 100 … 2000, 3 runs each
#
# With more than one N, writes the medians to bench/compile-time.dat and
# draws them against N as bench/compile-time.svg (gnuplot, if installed;
# Debian: apt-get install -y gnuplot-nox). SIZE_N=0 skips the code size.
# Not part of CI: it takes minutes, and timings are only meaningful on a
# quiet machine.
set -euo pipefail
shopt -s extglob

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-3}"
ns="${NS:-100 250 500 1000 1500 2000}"
size_n="${SIZE_N:-100}"
target_root="${CARGO_TARGET_DIR:-$repo/target}"
work="$target_root/bench/compile-time"
export CARGO_INCREMENTAL=0
unset CARGO_TARGET_DIR RUSTFLAGS

for tool in cargo nm size awk; do
    command -v "$tool" >/dev/null || {
        echo "error: needs \`$tool\` (apt-get install -y binutils)" >&2
        exit 1
    }
done

# --- generate -------------------------------------------------------------

# The function every type gets, the same text in both crates.
touch_fn() {
    local i="$1"
    cat <<EOF
/// Uses [\`Addr$i\`] as kernel code does: convert, align, offset, print.
pub fn touch_$i(out: &mut dyn core::fmt::Write, raw: usize) -> core::fmt::Result {
    let addr = Addr$i::from(raw).align_up(0x1000usize) + 0x10;
    write!(out, "{addr:?} {addr:x} {addr:X}")
}

EOF
}

# The crate-level items of the equal-API baseline, written once as a user
# would: a `FromStr` error and parser with addr-types' grammar, and a
# `macro_rules!` that gives a `def_usize_addr!` type the rest of
# `#[address]`'s API: `Display`, `FromStr`, `TryFrom<u64>`, `as_u64`, the
# `const` 4K helpers, and the nine `const` `add`/`sub`/`sub_addr` methods
# with their `checked_`/`wrapping_` forms (`Hash` is derived through
# `def_usize_addr!`'s attributes).
equal_api_items() {
    cat <<'RUST'
/// Why a string is not an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseAddrError {
    /// Not `0x` and hex digits, nor decimal digits.
    Malformed,
    /// Above `usize::MAX`.
    TooLarge,
}

impl core::fmt::Display for ParseAddrError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Malformed => "invalid address",
            Self::TooLarge => "address above usize::MAX",
        })
    }
}

/// `0x` and hex digits, or decimal digits, `_` allowed among them.
pub fn parse_addr(text: &str) -> Result<usize, ParseAddrError> {
    let (digits, radix) = match text.strip_prefix("0x") {
        Some(hex) => (hex, 16),
        None if text.starts_with(|c: char| c.is_ascii_digit()) => (text, 10),
        None => return Err(ParseAddrError::Malformed),
    };
    if !digits.chars().all(|c| c == '_' || c.is_digit(radix))
        || !digits.chars().any(|c| c.is_digit(radix))
    {
        return Err(ParseAddrError::Malformed);
    }
    digits
        .chars()
        .filter_map(|c| c.to_digit(radix))
        .try_fold(0usize, |addr, digit| {
            addr.checked_mul(radix as usize)?.checked_add(digit as usize)
        })
        .ok_or(ParseAddrError::TooLarge)
}

/// The rest of `#[address]`'s API for a type made by `def_usize_addr!`.
macro_rules! addr_api {
    ($name:ident) => {
        impl $name {
            /// Converts to a `u64`.
            #[inline]
            pub const fn as_u64(self) -> u64 {
                self.as_usize() as u64
            }
            /// Rounds down to a 4 KiB boundary.
            #[inline]
            pub const fn align_down_4k(self) -> Self {
                Self::from_usize(self.as_usize() & !0xfff)
            }
            /// Rounds up to a 4 KiB boundary.
            #[inline]
            pub const fn align_up_4k(self) -> Self {
                Self::from_usize((self.as_usize() + 0xfff) & !0xfff)
            }
            /// The offset within the 4 KiB page.
            #[inline]
            pub const fn align_offset_4k(self) -> usize {
                self.as_usize() & 0xfff
            }
            /// Whether it is 4 KiB aligned.
            #[inline]
            pub const fn is_aligned_4k(self) -> bool {
                self.as_usize() & 0xfff == 0
            }
            /// `MemoryAddr::add`, in `const`.
            #[inline]
            pub const fn add(self, rhs: usize) -> Self {
                match self.as_usize().checked_add(rhs) {
                    Some(addr) => Self::from_usize(addr),
                    None => panic!("overflow in `MemoryAddr::add`"),
                }
            }
            /// `MemoryAddr::checked_add`, in `const`.
            #[inline]
            pub const fn checked_add(self, rhs: usize) -> Option<Self> {
                match self.as_usize().checked_add(rhs) {
                    Some(addr) => Some(Self::from_usize(addr)),
                    None => None,
                }
            }
            /// `MemoryAddr::wrapping_add`, in `const`.
            #[inline]
            pub const fn wrapping_add(self, rhs: usize) -> Self {
                Self::from_usize(self.as_usize().wrapping_add(rhs))
            }
            /// `MemoryAddr::sub`, in `const`.
            #[inline]
            pub const fn sub(self, rhs: usize) -> Self {
                match self.as_usize().checked_sub(rhs) {
                    Some(addr) => Self::from_usize(addr),
                    None => panic!("overflow in `MemoryAddr::sub`"),
                }
            }
            /// `MemoryAddr::checked_sub`, in `const`.
            #[inline]
            pub const fn checked_sub(self, rhs: usize) -> Option<Self> {
                match self.as_usize().checked_sub(rhs) {
                    Some(addr) => Some(Self::from_usize(addr)),
                    None => None,
                }
            }
            /// `MemoryAddr::wrapping_sub`, in `const`.
            #[inline]
            pub const fn wrapping_sub(self, rhs: usize) -> Self {
                Self::from_usize(self.as_usize().wrapping_sub(rhs))
            }
            /// `MemoryAddr::sub_addr`, in `const`.
            #[inline]
            pub const fn sub_addr(self, rhs: Self) -> usize {
                match self.as_usize().checked_sub(rhs.as_usize()) {
                    Some(distance) => distance,
                    None => panic!("overflow in `MemoryAddr::sub_addr`"),
                }
            }
            /// `MemoryAddr::checked_sub_addr`, in `const`.
            #[inline]
            pub const fn checked_sub_addr(self, rhs: Self) -> Option<usize> {
                self.as_usize().checked_sub(rhs.as_usize())
            }
            /// `MemoryAddr::wrapping_sub_addr`, in `const`.
            #[inline]
            pub const fn wrapping_sub_addr(self, rhs: Self) -> usize {
                self.as_usize().wrapping_sub(rhs.as_usize())
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{:#x}", self.as_usize())
            }
        }

        impl core::str::FromStr for $name {
            type Err = ParseAddrError;
            fn from_str(text: &str) -> Result<Self, ParseAddrError> {
                parse_addr(text).map(Self::from_usize)
            }
        }

        impl TryFrom<u64> for $name {
            type Error = core::num::TryFromIntError;
            fn try_from(value: u64) -> Result<Self, Self::Error> {
                usize::try_from(value).map(Self::from_usize)
            }
        }
    };
}
RUST
}

# What a flavor is called in the generated crate's docs and the summary.
label() {
    case "$1" in
        typed) echo '#[address]' ;;
        legacy) echo 'def_usize_addr!' ;;
        equal) echo 'equal API' ;;
    esac
}

generate() {
    local flavor="$1" n="$2" dir="$work/${1}_$2" i
    mkdir -p "$dir/src"
    {
        echo "[package]"
        echo "name = \"${flavor}_$n\""
        echo 'version = "0.0.0"'
        echo 'edition = "2021"'
        echo 'publish = false'
        echo
        echo '[dependencies]'
        if [[ $flavor == typed ]]; then
            echo "addr-types = { path = '$repo/addr-types' }"
        else
            echo 'memory_addr = "0.4.1"'
        fi
    } >"$dir/Cargo.toml"

    {
        echo "//! $n address types written with \`$(label "$flavor")\`, generated by bench/compile-time.sh."
        echo '#![no_std]'
        if [[ $flavor == typed ]]; then
            echo 'use addr_types::{address, MemoryAddr};'
        else
            echo 'use memory_addr::{def_usize_addr, def_usize_addr_formatter, MemoryAddr};'
        fi
        echo
        [[ $flavor != equal ]] || equal_api_items
        echo
        for ((i = 0; i < n; i++)); do
            case "$flavor" in
                typed)
                    printf '/// Address type %d.\n#[address(prefix = "T%d")]\npub struct Addr%d(usize);\n\n' "$i" "$i" "$i"
                    ;;
                legacy)
                    printf 'def_usize_addr! {\n    /// Address type %d.\n    pub type Addr%d;\n}\n\n' "$i" "$i"
                    printf 'def_usize_addr_formatter! {\n    Addr%d = "T%d:{}";\n}\n\n' "$i" "$i"
                    ;;
                equal)
                    printf 'def_usize_addr! {\n    /// Address type %d.\n    #[derive(Hash)]\n    pub type Addr%d;\n}\n\n' "$i" "$i"
                    printf 'def_usize_addr_formatter! {\n    Addr%d = "T%d:{}";\n}\n\n' "$i" "$i"
                    printf 'addr_api!(Addr%d);\n\n' "$i"
                    ;;
            esac
            touch_fn "$i"
        done
    } >"$dir/src/lib.rs"

    # The binary the code size is read from: it prints every type, so every
    # formatting impl is linked in.
    {
        echo 'use std::fmt::Write as _;'
        echo 'fn main() {'
        echo '    let raw = std::hint::black_box(0x8020_1234usize);'
        echo '    let mut out = String::new();'
        for ((i = 0; i < n; i++)); do
            echo "    ${flavor}_$n::touch_$i(&mut out, raw).unwrap();"
        done
        echo '    let _ = writeln!(out);'
        echo '    print!("{}", out.len());'
        echo '}'
    } >"$dir/src/main.rs"
}

flavors=(typed legacy equal)
members=()
for n in $ns; do
    for flavor in "${flavors[@]}"; do
        generate "$flavor" "$n"
        members+=("\"${flavor}_$n\"")
    done
done
if ((size_n > 0)) && ! printf '%s\n' $ns | grep -qx "$size_n"; then
    for flavor in "${flavors[@]}"; do
        generate "$flavor" "$size_n"
        members+=("\"${flavor}_$size_n\"")
    done
fi
{
    echo '[workspace]'
    echo 'resolver = "2"'
    echo "members = [$(IFS=,; echo "${members[*]}")]"
} >"$work/Cargo.toml"
# The repository's lock file: the same dependency versions, no network.
cp "$repo/Cargo.lock" "$work/Cargo.lock"

cd "$work"
echo "==> building dependencies and a first copy of every crate"
cargo build --offline --quiet --workspace --lib
cargo check --offline --quiet --workspace --lib

# --- time -----------------------------------------------------------------

# time_one, median, spread
source "$repo/bench/timing.sh"

machine="$(uname -srm), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
summary=()
summary+=("machine: $machine")
summary+=("rustc:   $(rustc -V)")
summary+=("date:    $(date -u '+%Y-%m-%d %H:%M UTC')")
summary+=("load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')")
summary+=("")
row() { printf '%-6s %-5s %4s %-5s %-22s %-22s %-22s %-7s %s' "$@"; }
summary+=("$(row mode N runs time '#[address] ms (range)' 'def_usize_addr! ms' 'equal API ms' 'vs bare' 'vs equal')")

# One line per mode and N, the medians in ms: the plot's data.
points=$(wc -w <<<"$ns")
data="$repo/bench/compile-time.dat"
if ((points > 1)); then
    echo "# mode N address_ms legacy_ms equal_ms address_cpu_ms legacy_cpu_ms equal_cpu_ms   ($runs runs each, bench/compile-time.sh)" >"$data"
fi
for mode in build check; do
    for n in $ns; do
        declare -A wall=() cpu=()
        echo "==> cargo $mode, N = $n, $runs runs each, the flavors in rotating order"
        for ((run = 0; run < runs; run++)); do
            # Each flavor goes first, second and third in turn, so that a
            # drift in the machine's load hits all three alike.
            for ((k = 0; k < ${#flavors[@]}; k++)); do
                flavor=${flavors[(run + k) % ${#flavors[@]}]}
                read -r w c <<<"$(time_one "$mode" "${flavor}_$n")"
                wall[$flavor]+="$w " cpu[$flavor]+="$c "
            done
        done
        line="$mode $n"
        for kind in wall cpu; do
            declare -A med=() range=()
            for flavor in "${flavors[@]}"; do
                if [[ $kind == wall ]]; then values=${wall[$flavor]}; else values=${cpu[$flavor]}; fi
                echo "    $(printf '%-16s %-4s' "$(label "$flavor")" "$kind") $values"
                med[$flavor]=$(printf '%s\n' $values | median)
                range[$flavor]=$(printf '%s\n' $values | spread)
            done
            line+=" ${med[typed]} ${med[legacy]} ${med[equal]}"
            summary+=("$(row "$mode" "$n" "$runs" "$kind" \
                "${med[typed]} (${range[typed]})" "${med[legacy]} (${range[legacy]})" \
                "${med[equal]} (${range[equal]})" \
                "$(awk -v t="${med[typed]}" -v b="${med[legacy]}" 'BEGIN { printf "%.2f", t / b }')" \
                "$(awk -v t="${med[typed]}" -v e="${med[equal]}" 'BEGIN { printf "%.2f", t / e }')")")
        done
        ((points <= 1)) || echo "$line" >>"$data"
    done
done
summary+=("load after:  $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')")

# --- size -----------------------------------------------------------------

# Sums the sizes of the formatting functions in a release binary, counting
# each address once: LLVM may merge identical impls into one body with
# several names.
fmt_text_bytes() {
    local binary="$1" crate="$2" addr size kind name total=0 count=0
    local -A seen=()
    while read -r addr size kind name; do
        [[ $kind == [tT] ]] || continue
        if [[ $name == "<$crate::Addr"*" as core::fmt::"@(Debug|LowerHex|UpperHex)">::fmt" ||
            $name == addr_types::*::fmt_@(lower|upper)_hex ]]; then
            [[ -z ${seen[$addr]:-} ]] || continue
            seen[$addr]=1
            total=$((total + 16#$size))
            count=$((count + 1))
        fi
    done < <(nm -C -S --defined-only "$binary")
    echo "$total bytes in $count functions"
}

if ((size_n > 0)); then
    echo "==> release binaries for the code size, N = $size_n"
    summary+=("")
    summary+=("release .text of the formatting code, N = $size_n (nm -S, each address once):")
    for flavor in "${flavors[@]}"; do
        crate="${flavor}_$size_n"
        cargo build --offline --quiet --release -p "$crate" --bin "$crate"
        binary="$work/target/release/$crate"
        text=$(size -A "$binary" | awk '$1 == ".text" { print $2 }')
        summary+=("  $(printf '%-16s' "$(label "$flavor")") $(fmt_text_bytes "$binary" "$crate"); whole binary .text $text bytes")
    done
fi

# --- plot -----------------------------------------------------------------

# Solid lines build, dashed lines check; red #[address], blue
# def_usize_addr!, green the equal-API baseline.
if ((points > 1)) && command -v gnuplot >/dev/null; then
    gnuplot <<PLOT
set terminal svg size 720,440 dynamic noenhanced font "sans,12" background rgb "white"
set output "$repo/bench/compile-time.svg"
set title "Rebuild of one crate of N address types (median of $runs runs)"
set xlabel "N, address types in the crate"
set ylabel "seconds"
set key top left
set grid
set datafile missing "NaN"
build(c) = stringcolumn(1) eq "build" ? column(c) : NaN
check(c) = stringcolumn(1) eq "check" ? column(c) : NaN
plot "$data" using (build(2)):(\$3 / 1000) with linespoints lw 2 pt 7 lc rgb "#c0392b" title "cargo build, #[address]", \\
     "$data" using (build(2)):(\$4 / 1000) with linespoints lw 2 pt 5 lc rgb "#2471a3" title "cargo build, def_usize_addr!", \\
     "$data" using (build(2)):(\$5 / 1000) with linespoints lw 2 pt 9 lc rgb "#1e8449" title "cargo build, equal API", \\
     "$data" using (check(2)):(\$3 / 1000) with linespoints lw 2 pt 6 dt 2 lc rgb "#c0392b" title "cargo check, #[address]", \\
     "$data" using (check(2)):(\$4 / 1000) with linespoints lw 2 pt 4 dt 2 lc rgb "#2471a3" title "cargo check, def_usize_addr!", \\
     "$data" using (check(2)):(\$5 / 1000) with linespoints lw 2 pt 8 dt 2 lc rgb "#1e8449" title "cargo check, equal API"
PLOT
elif ((points > 1)); then
    echo "(no gnuplot: bench/compile-time.svg not redrawn)"
fi

echo
printf '%s\n' "${summary[@]}" | tee "$work/summary.txt"
echo
echo "(also in $work/summary.txt)"
