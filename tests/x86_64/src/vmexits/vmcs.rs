//! The one VMCS: its field numbers, VMREAD/VMWRITE, and its contents. The
//! guest shares the host's address space and segments; INVLPG and CR3
//! loads exit (INVEPT and INVVPID always do in VMX non-root operation).

use core::arch::asm;
use core::cell::UnsafeCell;

use crate::boot::{sgdt, sidt, tss_base, CODE, DATA, TR};
use crate::console::fail;
use crate::vmx_operation::{rdmsr, read_reg, IA32_VMX_BASIC};

/// The VMCS field encodings used here (Intel SDM, appendix "Field Encoding
/// in VMCS").
pub mod field {
    pub const GUEST_ES_SELECTOR: u64 = 0x800;
    pub const HOST_ES_SELECTOR: u64 = 0xc00;
    pub const HOST_CS_SELECTOR: u64 = 0xc02;
    pub const HOST_SS_SELECTOR: u64 = 0xc04;
    pub const HOST_DS_SELECTOR: u64 = 0xc06;
    pub const HOST_FS_SELECTOR: u64 = 0xc08;
    pub const HOST_GS_SELECTOR: u64 = 0xc0a;
    pub const HOST_TR_SELECTOR: u64 = 0xc0c;
    pub const VMCS_LINK_POINTER: u64 = 0x2800;
    pub const GUEST_IA32_DEBUGCTL: u64 = 0x2802;
    pub const PIN_BASED_CONTROLS: u64 = 0x4000;
    pub const PROC_BASED_CONTROLS: u64 = 0x4002;
    pub const EXCEPTION_BITMAP: u64 = 0x4004;
    pub const CR3_TARGET_COUNT: u64 = 0x400a;
    pub const EXIT_CONTROLS: u64 = 0x400c;
    pub const EXIT_MSR_STORE_COUNT: u64 = 0x400e;
    pub const EXIT_MSR_LOAD_COUNT: u64 = 0x4010;
    pub const ENTRY_CONTROLS: u64 = 0x4012;
    pub const ENTRY_MSR_LOAD_COUNT: u64 = 0x4014;
    pub const ENTRY_INTERRUPTION_INFO: u64 = 0x4016;
    pub const VM_INSTRUCTION_ERROR: u64 = 0x4400;
    pub const EXIT_REASON: u64 = 0x4402;
    pub const EXIT_INSTRUCTION_LENGTH: u64 = 0x440c;
    pub const EXIT_INSTRUCTION_INFO: u64 = 0x440e;
    pub const GUEST_ES_LIMIT: u64 = 0x4800;
    pub const GUEST_ES_AR: u64 = 0x4814;
    pub const GUEST_GDTR_LIMIT: u64 = 0x4810;
    pub const GUEST_IDTR_LIMIT: u64 = 0x4812;
    pub const GUEST_INTERRUPTIBILITY: u64 = 0x4824;
    pub const GUEST_ACTIVITY_STATE: u64 = 0x4826;
    pub const GUEST_SYSENTER_CS: u64 = 0x482a;
    pub const HOST_SYSENTER_CS: u64 = 0x4c00;
    pub const CR0_MASK: u64 = 0x6000;
    pub const CR4_MASK: u64 = 0x6002;
    pub const CR0_SHADOW: u64 = 0x6004;
    pub const CR4_SHADOW: u64 = 0x6006;
    pub const EXIT_QUALIFICATION: u64 = 0x6400;
    pub const GUEST_CR0: u64 = 0x6800;
    pub const GUEST_CR3: u64 = 0x6802;
    pub const GUEST_CR4: u64 = 0x6804;
    pub const GUEST_ES_BASE: u64 = 0x6806;
    pub const GUEST_GDTR_BASE: u64 = 0x6816;
    pub const GUEST_IDTR_BASE: u64 = 0x6818;
    pub const GUEST_DR7: u64 = 0x681a;
    pub const GUEST_RSP: u64 = 0x681c;
    pub const GUEST_RIP: u64 = 0x681e;
    pub const GUEST_RFLAGS: u64 = 0x6820;
    pub const GUEST_PENDING_DEBUG: u64 = 0x6822;
    pub const GUEST_SYSENTER_ESP: u64 = 0x6824;
    pub const GUEST_SYSENTER_EIP: u64 = 0x6826;
    pub const HOST_CR0: u64 = 0x6c00;
    pub const HOST_CR3: u64 = 0x6c02;
    pub const HOST_CR4: u64 = 0x6c04;
    pub const HOST_FS_BASE: u64 = 0x6c06;
    pub const HOST_GS_BASE: u64 = 0x6c08;
    pub const HOST_TR_BASE: u64 = 0x6c0a;
    pub const HOST_GDTR_BASE: u64 = 0x6c0c;
    pub const HOST_IDTR_BASE: u64 = 0x6c0e;
    pub const HOST_SYSENTER_ESP: u64 = 0x6c10;
    pub const HOST_SYSENTER_EIP: u64 = 0x6c12;
    pub const HOST_RSP: u64 = 0x6c14;
    pub const HOST_RIP: u64 = 0x6c16;
}

