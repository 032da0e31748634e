#!/usr/bin/env bash
# addr-types needs neither std nor an allocator, and `cargo build` (unlike
# clippy in the lint step) assembles each invalidation's inline asm. Per
# target whose invalidation addr-types implements, two builds:
# - the no_std consumer, which uses every option of #[address], with the
#   seed era alone, as its bare-metal clients ask for it;
# - addr-types with every feature (both generations, serde) and the
#   consumer over it, its own `serde` feature on.
set -euo pipefail

for target in riscv64gc-unknown-none-elf riscv32imac-unknown-none-elf \
    aarch64-unknown-none-softfloat x86_64-unknown-none; do
    cargo build -p addr-types-no-std --target "$target"
    cargo build -p addr-types -p addr-types-no-std --all-features --target "$target"
done
# The x86 EPT for page-table-generic, whose hook is addr-types' one line:
# built for bare metal, where axvm links it (this assembles its INVEPT).
cargo build -p nested-tables --target x86_64-unknown-none
# The aarch64 stage-2 table of page-table-generic, whose non-generic hook
# assembles the guest-physical flushes (tests/aarch64's programs assemble
# the rest, per-VM ones included, when the QEMU test builds them).
cargo build -p nested-tables --target aarch64-unknown-none-softfloat
