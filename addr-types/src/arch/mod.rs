//! Architecture support for address types: TLB invalidation chosen by what
//! an address is the input of.
//!
//! One module per architecture, each with its table of address kind →
//! instructions: [`riscv`], [`aarch64`], [`x86_64`]. Their operand and
//! descriptor computations compile on every target (so they are tested on
//! any host); the instructions exist on their own architecture only.

pub mod aarch64;
pub mod riscv;
pub mod x86_64;

// The one place that says which module runs a `FlushTlb` on the target
// being built; a target with none of them has no `FlushTlb` impls.
#[cfg(target_arch = "aarch64")]
use self::aarch64 as native;
#[cfg(any(target_arch = "riscv32", target_arch = "riscv64"))]
use self::riscv as native;
#[cfg(target_arch = "x86_64")]
use self::x86_64 as native;

/// Invalidates the cached translations whose input is an address of this
/// type: one address (`Some`), or every address of the type (`None`).
///
/// The shape of page_table_multiarch's `SvVirtAddr::flush_tlb` and
/// `PagingMetaData::flush_tlb`, so a page table's flush hook can forward to
/// it. `#[address(translates = "…")]` implements it on riscv32, riscv64,
/// aarch64 and x86_64; the instructions per architecture are in [`riscv`],
/// [`aarch64`] and [`x86_64`].
///
/// # What it runs
///
/// | target | `"guest-physical"` | `"guest-virtual"` | `"host-virtual"` |
/// |---|---|---|---|
/// | riscv64, riscv32 | `hfence.gvma` (GPA >> 2), every VMID; all: `hfence.gvma` | `hfence.vvma`, the VMID in `hgatp`; all: the same, every address | `sfence.vma`; all: `sfence.vma` |
/// | aarch64 | `tlbi ipas2e1is` (IPA >> 12), `dsb ish`, `tlbi vmalle1is`; all: `tlbi vmalls12e1is`; the VMID in `VTTBR_EL2` | `tlbi vaae1is` (VA >> 12); all: `tlbi vmalle1is`; the VMID in `VTTBR_EL2` | `tlbi vaae1is`; all: `tlbi vmalle1` |
/// | x86_64 | all-context `invept`: every EPTP, whatever the address | all-context `invvpid`: every VPID | `invlpg`; all: a CR3 reload |
///
/// The ordering each expects around it (barriers before the flush, when
/// the new entries become visible) is in the module of its architecture.
/// On x86_64 a VMfail of `invept`/`invvpid` (a CPU without the
/// all-context type) is not reported here; the per-VM methods below return
/// it.
///
/// # Which VM
///
/// `FlushTlb` takes no VM: it acts on the VM context that is loaded when it
/// runs (`VTTBR_EL2`'s VMID on aarch64, `hgatp`'s VMID for `hfence.vvma`
/// on RISC-V), or on every VM where the instruction it uses has no narrower
/// form that needs no context (`hfence.gvma` with no VMID, all-context
/// `invept`/`invvpid`). To invalidate one VM's translations whichever VM is
/// loaded (after editing the tables of a VM that is not running), use the
/// per-VM contexts: [`arch::riscv::VmContext`](crate::arch::riscv::VmContext),
/// [`arch::aarch64::VmContext`](crate::arch::aarch64::VmContext) and
/// [`arch::x86_64::VmContext`](crate::arch::x86_64::VmContext).
///
/// # Where it may run
///
/// These are privileged instructions, and `flush_tlb` is a safe function
/// that does not check where it runs. Below the privilege it needs, the CPU
/// raises an exception instead:
///
/// - **x86_64**: `invept`/`invvpid` outside VMX root operation raise #UD,
///   so a user-space program dies with SIGILL (in VMX non-root operation
///   they cause a VM exit); `invlpg` and the CR3 reload outside ring 0
///   raise #GP (SIGSEGV in user space).
/// - **aarch64**: the guest kinds' TLBIs below EL2 (at EL1, or at EL0 in
///   user space: SIGILL) are UNDEFINED; the host-virtual ones at EL0 too.
/// - **RISC-V**: `hfence.gvma`/`hfence.vvma` outside HS-mode (or M-mode),
///   and `sfence.vma` in U-mode, raise an illegal-instruction exception
///   (SIGILL in user space; a virtual-instruction exception in VS-mode);
///   with `mstatus.TVM` set, `hfence.gvma` and `sfence.vma` trap to M-mode.
///
/// A host-side test of code that flushes must therefore not call it: give
/// the page table a flush hook that records the request instead.
pub trait FlushTlb: Sized {
    /// Invalidates the translations of `addr`, or all translations of this
    /// kind of address when `addr` is `None`.
    fn flush_tlb(addr: Option<Self>);

