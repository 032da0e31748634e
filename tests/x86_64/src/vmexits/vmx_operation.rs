//! Entering VMX root operation: CPUID's VMX bit, IA32_FEATURE_CONTROL, CR0
//! and CR4 as the fixed-bit MSRs require, VMXON, then VMCLEAR and VMPTRLD
//! of the one VMCS.

use core::arch::asm;
use core::cell::UnsafeCell;

use crate::console::fail;

const IA32_FEATURE_CONTROL: u32 = 0x3a;
pub const IA32_VMX_BASIC: u32 = 0x480;
const IA32_VMX_CR0_FIXED0: u32 = 0x486;
const IA32_VMX_CR0_FIXED1: u32 = 0x487;
const IA32_VMX_CR4_FIXED0: u32 = 0x488;
const IA32_VMX_CR4_FIXED1: u32 = 0x489;

pub fn rdmsr(msr: u32) -> u64 {
    let (low, high): (u32, u32);
    // SAFETY: reads an MSR Bochs' CPU model implements.
    unsafe {
        asm!("rdmsr", in("ecx") msr, out("eax") low, out("edx") high, options(nomem, nostack));
    };
    u64::from(high) << 32 | u64::from(low)
}

// The MSR's two halves go in EAX and EDX: the truncation is the point.
#[allow(clippy::cast_possible_truncation)]
fn wrmsr(msr: u32, value: u64) {
    // SAFETY: writes IA32_FEATURE_CONTROL only, before VMXON.
    unsafe {
        asm!("wrmsr", in("ecx") msr, in("eax") value as u32, in("edx") (value >> 32) as u32, options(nomem, nostack));
    }
}

/// Reads a control register.
macro_rules! read_reg {
    ($reg:literal) => {{
        let value: u64;
        // SAFETY: reading a control register has no side effect at CPL 0.
        unsafe {
            core::arch::asm!(concat!("mov {0}, ", $reg), out(reg) value, options(nomem, nostack))
        };
        value
    }};
}
pub(crate) use read_reg;

/// Writes a control register.
macro_rules! write_reg {
    ($reg:literal, $value:expr) => {{
        // SAFETY: the values keep the identity mapping and long mode.
        unsafe { asm!(concat!("mov ", $reg, ", {0}"), in(reg) $value, options(nostack)) };
    }};
}

/// A 4 KiB region handed to the CPU.
#[repr(C, align(4096))]
struct Page(UnsafeCell<[u32; 1024]>);

// SAFETY: one CPU; the VMX regions are handed to the CPU once.
unsafe impl Sync for Page {}

impl Page {
    fn addr(&'static self) -> u64 {
        self.0.get() as u64
    }
}

static VMXON_REGION: Page = Page(UnsafeCell::new([0; 1024]));
static VMCS_REGION: Page = Page(UnsafeCell::new([0; 1024]));

/// VMXON, then makes the one VMCS current (clear, launch state "clear").
pub fn enter_vmx_operation() {
    let ecx: u32;
    // SAFETY: CPUID has no side effect.
    unsafe {
        asm!("push rbx", "cpuid", "pop rbx", inout("eax") 1 => _, out("ecx") ecx, out("edx") _, options(nostack));
    };
    if ecx & (1 << 5) == 0 {
        fail(format_args!("no VMX in CPUID.1:ECX = {ecx:#x}"));
    }
    let control = rdmsr(IA32_FEATURE_CONTROL);
    if control & 1 == 0 {
        // Lock, with VMXON allowed outside SMX.
        wrmsr(IA32_FEATURE_CONTROL, control | 1 | 1 << 2);
    }
    let cr0 = (read_reg!("cr0") | rdmsr(IA32_VMX_CR0_FIXED0)) & rdmsr(IA32_VMX_CR0_FIXED1);
    write_reg!("cr0", cr0);
    let cr4 =
        (read_reg!("cr4") | 1 << 13 | rdmsr(IA32_VMX_CR4_FIXED0)) & rdmsr(IA32_VMX_CR4_FIXED1);
    write_reg!("cr4", cr4);
    let revision = rdmsr(IA32_VMX_BASIC) & 0x7fff_ffff;
    for region in [&VMXON_REGION, &VMCS_REGION] {
        // SAFETY: the region is not handed to the CPU yet.
        unsafe { region.0.get().cast::<u32>().write(revision as u32) };
    }
    let vmxon = VMXON_REGION.addr();
    let vmcs = VMCS_REGION.addr();
    let failed: u8;
    // SAFETY: VMXON with a region carrying the revision identifier, then
    // VMCLEAR and VMPTRLD of the VMCS; physical = virtual (identity map).
    unsafe {
        asm!(
            "vmxon [{vmxon}]",
            "jbe 2f",
            "vmclear [{vmcs}]",
            "jbe 2f",
            "vmptrld [{vmcs}]",
            "2:",
            "setbe {failed}",
            vmxon = in(reg) &raw const vmxon,
            vmcs = in(reg) &raw const vmcs,
            failed = out(reg_byte) failed,
            options(nostack),
        );
    }
    if failed != 0 {
        fail(format_args!("VMXON/VMCLEAR/VMPTRLD failed"));
    }
}
