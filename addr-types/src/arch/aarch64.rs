//! AArch64 TLB maintenance for a hypervisor running at EL2, safe to call
//! there: the context-free flushes behind [`FlushTlb`](crate::FlushTlb), and
//! [`VmContext`], which flushes one VM whichever VM is loaded.
//!
//! | flush | instructions | operand | invalidates | proven by |
//! |---|---|---|---|---|
//! | [`GuestPhysAddr`] `Some` / `None` | `tlbi ipas2e1is, Xt`; `dsb ish`; `tlbi vmalle1is` / `tlbi vmalls12e1is` | Xt = IPA >> 12 | stage-2 entries of the IPA, then every stage-1 and combined entry / all stage-1 and stage-2 entries; of the VMID in `VTTBR_EL2` | QEMU, modes A and B: stale without it, fresh after it; five wrong sequences (axvm's among them) stay stale; disassembly |
//! | [`GuestVirtAddr`] `Some` / `None` | `tlbi vaae1is, Xt` / `tlbi vmalle1is` | Xt = VA\[55:12\] | EL1&0 stage-1 and combined entries of the VA, all ASIDs / all of them; of the VMID in `VTTBR_EL2` | QEMU: a changed guest stage-1 entry read fresh (per-VM form); disassembly |
//! | host virtual `Some` / `None` | `tlbi vaae1is, Xt` / `tlbi vmalle1` | Xt = VA\[55:12\] | page_table_multiarch's stage-1 flush, EL1&0 regime | disassembly, executed at EL2 on QEMU |
//! | `VmContext::flush_guest_physical` | the [`GuestPhysAddr`] `Some` sequence, with the VM's `VTTBR_EL2` | Xt = IPA >> 12 | as above, of the context's VMID | QEMU: fresh with the VM loaded (stale before), and with another VM loaded; exact disassembly |
//! | `VmContext::flush_guest_physical_range` | FEAT_TLBIRANGE: `tlbi ripas2e1is` per (scale, num) chunk (and `ipas2e1is` for an odd last page); without it, `ipas2e1is` per page up to [`RANGE_FLUSH_PAGE_LIMIT`]; then `dsb ish`; `tlbi vmalle1is`. Past the limit: `vmalls12e1is` | [`tlbi_range_operand`] / Xt = IPA >> 12 | stage-2 entries of the range, then every stage-1 and combined entry, of the context's VMID | QEMU `-cpu max` (range TLBIs) and `cortex-a57` (page by page): fresh; a range one page short leaves that page stale; exact disassembly |
//! | `VmContext::flush_guest_physical_all` | `tlbi vmalls12e1is` | | all stage-1 and stage-2 entries of the context's VMID | QEMU, as above; exact disassembly |
//! | `VmContext::flush_guest_virtual` | `tlbi vaae1is, Xt` | Xt = VA\[55:12\] | EL1&0 entries of the VA, all ASIDs, of the context's VMID | QEMU: a changed guest stage-1 entry reads fresh; exact disassembly |
//! | `VmContext::flush_guest_virtual_range` | `tlbi vaae1is` per page up to [`RANGE_FLUSH_PAGE_LIMIT`], else `tlbi vmalle1is` | Xt = VA\[55:12\] | EL1&0 entries of the range, all ASIDs, of the context's VMID | QEMU, as above |
//! | `VmContext::flush_guest_virtual_all` | `tlbi vmalle1is` | | all EL1&0 entries of the context's VMID | QEMU, as above |
//!
//! Every sequence starts with `dsb ishst` and ends with a `dsb` and an `isb`:
//!
//! - `dsb ishst` first, because a TLBI only orders against page-table stores
//!   that have completed: without it a table walk that starts after the
//!   invalidation may still read the old descriptor from a store buffer and
//!   cache it again (Arm ARM, "Ordering and completion of TLB maintenance
//!   instructions"; Linux's `__kvm_tlb_flush_vmid_ipa` begins the same way).
//!   So the caller owes only program order: write the descriptor, then call.
//!   The `asm!` blocks are not `nomem`, so the compiler keeps that order.
//! - `dsb ish` after, so the invalidation is complete on every PE of the
//!   Inner Shareable domain, and `isb` so this PE's later instructions are
//!   fetched and translated after it.
//!
//! What each invalidates, and why it is the whole of it:
//!
//! - **Guest physical.** `ipas2e1is` removes only stage-2-only entries of one
//!   IPA; the combined stage 1+2 entries a guest access leaves (VA → PA, with
//!   the IPA forgotten) survive it, as the Arm ARM allows. So the one-address
//!   flush must also drop the current VMID's stage-1 entries (`vmalle1is`),
//!   after the `dsb ish` that completes the stage-2 invalidation, exactly as
//!   Linux KVM's `__kvm_tlb_flush_vmid_ipa`. The operand is the IPA **shifted
//!   right by 12**: Xt holds IPA\[51:12\] in bits \[39:0\].
//!   axvm in the tgoskits tree (and axaddrspace before it) flushes guest physical addresses
//!   with `tlbi vae2is, <raw GPA>` and `tlbi alle2is`: EL2's own stage-1
//!   regime, a different translation regime, so guest reads stay stale
//!   (measured, see below).
//! - **Guest virtual.** `vaae1is` removes the EL1&0 entries of one VA for all
//!   ASIDs, combined stage 1+2 entries included; the operand is VA\[55:12\]
//!   in bits \[43:0\], masked so an upper-half VA leaves the TTL hint
//!   (bits \[47:44\]) zero.
//! - **Host virtual.** page_table_multiarch's own aarch64 stage-1 flush, with
//!   the leading `dsb ishst`: the EL1&0 regime (the EL2&0 regime when the
//!   host runs with `HCR_EL2.{E2H,TGE} = {1,1}`); its `None` form is local
//!   to the executing PE, as upstream's is.
//!
//! # Several VMs
//!
//! The guest operations act on the VMID in `VTTBR_EL2`, and that is all the
//! context-free [`FlushTlb`](crate::FlushTlb) can name: with several VMs, it
//! flushes **the VM whose `VTTBR_EL2` is loaded** on this PE, and no other.
//! A hypervisor that changes the tables of a VM that is not loaded (page-table
//! generic's `MapConfig { flush: false, .. }`, then one flush, as KVM does)
//! flushes through that VM's [`VmContext`]. Its methods do what Linux KVM's
//! `__tlb_switch_to_guest` does around the same sequences: save
//! `VTTBR_EL2`, write the VM's, `isb`, run the sequence (it ends with
//! `dsb ish; isb`), write the saved value back, `isb`. `VTCR_EL2` is not
//! switched: the VMs of one hypervisor share its VMID size (`VS`) and
//! granule, which is what the operands depend on.
//!
//! Interrupts: each per-VM flush masks IRQ and FIQ (`DAIF.{I,F}`) from before
//! the switch to after the restore, then puts `DAIF` back as it was, as KVM
//! does on VHE (`local_irq_save`). A handler that ran in between would see
//! the VM's `VTTBR_EL2` where the interrupted code loaded another: its own
//! context-free flushes would hit the wrong VM, and a handler that loads a
//! VM (a vCPU switch) would be undone by the restore. SError and debug
//! exceptions are left as they are.
//!
//! # Requirements
//!
//! All of these run at EL2 (at EL1 they are UNDEFINED, and a guest executing
//! them traps to its hypervisor) with `HCR_EL2.TGE = 0`: the guest
//! operations name the EL1&0 regime only then. A VHE host
//! (`HCR_EL2.{E2H,TGE} = {1,1}`) must clear TGE around them, as KVM's
//! `__tlb_switch_to_guest` does on VHE; these functions do not touch
//! `HCR_EL2`. The range operations assume the 4 KiB granule, as every
//! address type here does.
//!
//! # How it is proven
//!
//! tests/aarch64 runs a real page-table-generic stage-2 table on QEMU
//! (`virt,virtualization=on`), reads a changed page from EL1 and requires the
//! read to be stale without a flush and fresh after each flush, in two modes
//! (EL1 MMU off, and a guest stage-1 table whose own IPA is remapped); five
//! known mistakes (no flush, axvm's `vae2is`, the unshifted IPA, `vmalle1is`
//! alone, `ipas2e1is` alone) must read stale. The per-VM flushes read fresh
//! for the loaded VM and for another one, and restore `VTTBR_EL2` and
//! `DAIF`. QEMU's TLB is not tagged by VMID: it drops every guest entry when
//! `VTTBR_EL2`'s VMID changes, so a flush that missed a VM which is not
//! loaded cannot be seen there; the instruction sequence is checked instead.
//! QEMU also drops its whole stage-2 cache for any range TLBI of two pages
//! or more: there the range path shows that `ripas2e1is` executes and names
//! stage 2 and the granule (a wrong TG reads stale), while BaseADDR, NUM and
//! SCALE are pinned by the unit tests' hand-computed operands.
//! tests/tests/aarch64_qemu.rs runs it all and checks the disassembly of
//! each sequence; tests/aarch64/README.md has the measured tables.
//!
//! The operand computations, [`VmContext`]'s checks and the range plans are
//! `const fn`s, compiled on every target so they are unit-tested on the
//! host; the instructions exist on `aarch64` only.
//!
//! [`GuestPhysAddr`]: crate::GuestPhysAddr
//! [`GuestVirtAddr`]: crate::GuestVirtAddr
//! [`RANGE_FLUSH_PAGE_LIMIT`]: super::RANGE_FLUSH_PAGE_LIMIT

