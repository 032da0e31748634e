//! addr-types' per-VM flushes (`arch::riscv::VmContext`) on the emulated
//! hart, in HS-mode with `mstatus.TVM = 1`, each instruction they execute on
//! `hgatp` or as a fence recorded by the M-mode handler (see
//! `hart::code_under_test`), on riscv64 and riscv32.
//!
//! A VM with VMID 1 is loaded (`hgatp` = Sv39x4 or Sv32x4, VMID 1, a root);
//! the flushes are for VMID 5, then for VMID 0, and must execute:
//!
//! - `probe_vmidlen()`: `hgatp` ← all-ones VMID with MODE = Bare, then ←
//!   the saved value, S-mode interrupts masked; the width M-mode measured.
//! - guest physical: `hfence.gvma` with rs2 = a register holding the VMID
//!   (never `x0`, VMID 0 included) and rs1 = a register holding `page >>
//!   2`, once per page of a range up to 512 pages (3 and 512 are checked),
//!   or `x0` for all (and for 513 pages); nothing for an empty or reversed
//!   range.
//! - guest virtual: `hgatp` ← the VMID with MODE = Bare, then the
//!   `hfence.vvma`s (rs1 as above, unshifted, rs2 = `x0`: all ASIDs), run
//!   under that VMID, then `hgatp` ← the saved value; S-mode interrupts
//!   masked from before the first write to after the second, and enabled
//!   again after. Nothing at all for an empty or reversed range.
//!
//! `hgatp` and `sstatus.SIE` must end as they were. The program prints each
//! trap log on the console, which the host test shows.
//!
//! The `control-*` features replace the flushes under test by a known
//! mistake, and the program must fail with that mistake's exit code
//! ([`hart::exit_code`]): the context-free `FlushTlb` (`hfence.gvma` with
//! rs2 = `x0`: 113), `x0` for VMID 0 (113 at VMID 0), `hfence.vvma`
//! without the `hgatp` swap (116).
#![no_std]
#![no_main]

#[cfg(any(
    all(feature = "control-context-free", feature = "control-vmid0-as-x0"),
    all(feature = "control-context-free", feature = "control-vvma-no-swap"),
    all(feature = "control-vmid0-as-x0", feature = "control-vvma-no-swap"),
))]
compile_error!("enable at most one `control-*` feature: each expects its own exit code");

use core::arch::asm;
use core::cell::UnsafeCell;

use addr_types::arch::riscv::{probe_vmidlen, HGATP_VMID_BITS, HGATP_VMID_SHIFT};
use addr_types::arch::RANGE_FLUSH_PAGE_LIMIT;
use addr_types::memory_addr_04::GuestPhysAddrRange as SeedGuestPhysAddrRange;
use addr_types::{AddrRange, MemoryAddr, PAGE_SIZE_4K};
use addr_types::{GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange};
use hart::exit_code;
use hart::hypervisor::{
    enter_hs_mode_with_tvm, hgatp, install_hgatp, interrupts_enabled, read_hgatp,
};
use hart::say;
use hart::trap_log::{self, Summary, Trapped};

/// A guest physical address whose shift by 2 shows in the operand.
const GPA: usize = 0x8020_3000;
/// A guest virtual address.
const GVA: usize = 0x0040_3000;
/// The VM whose `hgatp` is loaded while the flushes run for others.
const LOADED_VMID: usize = 1;
/// The VMIDs the flushes are for: another VM's, and 0, which `x0` is not.
const VMIDS: [u16; 2] = [5, 0];

#[cfg(not(any(
    feature = "control-context-free",
    feature = "control-vmid0-as-x0",
    feature = "control-vvma-no-swap",
)))]
type Vm = addr_types::arch::riscv::VmContext;
#[cfg(feature = "control-context-free")]
type Vm = controls::ContextFree;
#[cfg(feature = "control-vmid0-as-x0")]
type Vm = controls::Vmid0AsX0;
#[cfg(feature = "control-vvma-no-swap")]
type Vm = controls::VvmaNoSwap;

// --- The code under test -------------------------------------------------
//
// One function per call; addr-types' `#[inline]` code is inlined into them.

