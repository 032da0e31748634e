#!/usr/bin/env bash
# CI step for the aarch64 and x86_64 TLB maintenance: installs what it needs
# (idempotent: apt and rustup skip what is there), builds addr-types for both
# bare-metal targets, and checks that the bare-metal programs of tests/aarch64
# and tests/x86_64 are rustfmt and clippy clean.
#
# The proofs themselves run inside `cargo test --workspace`
# (tests/tests/aarch64_qemu.rs, x86_64_encoding.rs, x86_64_bochs.rs) with
# ADDR_TYPES_REQUIRE_QEMU=1, using the tools installed here.
set -euo pipefail
cd "$(dirname "$0")/../.."

step() { printf '\n==> %s\n' "$*"; }

step "aarch64/x86_64: targets and system tools"
rustup toolchain install
rustup target add aarch64-unknown-none-softfloat x86_64-unknown-none
# qemu-system-aarch64 runs tests/aarch64's programs at EL2;
# aarch64-linux-gnu-objdump reads their flushes back; the host objdump and
# objcopy (binutils) read tests/x86_64's INVEPT/INVVPID and make its boot
# image; Bochs (with its BIOS and VGA BIOS) runs that image with VMX.
missing=()
command -v qemu-system-aarch64 >/dev/null || missing+=(qemu-system-arm)
command -v aarch64-linux-gnu-objdump >/dev/null || missing+=(binutils-aarch64-linux-gnu)
command -v objdump >/dev/null || missing+=(binutils)
command -v bochs >/dev/null || missing+=(bochs)
[[ -f /usr/share/bochs/BIOS-bochs-latest ]] || missing+=(bochsbios)
[[ -f /usr/share/vgabios/vgabios.bin ]] || missing+=(vgabios)
if ((${#missing[@]})); then
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi
qemu-system-aarch64 --version | head -n 1

step "addr-types builds for bare-metal aarch64 and x86_64, clippy clean"
# The flushes are #[inline]: these builds type-check them, the programs
# below assemble them.
for target in aarch64-unknown-none-softfloat x86_64-unknown-none; do
    cargo build -p addr-types --target "$target"
    cargo clippy -p addr-types --target "$target" -- -D warnings
done

step "tests/aarch64 and tests/x86_64: rustfmt and clippy clean"
# Their own workspaces (the root Cargo.toml excludes them); the same target
# dirs as the host tests' builds.
aarch64_programs=(--manifest-path tests/aarch64/Cargo.toml --release
    --target aarch64-unknown-none-softfloat --target-dir target/aarch64-qemu)
cargo fmt --manifest-path tests/aarch64/Cargo.toml -- --check
cargo clippy "${aarch64_programs[@]}" --all-targets -- -D warnings
for control in control-no-flush control-vae2is control-unshifted \
    control-vmalle1is-only control-ipas2e1is-only; do
    cargo clippy "${aarch64_programs[@]}" --bin stage2 --features "$control" -- -D warnings
done
cargo fmt --manifest-path tests/x86_64/Cargo.toml -- --check
x86_64_programs=(--manifest-path tests/x86_64/Cargo.toml --release
    --target x86_64-unknown-none --target-dir target/x86_64-qemu)
cargo clippy "${x86_64_programs[@]}" --all-targets -- -D warnings
cargo clippy "${x86_64_programs[@]}" --bin vmexits --features control-invlpg -- -D warnings