use super::VmidTooWide;

/// The Xt operand of `tlbi ipas2e1is` for intermediate physical address
/// `ipa`: IPA\[51:12\] in bits \[39:0\], that is the address **shifted right
/// by 12**. An IPA has at most 52 bits, so nothing reaches the TTL hint.
#[must_use]
#[inline]
pub const fn tlbi_ipa_operand(ipa: usize) -> usize {
    ipa >> 12
}

/// Bits \[43:0\] of a TLBI-by-VA operand: VA\[55:12\]. Written so that it
/// also compiles where `usize` has 32 bits (and the mask keeps them all).
const VA_OPERAND_MASK: usize = usize::MAX >> usize::BITS.saturating_sub(44);

/// The Xt operand of `tlbi vaae1is` for virtual address `va`: VA\[55:12\] in
/// bits \[43:0\], the rest zero (bits \[47:44\] are the TTL hint, where a
/// nonzero value would promise the level of the entry). The same as
/// page_table_multiarch's.
#[must_use]
#[inline]
pub const fn tlbi_va_operand(va: usize) -> usize {
    (va >> 12) & VA_OPERAND_MASK
}

// --- Range TLBI (FEAT_TLBIRANGE) ---------------------------------------------

/// The widest range one `tlbi ripas2e1is` covers, in 4 KiB pages: NUM = 31
/// at SCALE = 3, `(31 + 1) << (5 * 3 + 1)` = 2^21 pages (8 GiB); Linux's
/// `MAX_TLBI_RANGE_PAGES`. A range flush of more pages invalidates the
/// whole VMID instead. Every shorter count takes at most four range
/// operations, one per scale, and one single-page `ipas2e1is`.
pub const RANGE_TLBI_MAX_PAGES: usize = 32 << (5 * 3 + 1);

/// BaseADDR is 37 bits wide: page numbers of the 4 KiB granule up to
/// IPA\[48:12\] (with `VTCR_EL2.DS = 0`, IPAs have at most 48 bits).
const RANGE_BASE_PAGES: u64 = 1 << 37;

/// TG = 0b01: the 4 KiB granule. An operand whose TG is not the granule in
/// use need not invalidate anything (QEMU ignores it).
const RANGE_TG_4K: u64 = 0b01;