/// Each function in the section whose hgatp accesses and hfence.vvma the
/// harness patches to trap, never inlined into its caller.
macro_rules! code_under_test {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)? $body:block)*) => {
        $(
            $(#[$doc])*
            #[link_section = ".text.code_under_test"]
            #[inline(never)]
            fn $name($($arg: $ty),*) $(-> $ret)? $body
        )*
    };
}

code_under_test! {
    fn probe() -> u32 {
        probe_vmidlen()
    }

    fn flush_gpa(vm: Vm, gpa: GuestPhysAddr) {
        vm.flush_guest_physical(gpa);
    }

    fn flush_gpa_range(vm: Vm, range: GuestPhysAddrRange) {
        vm.flush_guest_physical_range(range);
    }

    /// The seed era's range type: the same bound takes it.
    fn flush_gpa_range_seed(vm: Vm, range: SeedGuestPhysAddrRange) {
        vm.flush_guest_physical_range(range);
    }

    fn flush_gpa_all(vm: Vm) {
        vm.flush_guest_physical_all();
    }

    fn flush_gva(vm: Vm, gva: GuestVirtAddr) {
        vm.flush_guest_virtual(gva);
    }

    fn flush_gva_range(vm: Vm, range: GuestVirtAddrRange) {
        vm.flush_guest_virtual_range(range);
    }

    fn flush_gva_all(vm: Vm) {
        vm.flush_guest_virtual_all();
    }
}

// --- The negative controls -------------------------------------------------

// The controls have `VmContext`'s signatures, whatever they use of them.
#[cfg(any(
    feature = "control-context-free",
    feature = "control-vmid0-as-x0",
    feature = "control-vvma-no-swap",
))]
#[allow(clippy::unused_self, clippy::trivially_copy_pass_by_ref)]
mod controls {
    use addr_types::arch::riscv::VmContext;
    use addr_types::arch::VmidTooWide;
    #[cfg(feature = "control-context-free")]
    use addr_types::FlushTlb;
    #[cfg(any(feature = "control-context-free", feature = "control-vmid0-as-x0"))]
    use addr_types::GuestPhysAddr;
    #[cfg(any(feature = "control-context-free", feature = "control-vvma-no-swap"))]
    use addr_types::{AddrRangeExt, GuestVirtAddr};

    /// Builds each control around a real context: the methods a control
    /// does not replace are `VmContext`'s, through `Deref`.
    macro_rules! control {
        ($name:ident) => {
            #[derive(Clone, Copy)]
            pub struct $name(VmContext);

            impl $name {
                pub const fn new(vmid: u16, vmidlen: u32) -> Result<Self, VmidTooWide> {
                    match VmContext::new(vmid, vmidlen) {
                        Ok(vm) => Ok(Self(vm)),
                        Err(error) => Err(error),
                    }
                }
            }

            impl core::ops::Deref for $name {
                type Target = VmContext;

                fn deref(&self) -> &VmContext {
                    &self.0
                }
            }
        };
    }

    #[cfg(feature = "control-context-free")]
    control!(ContextFree);

    /// The context-free `FlushTlb`, which carries no VM: `hfence.gvma` for
    /// every VMID, `hfence.vvma` for the loaded one.
    #[cfg(feature = "control-context-free")]
    impl ContextFree {
        pub fn flush_guest_physical(&self, gpa: GuestPhysAddr) {
            GuestPhysAddr::flush_tlb(Some(gpa));
        }

        pub fn flush_guest_physical_range<R: AddrRangeExt>(&self, _: R) {
            GuestPhysAddr::flush_tlb(None);
        }

        pub fn flush_guest_physical_all(&self) {
            GuestPhysAddr::flush_tlb(None);
        }

        pub fn flush_guest_virtual(&self, gva: GuestVirtAddr) {
            GuestVirtAddr::flush_tlb(Some(gva));
        }

        pub fn flush_guest_virtual_range<R: AddrRangeExt>(&self, _: R) {
            GuestVirtAddr::flush_tlb(None);
        }

