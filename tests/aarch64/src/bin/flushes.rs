//! Executes every aarch64 flush of addr-types at EL2: through both guest
//! types' `FlushTlb`, a host-virtual type's, and the `arch::aarch64`
//! functions. Exits 0 when none of them faulted.
//!
//! The `flush_*` functions (the flush-wrappers crate, tests/flush-wrappers) are
//! `#[no_mangle]` and never inlined so that the host test can find each one
//! in the disassembly and check its instructions and operand.
#![no_std]
#![no_main]

use addr_types::arch::aarch64;
use core::hint::black_box;

/// A guest physical address whose shift by 12 shows in the operand.
const GPA: usize = 0x40_8020_3000;
/// An upper-half virtual address, whose top bits the operand drops.
const VA: usize = 0xffff_ffc0_8020_3000;

use flush_wrappers::{
    flush_gpa_all, flush_gpa_one, flush_gva_all, flush_gva_one, flush_host_all, flush_host_one,
};

#[no_mangle]
extern "C" fn el2_main() -> ! {
    if el2::current_el() != 2 {
        el2::exit(Err(el2::exit_code::NOT_AT_EL2));
    }
    flush_gpa_one(black_box(GPA));
    flush_gpa_all();
    flush_gva_one(black_box(VA));
    flush_gva_all();
    flush_host_one(black_box(VA));
    flush_host_all();
    aarch64::flush_guest_physical(black_box(GPA));
    aarch64::flush_guest_physical_all();
    aarch64::flush_guest_virtual(black_box(VA));
    aarch64::flush_guest_virtual_all();
    aarch64::flush_host_virtual(black_box(VA));
    aarch64::flush_host_virtual_all();
    el2::exit(Ok(()))
}