/// The Xt operand of `tlbi ripas2e1is` (Arm ARM, "TLBI RIPAS2E1IS"): the
/// `(num + 1) << (5 * scale + 1)` pages of 4 KiB from page number
/// `base_page` (the IPA shifted right by 12).
///
/// | bits | field | value |
/// |---|---|---|
/// | \[47:46\] | TG | 0b01: 4 KiB granule |
/// | \[45:44\] | SCALE | `scale` (0..=3) |
/// | \[43:39\] | NUM | `num` (0..=31) |
/// | \[38:37\] | TTL | 0b00: entries of any level |
/// | \[36:0\] | BaseADDR | `base_page`: IPA\[48:12\] |
///
/// `scale`, `num` and `base_page` are masked to their fields' widths; the
/// range flush never passes wider values. `VTCR_EL2.DS` must be 0 (with
/// FEAT_LPA2's DS = 1, BaseADDR counts 64 KiB units instead).
#[must_use]
#[inline]
pub const fn tlbi_range_operand(base_page: u64, scale: u32, num: u32) -> u64 {
    RANGE_TG_4K << 46
        | ((scale & 0b11) as u64) << 44
        | ((num & 0b1_1111) as u64) << 39
        | (base_page & (RANGE_BASE_PAGES - 1))
}

/// Whether a CPU with these register values can run the range flush's range
/// TLBIs: FEAT_TLBIRANGE (ID_AA64ISAR0_EL1.TLB, bits \[59:56\], at least
/// 0b0010, an unsigned field as Linux reads it) and `VTCR_EL2.DS` (bit 32)
/// clear, so that BaseADDR counts 4 KiB pages.
#[must_use]
#[inline]
pub const fn range_tlbi_usable_with(id_aa64isar0_el1: u64, vtcr_el2: u64) -> bool {
    (id_aa64isar0_el1 >> 56) & 0xf >= 0b0010 && vtcr_el2 & (1 << 32) == 0
}

/// The invalidations a guest-physical range flush issues between its
/// `dsb ishst` and its `dsb ish; tlbi vmalle1is`: range TLBIs first, then
/// `ipas2e1is` on `page_count` consecutive pages from `first_page`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // Read by the range flush, which exists on aarch64.
pub(crate) struct Stage2Invalidations {
    /// `tlbi ripas2e1is` operands; `ranges[..range_count]` are used.
    pub(crate) ranges: [u64; 4],
    pub(crate) range_count: usize,
    /// The page number (IPA >> 12) of the first single-page invalidation.
    pub(crate) first_page: u64,
    pub(crate) page_count: usize,
}

/// How a guest-physical range flush proceeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // Read by the range flush, which exists on aarch64.
pub(crate) enum Stage2RangeFlush {
    /// An empty or invalid range: nothing.
    Nothing,
    /// These invalidations, then `vmalle1is`.
    Invalidate(Stage2Invalidations),
    /// Longer than the limit: `vmalls12e1is`.
    All,
}

/// Plans the guest-physical flush of `[start, end)`: with `range_tlbi`
/// ([`range_tlbi_usable_with`]), range TLBIs up to [`RANGE_TLBI_MAX_PAGES`];
/// without, one `ipas2e1is` per page up to
/// [`RANGE_FLUSH_PAGE_LIMIT`](super::RANGE_FLUSH_PAGE_LIMIT); past either
/// limit, the whole VMID. Pages whose numbers do not fit BaseADDR go page by
/// page, as without the feature.
///
/// The page count is split as Linux's `__flush_tlb_range_op` does, from the
/// largest scale down: at each scale, as many units of `2^(5 * scale + 1)`
/// pages as fit (at most 32, NUM = 31); the count left after scale 0 is 0
/// or 1, and an odd last page is a single `ipas2e1is` (a range covers at
/// least two pages).
#[allow(dead_code)]
// Read by the range flush, which exists on aarch64.
// The casts narrow `units - 1` (at most 31) and `left` (0 or 1 at the end).
#[allow(clippy::cast_possible_truncation)]
pub(crate) const fn plan_guest_physical_range(
    start: usize,
    end: usize,
    range_tlbi: bool,
) -> Stage2RangeFlush {
    let limit = if range_tlbi {
        RANGE_TLBI_MAX_PAGES
    } else {
        super::RANGE_FLUSH_PAGE_LIMIT
    };
    let (first, count) = match super::plan_range_flush(start, end, limit) {
        super::RangeFlush::Nothing => return Stage2RangeFlush::Nothing,
        super::RangeFlush::All => return Stage2RangeFlush::All,
        super::RangeFlush::Pages { first, count } => (first, count),
    };
    let first_page = (first >> 12) as u64;
    let last_page = first_page + (count as u64 - 1);
    if !range_tlbi || last_page >= RANGE_BASE_PAGES {
        if count > super::RANGE_FLUSH_PAGE_LIMIT {
            return Stage2RangeFlush::All;
        }
        return Stage2RangeFlush::Invalidate(Stage2Invalidations {
            ranges: [0; 4],
            range_count: 0,
            first_page,
            page_count: count,
        });
    }
    let mut ranges = [0; 4];
    let mut range_count = 0;
    let mut page = first_page;
    let mut left = count as u64;
    let mut scale = 4;
    while scale > 0 {
        scale -= 1;
        let unit = 1u64 << (5 * scale + 1);
        let units = if left / unit > 32 { 32 } else { left / unit };
        if units > 0 {
            ranges[range_count] = tlbi_range_operand(page, scale, (units - 1) as u32);
            range_count += 1;
            page += units * unit;
            left -= units * unit;
        }
    }
    Stage2RangeFlush::Invalidate(Stage2Invalidations {
        ranges,
        range_count,
        first_page: page,
        page_count: left as usize,
    })
}

// --- One VM's translation context ---------------------------------------------

/// How many bits a VMID has: 8, or 16 with FEAT_VMID16 enabled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VmidWidth {
    /// `VTTBR_EL2.VMID` is bits \[55:48\]; bits \[63:56\] are RES0.
    Bits8,
    /// `VTTBR_EL2.VMID` is bits \[63:48\] (`VTCR_EL2.VS = 1`).
    Bits16,
}

