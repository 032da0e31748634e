//! What the bare-metal aarch64 programs of `tests/aarch64` and the host test
//! that runs them (`tests/tests/aarch64_qemu.rs`) must agree on: the suite a
//! run of the `stage2` program executes (its command line), the report it
//! prints (one `key: value` line per case), and the exit codes that end a
//! run early.
#![no_std]

pub mod exit_code;
pub mod report;
