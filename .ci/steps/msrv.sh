#!/usr/bin/env bash
# addr-macros and addr-types build with the Rust their rust-version names.
#
# Not `cargo +MSRV build -p …` in this workspace: an old cargo resolves the
# whole workspace, test crates and their newer dependencies included, to
# build even one member. So the two library crates are copied, without
# their dev-dependencies (the promise covers the libraries), into a
# workspace of their own. The pinned cargo resolves its lock file with the
# MSRV-aware resolver ("fallback": the newest version of each dependency
# that the MSRV can build) in a format an old cargo reads; the MSRV
# toolchain then builds exactly that lock. Only the host target: rustup
# ships no bare-metal std for old toolchains.
#
# addr-macros declares 1.71; addr-types 1.85, because its default
# generation's crates are edition 2024, as are ax-memory-addr 0.6's (the
# `ax-memory-addr-06` generation alone needs 1.85 too). The seed era alone
# (`--no-default-features --features memory-addr-04`) is promised on 1.71,
# where its users are: built there with `--ignore-rust-version`.
set -euo pipefail

rust_version() { sed -n 's/^rust-version = "\(.*\)"$/\1/p' "$1/Cargo.toml"; }
macros_msrv=$(rust_version addr-macros)
types_msrv=$(rust_version addr-types)
seed_msrv=1.71
rustup toolchain install "$macros_msrv" "$types_msrv" "$seed_msrv" --profile minimal

ws=$(mktemp -d)
trap 'rm -rf "$ws"' EXIT
# -L: the crates' README and license symlinks point outside the copy.
cp -RL rust-toolchain.toml addr-macros addr-types "$ws"
for crate in addr-macros addr-types; do
    awk '/^\[/ { skip = ($0 == "[dev-dependencies]") } !skip' "$crate/Cargo.toml" >"$ws/$crate/Cargo.toml"
done
# The root manifest with only the two members, and resolver 2: cargo
# before 1.84 rejects `resolver = "3"`.
awk '
    /^members *= *\[/ { print "members = [\"addr-macros\", \"addr-types\"]"; skip = !/\]/; next }
    skip { if (/\]/) skip = 0; next }
    /^resolver *= *"3"/ { print "resolver = \"2\""; next }
    { print }
' Cargo.toml >"$ws/Cargo.toml"
(cd "$ws" && CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo generate-lockfile)

# One line per configuration the MSRV promise covers.
msrv_build() { local toolchain="$1"; shift; (cd "$ws" && cargo "+$toolchain" build --locked "$@"); }
msrv_build "$macros_msrv" -p addr-macros
msrv_build "$types_msrv" -p addr-types
msrv_build "$types_msrv" -p addr-types --all-features
msrv_build "$types_msrv" -p addr-types --no-default-features --features ax-memory-addr-06
msrv_build "$seed_msrv" --ignore-rust-version -p addr-types --no-default-features --features memory-addr-04
msrv_build "$seed_msrv" --ignore-rust-version -p addr-types --no-default-features --features memory-addr-04,serde
