//! What the code under test tells the harness, with VMCALL (which always
//! VM-exits): RAX = the request, RDI = its argument.

use core::arch::asm;

use addr_types::arch::x86_64::VmFail;

/// A case begins; RDI = its index in `CASES`.
pub const BEGIN_CASE: u64 = 1;
/// The case's code returned; RDI = [`outcome_code`].
pub const RETURNED: u64 = 2;
/// Every case ran: the harness reports.
pub const DONE: u64 = 3;

fn vmcall(request: u64, argument: u64) {
    // SAFETY: VMCALL in VMX non-root operation VM-exits; the harness reads
    // RAX and RDI and resumes after it. Not `nomem`: the harness reads what
    // the guest wrote before (the EPT).
    unsafe { asm!("vmcall", in("rax") request, in("rdi") argument, options(nostack)) };
}

pub fn begin_case(index: usize) {
    vmcall(BEGIN_CASE, index as u64);
}

pub fn returned(result: Result<(), VmFail>) {
    vmcall(RETURNED, outcome_code(result));
}

pub fn done() -> ! {
    loop {
        // The harness does not resume after it.
        vmcall(DONE, 0);
    }
}

/// 0 for Ok, 1 for VMfailInvalid, 2 for VMfailValid.
pub const fn outcome_code(result: Result<(), VmFail>) -> u64 {
    match result {
        Ok(()) => 0,
        Err(VmFail::Invalid) => 1,
        Err(VmFail::Valid) => 2,
    }
}

/// The result [`outcome_code`] encodes, or `None` for another number.
pub const fn outcome(code: u64) -> Option<Result<(), VmFail>> {
    match code {
        0 => Some(Ok(())),
        1 => Some(Err(VmFail::Invalid)),
        2 => Some(Err(VmFail::Valid)),
        _ => None,
    }
}
