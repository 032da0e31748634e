//! `VmContext`'s flushes on QEMU, in mode B: each flush of VM 1 with VM 1
//! loaded must turn a stale read fresh (QEMU then rewrites `VTTBR_EL2`
//! with its own value, which flushes nothing); a guest-physical flush of
//! VM 1 with VM 2 loaded must leave VM 1's page fresh. Every flush is
//! checked to restore `VTTBR_EL2` and `DAIF`.
//!
//! QEMU's TLB is not tagged by VMID: loading another VMID drops every guest
//! entry, so a flush that missed a VM which is not loaded cannot be seen
//! here; the "other VM loaded" case shows the flush runs and restores, and
//! the host test checks its instructions.

use addr_types::arch::aarch64::{VmContext, VmidWidth};
use addr_types::{gpa, gpa_range, gva, gva_range};
use el2::exit_code;
use el2::machine::{daif, load_vttbr, set_daif, vttbr};
use el2::report::{Suite, PER_VM_CASES, RESTORED, RESTORED_VALUE};
use el2::GuestRead;
use nested_tables::aarch64_stage2::Stage2;

use crate::{
    case, new_table, set_leaf, set_stage1_entry, Data, New, Table, GT, P1_MARKER, P2_MARKER, TA,
    TB, V,
};

/// A change of VM 1's translations that flushes nothing.
type Edit<'a> = &'a dyn Fn(&mut Table<Stage2>);

/// DAIF with IRQ and FIQ unmasked (D and A masked): what each per-VM flush
/// finds, so that its masking must be undone.
const DAIF_IRQ_FIQ_UNMASKED: u64 = 0b1100 << 6;
/// DAIF at reset: everything masked.
const DAIF_ALL_MASKED: u64 = 0b1111 << 6;

/// Runs `flush` with IRQ and FIQ unmasked, then checks that `VTTBR_EL2` is
/// `loaded` and `DAIF` what it was.
///
/// # Errors
///
/// [`exit_code::VTTBR_NOT_RESTORED`] or [`exit_code::DAIF_NOT_RESTORED`].
fn restores(loaded: u64, flush: impl FnOnce()) -> Result<(), u8> {
    set_daif(DAIF_IRQ_FIQ_UNMASKED);
    flush();
    let after = daif();
    set_daif(DAIF_ALL_MASKED);
    if vttbr() != loaded {
        return Err(exit_code::VTTBR_NOT_RESTORED);
    }
    if after != DAIF_IRQ_FIQ_UNMASKED {
        return Err(exit_code::DAIF_NOT_RESTORED);
    }
    Ok(())
}

/// VM 1 (the test pages, VMID 1) and VM 2 (RAM only, VMID 2), with VM 1
/// loaded in mode B.
fn two_vms() -> (Table<Stage2>, VmContext, VmContext) {
    let vm1 = new_table::<Stage2>(true);
    let vm2 = new_table::<Stage2>(false);
    let width = VmidWidth::current();
    let context = |table: &Table<Stage2>, vmid: u64| {
        VmContext::new(table.root_paddr().as_usize() as u64 | vmid << 48, width)
            .expect("VMIDs 1 and 2 fit any width")
    };
    let (one, two) = (context(&vm1, 1), context(&vm2, 2));
    el2::machine::configure(one.vttbr(), crate::S1_L1.addr());
    el2::machine::set_el1_mmu(true);
    (vm1, one, two)
}

pub(crate) fn run() -> Result<(), u8> {
    let (mut vm1, one, two) = two_vms();
    let loaded = one.vttbr();
    let set_up = |table: &mut Table<Stage2>| {
        set_leaf(table, GT, TA.addr());
        set_stage1_entry(V, Data::Old);
    };
    let change_stage2 = |table: &mut Table<Stage2>| set_leaf(table, GT, TB.addr());
    let change_stage1 = |_: &mut Table<Stage2>| set_stage1_entry(V, Data::New);
    // The flushes of VM 1 with VM 1 loaded, each after a change of its
    // stage-2 table or of the guest's own stage-1 table.
    let flushes: [(Edit<'_>, &dyn Fn()); 4] = [
        (&change_stage2, &|| one.flush_guest_physical(gpa!(GT))),
        (&change_stage2, &|| one.flush_guest_physical_all()),
        (&change_stage1, &|| one.flush_guest_virtual(gva!(V))),
        (&change_stage1, &|| one.flush_guest_virtual_all()),
    ];
    let mut outcomes = [""; PER_VM_CASES.len()];
    for (outcome, (change, flush)) in outcomes.iter_mut().zip(flushes) {
        *outcome = case(
            &mut vm1,
            &[V],
            set_up,
            Some(change),
            |_| restores(loaded, flush),
            New::Page,
        )?;
    }
    outcomes[4] = other_vm_loaded(&mut vm1, one, two)?;
    for (name, outcome) in PER_VM_CASES.iter().zip(outcomes) {
        el2::report_line(name, outcome);
    }
    el2::report_line(RESTORED, RESTORED_VALUE);
    Ok(())
}

/// VM 1's page changes while VM 2 is loaded; VM 1's context flushes it;
/// VM 1, loaded again, must read the new page. Then every other flush of
/// VM 1 runs with VM 2 loaded, each checked to restore.
fn other_vm_loaded(
    vm1: &mut Table<Stage2>,
    one: VmContext,
    two: VmContext,
) -> Result<&'static str, u8> {
    set_leaf(vm1, GT, TA.addr());
    set_stage1_entry(V, Data::Old);
    el2::machine::invalidate_all();
    if el2::guest_read(V)? != GuestRead::Value(P1_MARKER) {
        return Err(exit_code::UNEXPECTED_READ);
    }
    load_vttbr(two.vttbr());
    set_leaf(vm1, GT, TB.addr());
    restores(two.vttbr(), || one.flush_guest_physical(gpa!(GT)))?;
    load_vttbr(one.vttbr());
    let outcome = match el2::guest_read(V)? {
        GuestRead::Value(P2_MARKER) => crate::FRESH,
        GuestRead::Value(P1_MARKER) => crate::STALE,
        GuestRead::Value(_) | GuestRead::Abort => return Err(exit_code::UNEXPECTED_READ),
    };
    load_vttbr(two.vttbr());
    let loaded = two.vttbr();
    restores(loaded, || {
        one.flush_guest_physical_range(gpa_range!(GT..GT + 0x1000));
    })?;
    restores(loaded, || one.flush_guest_physical_all())?;
    restores(loaded, || one.flush_guest_virtual(gva!(V)))?;
    restores(loaded, || {
        one.flush_guest_virtual_range(gva_range!(V..V + 0x1000));
    })?;
    restores(loaded, || one.flush_guest_virtual_all())?;
    load_vttbr(one.vttbr());
    Ok(outcome)
}

/// The check of [`restores`] against a stand-in for a per-VM flush that
/// leaves `VTTBR_EL2` switched to VM 1, or IRQ and FIQ masked: the run
/// must end with that check's exit code.
pub(crate) fn control(suite: Suite) -> Result<(), u8> {
    let (_vm1, one, two) = two_vms();
    load_vttbr(two.vttbr());
    match suite {
        Suite::ControlNoVttbrRestore => restores(two.vttbr(), || load_vttbr(one.vttbr())),
        _ => restores(two.vttbr(), || set_daif(DAIF_ALL_MASKED)),
    }
}
