//! A VMX trap-and-check harness on Bochs: proves which instruction each x86_64
//! flush of addr-types executes, with which type and descriptor.
//!
//! Bochs cannot show EPT staleness through memory: VM entry and VM exit both
//! flush its TLB, and a hypervisor can only invalidate between the two. So
//! this program checks the instruction instead, the way tests/riscv traps
//! `hfence.gvma`: the code under test runs as an inner hypervisor in VMX
//! non-root operation, where INVEPT and INVVPID always VM-exit (basic exit
//! reasons 50 and 53), INVLPG exits under "INVLPG exiting" (14) and MOV to
//! CR3 under "CR3-load exiting" (28). The root-mode harness decodes each
//! exit (the VM-exit instruction-information field names the type register
//! and the descriptor's base, index and scale; the exit qualification is the
//! displacement), reads the type and the 16-byte descriptor, emulates
//! success, and resumes. At the end (`vmcall`) it compares the log with what
//! each flush must execute and prints `RESULT: PASS` or `RESULT: FAIL` on
//! port 0xE9.
//!
//! The boot sector (below) loads the program, enters long mode with the
//! first GiB identity-mapped by 2 MiB pages, and jumps to `start64`.
//!
//! `control-invlpg` swaps `GuestPhysAddr` for upstream axaddrspace's flush
//! (`x86::tlb::flush(gpa)`, an INVLPG; `flush_all`, a CR3 reload): the
//! harness must then print `RESULT: FAIL`.
#![no_std]
#![no_main]

use core::arch::{asm, global_asm};
use core::cell::UnsafeCell;
use core::fmt::{self, Write as _};

use addr_types::arch::x86_64 as vmx;
use addr_types::{address, FlushTlb, GuestVirtAddr};

// --- Output and the end ---------------------------------------------------

/// Bochs' `port_e9_hack`: every byte written to port 0xE9 is printed.
struct PortE9;

impl fmt::Write for PortE9 {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for byte in s.bytes() {
            // SAFETY: an OUT to Bochs' debug port; no memory is touched.
            unsafe {
                asm!("out 0xe9, al", in("al") byte, options(nomem, nostack, preserves_flags));
            };
        }
        Ok(())
    }
}

macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(PortE9, $($arg)*);
    }};
}

/// Ends the emulation through Bochs' shutdown port (Bochs then exits with a
/// PANIC message and status 1: the host test judges by the printed lines).
fn shutdown() -> ! {
    for byte in b"Shutdown" {
        // SAFETY: OUTs to Bochs' shutdown port; nothing runs after the last.
        unsafe { asm!("out dx, al", in("dx") 0x8900_u16, in("al") *byte, options(nomem, nostack)) };
    }
    loop {
        // SAFETY: stops the CPU with interrupts off.
        unsafe { asm!("cli", "hlt", options(nomem, nostack)) };
    }
}

fn fail(why: fmt::Arguments<'_>) -> ! {
    say!("RESULT: FAIL ({why})");
    shutdown()
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    fail(format_args!("panic: {}", info.message()))
}

// --- The code under test, run in VMX non-root operation --------------------

/// Guest physical and virtual addresses, an EPTP and a VPID: any values, the
/// checks are on what reaches the instructions.
const GPA: usize = 0x8020_3000;
const GVA: usize = 0xffff_8000_0040_3000;
const HVA: usize = 0x0040_5000;
const EPTP: u64 = 0x0000_0001_2345_601e;
const VPID: u16 = 0x0102;

/// A host virtual address type of the host-virtual kind.
#[address(prefix = "HVA", translates = "host-virtual")]
struct HostVa(usize);

/// control-invlpg: upstream axaddrspace's flush of guest physical addresses
/// on x86_64, `x86::tlb::flush(gpa)` (INVLPG) and `x86::tlb::flush_all()` (a
/// CR3 reload), written out.
#[address(prefix = "GPA")]
struct UpstreamGpa(usize);