pub fn vmwrite(field: u64, value: u64) {
    let failed: u8;
    // SAFETY: VMWRITE to the current VMCS; flags report failure.
    unsafe {
        asm!("vmwrite {0}, {1}", "setbe {2}", in(reg) field, in(reg) value, out(reg_byte) failed, options(nostack));
    }
    if failed != 0 {
        fail(format_args!(
            "vmwrite {field:#x} = {value:#x}: error {}",
            vmread(field::VM_INSTRUCTION_ERROR)
        ));
    }
}

pub fn vmread(field: u64) -> u64 {
    let value: u64;
    // SAFETY: VMREAD from the current VMCS.
    unsafe { asm!("vmread {0}, {1}", out(reg) value, in(reg) field, options(nostack)) };
    value
}

const IA32_VMX_PINBASED_CTLS: u32 = 0x481;
const IA32_VMX_PROCBASED_CTLS: u32 = 0x482;
const IA32_VMX_EXIT_CTLS: u32 = 0x483;
const IA32_VMX_ENTRY_CTLS: u32 = 0x484;
/// The TRUE_* control MSRs are 0x48D.. in the same order as 0x481..
const TRUE_CTLS_OFFSET: u32 = 0x48d - 0x481;

/// Primary controls: INVLPG exiting (bit 9), CR3-load exiting (bit 15).
const PROC_INVLPG_EXITING: u64 = 1 << 9;
const PROC_CR3_LOAD_EXITING: u64 = 1 << 15;
/// Exit control: host address-space size (64-bit host).
const EXIT_HOST_64: u64 = 1 << 9;
/// Entry control: IA-32e mode guest.
const ENTRY_GUEST_64: u64 = 1 << 9;

/// `wanted` with the bits the capability MSR forces set and clear.
fn adjust(wanted: u64, msr: u32) -> u64 {
    let caps = rdmsr(msr);
    (wanted | (caps & 0xffff_ffff)) & (caps >> 32)
}

#[repr(C, align(16))]
struct Stack(UnsafeCell<[u8; 16384]>);

// SAFETY: each stack belongs to one context (the guest, or the exit handler).
unsafe impl Sync for Stack {}

static GUEST_STACK: Stack = Stack(UnsafeCell::new([0; 16384]));
static EXIT_STACK: Stack = Stack(UnsafeCell::new([0; 16384]));

impl Stack {
    fn top(&'static self) -> u64 {
        self.0.get() as u64 + 16384
    }
}