    /// The flush hook of a page table that hands its input addresses over
    /// in a type of its own, whatever they are: reads `input` back as the
    /// `Self` it is, and runs [`flush_tlb`](Self::flush_tlb).
    ///
    /// page-table-generic's `TableMeta::flush(vaddr: Option<VirtAddr>)` is
    /// such a hook: for a nested table its "virtual" address is a guest
    /// physical one, and this call is the one place where that is said. It
    /// is the whole body of axvm's nested-table hooks:
    ///
    /// ```no_run
    /// # #[cfg(any(target_arch = "riscv64", target_arch = "aarch64", target_arch = "x86_64"))]
    /// # {
    /// use addr_types::{FlushTlb, GuestPhysAddr};
    ///
    /// // page-table-generic 0.9's `VirtAddr` is ax-memory-addr 0.7's.
    /// fn flush(vaddr: Option<ax_memory_addr::VirtAddr>) {
    ///     GuestPhysAddr::flush_tlb_from(vaddr);
    /// }
    /// # }
    /// ```
    ///
    /// Any `Into<usize>` input serves: page-table-generic 0.9's `VirtAddr`,
    /// the tgoskits tree's in-tree page-table-generic 0.7 one, or any
    /// generation's, so the hook needs no particular generation of
    /// addr-types. Like every `flush_tlb`, it acts on the VM context that
    /// is loaded where the architecture has one (see above).
    #[inline]
    fn flush_tlb_from<T: Into<usize>>(input: Option<T>)
    where
        Self: From<usize>,
    {
        Self::flush_tlb(input.map(|input| Self::from(input.into())));
    }
}

/// What an address is the input of: the value of `#[address(translates =
/// "…")]`, and so which TLB entries its [`FlushTlb`] invalidates.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Translation {
    /// `"guest-physical"`: the nested (G-stage, EPT, stage-2) page tables.
    GuestPhysical,
    /// `"guest-virtual"`: the guest's own (VS-stage, stage-1) page tables.
    GuestVirtual,
    /// `"host-virtual"`: the host's page tables.
    HostVirtual,
}

/// Implemented by `#[address(translates = "…")]`: the type's
/// [`Translation`], from which [`FlushTlb`] follows on every architecture
/// that has the instructions, with no architecture `cfg` in the expansion.
#[doc(hidden)]
pub trait Translates: Copy + Into<usize> {
    /// What the type's addresses are the input of.
    const TRANSLATION: Translation;
}

#[cfg(any(
    target_arch = "riscv32",
    target_arch = "riscv64",
    target_arch = "aarch64",
    target_arch = "x86_64",
))]
impl<A: Translates> FlushTlb for A {
    #[inline]
    fn flush_tlb(addr: Option<Self>) {
        // `TRANSLATION` is a constant: each type keeps one arm.
        native::flush(A::TRANSLATION, addr.map(Into::into));
    }
}

/// The most 4 KiB pages a per-VM range flush invalidates one by one; a
/// longer range invalidates every translation of that kind of the VM
/// instead, in one instruction.
///
/// 512, Linux KVM's choice on every architecture that has per-page
/// invalidation (`PTRS_PER_PTE`: RISC-V's `kvm_riscv_local_hfence_gvma_vmid_gpa`,
/// arm64's `MAX_TLBI_OPS` for CPUs without range TLBI): one page table's
/// worth. Past it, the loop costs more than refilling the TLB, and its
/// length would be the guest's to choose.
pub const RANGE_FLUSH_PAGE_LIMIT: usize = 512;

/// How a range flush proceeds, decided once from the range alone so that
/// every architecture reads bad input the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // Read by the per-VM flushes, which exist per target.
pub(crate) enum RangeFlush {
    /// An empty or invalid range (`start >= end`): nothing to invalidate.
    Nothing,
    /// `count` 4 KiB pages, from the page that holds `start`.
    Pages { first: usize, count: usize },
    /// More than the limit: every translation of that kind of the VM.
    All,
}

