#!/usr/bin/env bash
# Everything the other steps need, as a fresh machine lacks it.
set -euo pipefail

# With no argument, installs the toolchain rust-toolchain.toml names.
rustup toolchain install
rustup target add \
    riscv64gc-unknown-none-elf riscv32imac-unknown-none-elf x86_64-unknown-none \
    i686-unknown-linux-gnu riscv64gc-unknown-linux-gnu

# qemu-system-misc and binutils-riscv64-linux-gnu: the QEMU proof of the
# fences (tests/riscv). libc6-dev-i386 and lib32gcc-N-dev: linking for i686
# (gcc-multilib would pull them in, but Debian makes it conflict with the
# riscv64 cross compiler). gcc-riscv64-linux-gnu and qemu-user: linking and
# running the tests for riscv64 Linux.
gcc_major=$(gcc -dumpversion | cut -d. -f1)
apt-get update
apt-get install -y --no-install-recommends \
    qemu-system-misc binutils-riscv64-linux-gnu \
    libc6-dev-i386 "lib32gcc-$gcc_major-dev" \
    gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user
qemu-system-riscv64 --version | head -1
qemu-riscv64 --version | head -1