impl VmidWidth {
    /// The width in bits.
    #[must_use]
    #[inline]
    pub const fn bits(self) -> u32 {
        match self {
            Self::Bits8 => 8,
            Self::Bits16 => 16,
        }
    }

    /// The width these register values give: 16 bits when the CPU has them
    /// (ID_AA64MMFR1_EL1.VMIDBits, bits \[7:4\], = 0b0010) **and** the
    /// hypervisor enabled them (`VTCR_EL2.VS`, bit 19); else 8.
    #[must_use]
    #[inline]
    pub const fn from_registers(id_aa64mmfr1_el1: u64, vtcr_el2: u64) -> Self {
        if (id_aa64mmfr1_el1 >> 4) & 0xf == 0b0010 && vtcr_el2 & (1 << 19) != 0 {
            Self::Bits16
        } else {
            Self::Bits8
        }
    }
}

/// One VM's stage-2 translation context: the `VTTBR_EL2` value (stage-2
/// root and VMID) the hypervisor loads to run it. Its flush methods (on
/// aarch64, at EL2) invalidate that VM's translations whichever VM's
/// `VTTBR_EL2` is loaded, and leave `VTTBR_EL2` and `DAIF` as they found
/// them; see the [module documentation](self) for the instructions.
///
/// ```
/// use addr_types::arch::aarch64::{VmContext, VmidWidth};
/// use addr_types::arch::VmidTooWide;
///
/// let root = 0x4100_0000;
/// let vm = VmContext::new(5 << 48 | root, VmidWidth::Bits8)?;
/// assert_eq!((vm.vmid(), vm.vttbr()), (5, 5 << 48 | root));
/// // VMID 0x105 needs 16-bit VMIDs: refused, never truncated to VMID 5.
/// assert_eq!(
///     VmContext::new(0x105 << 48 | root, VmidWidth::Bits8),
///     Err(VmidTooWide { vmid: 0x105, bits: 8 })
/// );
/// assert!(VmContext::new(0x105 << 48 | root, VmidWidth::Bits16).is_ok());
/// # Ok::<(), VmidTooWide>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VmContext {
    vttbr: u64,
}

impl VmContext {
    /// The context of the VM whose `VTTBR_EL2` value is `vttbr`, on a CPU
    /// whose VMIDs have `width` bits (`VmidWidth::current()` reads it on
    /// aarch64).
    ///
    /// # Errors
    ///
    /// [`VmidTooWide`] when the VMID (bits \[63:48\]) does not fit `width`:
    /// with 8-bit VMIDs, bits \[63:56\] are RES0, and a CPU would read
    /// another VMID than the one meant.
    #[inline]
    pub const fn new(vttbr: u64, width: VmidWidth) -> Result<Self, VmidTooWide> {
        let vmid = vttbr >> 48;
        if vmid >> width.bits() != 0 {
            return Err(VmidTooWide {
                vmid,
                bits: width.bits(),
            });
        }
        Ok(Self { vttbr })
    }

    /// The `VTTBR_EL2` value the flushes load.
    #[must_use]
    #[inline]
    pub const fn vttbr(self) -> u64 {
        self.vttbr
    }

    /// The VMID: `VTTBR_EL2` bits \[63:48\].
    #[must_use]
    #[inline]
    pub const fn vmid(self) -> u16 {
        (self.vttbr >> 48) as u16
    }
}

#[cfg(target_arch = "aarch64")]
pub use self::tlbi::*;

// The TLBI sequences as assembly text. The context-free flushes run them as
// they are, the per-VM ones between `switch_in!()` and `switch_out!()`: one
// text, so both run the very same instructions.
#[cfg(target_arch = "aarch64")]
macro_rules! guest_physical_one {
    () => {
        "dsb ishst\n\
         tlbi ipas2e1is, {operand}\n\
         dsb ish\n\
         tlbi vmalle1is\n\
         dsb ish\n\
         isb\n"
    };
}

#[cfg(target_arch = "aarch64")]
macro_rules! guest_physical_all {
    () => {
        "dsb ishst\n\
         tlbi vmalls12e1is\n\
         dsb ish\n\
         isb\n"
    };
}

#[cfg(target_arch = "aarch64")]
macro_rules! guest_virtual_one {
    () => {
        "dsb ishst\n\
         tlbi vaae1is, {operand}\n\
         dsb ish\n\
         isb\n"
    };
}

#[cfg(target_arch = "aarch64")]
macro_rules! guest_virtual_all {
    () => {
        "dsb ishst\n\
         tlbi vmalle1is\n\
         dsb ish\n\
         isb\n"
    };
}

#[cfg(target_arch = "aarch64")]
macro_rules! host_virtual_one {
    () => {
        "dsb ishst\n\
         tlbi vaae1is, {operand}\n\
         dsb sy\n\
         isb\n"
    };
}

#[cfg(target_arch = "aarch64")]
macro_rules! host_virtual_all {
    () => {
        "dsb ishst\n\
         tlbi vmalle1\n\
         dsb sy\n\
         isb\n"
    };
}

/// `__tlb_switch_to_guest`: IRQ and FIQ masked, `VTTBR_EL2` saved in
/// `{saved}` and replaced by `{vttbr}`, synchronized before any TLBI.
#[cfg(target_arch = "aarch64")]
macro_rules! switch_in {
    () => {
        "mrs {daif}, daif\n\
         msr daifset, #3\n\
         mrs {saved}, vttbr_el2\n\
         msr vttbr_el2, {vttbr}\n\
         isb\n"
    };
}

/// `__tlb_switch_to_host`: the saved `VTTBR_EL2` back, synchronized, then
/// `DAIF` as it was.
#[cfg(target_arch = "aarch64")]
macro_rules! switch_out {
    () => {
        "msr vttbr_el2, {saved}\n\
         isb\n\
         msr daif, {daif}\n"
    };
}

