//! What the bare-metal aarch64 programs of `tests/aarch64` and the host test
//! that runs them (`tests/tests/aarch64_qemu.rs`) must agree on: the exit
//! codes a program reports its verdict with.
#![no_std]

pub mod exit_code;