        pub fn flush_guest_virtual_all(&self) {
            GuestVirtAddr::flush_tlb(None);
        }
    }

    #[cfg(feature = "control-vmid0-as-x0")]
    control!(Vmid0AsX0);

    /// VMID 0 written as `zero`: rs2 = `x0`, every VMID.
    #[cfg(feature = "control-vmid0-as-x0")]
    impl Vmid0AsX0 {
        pub fn flush_guest_physical(&self, gpa: GuestPhysAddr) {
            if self.0.vmid() != 0 {
                return self.0.flush_guest_physical(gpa);
            }
            // SAFETY: a fence only invalidates cached translations.
            unsafe {
                core::arch::asm!(
                    ".option push",
                    ".option arch, +h",
                    "hfence.gvma {0}, zero",
                    ".option pop",
                    in(reg) addr_types::arch::riscv::hfence_gvma_operand(gpa.as_usize()),
                    options(nostack, preserves_flags),
                );
            }
        }
    }

    #[cfg(feature = "control-vvma-no-swap")]
    control!(VvmaNoSwap);

    /// `hfence.vvma` as is: it acts on the VMID in the loaded `hgatp`.
    #[cfg(feature = "control-vvma-no-swap")]
    impl VvmaNoSwap {
        pub fn flush_guest_virtual(&self, gva: GuestVirtAddr) {
            addr_types::arch::riscv::hfence_vvma(gva.as_usize());
        }

        pub fn flush_guest_virtual_range<R: AddrRangeExt>(&self, _: R) {
            addr_types::arch::riscv::hfence_vvma_all();
        }

        pub fn flush_guest_virtual_all(&self) {
            addr_types::arch::riscv::hfence_vvma_all();
        }
    }
}

// --- Set-up ----------------------------------------------------------------

/// The loaded VM's G-stage root: never walked (nothing runs in the VM), but
/// real, so that `hgatp` holds a plausible value to restore.
#[repr(C, align(16384))]
struct Root(UnsafeCell<[u8; 0x4000]>);

// SAFETY: only its address is used.
unsafe impl Sync for Root {}

static LOADED_ROOT: Root = Root(UnsafeCell::new([0; 0x4000]));

fn loaded_hgatp() -> usize {
    hgatp(LOADED_ROOT.0.get() as usize, LOADED_VMID)
}

/// `hgatp.VMID` with every bit set, in place.
const ALL_ONES_VMID: usize = ((1 << HGATP_VMID_BITS) - 1) << HGATP_VMID_SHIFT;

/// The hart's VMIDLEN, measured by M-mode on its own: the value the probe
/// under test must return.
fn vmidlen_seen_by_m_mode() -> u32 {
    let read_back: usize;
    // SAFETY: M-mode, before the G stage is in use; `hgatp` is restored.
    unsafe {
        asm!(
            "csrrw {saved}, hgatp, {probe}",
            "csrr {read_back}, hgatp",
            "csrw hgatp, {saved}",
            saved = out(reg) _,
            read_back = out(reg) read_back,
            probe = in(reg) ALL_ONES_VMID,
            options(nomem, nostack),
        );
    }
    (read_back & ALL_ONES_VMID).count_ones()
}

#[no_mangle]
extern "C" fn hart_main() -> ! {
    hart::allow_all_memory_below_m_mode();
    let patched = hart::code_under_test::patch();
    say!("patched {patched} hgatp accesses and hfence.vvma in the code under test");
    if patched == 0 {
        hart::exit(Err(exit_code::NOTHING_PATCHED));
    }
    install_hgatp(loaded_hgatp());
    let vmidlen = vmidlen_seen_by_m_mode();
    enter_hs_mode_with_tvm();
    hart::exit(run(vmidlen))
}

fn run(vmidlen: u32) -> Result<(), u8> {
    check_probe(vmidlen)?;
    for vmid in VMIDS {
        let vm = Vm::new(vmid, vmidlen).map_err(|_| exit_code::VMID_REFUSED)?;
        check_guest_physical(vm, vmid.into())?;
        check_guest_virtual(vm, vmid.into())?;
    }
    Ok(())
}

