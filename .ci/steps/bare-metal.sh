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
