//! A `#![no_std]` crate using addr-types the way a seed-era bare-metal
//! hypervisor does (memory_addr 0.4, page_table_multiarch 0.6: the
//! `memory-addr-04` generation, asked for alone). CI builds it for
//! `riscv64gc-unknown-none-elf` and `x86_64-unknown-none`, targets that have
//! no `std` to fall back on.
//!
//! Every item is a non-generic `pub fn` or a `const`: such functions are
//! compiled into the rlib, so the build exercises code generation (and on
//! riscv64, the assembler for the fences), not only type checking.
#![no_std]

use core::fmt;

use addr_types::memory_addr_04::{
    GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange, HostPhysAddr,
    HostPhysAddrRange, HostVirtAddr, HostVirtAddrRange, MemoryAddr, PAGE_SIZE_4K,
};
use addr_types::{address, gpa, gpa_range, gva, gva_range};

/// Where this crate reaches addr-types from: a re-export, as in a
/// hypervisor that wraps its dependencies in a HAL module.
mod hal {
    pub(crate) use addr_types as addr;
}

/// An ARM-style intermediate physical address: every option of
/// `#[address]`, with the runtime crate named through a re-export (and
/// `serde` when this crate's `serde` feature turns addr-types' on).
#[cfg_attr(
    feature = "serde",
    address(
        prefix = "IPA",
        range = IntermediatePhysAddrRange,
        generation = memory_addr_04,
        translates = "guest-physical",
        serde,
        crate = crate::hal::addr
    )
)]
#[cfg_attr(
    not(feature = "serde"),
    address(
        prefix = "IPA",
        range = IntermediatePhysAddrRange,
        generation = memory_addr_04,
        translates = "guest-physical",
        crate = crate::hal::addr
    )
)]
pub struct IntermediatePhysAddr(usize);

/// A device's MMIO address: no option at all, so it prints as
/// `MmioAddr:0x…` and has no range alias.
#[address]
pub struct MmioAddr(usize);

/// Where the guest kernel is loaded: the shorthand and the const
/// alignment helper in a `const` item.
pub const KERNEL_BASE: GuestPhysAddr = gpa!(0x8020_1234).align_down_4k();

/// The guest's high-half kernel mapping.
#[cfg(target_pointer_width = "64")]
pub const KERNEL_VIRT: GuestVirtAddr = gva!(0xffff_ffc0_8020_0000);
/// The guest's high-half kernel mapping, above a 3G/1G split.
#[cfg(target_pointer_width = "32")]
pub const KERNEL_VIRT: GuestVirtAddr = gva!(0xc020_0000);

/// The guest's RAM.
#[must_use]
pub fn guest_ram() -> GuestPhysAddrRange {
    gpa_range!(memory_addr_04; 0x8000_0000..0x8800_0000)
}

/// The guest kernel's virtual window.
#[must_use]
pub fn kernel_window() -> GuestVirtAddrRange {
    #[cfg(target_pointer_width = "64")]
    let window = gva_range!(memory_addr_04; 0xffff_ffc0_8000_0000..0xffff_ffc0_c000_0000);
    #[cfg(target_pointer_width = "32")]
    let window = gva_range!(memory_addr_04; 0xc000_0000..0xf000_0000);
    window
}

/// Translates a kernel virtual address with the fixed offset of the
/// guest's linear map, or `None` outside the window.
#[must_use]
pub fn kernel_virt_to_phys(gva: GuestVirtAddr) -> Option<GuestPhysAddr> {
    if !kernel_window().contains(gva) {
        return None;
    }
    let offset = gva - kernel_window().start;
    Some(guest_ram().start + offset)
}

/// The host frame that backs `gpa`, for guest RAM placed at `host_base`.
#[must_use]
pub fn backing_frame(host_base: HostPhysAddr, gpa: GuestPhysAddr) -> Option<HostPhysAddr> {
    let ram = guest_ram();
    ram.contains(gpa)
        .then(|| host_base + (gpa.align_down_4k() - ram.start))
}

/// Where the host's direct map shows host physical memory.
#[must_use]
pub fn host_virt(direct_map_offset: usize, hpa: HostPhysAddr) -> HostVirtAddr {
    HostVirtAddr::from_usize(direct_map_offset) + hpa.as_usize()
}

/// The host memory given to the guest, or `None` if it would wrap around.
#[must_use]
pub fn host_backing(base: HostPhysAddr, size: usize) -> Option<HostPhysAddrRange> {
    HostPhysAddrRange::try_from_start_size(base, size)
}