/// Runs sequence `$sequence` (one of the text macros above), with
/// `{operand}` = `$operand` where it has one.
#[cfg(target_arch = "aarch64")]
macro_rules! run {
    ($sequence:ident $(, $operand:expr)?) => {
        // SAFETY: TLB maintenance and barriers only: they invalidate cached
        // translations, read and write no memory the program owns, and
        // clobber no register. Memory is not declared untouched so that
        // page-table stores stay before them.
        unsafe {
            core::arch::asm!(
                $sequence!(),
                $(operand = in(reg) $operand,)?
                options(nostack, preserves_flags),
            )
        }
    };
}

/// Runs sequence `$sequence` between `switch_in!()` and `switch_out!()`,
/// with the VM's `$vttbr`, in one `asm!` block: nothing the compiler emits
/// runs while the VM's VTTBR_EL2 is loaded, and `saved` and `daif` are
/// registers the block owns.
#[cfg(target_arch = "aarch64")]
macro_rules! run_switched {
    ($sequence:ident, $vttbr:expr $(, $operand:expr)?) => {
        // SAFETY: TLB maintenance and barriers between a switch of
        // VTTBR_EL2 and its restore, with IRQ and FIQ masked meanwhile and
        // DAIF restored: no memory the program owns is read or written,
        // every register written is an output of this block. EL2's own
        // translation does not use VTTBR_EL2.
        unsafe {
            core::arch::asm!(
                concat!(switch_in!(), $sequence!(), switch_out!()),
                vttbr = in(reg) $vttbr,
                $(operand = in(reg) $operand,)?
                saved = out(reg) _,
                daif = out(reg) _,
                options(nostack, preserves_flags),
            )
        }
    };
}

// The functions are `#[inline]`, so building addr-types alone does not
// assemble them: the crate that calls them does. tests/aarch64's programs
// call every one and run them under QEMU.
#[cfg(target_arch = "aarch64")]
#[allow(unsafe_code)]
mod tlbi {
    use core::arch::asm;

    /// Invalidates the stage-2 translations of IPA `ipa`, and every
    /// stage-1 (and combined) translation, of the VMID in `VTTBR_EL2`.
    /// Linux KVM's `__kvm_tlb_flush_vmid_ipa`.
    #[inline]
    pub fn flush_guest_physical(ipa: usize) {
        run!(guest_physical_one, super::tlbi_ipa_operand(ipa));
    }

    /// Invalidates all stage-1 and stage-2 translations of the VMID in
    /// `VTTBR_EL2`.
    #[inline]
    pub fn flush_guest_physical_all() {
        run!(guest_physical_all);
    }

    /// Invalidates the guest stage-1 (and combined) translations of VA `va`,
    /// for all ASIDs of the VMID in `VTTBR_EL2`.
    #[inline]
    pub fn flush_guest_virtual(va: usize) {
        run!(guest_virtual_one, super::tlbi_va_operand(va));
    }

    /// Invalidates all guest stage-1 (and combined) translations of the VMID
    /// in `VTTBR_EL2`.
    #[inline]
    pub fn flush_guest_virtual_all() {
        run!(guest_virtual_all);
    }

    /// Invalidates the EL1&0 stage-1 translations of VA `va` for all ASIDs:
    /// page_table_multiarch's `A64PagingMetaData::flush_tlb(Some(_))`.
    #[inline]
    pub fn flush_host_virtual(va: usize) {
        run!(host_virtual_one, super::tlbi_va_operand(va));
    }

    /// Invalidates all EL1&0 stage-1 translations on this PE:
    /// page_table_multiarch's `A64PagingMetaData::flush_tlb(None)`.
    #[inline]
    pub fn flush_host_virtual_all() {
        run!(host_virtual_all);
    }

    /// Whether this CPU's range flush uses range TLBIs: FEAT_TLBIRANGE
    /// present and `VTCR_EL2.DS` clear ([`super::range_tlbi_usable_with`]).
    /// Reads ID_AA64ISAR0_EL1 and VTCR_EL2: at EL2 only.
    #[must_use]
    #[inline]
    pub fn range_tlbi_usable() -> bool {
        let (isar0, vtcr): (u64, u64);
        // SAFETY: reads of two system registers, no side effect.
        unsafe {
            asm!(
                "mrs {isar0}, id_aa64isar0_el1",
                "mrs {vtcr}, vtcr_el2",
                isar0 = out(reg) isar0,
                vtcr = out(reg) vtcr,
                options(nomem, nostack, preserves_flags),
            );
        }
        super::range_tlbi_usable_with(isar0, vtcr)
    }

    impl super::VmidWidth {
        /// The VMID width of this CPU as the hypervisor configured it
        /// ([`Self::from_registers`] on ID_AA64MMFR1_EL1 and VTCR_EL2).
        /// Reads VTCR_EL2: at EL2 only, after `VTCR_EL2` is set up.
        #[must_use]
        #[inline]
        pub fn current() -> Self {
            let (mmfr1, vtcr): (u64, u64);
            // SAFETY: reads of two system registers, no side effect.
            unsafe {
                asm!(
                    "mrs {mmfr1}, id_aa64mmfr1_el1",
                    "mrs {vtcr}, vtcr_el2",
                    mmfr1 = out(reg) mmfr1,
                    vtcr = out(reg) vtcr,
                    options(nomem, nostack, preserves_flags),
                );
            }
            Self::from_registers(mmfr1, vtcr)
        }
    }

    // The per-VM sequences: the context-free ones, switched.

    #[inline]
    pub(super) fn vm_guest_physical(vttbr: u64, ipa: usize) {
        run_switched!(guest_physical_one, vttbr, super::tlbi_ipa_operand(ipa));
    }

    #[inline]
    pub(super) fn vm_guest_physical_all(vttbr: u64) {
        run_switched!(guest_physical_all, vttbr);
    }

