//! The page-table-generic stage-2 table, changed through its own
//! `remap_page` and `unmap_page`, which call the table's flush hook with the
//! IPA, and flushed whole through the hook's `None`: with addr-types' line
//! ([`Stage2`]) every case must read fresh; with each known mistake
//! (`Stage2` over the markers below), the cases that mistake
//! misses must read stale.
//!
//! "unmap" cannot be split into a change and a flush (the crate does both),
//! so its staleness check is the "remap" case's, in the same mode; fresh
//! means the read took a stage-2 abort.

use core::arch::asm;

use addr_types::arch::aarch64;
use el2::report::{Hook, HOOK_CASES};
use nested_tables::aarch64_stage2::{S2Attributes, S2Descriptor, Stage2};
use nested_tables::FlushHook;
use page_table_generic::{PhysAddr, TableMeta, VirtAddr};

use crate::{case, new_table, set_leaf, New, Table, G, GT, P1, P2, TA, TB, V};

/// axvm's `A64HVPagingMetaDataL3::flush` in the tgoskits tree, instruction
/// for instruction: EL2's own stage-1 regime, with the raw address. Never
/// inlined, so the host test finds it in the disassembly.
#[derive(Clone, Copy)]
struct AxvmFlush;

impl FlushHook for AxvmFlush {
    #[inline(never)]
    fn flush(vaddr: Option<VirtAddr>) {
        // SAFETY: TLB maintenance and barriers only.
        unsafe {
            match vaddr {
                Some(vaddr) => asm!("tlbi vae2is, {}; dsb sy; isb", in(reg) vaddr.as_usize()),
                None => asm!("tlbi alle2is; dsb sy; isb"),
            }
        }
    }
}

/// The same hook in axvm 0.8.x on crates.io: ax-cpu's
/// `invalidate_guest_translations_inner_shareable`, whatever changed.
#[derive(Clone, Copy)]
struct AxvmCrateFlush;

impl FlushHook for AxvmCrateFlush {
    fn flush(_: Option<VirtAddr>) {
        // SAFETY: TLB maintenance and barriers only.
        unsafe { asm!("dsb ishst; tlbi alle1is; dsb ish; isb", options(nostack)) };
    }
}

/// Nothing.
#[derive(Clone, Copy)]
struct NoFlush;

impl FlushHook for NoFlush {
    fn flush(_: Option<VirtAddr>) {}
}

/// Linux's sequence with the IPA itself in Xt: the library's own sequence,
/// handed the IPA shifted left so that its shift right gives the IPA back.
#[derive(Clone, Copy)]
struct Unshifted;

impl FlushHook for Unshifted {
    fn flush(vaddr: Option<VirtAddr>) {
        match vaddr {
            Some(ipa) => aarch64::flush_guest_physical(ipa.as_usize() << 12),
            None => aarch64::flush_guest_physical_all(),
        }
    }
}

/// The guest's stage-1 and combined entries only, for both forms.
#[derive(Clone, Copy)]
struct Vmalle1isOnly;

impl FlushHook for Vmalle1isOnly {
    fn flush(_: Option<VirtAddr>) {
        aarch64::flush_guest_virtual_all();
    }
}

/// Stage-2 entries of the IPA, correctly shifted, without the `vmalle1is`
/// that drops the combined entries; the `None` form is correct.
#[derive(Clone, Copy)]
struct Ipas2e1isOnly;

impl FlushHook for Ipas2e1isOnly {
    fn flush(vaddr: Option<VirtAddr>) {
        match vaddr {
            // SAFETY: TLB maintenance and barriers only.
            Some(ipa) => unsafe {
                asm!(
                    "dsb ishst",
                    "tlbi ipas2e1is, {0}",
                    "dsb ish",
                    "isb",
                    in(reg) ipa.as_usize() >> 12,
                    options(nostack),
                );
            },
            None => aarch64::flush_guest_physical_all(),
        }
    }
}

/// Runs [`HOOK_CASES`] on a table flushed by `hook`, and reports each.
pub(crate) fn run(hook: Hook) -> Result<(), u8> {
    match hook {
        Hook::AddrTypes => cases::<Stage2>(),
        Hook::Axvm => cases::<Stage2<AxvmFlush>>(),
        Hook::AxvmCrate => cases::<Stage2<AxvmCrateFlush>>(),
        Hook::NoFlush => cases::<Stage2<NoFlush>>(),
        Hook::Unshifted => cases::<Stage2<Unshifted>>(),
        Hook::Vmalle1isOnly => cases::<Stage2<Vmalle1isOnly>>(),
        Hook::Ipas2e1isOnly => cases::<Stage2<Ipas2e1isOnly>>(),
    }
}

/// Which page a case changes, and how.
#[derive(Clone, Copy)]
enum Change {
    /// `remap_page` to the new page.
    Remap,
    /// `unmap_page`.
    Unmap,
    /// A change without a flush, then the hook's `None`.
    All,
}

fn cases<M: TableMeta<P = S2Descriptor>>() -> Result<(), u8> {
    let mut table = new_table::<M>(true);
    el2::machine::configure(
        table.root_paddr().as_usize() as u64 | 1 << 48,
        crate::S1_L1.addr(),
    );
    let modes = [
        (false, G, P1.addr(), P2.addr(), G),
        (true, GT, TA.addr(), TB.addr(), V),
    ];
    let changes = [Change::Remap, Change::Unmap, Change::All];
    let mut names = HOOK_CASES.iter();
    for (mode_b, ipa, old, new, va) in modes {
        el2::machine::set_el1_mmu(mode_b);
        for change in changes {
            let outcome = one_case(&mut table, change, ipa, old, new, va)?;
            el2::report_line(names.next().expect("a name per case"), outcome);
        }
    }
    Ok(())
}

fn one_case<M: TableMeta<P = S2Descriptor>>(
    table: &mut Table<M>,
    change: Change,
    ipa: usize,
    old: usize,
    new: usize,
    va: usize,
) -> Result<&'static str, u8> {
    let set_up = |table: &mut Table<M>| set_leaf(table, ipa, old);
    let change_without_flush = |table: &mut Table<M>| set_leaf(table, ipa, new);
    let gpa = VirtAddr::from_usize(ipa);
    match change {
        Change::Remap => case(
            table,
            &[va],
            set_up,
            Some(&change_without_flush),
            // Rewrites the leaf (already new) and calls the hook with `ipa`.
            |table| {
                table
                    .remap_page(gpa, PhysAddr::from_usize(new), S2Attributes::DATA)
                    .expect("the page is mapped");
                Ok(())
            },
            New::Page,
        ),
        Change::Unmap => case(
            table,
            &[va],
            set_up,
            None,
            |table| {
                table.unmap_page(gpa).expect("the page is mapped");
                Ok(())
            },
            New::Unmapped,
        ),
        Change::All => case(
            table,
            &[va],
            set_up,
            Some(&change_without_flush),
            |_| {
                M::flush(None);
                Ok(())
            },
            New::Page,
        ),
    }
}
