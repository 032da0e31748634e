//! VM exits: `vmexit_entry` saves the guest's registers and calls
//! [`vmexit_handler`], which decodes the exit into an [`Executed`] (basic
//! reason; for INVEPT/INVVPID the instruction-information field names the
//! type register and the descriptor's base, index and scale, the exit
//! qualification is its displacement), hands it to the verdict, emulates
//! the instruction's outcome (VMsucceed, or the VMfail the case injects),
//! and resumes the guest after it.

use core::arch::global_asm;

use addr_types::arch::x86_64::VmFail;

use crate::console::fail;
use crate::expected::Executed;
use crate::vmcs::{field, vmread, vmwrite};
use crate::{hypercall, verdict};

const EXIT_INVLPG: u64 = 14;
const EXIT_VMCALL: u64 = 18;
const EXIT_CR_ACCESS: u64 = 28;
const EXIT_INVEPT: u64 = 50;
const EXIT_INVVPID: u64 = 53;

/// The guest's general registers as `vmexit_entry` saved them, in the
/// hardware numbering (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15);
/// rsp's slot is unused (the VMCS holds it).
type Registers = [u64; 16];
const RAX: usize = 0;
const RDI: usize = 7;

/// RFLAGS' status flags, all clear for VMsucceed: CF, PF, AF, ZF, SF, OF.
const STATUS_FLAGS: u64 = 0x8d5;
const CF: u64 = 1 << 0;
const ZF: u64 = 1 << 6;

/// The 128-bit memory operand of an INVEPT/INVVPID exit, from the
/// instruction-information field and the displacement.
fn descriptor_address(regs: &Registers, info: u64, displacement: u64) -> u64 {
    let scale = info & 0b11;
    let index = (info >> 18) & 0xf;
    let index_invalid = info >> 22 & 1 != 0;
    let base = (info >> 23) & 0xf;
    let base_invalid = info >> 27 & 1 != 0;
    let mut address = displacement;
    if !base_invalid {
        address = address.wrapping_add(register(regs, base));
    }
    if !index_invalid {
        address = address.wrapping_add(register(regs, index) << scale);
    }
    address
}

fn register(regs: &Registers, n: u64) -> u64 {
    if n == 4 {
        vmread(field::GUEST_RSP)
    } else {
        regs[usize::try_from(n).expect("a register number")]
    }
}

/// INVEPT and INVVPID report their outcome in the status flags: clear for
/// VMsucceed, CF for VMfailInvalid, ZF for VMfailValid.
fn emulate_outcome(outcome: Option<VmFail>) {
    let flags = match outcome {
        None => 0,
        Some(VmFail::Invalid) => CF,
        Some(VmFail::Valid) => ZF,
    };
    vmwrite(
        field::GUEST_RFLAGS,
        vmread(field::GUEST_RFLAGS) & !STATUS_FLAGS | flags,
    );
}

/// Called by `vmexit_entry` for every VM exit; returns to resume the guest.
#[no_mangle]
extern "C" fn vmexit_handler(regs: &mut Registers) {
    let reason = vmread(field::EXIT_REASON);
    let qualification = vmread(field::EXIT_QUALIFICATION);
    let info = vmread(field::EXIT_INSTRUCTION_INFO);
    match reason & 0xffff {
        EXIT_INVEPT | EXIT_INVVPID => {
            let ty = register(regs, info >> 28 & 0xf);
            let address = descriptor_address(regs, info, qualification) as *const [u64; 2];
            // SAFETY: the guest's linear address, identity-mapped like ours,
            // of the descriptor it passed.
            let descriptor = unsafe { address.read_volatile() };
            let executed = if reason & 0xffff == EXIT_INVEPT {
                Executed::Invept { ty, descriptor }
            } else {
                Executed::Invvpid { ty, descriptor }
            };
            emulate_outcome(verdict::exit(executed));
        }
        // INVLPG and MOV to CR3 leave the flags alone; there is no VMfail to
        // inject into them.
        EXIT_INVLPG => {
            let _ = verdict::exit(Executed::Invlpg {
                address: qualification,
            });
        }
        EXIT_CR_ACCESS if qualification & 0x3f == 3 => {
            // MOV to CR3: perform it, as the guest shares our address space.
            let source = register(regs, qualification >> 8 & 0xf);
            vmwrite(field::GUEST_CR3, source);
            let _ = verdict::exit(Executed::MovToCr3);
        }
        EXIT_CR_ACCESS if qualification & 0x3f == 0x13 => {
            // MOV from CR3 (when CR3-store exiting cannot be cleared).
            let target = (qualification >> 8 & 0xf) as usize;
            regs[target] = vmread(field::GUEST_CR3);
        }
        EXIT_VMCALL => match regs[RAX] {
            hypercall::BEGIN_CASE => verdict::begin_case(regs[RDI]),
            hypercall::RETURNED => match hypercall::outcome(regs[RDI]) {
                Some(result) => verdict::returned(result),
                None => fail(format_args!("returned {}: no outcome", regs[RDI])),
            },
            hypercall::DONE => verdict::report(),
            request => fail(format_args!("VMCALL {request}: no such request")),
        },
        _ => fail(format_args!(
            "unexpected VM exit: reason {reason:#x}, qualification {qualification:#x}, at {:#x}",
            vmread(field::GUEST_RIP)
        )),
    }
    vmwrite(
        field::GUEST_RIP,
        vmread(field::GUEST_RIP) + vmread(field::EXIT_INSTRUCTION_LENGTH),
    );
}

/// VMRESUME (or VMLAUNCH) fell through: report the VM-instruction error.
#[no_mangle]
pub extern "C" fn vmentry_failed() -> ! {
    fail(format_args!(
        "VM entry failed: VM-instruction error {}",
        vmread(field::VM_INSTRUCTION_ERROR)
    ))
}

extern "C" {
    /// Where every VM exit enters the host (the VMCS's host RIP).
    pub fn vmexit_entry();
}

global_asm!(
    r#"
    .section .text.vmexit_entry, "ax"
    .global vmexit_entry
vmexit_entry:
    push r15
    push r14
    push r13
    push r12
    push r11
    push r10
    push r9
    push r8
    push rdi
    push rsi
    push rbp
    push 0
    push rbx
    push rdx
    push rcx
    push rax
    mov rdi, rsp
    call vmexit_handler
    pop rax
    pop rcx
    pop rdx
    pop rbx
    add rsp, 8
    pop rbp
    pop rsi
    pop rdi
    pop r8
    pop r9
    pop r10
    pop r11
    pop r12
    pop r13
    pop r14
    pop r15
    vmresume
    call vmentry_failed
    "#
);