/// Fills the current VMCS: the guest starts at `guest_rip` on its own
/// stack, every VM exit enters `exit_rip` on the handler's.
// One VMCS, field by field, in the SDM's order: splitting it would only
// scatter the list.
#[allow(clippy::too_many_lines)]
pub fn setup(guest_rip: u64, exit_rip: u64) {
    use field::{
        CR0_MASK, CR0_SHADOW, CR3_TARGET_COUNT, CR4_MASK, CR4_SHADOW, ENTRY_CONTROLS,
        ENTRY_INTERRUPTION_INFO, ENTRY_MSR_LOAD_COUNT, EXCEPTION_BITMAP, EXIT_CONTROLS,
        EXIT_MSR_LOAD_COUNT, EXIT_MSR_STORE_COUNT, GUEST_ACTIVITY_STATE, GUEST_CR0, GUEST_CR3,
        GUEST_CR4, GUEST_DR7, GUEST_ES_AR, GUEST_ES_BASE, GUEST_ES_LIMIT, GUEST_ES_SELECTOR,
        GUEST_GDTR_BASE, GUEST_GDTR_LIMIT, GUEST_IA32_DEBUGCTL, GUEST_IDTR_BASE, GUEST_IDTR_LIMIT,
        GUEST_INTERRUPTIBILITY, GUEST_PENDING_DEBUG, GUEST_RFLAGS, GUEST_RIP, GUEST_RSP,
        GUEST_SYSENTER_CS, GUEST_SYSENTER_EIP, GUEST_SYSENTER_ESP, HOST_CR0, HOST_CR3, HOST_CR4,
        HOST_CS_SELECTOR, HOST_DS_SELECTOR, HOST_ES_SELECTOR, HOST_FS_BASE, HOST_FS_SELECTOR,
        HOST_GDTR_BASE, HOST_GS_BASE, HOST_GS_SELECTOR, HOST_IDTR_BASE, HOST_RIP, HOST_RSP,
        HOST_SS_SELECTOR, HOST_SYSENTER_CS, HOST_SYSENTER_EIP, HOST_SYSENTER_ESP, HOST_TR_BASE,
        HOST_TR_SELECTOR, PIN_BASED_CONTROLS, PROC_BASED_CONTROLS, VMCS_LINK_POINTER,
    };
    let true_ctls = rdmsr(IA32_VMX_BASIC) & (1 << 55) != 0;
    let ctls = |msr: u32| {
        if true_ctls {
            msr + TRUE_CTLS_OFFSET
        } else {
            msr
        }
    };
    vmwrite(PIN_BASED_CONTROLS, adjust(0, ctls(IA32_VMX_PINBASED_CTLS)));
    vmwrite(
        PROC_BASED_CONTROLS,
        adjust(
            PROC_INVLPG_EXITING | PROC_CR3_LOAD_EXITING,
            ctls(IA32_VMX_PROCBASED_CTLS),
        ),
    );
    vmwrite(
        EXIT_CONTROLS,
        adjust(EXIT_HOST_64, ctls(IA32_VMX_EXIT_CTLS)),
    );
    vmwrite(
        ENTRY_CONTROLS,
        adjust(ENTRY_GUEST_64, ctls(IA32_VMX_ENTRY_CTLS)),
    );
    for zero in [
        EXCEPTION_BITMAP,
        CR3_TARGET_COUNT,
        EXIT_MSR_STORE_COUNT,
        EXIT_MSR_LOAD_COUNT,
        ENTRY_MSR_LOAD_COUNT,
        ENTRY_INTERRUPTION_INFO,
        CR0_MASK,
        CR4_MASK,
        CR0_SHADOW,
        CR4_SHADOW,
    ] {
        vmwrite(zero, 0);
    }

    let (cr0, cr3, cr4) = (read_reg!("cr0"), read_reg!("cr3"), read_reg!("cr4"));
    let (gdt_base, gdt_limit) = sgdt();
    let (idt_base, idt_limit) = sidt();
    let tss = tss_base();

    // Host: this program, resumed at `exit_rip` on its own stack.
    vmwrite(HOST_CR0, cr0);
    vmwrite(HOST_CR3, cr3);
    vmwrite(HOST_CR4, cr4);
    vmwrite(HOST_CS_SELECTOR, CODE.into());
    for selector in [
        HOST_SS_SELECTOR,
        HOST_DS_SELECTOR,
        HOST_ES_SELECTOR,
        HOST_FS_SELECTOR,
        HOST_GS_SELECTOR,
    ] {
        vmwrite(selector, DATA.into());
    }
    vmwrite(HOST_TR_SELECTOR, TR.into());
    vmwrite(HOST_FS_BASE, 0);
    vmwrite(HOST_GS_BASE, 0);
    vmwrite(HOST_TR_BASE, tss);
    vmwrite(HOST_GDTR_BASE, gdt_base);
    vmwrite(HOST_IDTR_BASE, idt_base);
    vmwrite(HOST_SYSENTER_CS, 0);
    vmwrite(HOST_SYSENTER_ESP, 0);
    vmwrite(HOST_SYSENTER_EIP, 0);
    vmwrite(HOST_RSP, EXIT_STACK.top());
    vmwrite(HOST_RIP, exit_rip);

    // Guest: the same address space and segments, in 64-bit mode.
    vmwrite(GUEST_CR0, cr0);
    vmwrite(GUEST_CR3, cr3);
    vmwrite(GUEST_CR4, cr4);
    vmwrite(GUEST_DR7, 0x400);
    vmwrite(GUEST_RSP, GUEST_STACK.top() - 8);
    vmwrite(GUEST_RIP, guest_rip);
    vmwrite(GUEST_RFLAGS, 0x2);
    // ES, CS, SS, DS, FS, GS, LDTR, TR: selector, limit, access rights, base
    // (each field family is laid out in this order, 2 apart).
    let segments: [(u16, u64, u64, u64); 8] = [
        (DATA, 0xffff_ffff, 0xc093, 0),
        (CODE, 0xffff_ffff, 0xa09b, 0),
        (DATA, 0xffff_ffff, 0xc093, 0),
        (DATA, 0xffff_ffff, 0xc093, 0),
        (DATA, 0xffff_ffff, 0xc093, 0),
        (DATA, 0xffff_ffff, 0xc093, 0),
        (0, 0, 0x1_0000, 0),
        (TR, 0x67, 0x8b, tss),
    ];
    for (i, (selector, limit, access, base)) in segments.into_iter().enumerate() {
        let i = i as u64;
        vmwrite(GUEST_ES_SELECTOR + 2 * i, selector.into());
        vmwrite(GUEST_ES_LIMIT + 2 * i, limit);
        vmwrite(GUEST_ES_AR + 2 * i, access);
        vmwrite(GUEST_ES_BASE + 2 * i, base);
    }
    vmwrite(GUEST_GDTR_BASE, gdt_base);
    vmwrite(GUEST_GDTR_LIMIT, gdt_limit.into());
    vmwrite(GUEST_IDTR_BASE, idt_base);
    vmwrite(GUEST_IDTR_LIMIT, idt_limit.into());
    vmwrite(GUEST_IA32_DEBUGCTL, 0);
    vmwrite(GUEST_SYSENTER_CS, 0);
    vmwrite(GUEST_SYSENTER_ESP, 0);
    vmwrite(GUEST_SYSENTER_EIP, 0);
    vmwrite(GUEST_INTERRUPTIBILITY, 0);
    vmwrite(GUEST_ACTIVITY_STATE, 0);
    vmwrite(GUEST_PENDING_DEBUG, 0);
    vmwrite(VMCS_LINK_POINTER, u64::MAX);
}