/// The pages of `[start, end)`, rounded out to 4 KiB pages, or
/// [`RangeFlush::All`] past `limit` pages. Never overflows: the last page
/// is computed from `end - 1`, which an empty range never reaches.
#[allow(dead_code)] // Read by the per-VM flushes, which exist per target.
pub(crate) const fn plan_range_flush(start: usize, end: usize, limit: usize) -> RangeFlush {
    if start >= end {
        return RangeFlush::Nothing;
    }
    let first = start & !(crate::PAGE_SIZE_4K - 1);
    let last = (end - 1) & !(crate::PAGE_SIZE_4K - 1);
    let count = (last - first) / crate::PAGE_SIZE_4K + 1;
    if count > limit {
        RangeFlush::All
    } else {
        RangeFlush::Pages { first, count }
    }
}

/// A VMID wider than the hardware's: a per-VM context refuses it when it is
/// built, rather than truncate it and flush another VM's translations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VmidTooWide {
    /// The VMID asked for.
    pub vmid: u64,
    /// The VMID width of the hardware, in bits.
    pub bits: u32,
}

impl core::fmt::Display for VmidTooWide {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "VMID {} does not fit the hardware's {}-bit VMIDs",
            self.vmid, self.bits
        )
    }
}

// `core::error::Error` is Rust 1.81; the ax-memory-addr generations need
// 1.85 anyway, while the seed era alone builds with 1.71.
#[cfg(any(feature = "ax-memory-addr-07", feature = "ax-memory-addr-06"))]
impl core::error::Error for VmidTooWide {}

/// Called by every expansion with `translates`: [`Translates`], and the
/// riscv64 `SvVirtAddr` of every enabled page-table generation, which
/// forwards to [`FlushTlb`]. `$addr` names the one parameter the impls
/// bind: `#[address]` chooses it, since it shadows the names it binds.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_translates {
    ($ty:ident, $translation:ident, $addr:ident) => {
        #[automatically_derived]
        impl $crate::__private::Translates for $ty {
            const TRANSLATION: $crate::__private::Translation =
                $crate::__private::Translation::$translation;
        }
        $crate::__private::impl_sv_virt_addr_06!($ty, $addr);
        $crate::__private::impl_sv_virt_addr_04!($ty, $addr);
    };
}

#[cfg(test)]
mod tests {
    use super::{plan_range_flush, RangeFlush, RANGE_FLUSH_PAGE_LIMIT};

    #[test]
    fn empty_and_reversed_ranges_flush_nothing() {
        assert_eq!(plan_range_flush(0x1000, 0x1000, 512), RangeFlush::Nothing);
        assert_eq!(plan_range_flush(0x2000, 0x1000, 512), RangeFlush::Nothing);
        assert_eq!(
            plan_range_flush(usize::MAX, usize::MAX, 512),
            RangeFlush::Nothing
        );
    }

    #[test]
    fn pages_are_rounded_out() {
        assert_eq!(
            plan_range_flush(0x1fff, 0x2001, 512),
            RangeFlush::Pages {
                first: 0x1000,
                count: 2
            }
        );
        assert_eq!(
            plan_range_flush(0x1000, 0x2000, 512),
            RangeFlush::Pages {
                first: 0x1000,
                count: 1
            }
        );
        // The top of the address space neither wraps nor overflows.
        assert_eq!(
            plan_range_flush(usize::MAX - 0x1fff, usize::MAX, 512),
            RangeFlush::Pages {
                first: usize::MAX - 0x1fff,
                count: 2
            }
        );
        assert_eq!(plan_range_flush(0, usize::MAX, 512), RangeFlush::All);
    }

    #[test]
    fn the_limit_is_inclusive() {
        let limit = RANGE_FLUSH_PAGE_LIMIT;
        assert_eq!(
            plan_range_flush(0, limit * 0x1000, limit),
            RangeFlush::Pages {
                first: 0,
                count: limit
            }
        );
        assert_eq!(
            plan_range_flush(0, limit * 0x1000 + 1, limit),
            RangeFlush::All
        );
    }
}