impl FlushTlb for UpstreamGpa {
    fn flush_tlb(gpa: Option<Self>) {
        match gpa {
            Some(gpa) => vmx::invlpg(gpa.as_usize()),
            None => vmx::reload_cr3(),
        }
    }
}

/// The guest physical address type under test.
#[cfg(not(feature = "control-invlpg"))]
type Gpa = addr_types::GuestPhysAddr;
#[cfg(feature = "control-invlpg")]
type Gpa = UpstreamGpa;

/// What one flush must make the CPU execute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Executed {
    Invept { ty: u64, descriptor: [u64; 2] },
    Invvpid { ty: u64, descriptor: [u64; 2] },
    Invlpg { address: u64 },
    MovToCr3,
}

impl fmt::Display for Executed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invept {
                ty,
                descriptor: [low, high],
            } => {
                write!(f, "INVEPT type {ty} descriptor [{low:#x}, {high:#x}]")
            }
            Self::Invvpid {
                ty,
                descriptor: [low, high],
            } => {
                write!(f, "INVVPID type {ty} descriptor [{low:#x}, {high:#x}]")
            }
            Self::Invlpg { address } => write!(f, "INVLPG {address:#x}"),
            Self::MovToCr3 => write!(f, "MOV to CR3"),
        }
    }
}

const ALL_EPT: Executed = Executed::Invept {
    ty: 2,
    descriptor: [0, 0],
};
const ALL_VPID: Executed = Executed::Invvpid {
    ty: 2,
    descriptor: [0, 0],
};

/// Each flush the guest runs, in order, and what it must execute.
const EXPECTED: [(&str, Executed); 11] = [
    ("GuestPhysAddr::flush_tlb(Some)", ALL_EPT),
    ("GuestPhysAddr::flush_tlb(None)", ALL_EPT),
    ("GuestVirtAddr::flush_tlb(Some)", ALL_VPID),
    ("GuestVirtAddr::flush_tlb(None)", ALL_VPID),
    (
        "invept_single_context",
        Executed::Invept {
            ty: 1,
            descriptor: [EPTP, 0],
        },
    ),
    ("invept_all_context", ALL_EPT),
    (
        "invvpid_individual_address",
        Executed::Invvpid {
            ty: 0,
            descriptor: [VPID as u64, GVA as u64],
        },
    ),
    (
        "invvpid_single_context",
        Executed::Invvpid {
            ty: 1,
            descriptor: [VPID as u64, 0],
        },
    ),
    ("invvpid_all_context", ALL_VPID),
    (
        "host-virtual flush_tlb(Some)",
        Executed::Invlpg {
            address: HVA as u64,
        },
    ),
    ("host-virtual flush_tlb(None)", Executed::MovToCr3),
];

/// The inner hypervisor: runs every flush, then leaves with VMCALL.
extern "C" fn guest_main() -> ! {
    use core::hint::black_box;
    Gpa::flush_tlb(Some(Gpa::from_usize(black_box(GPA))));
    Gpa::flush_tlb(None);
    GuestVirtAddr::flush_tlb(Some(GuestVirtAddr::from_usize(black_box(GVA))));
    GuestVirtAddr::flush_tlb(None);
    let _ = vmx::invept_single_context(black_box(EPTP));
    let _ = vmx::invept_all_context();
    let _ = vmx::invvpid_individual_address(black_box(VPID), black_box(GVA as u64));
    let _ = vmx::invvpid_single_context(black_box(VPID));
    let _ = vmx::invvpid_all_context();
    HostVa::flush_tlb(Some(HostVa::from_usize(black_box(HVA))));
    HostVa::flush_tlb(None);
    loop {
        // SAFETY: VMCALL in VMX non-root operation always VM-exits; the
        // harness does not resume after it.
        unsafe { asm!("vmcall", options(nomem, nostack)) };
    }
}

// --- The log of exits ------------------------------------------------------

const LOG_CAPACITY: usize = 16;

