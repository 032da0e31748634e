#!/usr/bin/env bash
# The real clients of both generations run their own test suites with their
# address definitions replaced by addr-types: the drop-in claim, checked
# against code we did not write. They come from the registry at run time
# (never vendored here) through a throwaway manifest.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

# A seed-era crate asking for its generation alone builds without the
# default generation (the workspace's tests enable both).
(cd "$root" && cargo build -p addr-types-seed-client)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# axaddrspace 0.3 uses `#![feature]`: the dated nightly its own
# rust-toolchain.toml names, so that no later nightly can turn this red.
seed_toolchain=nightly-2025-05-20
rustup toolchain install "$seed_toolchain" --profile minimal
# The seed-era stack is bare-metal code: checked for each architecture it has.
seed_targets=(x86_64-unknown-none aarch64-unknown-none-softfloat riscv64gc-unknown-none-elf)
rustup target add --toolchain "$seed_toolchain" "${seed_targets[@]}"

mkdir -p "$work/fetch/src"
touch "$work/fetch/src/lib.rs"
cat >"$work/fetch/Cargo.toml" <<'TOML'
[package]
name = "fetch-clients"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
axaddrspace-seed = { package = "axaddrspace", version = "=0.3.0" }
axaddrspace = "=0.6.0"
axvm-types = "=0.7.6"
TOML
cargo fetch --manifest-path "$work/fetch/Cargo.toml"
registry=$(cargo metadata --format-version 1 --manifest-path "$work/fetch/Cargo.toml" |
    python3 -c 'import json, sys, os
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "axvm-types":
        print(os.path.dirname(os.path.dirname(p["manifest_path"])))')
for crate in axaddrspace-0.3.0 axaddrspace-0.6.0 axvm-types-0.7.6; do
    cp -R "$registry/$crate" "$work/$crate"
    chmod -R u+w "$work/$crate"
done

# Appends a path dependency on addr-types (with the given features) to a
# client's manifest.
depend_on_addr_types() {
    local manifest="$1" features="$2"
    cat >>"$manifest" <<TOML

[dependencies.addr-types]
path = "$root/addr-types"
default-features = false
features = [$features]
TOML
}

printf '\n--- seed era: axaddrspace 0.3.0, src/addr.rs = pub use addr_types::memory_addr_04::{…}\n'
seed="$work/axaddrspace-0.3.0"
python3 "$root/.ci/clients/swap_address_block.py" axaddrspace-0.3 "$seed"
depend_on_addr_types "$seed/Cargo.toml" '"memory-addr-04"'
(cd "$seed" && cargo "+$seed_toolchain" test 2>&1) | tee "$work/seed.log"
grep -q 'Compiling addr-types' "$work/seed.log" ||
    { echo "axaddrspace 0.3.0 did not build against addr-types" >&2; exit 1; }
grep -q '^test result: ok. 21 passed' "$work/seed.log" ||
    { echo "axaddrspace 0.3.0: expected its 21 unit tests to pass" >&2; exit 1; }

printf '\n--- seed era: axvm 0.3.0, axvcpu, axdevice and the vcpu crates over that axaddrspace\n'
stack="$work/seed-stack"
mkdir -p "$stack/src"
echo '#![no_std]' >"$stack/src/lib.rs"
cat >"$stack/Cargo.toml" <<TOML
[package]
name = "seed-stack"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
axvm = "=0.3.0"
axvcpu = "=0.3.0"
axdevice = "=0.2.2"

[target.'cfg(target_arch = "x86_64")'.dependencies]
x86_vcpu = "=0.3.0"

[target.'cfg(target_arch = "aarch64")'.dependencies]
arm_vcpu = "=0.3.0"

[target.'cfg(target_arch = "riscv64")'.dependencies]
riscv_vcpu = "=0.3.0"

[patch.crates-io]
axaddrspace = { path = "$seed" }
TOML
(
    cd "$stack"
    cargo generate-lockfile
    # x86_64 0.15.3 and later implement `Step` methods that this nightly's
    # core does not have yet; the stack's own lock files predate them.
    cargo update -p x86_64 --precise 0.15.2
    for target in "${seed_targets[@]}"; do
        cargo "+$seed_toolchain" check --target "$target" 2>&1 | tee "$work/stack-$target.log"
        grep -q "Checking axaddrspace v0.3.0 ($seed)" "$work/stack-$target.log" ||
            { echo "the seed-era stack did not use the rewritten axaddrspace" >&2; exit 1; }
    done
)

printf '\n--- current: axvm-types 0.7.6 with its address block = pub use addr_types::ax_memory_addr_07::{…}, under axaddrspace 0.6.0\n'
types="$work/axvm-types-0.7.6"
python3 "$root/.ci/clients/swap_address_block.py" axvm-types-0.7 "$types"
depend_on_addr_types "$types/Cargo.toml" '"ax-memory-addr-07"'
current="$work/axaddrspace-0.6.0"
# The published package lost its path dev-dependency on page-table-generic.
cat >>"$current/Cargo.toml" <<TOML

[dev-dependencies.page-table-generic]
version = "0.9"

[patch.crates-io]
axvm-types = { path = "$types" }
TOML
# axaddrspace 0.6 is edition 2024 on stable: the workspace's pinned Rust.
toolchain=$(sed -n 's/^channel = "\(.*\)"$/\1/p' "$root/rust-toolchain.toml")
(cd "$current" && cargo "+$toolchain" test 2>&1) | tee "$work/current.log"
# Proof that the rewritten axvm-types, hence addr-types, is what was tested.
if grep -q 'Patch `axvm-types' "$work/current.log" ||
    ! grep -q 'Compiling addr-types' "$work/current.log"; then
    echo "axaddrspace 0.6.0 did not build against the patched axvm-types" >&2
    exit 1
fi
passed=$(awk '/^test result: ok\./ { sum += $4 } END { print sum + 0 }' "$work/current.log")
if grep -q '^test result: FAILED' "$work/current.log" || [ "$passed" -ne 18 ]; then
    echo "axaddrspace 0.6.0: expected its 18 tests to pass, saw $passed" >&2
    exit 1
fi
echo "clients: axaddrspace 0.3.0 21 passed, axvm 0.3.0 stack checked on ${#seed_targets[@]} targets (seed era); axaddrspace 0.6.0 $passed passed (current)"
