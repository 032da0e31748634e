//! Nested page tables built the way axvm 0.8 builds its own: a
//! page-table-generic 0.9 `PageTable` per architecture, indexed by guest
//! physical addresses, whose `TableMeta::flush` hook is the one line of
//! addr-types that the README gives as the replacement of axvm's body.
//!
//! The bare-metal programs of tests/aarch64, tests/riscv and tests/x86_64
//! map and remap pages through these tables on an emulator and check what
//! the hook invalidated; each also builds the same table with axvm's own
//! hook body as a negative control.
#![no_std]

pub mod aarch64_stage2;
pub mod riscv_sv39x4;
pub mod x86_ept;
