#!/usr/bin/env bash
# Where the compile time of `#[address]` goes. Generates N types written out
# as the macro expands them (no proc-macro run), variants of that expansion
# with one part left out or changed, the real macro, and def_usize_addr!,
# then times a rebuild of each crate alone, round robin. A diagnosis tool
# for the ratio bench/compile-time.sh reports; not part of CI.
#
#   bash bench/expansion-cost.sh                      # N = 1000, 5 runs
#   RUNS=9 MODES=build VARIANTS="expanded no-hash" bash bench/expansion-cost.sh
#
# The written-out expansion follows addr-macros/src/expand.rs as of this
# script (`cargo rustc -- -Zunpretty=expanded` shows the real one): when the
# expansion changes, update `expanded` below.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-5}"
n="${N:-1000}"
modes="${MODES:-check build}"
work="${CARGO_TARGET_DIR:-$repo/target}/bench/expansion-cost"
export CARGO_INCREMENTAL=0
unset CARGO_TARGET_DIR RUSTFLAGS

# name: how the variant differs from the macro's expansion written out.
all_variants=(
    macro            # the real `#[address]`
    expanded         # its expansion written out: no proc-macro run
    rules            # the same expansion made by a macro_rules! in the crate
    no-hash          # without `derive(Hash)`
    hash-by-hand     # `impl Hash` written out instead of derived
    no-docs          # without the six generated doc comments
    no-helpers       # without the four const 4K helpers
    helpers-inline   # the helpers compute in place instead of calling memory_addr
    helpers-nonconst # the helpers as plain (non-const) fns
    no-attrs         # without `#[must_use]` and `#[automatically_derived]`
    no-serde-hook    # without the `impl_serde!` call
    legacy-fmt       # with def_usize_addr_formatter!'s format_args! bodies
    legacy           # def_usize_addr! + def_usize_addr_formatter!
)
read -r -a variants <<<"${VARIANTS:-${all_variants[*]}}"
[[ " ${variants[*]} " == *" legacy "* ]] || variants+=(legacy)

# Whether variant $2 keeps what variant $1 takes away or changes.
keeps() { [[ $2 != "$1" ]]; }

# The expansion of `#[address(prefix = "T$i")] pub struct Addr$i(usize);`
# as variant $2 has it.
expanded() {
    local i="$1" variant="$2" rt='::addr_types::__private' must auto konst
    doc() { keeps no-docs "$variant" && echo "    #[doc = \"$1\"]"; true; }
    must=$(keeps no-attrs "$variant" && echo '#[must_use]' || true)
    auto=$(keeps no-attrs "$variant" && echo '#[automatically_derived]' || true)
    konst=$(keeps helpers-nonconst "$variant" && echo 'const ' || true)
    local derives='::core::clone::Clone, ::core::marker::Copy, ::core::default::Default, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::cmp::PartialOrd, ::core::cmp::Ord'
    if keeps no-hash "$variant" && keeps hash-by-hand "$variant"; then
        derives+=', ::core::hash::Hash'
    fi
    cat <<END
/// Address type $i.
#[repr(transparent)]
#[derive($derives)]
pub struct Addr$i(::core::primitive::usize);
END
    if [[ $variant == hash-by-hand ]]; then
        cat <<END
$auto
impl ::core::hash::Hash for Addr$i {
    #[inline]
    fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) { ::core::hash::Hash::hash(&self.0, state) }
}
END
    fi
    cat <<END
