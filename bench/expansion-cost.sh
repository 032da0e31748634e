#!/usr/bin/env bash
# Where the compile time of `#[address]` goes: N types written out as the
# macro expands them (no proc-macro run), then the same with one part of the
# expansion left out at a time, timed side by side with the real macro and
# with `def_usize_addr!`. A diagnosis tool for bench/compile-time.sh's ratio;
# not part of CI.
#
#   bash bench/expansion-cost.sh                 # N = 1000, 5 runs
#   RUNS=9 N=1000 MODES="check build" bash bench/expansion-cost.sh
#
# The hand-written expansion follows addr-macros/src/expand.rs as of this
# script; when the expansion changes, update `expanded` below.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-5}"
n="${N:-1000}"
modes="${MODES:-check build}"
work="${CARGO_TARGET_DIR:-$repo/target}/bench/expansion-cost"
export CARGO_INCREMENTAL=0
unset CARGO_TARGET_DIR RUSTFLAGS

# name: what the variant leaves out of the full expansion.
variants=(
    macro         # the real `#[address]`
    expanded      # its expansion written out: no proc-macro run
    no-hash       # without `derive(Hash)`
    no-docs       # without the six generated doc comments
    no-helpers    # without the four const 4K helpers
    no-attrs      # without `#[must_use]` and `#[automatically_derived]`
    no-serde-hook # without the `impl_serde!` call
    legacy-fmt    # with def_usize_addr_formatter!'s format_args! bodies
    legacy        # def_usize_addr! + def_usize_addr_formatter!
)

keeps() { [[ " $2 " != *" $1 "* ]]; }

# The expansion of `#[address(prefix = "T$i")] pub struct Addr$i(usize);`,
# without the parts named in $2.
expanded() {
    local i="$1" skip="$2" rt='::addr_types::__private' doc must auto
    doc() { keeps no-docs "$skip" && echo "    #[doc = \"$1\"]"; true; }
    must=$(keeps no-attrs "$skip" && echo '#[must_use]' || true)
    auto=$(keeps no-attrs "$skip" && echo '#[automatically_derived]' || true)
    local derives='::core::clone::Clone, ::core::marker::Copy, ::core::default::Default, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::cmp::PartialOrd, ::core::cmp::Ord'
    keeps no-hash "$skip" && derives+=', ::core::hash::Hash'
    cat <<EOF
/// Address type $i.
#[repr(transparent)]
#[derive($derives)]
pub struct Addr$i(::core::primitive::usize);
impl Addr$i {
$(doc "Converts a \`usize\` to a [\`Addr$i\`].")
    #[inline]
    $must
    pub const fn from_usize(addr: ::core::primitive::usize) -> Self { Self(addr) }
$(doc "Converts a [\`Addr$i\`] to a \`usize\`.")
    #[inline]
    $must
    pub const fn as_usize(self) -> ::core::primitive::usize { self.0 }
EOF
    if keeps no-helpers "$skip"; then
        cat <<EOF
$(doc "Rounds the [\`Addr$i\`] down to a 4 KiB boundary; usable in \`const\` items.")
    #[inline]
    $must
    pub const fn align_down_4k(self) -> Self { Self($rt::memory_addr::align_down_4k(self.0)) }
$(doc "Rounds the [\`Addr$i\`] up to a 4 KiB boundary; usable in \`const\` items.")
    #[inline]
    $must
    pub const fn align_up_4k(self) -> Self { Self($rt::memory_addr::align_up_4k(self.0)) }
$(doc "Returns the offset of the [\`Addr$i\`] within its 4 KiB page.")
    #[inline]
    $must
    pub const fn align_offset_4k(self) -> ::core::primitive::usize { $rt::memory_addr::align_offset_4k(self.0) }
$(doc "Returns whether the [\`Addr$i\`] is 4 KiB aligned.")
    #[inline]
    $must
    pub const fn is_aligned_4k(self) -> ::core::primitive::bool { $rt::memory_addr::is_aligned_4k(self.0) }
EOF
    fi
    cat <<EOF
}
$auto
impl ::core::convert::From<::core::primitive::usize> for Addr$i {
    #[inline]
    fn from(addr: ::core::primitive::usize) -> Self { Self(addr) }
}
$auto
impl ::core::convert::From<Addr$i> for ::core::primitive::usize {
    #[inline]
    fn from(addr: Addr$i) -> Self { addr.0 }
}
$auto
impl ::core::ops::Add<::core::primitive::usize> for Addr$i {
    type Output = Self;
    #[inline]
    fn add(self, rhs: ::core::primitive::usize) -> Self { Self(self.0 + rhs) }
}
$auto
impl ::core::ops::AddAssign<::core::primitive::usize> for Addr$i {
    #[inline]
    fn add_assign(&mut self, rhs: ::core::primitive::usize) { self.0 += rhs; }
}
$auto
impl ::core::ops::Sub<::core::primitive::usize> for Addr$i {
    type Output = Self;
    #[inline]
    fn sub(self, rhs: ::core::primitive::usize) -> Self { Self(self.0 - rhs) }
}
$auto
impl ::core::ops::SubAssign<::core::primitive::usize> for Addr$i {
    #[inline]
    fn sub_assign(&mut self, rhs: ::core::primitive::usize) { self.0 -= rhs; }
}
$auto
impl ::core::ops::Sub for Addr$i {
    type Output = ::core::primitive::usize;
    #[inline]
    fn sub(self, rhs: Self) -> ::core::primitive::usize { self.0 - rhs.0 }
}
EOF
    if keeps legacy-fmt "$skip"; then
        local trait fn
        for trait in Debug:fmt_lower_hex LowerHex:fmt_lower_hex UpperHex:fmt_upper_hex; do
            fn=${trait#*:}
            cat <<EOF
$auto
impl ::core::fmt::${trait%%:*} for Addr$i {
    #[inline]
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result { $rt::$fn(f, "T$i", self.0) }
}
EOF
        done
    else
        echo "::memory_addr::def_usize_addr_formatter! { Addr$i = \"T$i:{}\"; }"
    fi
    keeps no-serde-hook "$skip" && echo "$rt::impl_serde!(Addr$i);"
    true
}

generate() {
    local variant="$1" dir="$work/$1" i
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "$variant"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
addr-types = { path = '$repo/addr-types' }
memory_addr = "0.4.1"
EOF
    {
        echo "//! $n address types, variant \`$variant\` (bench/expansion-cost.sh)."
        echo '#![no_std]'
        echo '#![allow(unused_imports)]'
        echo 'use addr_types::{address, MemoryAddr};'
        echo 'use memory_addr::{def_usize_addr, def_usize_addr_formatter};'
        for ((i = 0; i < n; i++)); do
            case "$variant" in
            macro) printf '/// Address type %d.\n#[address(prefix = "T%d")]\npub struct Addr%d(usize);\n' "$i" "$i" "$i" ;;
            legacy)
                printf 'def_usize_addr! {\n    /// Address type %d.\n    pub type Addr%d;\n}\n' "$i" "$i"
                printf 'def_usize_addr_formatter! {\n    Addr%d = "T%d:{}";\n}\n' "$i" "$i"
                ;;
            *) expanded "$i" "$variant" ;;
            esac
            cat <<EOF
