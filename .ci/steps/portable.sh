#!/usr/bin/env bash
# The behaviour tests and the README's examples on a 32-bit target, and on
# a 64-bit RISC-V Linux run by qemu-user: nothing may assume a 64-bit
# x86_64 `usize` unless it says so with a cfg.
set -euo pipefail

export CARGO_TARGET_RISCV64GC_UNKNOWN_LINUX_GNU_LINKER=riscv64-linux-gnu-gcc
export CARGO_TARGET_RISCV64GC_UNKNOWN_LINUX_GNU_RUNNER="qemu-riscv64 -L /usr/riscv64-linux-gnu"

# The emulator proofs and the zero-cost check build for bare metal and for
# the host whatever the test target, and the layout check reads files: all
# ran in the test step. Every other test file of addr-types-tests runs here.
tests=(--lib)
for file in tests/tests/*.rs; do
    name=$(basename "$file" .rs)
    case "$name" in
        riscv_qemu | aarch64_qemu | x86_64_encoding | x86_64_bochs | zero_cost | layout) ;;
        *) tests+=(--test "$name") ;;
    esac
done

for target in i686-unknown-linux-gnu riscv64gc-unknown-linux-gnu; do
    cargo test -p addr-types-tests --target "$target" "${tests[@]}"
    # addr-types' own unit tests: operand and descriptor encodings, the
    # per-VM contexts' checks, the range plan, the parser.
    cargo test -p addr-types --lib --all-features --target "$target"
done
cargo test -p addr-types --doc --target i686-unknown-linux-gnu
