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
