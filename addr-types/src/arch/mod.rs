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

/// Invalidates the cached translations whose input is an address of this
/// type: one address (`Some`), or every address of the type (`None`).
///
/// The shape of page_table_multiarch's `SvVirtAddr::flush_tlb` and
/// `PagingMetaData::flush_tlb`, so a page table's flush hook can forward to
/// it. `#[address]` implements it on riscv32, riscv64, aarch64 and x86_64
/// for the types given an address kind; the instructions per architecture
/// are in [`riscv`], [`aarch64`] and [`x86_64`].
pub trait FlushTlb: Sized {
    /// Invalidates the translations of `addr`, or all translations of this
    /// kind of address when `addr` is `None`.
    fn flush_tlb(addr: Option<Self>);
}