// --- The checks --------------------------------------------------------------

/// What a flush must have invalidated.
#[derive(Clone, Copy)]
enum Expected {
    /// Nothing: no instruction at all.
    Nothing,
    /// `count` pages from `first`, one fence each.
    Pages { first: usize, count: usize },
    /// Everything of the VM, in one fence with rs1 = `x0`.
    All,
}

fn range<A: MemoryAddr>(start: usize, end: usize) -> AddrRange<A> {
    AddrRange {
        start: A::from(start),
        end: A::from(end),
    }
}

/// The ranges every range flush is checked with, from `base`: 3 pages with
/// unaligned ends, exactly the limit, one page more, empty, reversed.
fn ranges(base: usize) -> [(&'static str, usize, usize, Expected); 5] {
    let limit = RANGE_FLUSH_PAGE_LIMIT;
    [
        (
            "3 pages, unaligned ends",
            base + 0x10,
            base + 2 * PAGE_SIZE_4K + 0x10,
            Expected::Pages {
                first: base,
                count: 3,
            },
        ),
        (
            "512 pages",
            base,
            base + limit * PAGE_SIZE_4K,
            Expected::Pages {
                first: base,
                count: limit,
            },
        ),
        (
            "513 pages",
            base,
            base + (limit + 1) * PAGE_SIZE_4K,
            Expected::All,
        ),
        ("empty", base, base, Expected::Nothing),
        ("reversed", base + PAGE_SIZE_4K, base, Expected::Nothing),
    ]
}

fn check_probe(vmidlen: u32) -> Result<(), u8> {
    trap_log::clear();
    let probed = probe();
    let masked_write = |value| Trapped::HgatpWrite {
        value,
        interrupts_enabled: false,
    };
    let writes_ok = trap_log::len() == 2
        && trap_log::get(0) == Some(masked_write(ALL_ONES_VMID))
        && trap_log::get(1) == Some(masked_write(loaded_hgatp()));
    say!("probe_vmidlen() = {probed} (M-mode measured {vmidlen}): {Summary}");
    if !writes_ok || probed != vmidlen || read_hgatp() != loaded_hgatp() {
        return Err(exit_code::VMIDLEN_PROBE);
    }
    if !interrupts_enabled() {
        return Err(exit_code::INTERRUPTS_NOT_MASKED);
    }
    Ok(())
}

fn check_guest_physical(vm: Vm, vmid: usize) -> Result<(), u8> {
    trap_log::clear();
    flush_gpa(vm, GuestPhysAddr::from(GPA));
    say!("VMID {vmid}: flush_guest_physical({GPA:#x}): {Summary}");
    expect_gvmas(
        vmid,
        Expected::Pages {
            first: GPA,
            count: 1,
        },
    )?;

    trap_log::clear();
    flush_gpa_all(vm);
    say!("VMID {vmid}: flush_guest_physical_all(): {Summary}");
    expect_gvmas(vmid, Expected::All)?;

    for (i, (name, start, end, expected)) in ranges(GPA).into_iter().enumerate() {
        trap_log::clear();
        if i == 0 {
            let seed = SeedGuestPhysAddrRange {
                start: start.into(),
                end: end.into(),
            };
            flush_gpa_range_seed(vm, seed);
        } else {
            flush_gpa_range(vm, range(start, end));
        }
        say!(
            "VMID {vmid}: flush_guest_physical_range({name}): {}",
            Summary
        );
        expect_gvmas(vmid, expected)?;
    }
    Ok(())
}

fn check_guest_virtual(vm: Vm, vmid: usize) -> Result<(), u8> {
    trap_log::clear();
    flush_gva(vm, GuestVirtAddr::from(GVA));
    say!("VMID {vmid}: flush_guest_virtual({GVA:#x}): {Summary}");
    expect_vvmas(
        vmid,
        Expected::Pages {
            first: GVA,
            count: 1,
        },
    )?;

    trap_log::clear();
    flush_gva_all(vm);
    say!("VMID {vmid}: flush_guest_virtual_all(): {Summary}");
    expect_vvmas(vmid, Expected::All)?;

    for (name, start, end, expected) in ranges(GVA) {
        trap_log::clear();
        flush_gva_range(vm, range(start, end));
        say!(
            "VMID {vmid}: flush_guest_virtual_range({name}): {}",
            Summary
        );
        expect_vvmas(vmid, expected)?;
    }
    Ok(())
}

/// The log holds exactly the `hfence.gvma`s `expected` calls for, each
/// naming `vmid` in a register.
fn expect_gvmas(vmid: usize, expected: Expected) -> Result<(), u8> {
    let (first, count) = match expected {
        Expected::Nothing => (0, 0),
        Expected::Pages { first, count } => (first, count),
        Expected::All => (0, 1),
    };
    if trap_log::len() != count {
        return Err(exit_code::WRONG_FENCE_COUNT);
    }
    for (i, entry) in trap_log::entries().enumerate() {
        let Trapped::HfenceGvma {
            rs1,
            rs1_value,
            rs2,
            rs2_value,
        } = entry
        else {
            return Err(exit_code::WRONG_FENCE_COUNT);
        };
        if rs2 == 0 || rs2_value != vmid {
            return Err(exit_code::GVMA_WRONG_VMID);
        }
        let rs1_ok = match expected {
            Expected::All => rs1 == 0,
            _ => rs1 != 0 && rs1_value == (first + i * PAGE_SIZE_4K) >> 2,
        };
        if !rs1_ok {
            return Err(exit_code::GVMA_WRONG_ADDRESS);
        }
    }
    interrupts_and_hgatp_as_before()
}

/// The log holds the `hgatp` swap to `vmid` (MODE = Bare), the
/// `hfence.vvma`s `expected` calls for under that VMID, and the restore,
/// both writes with interrupts masked; or nothing for [`Expected::Nothing`].
fn expect_vvmas(vmid: usize, expected: Expected) -> Result<(), u8> {
    let (first, count) = match expected {
        Expected::Nothing => return expect_empty_log(),
        Expected::Pages { first, count } => (first, count),
        Expected::All => (0, 1),
    };
    let write = |entry: Option<Trapped>, value: usize, wrong: u8| match entry {
        Some(Trapped::HgatpWrite {
            value: written,
            interrupts_enabled,
        }) if written == value => {
            if interrupts_enabled {
                Err(exit_code::INTERRUPTS_NOT_MASKED)
            } else {
                Ok(())
            }
        }
        _ => Err(wrong),
    };
    write(
        trap_log::get(0),
        vmid << HGATP_VMID_SHIFT,
        exit_code::NO_HGATP_SWAP,
    )?;
    if trap_log::len() != count + 2 {
        return Err(exit_code::WRONG_FENCE_COUNT);
    }
    for (i, entry) in trap_log::entries().skip(1).take(count).enumerate() {
        let Trapped::HfenceVvma {
            rs1,
            rs1_value,
            rs2,
            vmid: executed_under,
        } = entry
        else {
            return Err(exit_code::WRONG_FENCE_COUNT);
        };
        let rs1_ok = match expected {
            Expected::All => rs1 == 0,
            _ => rs1 != 0 && rs1_value == first + i * PAGE_SIZE_4K,
        };
        if !rs1_ok || rs2 != 0 || executed_under != vmid {
            return Err(exit_code::VVMA_WRONG);
        }
    }
    write(
        trap_log::get(count + 1),
        loaded_hgatp(),
        exit_code::HGATP_NOT_RESTORED,
    )?;
    interrupts_and_hgatp_as_before()
}

fn expect_empty_log() -> Result<(), u8> {
    if trap_log::len() != 0 {
        return Err(exit_code::WRONG_FENCE_COUNT);
    }
    interrupts_and_hgatp_as_before()
}

fn interrupts_and_hgatp_as_before() -> Result<(), u8> {
    if read_hgatp() != loaded_hgatp() {
        return Err(exit_code::HGATP_NOT_RESTORED);
    }
    if !interrupts_enabled() {
        return Err(exit_code::INTERRUPTS_NOT_MASKED);
    }
    Ok(())
}
