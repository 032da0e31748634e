//! The simulated machine behind addr-types' `two_stage` example, and the
//! fixture of `tests/tests/two_stage.rs`: host RAM on the heap, a guest page
//! table (GVA → GPA) and a nested page table (GPA → HPA), both real
//! page_table_multiarch `PageTable64`s with real PTEs of the host
//! architecture.
//!
//! Memory layout, chosen so that the demo shows every case:
//!
//! ```text
//! host RAM        PA:0x40000000..PA:0x40600000   6 MiB heap buffer
//!   hypervisor    PA:0x40000000..PA:0x40200000   frames of the nested table
//!   guest RAM     PA:0x40200000..PA:0x40600000   backs GPA:0x80000000..GPA:0x80400000
//! guest RAM       GPA:0x80000000..GPA:0x80400000
//!   kernel image  GPA:0x80000000..GPA:0x80200000   one 2M page in both tables
//!   kernel data   GPA:0x80200000..GPA:0x80300000
//!   page tables   GPA:0x80300000..GPA:0x80400000   frames of the guest table
//! UART            GPA:0x10000000 → PA:0xfeb00000 (a host device passed through)
//! virtio-mmio     GPA:0x20000000, mapped by the guest but not by the
//!                 hypervisor, which emulates it: every access is a stage-2 fault
//! ```
//!
//! page_table_multiarch has `PageTable64` on 64-bit targets only, and the
//! guest's kernel lives in the high half, so on 32-bit targets this crate
//! is empty and the tests that use it are compiled out.

#[cfg(target_pointer_width = "64")]
mod machine;

#[cfg(target_pointer_width = "64")]
pub use machine::*;