struct Log {
    count: usize,
    entries: [Option<Executed>; LOG_CAPACITY],
}

/// Single CPU, and the guest never touches it: a plain cell suffices.
struct Global<T>(UnsafeCell<T>);

// SAFETY: one CPU; the harness accesses the value from root operation only.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    #[allow(clippy::mut_from_ref)]
    fn get(&self) -> &mut T {
        // SAFETY: see `impl Sync`: one access at a time.
        unsafe { &mut *self.0.get() }
    }
}

static LOG: Global<Log> = Global(UnsafeCell::new(Log {
    count: 0,
    entries: [None; LOG_CAPACITY],
}));

fn record(executed: Executed) {
    let log = LOG.get();
    if log.count < LOG_CAPACITY {
        log.entries[log.count] = Some(executed);
    }
    log.count += 1;
}

fn report() -> ! {
    let log = LOG.get();
    let mut failures = 0;
    for (i, (flush, expected)) in EXPECTED.iter().enumerate() {
        let seen = log.entries.get(i).copied().flatten();
        let verdict = if seen == Some(*expected) {
            "ok"
        } else {
            "WRONG"
        };
        failures += usize::from(seen != Some(*expected));
        match seen {
            Some(seen) => say!("{flush}: {seen} (expected {expected}): {verdict}"),
            None => say!("{flush}: nothing (expected {expected}): {verdict}"),
        }
    }
    if log.count != EXPECTED.len() {
        say!("{} exits, expected {}", log.count, EXPECTED.len());
        failures += 1;
    }
    if failures == 0 {
        say!("RESULT: PASS");
        shutdown()
    }
    fail(format_args!("{failures} wrong"))
}

// --- VMX -------------------------------------------------------------------

