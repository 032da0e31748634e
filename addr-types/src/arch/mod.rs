//! Architecture support for address types.

pub mod riscv;
