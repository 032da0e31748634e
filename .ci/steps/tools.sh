#!/usr/bin/env bash
# Everything the other steps need, as a fresh machine lacks it.
set -euo pipefail

# With no argument, installs the toolchain rust-toolchain.toml names.
rustup toolchain install
rustup target add \
    riscv64gc-unknown-none-elf riscv32imac-unknown-none-elf x86_64-unknown-none \
    aarch64-unknown-none-softfloat i686-unknown-linux-gnu riscv64gc-unknown-linux-gnu

# Installed with --no-install-recommends, as on every CI machine: what a
# package only recommends is not there, and the proofs must not need it.
#
# - qemu-system-misc, binutils-riscv64-linux-gnu: the QEMU proof of the
#   fences, G-stage tables and per-VM flushes (tests/riscv). Debian 12's
#   QEMU 7.2 does not trap hgatp writes, so the harness patches them to
#   trap and needs no newer QEMU (tests/riscv/README.md).
# - qemu-system-arm, binutils-aarch64-linux-gnu: the aarch64 stage-2 proof
#   (tests/aarch64). QEMU's `virt` board adds a virtio NIC by default, whose
#   option ROM (efi-virtio.rom) only the recommended ipxe-qemu brings: the
#   runs pass `-nic none` (tests/tests/aarch64_qemu.rs) instead of
#   installing it, so they need no ROM at all.
# - bochs, bochsbios, vgabios, binutils: the x86_64 INVEPT/INVVPID
#   encodings and the VMX trap-and-check harness (tests/x86_64).
# - libc6-dev-i386, lib32gcc-N-dev: linking for i686 (gcc-multilib would
#   pull them in, but Debian makes it conflict with the riscv64 cross
#   compiler); gcc-riscv64-linux-gnu, libc6-dev-riscv64-cross, qemu-user:
#   linking and running the tests for riscv64 Linux (portable.sh).
gcc_major=$(gcc -dumpversion | cut -d. -f1)
apt-get update
apt-get install -y --no-install-recommends \
    qemu-system-misc binutils-riscv64-linux-gnu \
    libc6-dev-i386 "lib32gcc-$gcc_major-dev" \
    gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user \
    qemu-system-arm binutils-aarch64-linux-gnu binutils bochs bochsbios vgabios
qemu-system-riscv64 --version | head -1
qemu-riscv64 --version | head -1
qemu-system-aarch64 --version | head -1
