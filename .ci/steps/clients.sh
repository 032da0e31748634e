#!/usr/bin/env bash
# The real clients of every generation run their own test suites with their
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
# axvm-types 0.7.3 and 0.7.6 cannot be in one lock file (semver-compatible):
# the ax-memory-addr 0.6 clients are fetched by a manifest of their own.
mkdir -p "$work/fetch-06/src"
touch "$work/fetch-06/src/lib.rs"
sed -e 's/^name = "fetch-clients"/name = "fetch-clients-06"/' -e '/^\[dependencies\]/q' \
    "$work/fetch/Cargo.toml" >"$work/fetch-06/Cargo.toml"
cat >>"$work/fetch-06/Cargo.toml" <<'TOML'
axaddrspace = "=0.5.19"
axvm-types = "=0.7.3"
axdevice = "=0.5.7"
TOML
cargo fetch --manifest-path "$work/fetch/Cargo.toml"
cargo fetch --manifest-path "$work/fetch-06/Cargo.toml"
registry=$(cargo metadata --format-version 1 --manifest-path "$work/fetch/Cargo.toml" |
    python3 -c 'import json, sys, os
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "axvm-types":
        print(os.path.dirname(os.path.dirname(p["manifest_path"])))')
for crate in axaddrspace-0.3.0 axaddrspace-0.6.0 axvm-types-0.7.6 \
    axaddrspace-0.5.19 axvm-types-0.7.3 axdevice-0.5.7; do
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
python3 "$root/.ci/clients/swap_address_block.py" axvm-types-0.7.4- "$types"
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
# The sum of a log's `test result: ok. N passed` lines; any failure fails.
passed_in() {
    local log="$1" what="$2" expected="$3" passed
    passed=$(awk '/^test result: ok\./ { sum += $4 } END { print sum + 0 }' "$log")
    if grep -q '^test result: FAILED' "$log" || [ "$passed" -ne "$expected" ]; then
        echo "$what: expected its $expected tests to pass, saw $passed" >&2
        exit 1
    fi
    echo "$passed"
}
current_passed=$(passed_in "$work/current.log" "axaddrspace 0.6.0" 18)

printf '\n--- ax-memory-addr 0.6: axvm-types 0.7.3 with its address block = pub use addr_types::ax_memory_addr_06::{…}, under axaddrspace 0.5.19 and axdevice 0.5.7\n'
types06="$work/axvm-types-0.7.3"
python3 "$root/.ci/clients/swap_address_block.py" axvm-types-0.7.0-0.7.3 "$types06"
depend_on_addr_types "$types06/Cargo.toml" '"ax-memory-addr-06"'
# Both build against the rewritten axvm-types (axdevice also through the
# registry's axdevice_base 0.6.4, whose `DeviceAddrRange` is implemented for
# ax-memory-addr 0.6's `AddrRange<GuestPhysAddr>`): one target directory.
export CARGO_TARGET_DIR="$work/target-06"
for client in axaddrspace-0.5.19 axdevice-0.5.7; do
    cat >>"$work/$client/Cargo.toml" <<TOML

[patch.crates-io]
axvm-types = { path = "$types06" }
TOML
done
(cd "$work/axaddrspace-0.5.19" && cargo "+$toolchain" test 2>&1) | tee "$work/axaddrspace-06.log"
# axdevice_base 0.6.4 uses `#![feature(generic_const_exprs)]` and a library
# API stabilized after nightly-2025-05-20: a dated nightly of its time.
device_toolchain=nightly-2026-05-20
rustup toolchain install "$device_toolchain" --profile minimal
(cd "$work/axdevice-0.5.7" && cargo "+$device_toolchain" test 2>&1) | tee "$work/axdevice-06.log"
unset CARGO_TARGET_DIR
for log in axaddrspace-06 axdevice-06; do
    if grep -q 'Patch `axvm-types' "$work/$log.log" ||
        ! grep -q 'Compiling axvm-types v0.7.3 (' "$work/$log.log"; then
        echo "$log: did not build against the rewritten axvm-types 0.7.3" >&2
        exit 1
    fi
done
grep -q 'Compiling axdevice_base v0.6.4' "$work/axdevice-06.log" ||
    { echo "axdevice 0.5.7 did not build axdevice_base over the rewritten axvm-types" >&2; exit 1; }
addrspace06_passed=$(passed_in "$work/axaddrspace-06.log" "axaddrspace 0.5.19" 18)
device06_passed=$(passed_in "$work/axdevice-06.log" "axdevice 0.5.7" 42)

echo "clients: axaddrspace 0.3.0 21 passed, axvm 0.3.0 stack checked on ${#seed_targets[@]} targets (seed era);" \
    "axaddrspace 0.5.19 $addrspace06_passed passed, axdevice 0.5.7 $device06_passed passed (ax-memory-addr 0.6);" \
    "axaddrspace 0.6.0 $current_passed passed (current)"