    #[inline]
    pub(super) fn vm_guest_virtual(vttbr: u64, va: usize) {
        run_switched!(guest_virtual_one, vttbr, super::tlbi_va_operand(va));
    }

    #[inline]
    pub(super) fn vm_guest_virtual_all(vttbr: u64) {
        run_switched!(guest_virtual_all, vttbr);
    }

    /// `__kvm_tlb_flush_vmid_range`: the range TLBIs, then the single pages,
    /// then `vmalle1is` once. The range TLBIs assemble under
    /// `.arch_extension tlb-rmi` and execute only when `plan` has some,
    /// which it has only on a CPU with FEAT_TLBIRANGE.
    #[inline]
    pub(super) fn vm_guest_physical_range(vttbr: u64, plan: &super::Stage2Invalidations) {
        // SAFETY: as in `run_switched!`; the block also reads
        // `plan.ranges[..range_count]` (in bounds: `range_count <= 4`), and
        // its loops run `range_count` and `page_count` times.
        unsafe {
            asm!(
                ".arch_extension tlb-rmi",
                switch_in!(),
                "dsb ishst",
                "cbz {ranges}, 2f",
                "1:",
                "ldr {operand}, [{next}], #8",
                "tlbi ripas2e1is, {operand}",
                "subs {ranges}, {ranges}, #1",
                "b.ne 1b",
                "2:",
                "cbz {pages}, 4f",
                "3:",
                "tlbi ipas2e1is, {page}",
                "add {page}, {page}, #1",
                "subs {pages}, {pages}, #1",
                "b.ne 3b",
                "4:",
                "dsb ish",
                "tlbi vmalle1is",
                "dsb ish",
                "isb",
                switch_out!(),
                vttbr = in(reg) vttbr,
                next = inout(reg) plan.ranges.as_ptr() => _,
                ranges = inout(reg) plan.range_count => _,
                page = inout(reg) plan.first_page => _,
                pages = inout(reg) plan.page_count => _,
                operand = out(reg) _,
                saved = out(reg) _,
                daif = out(reg) _,
                options(nostack),
            );
        }
    }

    /// `vaae1is` on `count` (at least 1) pages from VA `first`, then
    /// `dsb ish; isb`, with the VM's VTTBR_EL2.
    #[inline]
    pub(super) fn vm_guest_virtual_pages(vttbr: u64, first: usize, count: usize) {
        // SAFETY: as in `run_switched!`; the loop runs `count` times.
        unsafe {
            asm!(
                switch_in!(),
                "dsb ishst",
                "1:",
                "ubfx {operand}, {va}, #12, #44",
                "tlbi vaae1is, {operand}",
                "add {va}, {va}, #4096",
                "subs {pages}, {pages}, #1",
                "b.ne 1b",
                "dsb ish",
                "isb",
                switch_out!(),
                vttbr = in(reg) vttbr,
                va = inout(reg) first => _,
                pages = inout(reg) count => _,
                operand = out(reg) _,
                saved = out(reg) _,
                daif = out(reg) _,
                options(nostack),
            );
        }
    }
}

/// What [`FlushTlb`](crate::FlushTlb) runs for each kind of address.
#[cfg(target_arch = "aarch64")]
#[inline]
pub(super) fn flush(translation: super::Translation, addr: Option<usize>) {
    use super::Translation::{GuestPhysical, GuestVirtual, HostVirtual};
    match (translation, addr) {
        (GuestPhysical, Some(ipa)) => flush_guest_physical(ipa),
        (GuestPhysical, None) => flush_guest_physical_all(),
        (GuestVirtual, Some(va)) => flush_guest_virtual(va),
        (GuestVirtual, None) => flush_guest_virtual_all(),
        (HostVirtual, Some(va)) => flush_host_virtual(va),
        (HostVirtual, None) => flush_host_virtual_all(),
    }
}

/// The flushes of one VM; they run at EL2 with `HCR_EL2.TGE = 0`. Each
/// loads the context's `VTTBR_EL2` with IRQ and FIQ masked, runs the same
/// sequence as the context-free flush of the same kind, and puts
/// `VTTBR_EL2` and `DAIF` back.
#[cfg(target_arch = "aarch64")]
impl VmContext {
    /// Invalidates this VM's stage-2 translations of `gpa`, then all of its
    /// stage-1 and combined ones (`ipas2e1is`, `vmalle1is`).
    #[inline]
    pub fn flush_guest_physical(&self, gpa: crate::GuestPhysAddr) {
        vm_guest_physical(self.vttbr, gpa.as_usize());
    }

    /// Invalidates this VM's stage-2 translations of every page that
    /// `range` touches (its ends rounded out to 4 KiB pages), then all of
    /// its stage-1 and combined ones.
    ///
    /// With FEAT_TLBIRANGE (read from ID_AA64ISAR0_EL1 on each call), at
    /// most four `tlbi ripas2e1is` and one `ipas2e1is` cover up to
    /// [`RANGE_TLBI_MAX_PAGES`] pages; without it, one `ipas2e1is` per
    /// page up to [`RANGE_FLUSH_PAGE_LIMIT`](super::RANGE_FLUSH_PAGE_LIMIT).
    /// A longer range invalidates all of this VM's translations
    /// (`vmalls12e1is`), as KVM does.
    ///
    /// An empty or invalid range (`start >= end`) flushes nothing; nothing
    /// loops or wraps, whatever the ends.
    #[inline]
    pub fn flush_guest_physical_range<R>(&self, range: R)
    where
        R: crate::AddrRangeExt<Addr = crate::GuestPhysAddr>,
    {
        let (start, end) = crate::range::sealed::Sealed::to_ends(range);
        match plan_guest_physical_range(start, end, range_tlbi_usable()) {
            Stage2RangeFlush::Nothing => {}
            Stage2RangeFlush::Invalidate(plan) => vm_guest_physical_range(self.vttbr, &plan),
            Stage2RangeFlush::All => self.flush_guest_physical_all(),
        }
    }