/// Uses [\`Addr$i\`] as kernel code does: convert, align, offset, print.
pub fn touch_$i(out: &mut dyn core::fmt::Write, raw: usize) -> core::fmt::Result {
    let addr = Addr$i::from(raw).align_up(0x1000usize) + 0x10;
    write!(out, "{addr:?} {addr:x} {addr:X}")
}
EOF
        done
    } >"$dir/src/lib.rs"
}

mkdir -p "$work"
for variant in "${variants[@]}"; do generate "$variant"; done
{
    echo '[workspace]'
    echo 'resolver = "2"'
    printf 'members = ['
    printf '"%s", ' "${variants[@]}"
    echo ']'
} >"$work/Cargo.toml"
cp "$repo/Cargo.lock" "$work/Cargo.lock"
cd "$work"
echo "==> building dependencies and a first copy of every variant"
for mode in $modes; do cargo "$mode" --offline --quiet --workspace --lib; done

time_one() {
    local mode="$1" crate="$2" start end
    touch "$work/$crate/src/lib.rs"
    start=$(date +%s%N)
    cargo "$mode" --offline --quiet -p "$crate" --lib
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "machine: $(uname -srm), $(nproc) cores; $(rustc -V); $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in $modes; do
    declare -A samples=()
    # Round robin, starting one variant later each run, so that load drift
    # spreads over all variants.
    for ((run = 0; run < runs; run++)); do
        for ((k = 0; k < ${#variants[@]}; k++)); do
            variant=${variants[(k + run) % ${#variants[@]}]}
            samples[$variant]+="$(time_one "$mode" "$variant") "
        done
    done
    legacy=$(printf '%s\n' ${samples[legacy]} | median)
    echo
    echo "cargo $mode, N = $n, $runs runs, median ms and ratio to legacy:"
    for variant in "${variants[@]}"; do
        m=$(printf '%s\n' ${samples[$variant]} | median)
        printf '  %-14s %7s  %s   (%s)\n' "$variant" "$m" "$(awk -v m="$m" -v l="$legacy" 'BEGIN { printf "%.2f", m / l }')" "${samples[$variant]% }"
    done
    unset samples
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