/// How many 4 KiB pages a host virtual range touches.
#[must_use]
pub fn host_pages(range: HostVirtAddrRange) -> usize {
    (range.end.align_up_4k() - range.start.align_down_4k()) / PAGE_SIZE_4K
}

/// The 4 KiB page of an intermediate physical address, through the
/// generic `MemoryAddr` API the expansion makes available.
#[must_use]
pub fn ipa_page(ipa: IntermediatePhysAddr) -> IntermediatePhysAddr {
    ipa.align_down(PAGE_SIZE_4K)
}

/// Whether an MMIO window is page aligned at both ends, as a stage-2 mapping
/// needs.
#[must_use]
pub fn mmio_window_is_mappable(base: MmioAddr, size: usize) -> bool {
    base.is_aligned_4k() && base.checked_add(size).is_some_and(MmioAddr::is_aligned_4k)
}

/// The size of an intermediate physical range.
#[must_use]
pub fn ipa_range_size(range: IntermediatePhysAddrRange) -> usize {
    range.size()
}

/// Formats addresses without an allocator, as a panic or log message would.
///
/// # Errors
///
/// Those of `out`.
pub fn describe(
    out: &mut dyn fmt::Write,
    gva: GuestVirtAddr,
    gpa: GuestPhysAddr,
    ipa: IntermediatePhysAddr,
    mmio: MmioAddr,
) -> fmt::Result {
    write!(out, "{gva:?} -> {gpa:x} -> {ipa:X}, device at {mmio:?}")
}

/// The RISC-V TLB flushes of the guest types and of the user type, through
/// page_table_multiarch's trait as its page tables call them.
#[cfg(target_arch = "riscv64")]
pub mod flush {
    use page_table_multiarch::riscv::SvVirtAddr;

    use super::{GuestPhysAddr, GuestVirtAddr, IntermediatePhysAddr};

    /// G-stage: one guest physical address, or all of them.
    pub fn guest_phys(gpa: Option<GuestPhysAddr>) {
        GuestPhysAddr::flush_tlb(gpa);
    }

    /// VS-stage: one guest virtual address, or all of them.
    pub fn guest_virt(gva: Option<GuestVirtAddr>) {
        GuestVirtAddr::flush_tlb(gva);
    }

    /// The user type declared with `translates = "guest-physical"`.
    pub fn intermediate_phys(ipa: Option<IntermediatePhysAddr>) {
        IntermediatePhysAddr::flush_tlb(ipa);
    }
}

/// A hypervisor crate's own address module (axaddrspace's `addr.rs`: four
/// types from `def_usize_addr!` and two range aliases) swapped for one
/// re-export. The rest of this crate names the types through it, as the
/// client's other modules would.
pub mod addr {
    pub use addr_types::memory_addr_04::{
        GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange, HostPhysAddr,
        HostVirtAddr,
    };
}

/// The client's nested page table on riscv64, spelt as axaddrspace spells
/// it: a G-stage `PageTable64` keyed by the re-exported `GuestPhysAddr`.
#[cfg(target_arch = "riscv64")]
pub mod npt {
    use page_table_entry::riscv::Rv64PTE;
    use page_table_multiarch::riscv::Sv39MetaData;
    use page_table_multiarch::{PageTable64, PagingHandler, PagingResult};

    use crate::addr::{GuestPhysAddr, HostPhysAddr};

    /// The G-stage table type; the signatures below make the compiler check
    /// its bounds (`GuestPhysAddr: SvVirtAddr`), which an alias alone
    /// would not.
    pub type NestedPageTable<H> = PageTable64<Sv39MetaData<GuestPhysAddr>, Rv64PTE, H>;

    /// What `hgatp` needs: the root table's host physical address.
    #[must_use]
    pub fn root<H: PagingHandler>(table: &NestedPageTable<H>) -> HostPhysAddr {
        table.root_paddr()
    }

    /// The guest page that holds `gpa`, and the host frame backing it:
    /// `align_down` by page_table_multiarch's `PageSize`, as hypervisor code
    /// writes it (no inherent `align_down(usize)` may shadow it).
    ///
    /// # Errors
    ///
    /// If `gpa` is not mapped.
    pub fn backing_page<H: PagingHandler>(
        table: &NestedPageTable<H>,
        gpa: GuestPhysAddr,
    ) -> PagingResult<(GuestPhysAddr, HostPhysAddr)> {
        use addr_types::memory_addr_04::MemoryAddr;
        let (hpa, _, size) = table.query(gpa)?;
        Ok((gpa.align_down(size), hpa.align_down(size)))
    }
}