    /// Invalidates all of this VM's stage-1 and stage-2 translations
    /// (`vmalls12e1is`).
    #[inline]
    pub fn flush_guest_physical_all(&self) {
        vm_guest_physical_all(self.vttbr);
    }

    /// Invalidates this VM's stage-1 (and combined) translations of `gva`,
    /// for all ASIDs (`vaae1is`).
    #[inline]
    pub fn flush_guest_virtual(&self, gva: crate::GuestVirtAddr) {
        vm_guest_virtual(self.vttbr, gva.as_usize());
    }

    /// Invalidates this VM's stage-1 (and combined) translations of every
    /// page that `range` touches, for all ASIDs: one `vaae1is` per page up
    /// to [`RANGE_FLUSH_PAGE_LIMIT`](super::RANGE_FLUSH_PAGE_LIMIT), else
    /// all of them (`vmalle1is`).
    ///
    /// An empty or invalid range (`start >= end`) flushes nothing; nothing
    /// loops or wraps, whatever the ends.
    #[inline]
    pub fn flush_guest_virtual_range<R>(&self, range: R)
    where
        R: crate::AddrRangeExt<Addr = crate::GuestVirtAddr>,
    {
        let (start, end) = crate::range::sealed::Sealed::to_ends(range);
        match super::plan_range_flush(start, end, super::RANGE_FLUSH_PAGE_LIMIT) {
            super::RangeFlush::Nothing => {}
            super::RangeFlush::Pages { first, count } => {
                vm_guest_virtual_pages(self.vttbr, first, count);
            }
            super::RangeFlush::All => self.flush_guest_virtual_all(),
        }
    }

    /// Invalidates all of this VM's stage-1 (and combined) translations
    /// (`vmalle1is`).
    #[inline]
    pub fn flush_guest_virtual_all(&self) {
        vm_guest_virtual_all(self.vttbr);
    }
}

#[cfg(test)]
mod tests {
    use super::{
        plan_guest_physical_range, range_tlbi_usable_with, tlbi_ipa_operand, tlbi_range_operand,
        tlbi_va_operand, Stage2Invalidations, Stage2RangeFlush, VmContext, VmidWidth,
    };
    use crate::arch::{VmidTooWide, RANGE_FLUSH_PAGE_LIMIT};

    #[test]
    fn ipa_operand_is_the_ipa_shifted_right_by_twelve() {
        assert_eq!(tlbi_ipa_operand(0x8020_5000), 0x8_0205);
        assert_eq!(tlbi_ipa_operand(0xfff), 0);
    }

    #[test]
    #[cfg(target_pointer_width = "64")] // IPAs above 4 GiB.
    fn ipa_operand_of_wide_ipas() {
        assert_eq!(tlbi_ipa_operand(0x40_8020_5000), 0x408_0205);
        // The top of a 52-bit IPA space fits bits [39:0].
        assert_eq!(tlbi_ipa_operand((1 << 52) - 1), (1 << 40) - 1);
    }

    #[test]
    fn va_operand_keeps_va_bits_55_to_12_only() {
        assert_eq!(tlbi_va_operand(0x3060_1abc), 0x3_0601);
        // A 32-bit VA keeps all of bits [31:12].
        assert_eq!(tlbi_va_operand(0xffff_f000), 0xf_ffff);
    }

    #[test]
    #[cfg(target_pointer_width = "64")] // Upper-half VAs.
    fn va_operand_of_upper_half_vas() {
        assert_eq!(tlbi_va_operand(0x30_0060_1abc), 0x300_0601);
        // Bits 63:56 are dropped, the TTL hint stays 0.
        assert_eq!(tlbi_va_operand(0xffff_ffc0_8020_0000), 0xfff_fc08_0200);
        assert_eq!(tlbi_va_operand(usize::MAX) >> 44, 0);
    }

    #[test]
    fn range_operand_fields_by_hand() {
        // TG = 0b01 (bit 46), SCALE 0, NUM 0: pages 0x408_0400 and 0x408_0401.
        assert_eq!(tlbi_range_operand(0x408_0400, 0, 0), 0x0000_4000_0408_0400);
        // SCALE 1 (bit 44), NUM 8 (bits 43:39 = 0b01000, bit 42).
        assert_eq!(tlbi_range_operand(0x408_0400, 1, 8), 0x0000_5400_0408_0400);
        // The widest: SCALE 3, NUM 31, BaseADDR all ones.
        assert_eq!(
            tlbi_range_operand((1 << 37) - 1, 3, 31),
            0x0000_7f9f_ffff_ffff
        );
        // Out-of-field inputs are masked, never spill into TG or TTL.
        assert_eq!(tlbi_range_operand(1 << 37, 4, 32), 0x0000_4000_0000_0000);
    }

    #[test]
    fn range_tlbi_needs_the_feature_and_4k_base_addresses() {
        // QEMU 7.2 `-cpu max` (measured) and cortex-a57.
        assert!(range_tlbi_usable_with(0x1221_1111_1021_2120, 0x8002_3559));
        assert!(!range_tlbi_usable_with(0x0000_0000_0001_1120, 0x8002_3559));
        // TLBIOS alone (0b0001) is not enough; a later value would be.
        assert!(!range_tlbi_usable_with(0x0100_0000_0000_0000, 0));
        assert!(range_tlbi_usable_with(0x0300_0000_0000_0000, 0));
        // VTCR_EL2.DS = 1: BaseADDR would count 64 KiB units.
        assert!(!range_tlbi_usable_with(0x0200_0000_0000_0000, 1 << 32));
    }

    fn ranges(ops: &[u64], first_page: u64, page_count: usize) -> Stage2RangeFlush {
        let mut ranges = [0; 4];
        ranges[..ops.len()].copy_from_slice(ops);
        Stage2RangeFlush::Invalidate(Stage2Invalidations {
            ranges,
            range_count: ops.len(),
            first_page,
            page_count,
        })
    }

