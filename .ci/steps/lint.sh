#!/usr/bin/env bash
# rustfmt and clippy, warnings denied, on everything that compiles.
set -euo pipefail

cargo fmt --all -- --check
# Every feature of every member: addr-types' generations and serde, the
# strict-lints crate's serde type (ui-tests/src/lib.rs), the no_std
# consumer's. (The root workspace's members have no features that exclude
# each other; the controls are in the bare-metal workspaces below.)
cargo clippy --workspace --all-targets --all-features -- -D warnings

# The workspace's builds turn every addr-types feature on (the tests ask
# for them all); a user picks one generation: addr-types as each is built.
cargo clippy -p addr-types -- -D warnings
cargo clippy -p addr-types --no-default-features --features memory-addr-04 -- -D warnings

# Code that exists only on a bare-metal target, out of reach of the host
# clippy: addr-types' invalidations with every generation (the RISC-V
# fences and both page-table generations' `SvVirtAddr`, the aarch64 TLBIs,
# x86_64's INVEPT/INVVPID), the `translates` expansions under strict lints,
# and the no_std consumer's flush and nested-table modules: one run per
# target lints the three. (clippy type-checks the asm blocks; the
# bare-metal step assembles them.)
for target in riscv64gc-unknown-none-elf riscv32imac-unknown-none-elf \
    aarch64-unknown-none-softfloat x86_64-unknown-none; do
    cargo clippy -p addr-types -p addr-types-ui-tests -p addr-types-no-std --lib \
        --all-features --target "$target" -- -D warnings
done

# The bare-metal RISC-V programs are a workspace of their own (the root
# Cargo.toml excludes it); same target dir as the QEMU test's builds.
riscv_programs=(--manifest-path tests/riscv/Cargo.toml --release --target-dir target/riscv-qemu)
cargo fmt --manifest-path tests/riscv/Cargo.toml -- --check
cargo clippy "${riscv_programs[@]}" --target riscv64gc-unknown-none-elf --all-targets -- -D warnings
cargo clippy "${riscv_programs[@]}" --target riscv32imac-unknown-none-elf --lib --bin fences --bin pervm -- -D warnings
for control in control-no-flush control-vvma control-unshifted control-axvm \
    control-context-free control-vmid0-as-x0 control-vvma-no-swap; do
    cargo clippy "${riscv_programs[@]}" --target riscv64gc-unknown-none-elf --all-targets \
        --features "$control" -- -D warnings
done
# The riscv64 proof that ax-page-table-multiarch 0.8's Sv39 table takes
# `GuestPhysAddr` (its `SvVirtAddr` impl) is compiled on riscv64 only.
cargo clippy -p addr-types-page-table-multiarch-08 --all-targets \
    --target riscv64gc-unknown-linux-gnu -- -D warnings
# The Sv39x4 hook exists on RISC-V only (tests/riscv builds it for riscv64).
cargo clippy -p nested-tables --target riscv64gc-unknown-none-elf -- -D warnings

# The aarch64 and x86_64 proof programs, workspaces of their own too, with
# each negative control (a feature) linted as it is built. The aarch64
# controls are suites chosen at run time, in the one build linted here;
# the stage-2 table they use is linted for its target.
aarch64_programs=(--manifest-path tests/aarch64/Cargo.toml --release
    --target aarch64-unknown-none-softfloat --target-dir target/aarch64-qemu)
cargo fmt --manifest-path tests/aarch64/Cargo.toml -- --check
cargo clippy "${aarch64_programs[@]}" --all-targets -- -D warnings
cargo clippy -p nested-tables --target aarch64-unknown-none-softfloat -- -D warnings
x86_64_programs=(--manifest-path tests/x86_64/Cargo.toml --release
    --target x86_64-unknown-none --target-dir target/x86_64-qemu)
cargo fmt --manifest-path tests/x86_64/Cargo.toml -- --check
cargo clippy "${x86_64_programs[@]}" --all-targets -- -D warnings
for control in control-invlpg control-axvm-ept-flush control-ignore-vmfail; do
    cargo clippy "${x86_64_programs[@]}" --bin vmexits --features "$control" -- -D warnings
done

# The compile-time bench takes minutes and needs a quiet machine, so CI
# only checks that it parses.
bash -n bench/compile-time.sh