mod field {
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

fn vmwrite(field: u64, value: u64) {
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

fn vmread(field: u64) -> u64 {
    let value: u64;
    // SAFETY: VMREAD from the current VMCS.
    unsafe { asm!("vmread {0}, {1}", out(reg) value, in(reg) field, options(nostack)) };
    value
}

fn rdmsr(msr: u32) -> u64 {
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

macro_rules! read_reg {
    ($reg:literal) => {{
        let value: u64;
        // SAFETY: reading a control register has no side effect at CPL 0.
        unsafe { asm!(concat!("mov {0}, ", $reg), out(reg) value, options(nomem, nostack)) };
        value
    }};
}

macro_rules! write_reg {
    ($reg:literal, $value:expr) => {{
        // SAFETY: the values keep the identity mapping and long mode.
        unsafe { asm!(concat!("mov ", $reg, ", {0}"), in(reg) $value, options(nostack)) };
    }};
}

const IA32_FEATURE_CONTROL: u32 = 0x3a;
const IA32_VMX_BASIC: u32 = 0x480;
const IA32_VMX_PINBASED_CTLS: u32 = 0x481;
const IA32_VMX_PROCBASED_CTLS: u32 = 0x482;
const IA32_VMX_EXIT_CTLS: u32 = 0x483;
const IA32_VMX_ENTRY_CTLS: u32 = 0x484;
const IA32_VMX_CR0_FIXED0: u32 = 0x486;
const IA32_VMX_CR0_FIXED1: u32 = 0x487;
const IA32_VMX_CR4_FIXED0: u32 = 0x488;
const IA32_VMX_CR4_FIXED1: u32 = 0x489;
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

/// GDT: null, 64-bit code (0x08), data (0x10), a 64-bit TSS (0x18): VMX
/// requires a host TR.
static GDT: Global<[u64; 5]> = Global(UnsafeCell::new([
    0,
    0x00af_9a00_0000_ffff,
    0x00cf_9200_0000_ffff,
    0,
    0,
]));
static TSS: Global<[u32; 26]> = Global(UnsafeCell::new([0; 26]));

const CODE: u16 = 0x08;
const DATA: u16 = 0x10;
const TR: u16 = 0x18;

#[repr(C, packed)]
struct DescriptorTablePointer {
    limit: u16,
    base: u64,
}

fn load_gdt_and_tr() {
    let tss = TSS.get().as_ptr() as u64;
    let gdt = GDT.get();
    gdt[3] = 0x67 | (tss & 0xff_ffff) << 16 | 0x89 << 40 | (tss >> 24 & 0xff) << 56;
    gdt[4] = tss >> 32;
    let pointer = DescriptorTablePointer {
        limit: 5 * 8 - 1,
        base: gdt.as_ptr() as u64,
    };
    // SAFETY: the new GDT has the same code and data descriptors as the boot
    // GDT; the far return reloads CS from it.
    unsafe {
        asm!(
            "lgdt [{ptr}]",
            "push {code}",
            "lea {tmp}, [rip + 2f]",
            "push {tmp}",
            "retfq",
            "2:",
            "mov ds, {data:x}",
            "mov es, {data:x}",
            "mov ss, {data:x}",
            "mov fs, {data:x}",
            "mov gs, {data:x}",
            "ltr {tr:x}",
            ptr = in(reg) &raw const pointer,
            code = in(reg) u64::from(CODE),
            tmp = out(reg) _,
            data = in(reg) u64::from(DATA),
            tr = in(reg) u64::from(TR),
        );
    }
}

fn sgdt() -> (u64, u16) {
    let mut pointer = DescriptorTablePointer { limit: 0, base: 0 };
    // SAFETY: stores the GDTR into `pointer`.
    unsafe { asm!("sgdt [{0}]", in(reg) &raw mut pointer, options(nostack)) };
    (pointer.base, pointer.limit)
}

fn sidt() -> (u64, u16) {
    let mut pointer = DescriptorTablePointer { limit: 0, base: 0 };
    // SAFETY: stores the IDTR into `pointer`.
    unsafe { asm!("sidt [{0}]", in(reg) &raw mut pointer, options(nostack)) };
    (pointer.base, pointer.limit)
}

fn enter_vmx_operation() {
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

// One VMCS, field by field, in the SDM's order: splitting it would only
// scatter the list.
#[allow(clippy::too_many_lines)]
fn setup_vmcs() {
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
    let tss = TSS.get().as_ptr() as u64;

    // Host: this program, resumed at `vmexit_entry` on its own stack.
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
    vmwrite(HOST_RIP, vmexit_entry as *const () as u64);

    // Guest: the same address space and segments, in 64-bit mode.
    vmwrite(GUEST_CR0, cr0);
    vmwrite(GUEST_CR3, cr3);
    vmwrite(GUEST_CR4, cr4);
    vmwrite(GUEST_DR7, 0x400);
    vmwrite(GUEST_RSP, GUEST_STACK.top() - 8);
    vmwrite(GUEST_RIP, guest_main as *const () as u64);
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

// --- VM exits ----------------------------------------------------------------

const EXIT_INVLPG: u64 = 14;
const EXIT_VMCALL: u64 = 18;
const EXIT_CR_ACCESS: u64 = 28;
const EXIT_INVEPT: u64 = 50;
const EXIT_INVVPID: u64 = 53;

/// The guest's general registers as `vmexit_entry` saved them, in the
/// hardware numbering (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15);
/// rsp's slot is unused (the VMCS holds it).
type Registers = [u64; 16];

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
            record(if reason & 0xffff == EXIT_INVEPT {
                Executed::Invept { ty, descriptor }
            } else {
                Executed::Invvpid { ty, descriptor }
            });
        }
        EXIT_INVLPG => record(Executed::Invlpg {
            address: qualification,
        }),
        EXIT_CR_ACCESS if qualification & 0x3f == 3 => {
            // MOV to CR3: perform it, as the guest shares our address space.
            let source = register(regs, qualification >> 8 & 0xf);
            vmwrite(field::GUEST_CR3, source);
            record(Executed::MovToCr3);
        }
        EXIT_CR_ACCESS if qualification & 0x3f == 0x13 => {
            // MOV from CR3 (when CR3-store exiting cannot be cleared).
            let target = (qualification >> 8 & 0xf) as usize;
            regs[target] = vmread(field::GUEST_CR3);
        }
        EXIT_VMCALL => report(),
        _ => fail(format_args!(
            "unexpected VM exit: reason {reason:#x}, qualification {qualification:#x}, at {:#x}",
            vmread(field::GUEST_RIP)
        )),
    }
    // Emulate VMsucceed (CF = PF = AF = ZF = SF = OF = 0) and step over.
    vmwrite(field::GUEST_RFLAGS, vmread(field::GUEST_RFLAGS) & !0x8d5);
    vmwrite(
        field::GUEST_RIP,
        vmread(field::GUEST_RIP) + vmread(field::EXIT_INSTRUCTION_LENGTH),
    );
}

/// VMRESUME (or VMLAUNCH) fell through: report the VM-instruction error.
#[no_mangle]
extern "C" fn vmentry_failed() -> ! {
    fail(format_args!(
        "VM entry failed: VM-instruction error {}",
        vmread(field::VM_INSTRUCTION_ERROR)
    ))
}

extern "C" {
    fn vmexit_entry();
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

#[no_mangle]
extern "C" fn main64() -> ! {
    say!("vmexits: VMX trap-and-check harness");
    load_gdt_and_tr();
    enter_vmx_operation();
    setup_vmcs();
    // SAFETY: VMLAUNCH enters `guest_main`; from then on the CPU returns to
    // `vmexit_entry`, never here, unless the entry fails.
    unsafe { asm!("vmlaunch", options(nostack)) };
    vmentry_failed()
}

global_asm!(
    r#"
    .section .boot, "ax"
    .code16
    .global boot_start
boot_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x7c00, %sp
    mov %dl, boot_drive
    mov $dap_low, %si
    mov $0x42, %ah
    mov boot_drive, %dl
    int $0x13
    jc boot_fail
    mov $dap_high, %si
    mov $0x42, %ah
    mov boot_drive, %dl
    int $0x13
    jc boot_fail
    mov $0x1000, %di
    xor %eax, %eax
    mov $0xc00, %ecx
    cld
    rep stosl
    movl $0x2003, 0x1000
    movl $0x3003, 0x2000
    mov $0x3000, %di
    mov $0x83, %eax
    mov $512, %cx
1:
    movl %eax, (%di)
    movl $0, 4(%di)
    add $0x200000, %eax
    add $8, %di
    loop 1b
    mov $0x1000, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x20, %eax
    mov %eax, %cr4
    mov $0xc0000080, %ecx
    rdmsr
    or $0x100, %eax
    wrmsr
    lgdtl boot_gdt_ptr
    mov %cr0, %eax
    or $0x80000001, %eax
    mov %eax, %cr0
    ljmp $0x08, $boot_long
boot_fail:
    mov $0xe9, %dx
    mov $'!', %al
    out %al, %dx
    hlt
    jmp boot_fail
    .code64
boot_long:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs
    mov $start64, %rax
    jmp *%rax
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff
    .quad 0x00cf92000000ffff
boot_gdt_ptr:
    .word 23
    .long boot_gdt
dap_low:
    .byte 0x10, 0
    .word 64
    .word 0, 0x1000
    .quad 1
dap_high:
    .byte 0x10, 0
    .word 64
    .word 0, 0x1800
    .quad 65
boot_drive:
    .byte 0
    .org 510
    .word 0xaa55

    .section .text.start64, "ax"
    .global start64
start64:
    lea _stack_top(%rip), %rsp
    lea _bss_start(%rip), %rdi
    lea _bss_end(%rip), %rcx
    sub %rdi, %rcx
    xor %eax, %eax
    rep stosb
    call main64
2:
    hlt
    jmp 2b

    .section .bss.stack, "aw", @nobits
    .balign 16
    .space 65536
_stack_top:
    "#,
    options(att_syntax)
);
