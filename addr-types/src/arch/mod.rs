//! Architecture support for address types: TLB invalidation chosen by what
//! an address is the input of.

pub mod riscv;

/// Invalidates the cached translations whose input is an address of this
/// type: one address (`Some`), or every address of the type (`None`).
///
/// The shape of page_table_multiarch's `SvVirtAddr::flush_tlb`, so a page
/// table's flush hook can forward to it. `#[address(riscv_fence = …)]`
/// implements it on the architectures addr-types supports; the instructions
/// per architecture are in the [`riscv`] module.
pub trait FlushTlb: Sized {
    /// Invalidates the translations of `addr`, or all translations of this
    /// kind of address when `addr` is `None`.
    fn flush_tlb(addr: Option<Self>);
}