    #[test]
    fn range_plans_without_the_feature_go_page_by_page_then_all() {
        let page = 0x8040_0000;
        assert_eq!(
            plan_guest_physical_range(page, page + 3 * 0x1000, false),
            ranges(&[], 0x8_0400, 3)
        );
        assert_eq!(
            plan_guest_physical_range(page, page + RANGE_FLUSH_PAGE_LIMIT * 0x1000, false),
            ranges(&[], 0x8_0400, RANGE_FLUSH_PAGE_LIMIT)
        );
        assert_eq!(
            plan_guest_physical_range(page, page + RANGE_FLUSH_PAGE_LIMIT * 0x1000 + 1, false),
            Stage2RangeFlush::All
        );
    }

    #[test]
    fn range_plans_split_counts_from_the_largest_scale_down() {
        let page = 0x8040_0000;
        let base = 0x8_0400;
        // One page: no range operation covers fewer than two.
        assert_eq!(
            plan_guest_physical_range(page, page + 1, true),
            ranges(&[], base, 1)
        );
        // Two pages: SCALE 0, NUM 0.
        assert_eq!(
            plan_guest_physical_range(page, page + 0x2000, true),
            ranges(&[0x4000_0008_0400], base + 2, 0)
        );
        // Three: two by range, the odd last page alone.
        assert_eq!(
            plan_guest_physical_range(page, page + 0x3000, true),
            ranges(&[0x4000_0008_0400], base + 2, 1)
        );
        // 600 = 9 * 64 (SCALE 1, NUM 8) + 12 * 2 (SCALE 0, NUM 11).
        assert_eq!(
            plan_guest_physical_range(page, page + 600 * 0x1000, true),
            ranges(&[0x5400_0008_0400, 0x4580_0008_0640], base + 600, 0)
        );
        // 2^16 + 2^11 + 2^6 + 3 pages: one range at each scale (NUM 0),
        // then the odd last page.
        let count = (1 << 16) + (1 << 11) + (1 << 6) + 3;
        assert_eq!(
            plan_guest_physical_range(page, page + count * 0x1000, true),
            ranges(
                &[
                    0x7000_0008_0400,
                    0x6000_0009_0400,
                    0x5000_0009_0c00,
                    0x4000_0009_0c40,
                ],
                0x9_0c42,
                1
            )
        );
    }

    #[test]
    #[cfg(target_pointer_width = "64")] // Ranges of 8 GiB.
    fn range_plans_up_to_the_widest_range() {
        use super::RANGE_TLBI_MAX_PAGES;
        let page = 0x40_0000_0000;
        let base = 0x400_0000;
        assert_eq!(
            plan_guest_physical_range(page, page + RANGE_TLBI_MAX_PAGES * 0x1000, true),
            ranges(&[0x7f80_0400_0000], base + (1 << 21), 0)
        );
        assert_eq!(
            plan_guest_physical_range(page, page + RANGE_TLBI_MAX_PAGES * 0x1000 + 1, true),
            Stage2RangeFlush::All
        );
        // Past BaseADDR's 37 bits of page number: page by page.
        let high = 1 << 49;
        assert_eq!(
            plan_guest_physical_range(high, high + 0x2000, true),
            ranges(&[], 1 << 37, 2)
        );
    }

    #[test]
    fn range_plans_of_empty_and_invalid_ranges_do_nothing() {
        for range_tlbi in [false, true] {
            assert_eq!(
                plan_guest_physical_range(0x2000, 0x2000, range_tlbi),
                Stage2RangeFlush::Nothing
            );
            assert_eq!(
                plan_guest_physical_range(0x3000, 0x2000, range_tlbi),
                Stage2RangeFlush::Nothing
            );
        }
        assert_eq!(
            plan_guest_physical_range(0, usize::MAX, false),
            Stage2RangeFlush::All
        );
        // With range TLBIs, the whole of a 64-bit space is past the limit
        // (a 32-bit one is 2^20 pages, under it).
        #[cfg(target_pointer_width = "64")]
        assert_eq!(
            plan_guest_physical_range(0, usize::MAX, true),
            Stage2RangeFlush::All
        );
    }

    #[test]
    fn vmid_width_needs_the_cpu_and_vtcr_vs() {
        // ID_AA64MMFR1_EL1.VMIDBits = 0b0010 (bits 7:4), VTCR_EL2.VS (bit 19).
        assert_eq!(VmidWidth::from_registers(0x20, 1 << 19), VmidWidth::Bits16);
        assert_eq!(VmidWidth::from_registers(0x20, 0), VmidWidth::Bits8);
        assert_eq!(VmidWidth::from_registers(0x00, 1 << 19), VmidWidth::Bits8);
        assert_eq!(VmidWidth::Bits8.bits(), 8);
        assert_eq!(VmidWidth::Bits16.bits(), 16);
    }

    #[test]
    fn vm_context_refuses_a_vmid_wider_than_the_hardware() {
        let root = 0x4100_0000;
        assert_eq!(
            VmContext::new(0x100 << 48 | root, VmidWidth::Bits8),
            Err(VmidTooWide {
                vmid: 0x100,
                bits: 8
            })
        );
        assert_eq!(
            VmContext::new(0xffff << 48, VmidWidth::Bits8),
            Err(VmidTooWide {
                vmid: 0xffff,
                bits: 8
            })
        );
        let vm = VmContext::new(0xff << 48 | root, VmidWidth::Bits8).expect("fits 8 bits");
        assert_eq!((vm.vmid(), vm.vttbr()), (0xff, 0xff << 48 | root));
        let vm = VmContext::new(0xffff << 48 | root | 1, VmidWidth::Bits16).expect("fits 16");
        assert_eq!((vm.vmid(), vm.vttbr()), (0xffff, 0xffff << 48 | root | 1));
        assert_eq!(
            VmContext::new(0, VmidWidth::Bits8).map(VmContext::vmid),
            Ok(0)
        );
    }
}
