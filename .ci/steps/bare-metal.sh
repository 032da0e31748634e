#!/usr/bin/env bash
# addr-types needs neither std nor an allocator: the no_std consumer, which
# uses every option of #[address], builds for targets without std, serde
# off and on (its `serde` feature is addr-types' own). This also builds
# addr-types itself for each target, and assembles the fences on RISC-V.
set -euo pipefail

for target in riscv64gc-unknown-none-elf riscv32imac-unknown-none-elf x86_64-unknown-none; do
    cargo build -p addr-types-no-std --target "$target"
    cargo build -p addr-types-no-std --target "$target" --features serde
done
# Every target whose invalidation addr-types implements, with the default
# generation (the consumer above asks for the seed era alone).
for target in riscv64gc-unknown-none-elf riscv32imac-unknown-none-elf \
    x86_64-unknown-none aarch64-unknown-none-softfloat; do
    cargo build -p addr-types --target "$target" --all-features
done
# The x86 EPT for page-table-generic, whose hook is addr-types' one line:
# built for bare metal, where axvm links it (this assembles its INVEPT).
cargo build -p nested-tables --target x86_64-unknown-none
# The aarch64 stage-2 table of page-table-generic, whose non-generic hook
# assembles the guest-physical flushes (tests/aarch64's programs assemble
# the rest, per-VM ones included, when the QEMU test builds them).
cargo build -p nested-tables --target aarch64-unknown-none-softfloat