impl Addr$i {
$(doc "Converts a \`usize\` to a [\`Addr$i\`].")
    #[inline]
    $must
    pub const fn from_usize(addr: ::core::primitive::usize) -> Self { Self(addr) }
$(doc "Converts a [\`Addr$i\`] to a \`usize\`.")
    #[inline]
    $must
    pub const fn as_usize(self) -> ::core::primitive::usize { self.0 }
END
    if keeps no-helpers "$variant"; then
        local down="$rt::memory_addr::align_down_4k(self.0)" up="$rt::memory_addr::align_up_4k(self.0)"
        local offset="$rt::memory_addr::align_offset_4k(self.0)" aligned="$rt::memory_addr::is_aligned_4k(self.0)"
        if [[ $variant == helpers-inline ]]; then
            down='self.0 & !0xfff' up='(self.0 + 0xfff) & !0xfff' offset='self.0 & 0xfff' aligned='self.0 & 0xfff == 0'
        fi
        cat <<END
$(doc "Rounds the [\`Addr$i\`] down to a 4 KiB boundary; usable in \`const\` items.")
    #[inline]
    $must
    pub ${konst}fn align_down_4k(self) -> Self { Self($down) }
$(doc "Rounds the [\`Addr$i\`] up to a 4 KiB boundary; usable in \`const\` items.")
    #[inline]
    $must
    pub ${konst}fn align_up_4k(self) -> Self { Self($up) }
$(doc "Returns the offset of the [\`Addr$i\`] within its 4 KiB page.")
    #[inline]
    $must
    pub ${konst}fn align_offset_4k(self) -> ::core::primitive::usize { $offset }
$(doc "Returns whether the [\`Addr$i\`] is 4 KiB aligned.")
    #[inline]
    $must
    pub ${konst}fn is_aligned_4k(self) -> ::core::primitive::bool { $aligned }
END
    fi
    cat <<END
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
END
    if keeps legacy-fmt "$variant"; then
        local pair
        for pair in Debug:fmt_lower_hex LowerHex:fmt_lower_hex UpperHex:fmt_upper_hex; do
            cat <<END
$auto
impl ::core::fmt::${pair%%:*} for Addr$i {
    #[inline]
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result { $rt::${pair#*:}(f, "T$i", self.0) }
}
END
        done
    else
        echo "::memory_addr::def_usize_addr_formatter! { Addr$i = \"T$i:{}\"; }"
    fi
    if keeps no-serde-hook "$variant"; then echo "$rt::impl_serde!(Addr$i);"; fi
}

# The `rules` variant's macro: the written-out expansion with the name and
# prefix as metavariables, docs built by `concat!` as def_usize_addr! does.
rules_macro() {
    echo 'macro_rules! address_rules {'
    echo '    ($name:ident, $prefix:literal) => {'
    expanded '@' expanded |
        sed -e 's/^\/\/\/ Address type @\./#[doc = "An address type."]/' \
            -e 's/#\[doc = "\(.*\)Addr@\(.*\)"\]/#[doc = concat!("\1", stringify!($name), "\2")]/' \
            -e 's/Addr@/$name/g' -e 's/"T@"/$prefix/g'
    echo '    };'
    echo '}'
}

# The function every type gets, as in bench/compile-time.sh.
touch_fn() {
    cat <<END
/// Uses [\`Addr$1\`] as kernel code does: convert, align, offset, print.
pub fn touch_$1(out: &mut dyn core::fmt::Write, raw: usize) -> core::fmt::Result {
    let addr = Addr$1::from(raw).align_up(0x1000usize) + 0x10;
    write!(out, "{addr:?} {addr:x} {addr:X}")
}
END
}

generate() {
    local variant="$1" dir="$work/$1" i
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<END
[package]
name = "$variant"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
addr-types = { path = '$repo/addr-types' }
memory_addr = "0.4.1"
END
    {
        echo "//! $n address types, variant \`$variant\` (bench/expansion-cost.sh)."
        echo '#![no_std]'
        echo '#![allow(unused_imports)]'
        echo 'use addr_types::{address, MemoryAddr};'
        echo 'use memory_addr::{def_usize_addr, def_usize_addr_formatter};'
        [[ $variant != rules ]] || rules_macro
        for ((i = 0; i < n; i++)); do
            case "$variant" in
            macro) printf '/// Address type %d.\n#[address(prefix = "T%d")]\npub struct Addr%d(usize);\n' "$i" "$i" "$i" ;;
            rules) printf 'address_rules!(Addr%d, "T%d");\n' "$i" "$i" ;;
            legacy)
                printf 'def_usize_addr! {\n    /// Address type %d.\n    pub type Addr%d;\n}\n' "$i" "$i"
                printf 'def_usize_addr_formatter! {\n    Addr%d = "T%d:{}";\n}\n' "$i" "$i"
                ;;
            *) expanded "$i" "$variant" ;;
            esac
            touch_fn "$i"
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

# time_one, median
source "$repo/bench/timing.sh"

echo "machine: $(uname -srm), $(nproc) cores; $(rustc -V); $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in $modes; do
    declare -A samples=()
    # Round robin, starting one variant later each run, so that a drift in
    # machine load spreads over all variants.
    for ((run = 0; run < runs; run++)); do
        for ((k = 0; k < ${#variants[@]}; k++)); do
            variant=${variants[(k + run) % ${#variants[@]}]}
            samples[$variant]+="$(time_one "$mode" "$variant") "
        done
    done
    # shellcheck disable=SC2086 # the samples are space-separated numbers
    legacy=$(printf '%s\n' ${samples[legacy]} | median)
    echo
    echo "cargo $mode, N = $n, $runs runs, median ms, ratio to legacy, (samples):"
    for variant in "${variants[@]}"; do
        # shellcheck disable=SC2086
        m=$(printf '%s\n' ${samples[$variant]} | median)
        printf '  %-16s %7s  %s   (%s)\n' "$variant" "$m" \
            "$(awk -v m="$m" -v l="$legacy" 'BEGIN { printf "%.2f", m / l }')" "${samples[$variant]% }"
    done
    unset samples
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
