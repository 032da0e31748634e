#!/usr/bin/env bash
# The docs, warnings denied: as `cargo doc` builds them, and as docs.rs
# does (all features, and the RISC-V target where the fences exist).
set -euo pipefail

RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
for target in riscv64gc-unknown-none-elf aarch64-unknown-none-softfloat; do
    RUSTDOCFLAGS="-D warnings" cargo doc -p addr-types --no-deps --all-features --target "$target"
done
