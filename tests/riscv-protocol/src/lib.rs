//! What the bare-metal RISC-V programs of `tests/riscv` and the host test
//! that runs them (`tests/tests/riscv_qemu.rs`) must agree on: the exit
//! codes a program reports its verdict with, and the decoder of the fence
//! instructions, which the M-mode trap handler and the host's check of the
//! built programs both use.
#![no_std]

pub mod encoding;
pub mod exit_code;
