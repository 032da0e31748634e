#!/usr/bin/env bash
# rustfmt and clippy, warnings denied, on everything that compiles.
set -euo pipefail

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

# Code that exists only on riscv64, out of reach of the host clippy: the
# `riscv_fence` expansions under strict lints, and the no_std consumer's
# flush and nested-table modules.
cargo clippy -p addr-types-ui-tests --lib --target riscv64gc-unknown-none-elf -- -D warnings
cargo clippy -p addr-types-no-std --target riscv64gc-unknown-none-elf --features serde -- -D warnings

# The bare-metal RISC-V programs are a workspace of their own (the root
# Cargo.toml excludes it); same target dir as the QEMU test's builds.
riscv_programs=(--manifest-path tests/riscv/Cargo.toml --release --target-dir target/riscv-qemu)
cargo fmt --manifest-path tests/riscv/Cargo.toml -- --check
cargo clippy "${riscv_programs[@]}" --target riscv64gc-unknown-none-elf --all-targets -- -D warnings
cargo clippy "${riscv_programs[@]}" --target riscv32imac-unknown-none-elf --lib --bin fences -- -D warnings

# The compile-time bench takes minutes and needs a quiet machine, so CI
# only checks that it parses.
bash -n bench/compile-time.sh
