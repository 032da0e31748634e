//! A VMX trap-and-check harness on Bochs: proves which instruction each x86_64
//! flush of addr-types executes, with which type and descriptor, and that a
//! VMfail reaches the caller.
//!
//! Bochs cannot show EPT staleness through memory: VM entry and VM exit both
//! flush its TLB, and a hypervisor can only invalidate between the two. So
//! this program checks the instruction instead, the way tests/riscv traps
//! `hfence.gvma`: the code under test runs as an inner hypervisor in VMX
//! non-root operation, where INVEPT and INVVPID always VM-exit, INVLPG exits
//! under "INVLPG exiting" and MOV to CR3 under "CR3-load exiting". The
//! root-mode harness decodes each exit, checks it against what the running
//! case expects, emulates the outcome (VMsucceed, or a VMfail the case asks
//! for) and resumes. At the end it prints one line per case and `RESULT:
//! PASS` or `RESULT: FAIL (n wrong)` on port 0xE9.
//!
//! | module | job |
//! |---|---|
//! | `boot` | boot sector to long mode, `start64`, the GDT and TSS |
//! | `vmx_operation` | VMXON and the current VMCS |
//! | `vmcs` | field numbers, VMREAD/VMWRITE, the guest and host state |
//! | `exits` | the exit entry point, decoding, the emulated outcome |
//! | `hypercall` | the guest's VMCALLs: a case begins, what it returned, done |
//! | `expected` | the words of a case: executed, expected, injected, returned |
//! | `cases` | the code under test and what each case expects |
//! | `inner_ept` | the EPT the cases build with page-table-generic |
//! | `verdict` | per-case checks at each exit, the report |
//! | `console` | port 0xE9, the end of the run |
#![no_std]
#![no_main]

use core::arch::asm;
use core::cell::UnsafeCell;

mod boot;
mod cases;
mod console;
mod exits;
mod expected;
mod hypercall;
mod inner_ept;
mod verdict;
mod vmcs;
mod vmx_operation;

/// A value for one CPU, used by one side (the harness in root operation,
/// or the guest): a plain cell suffices.
pub struct Global<T>(pub UnsafeCell<T>);

// SAFETY: one CPU, and each value is used by one side only.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    /// The value, for the side that owns it.
    #[allow(clippy::mut_from_ref)]
    pub fn get(&self) -> &mut T {
        // SAFETY: see `impl Sync`: one access at a time.
        unsafe { &mut *self.0.get() }
    }
}

#[no_mangle]
extern "C" fn main64() -> ! {
    console::say!("vmexits: VMX trap-and-check harness");
    boot::load_gdt_and_tr();
    vmx_operation::enter_vmx_operation();
    vmcs::setup(
        cases::guest_main as *const () as u64,
        exits::vmexit_entry as *const () as u64,
    );
    // SAFETY: VMLAUNCH enters `guest_main`; from then on the CPU returns to
    // `vmexit_entry`, never here, unless the entry fails.
    unsafe { asm!("vmlaunch", options(nostack)) };
    exits::vmentry_failed()
}
