//! `VmContext`'s range flushes on QEMU, in mode B with VM 1 loaded. First
//! the program reports whether the library takes the range-TLBI path on
//! this CPU (`aarch64::range_tlbi_usable`, the very test the range flush
//! makes); the host test requires "used" on `-cpu max` and "not available"
//! on cortex-a57, where executing a range TLBI would end the run with an
//! EL2 exception.
//!
//! Guest-physical: the stage-2 leaves of up to three consecutive IPAs
//! (`GTR`), each holding the stage-1 table of one `VR` page, go from `TA`
//! to `TB`. Guest-virtual: up to three consecutive stage-1 entries (`W`) go
//! from `P1` to `P2`. "one page short" changes two pages and flushes the
//! first only: its second page must read stale, so the cases can fail.
//!
//! On `-cpu max`, 2 pages are one `ripas2e1is` (SCALE 0, NUM 0) and 3 add
//! an `ipas2e1is` for the odd page; 600 are two range operations (SCALE 1,
//! then 0). Without FEAT_TLBIRANGE, 2 and 3 pages go page by page and 600
//! invalidate the whole VMID. The guest-virtual ranges go page by page, and
//! 600 pages are `vmalle1is`.

use addr_types::arch::aarch64;
use addr_types::{gpa_range, gva_range};
use el2::report::{NOT_AVAILABLE, RANGE_CASES, RANGE_TLBI, USED};
use nested_tables::aarch64_stage2::Stage2;

use crate::{case, new_table, set_leaf, set_stage1_entry, Data, New, Table, GTR, TA, TB, VR, W};

const PAGE: usize = 0x1000;

pub(crate) fn run() -> Result<(), u8> {
    el2::report_line(
        RANGE_TLBI,
        if aarch64::range_tlbi_usable() {
            USED
        } else {
            NOT_AVAILABLE
        },
    );
    let mut vm1 = new_table::<Stage2>(true);
    let vm = aarch64::VmContext::new(
        vm1.root_paddr().as_usize() as u64 | 1 << 48,
        aarch64::VmidWidth::current(),
    )
    .expect("VMID 1 fits any width");
    el2::machine::configure(vm.vttbr(), crate::S1_L1.addr());
    el2::machine::set_el1_mmu(true);

    // `changed` pages change; the range flushed is `flushed` pages long.
    let gpa = |vm1: &mut Table<Stage2>, changed: usize, flushed: usize| {
        let reads = [VR, VR + 0x20_0000, VR + 0x40_0000];
        case(
            vm1,
            &reads[..changed],
            |table| (0..3).for_each(|i| set_leaf(table, GTR + i * PAGE, TA.addr())),
            Some(&|table: &mut Table<Stage2>| {
                (0..changed).for_each(|i| set_leaf(table, GTR + i * PAGE, TB.addr()));
            }),
            |_| {
                vm.flush_guest_physical_range(gpa_range!(GTR..GTR + flushed * PAGE));
                Ok(())
            },
            New::Page,
        )
    };
    let gva = |vm1: &mut Table<Stage2>, changed: usize, flushed: usize| {
        let reads = [W, W + PAGE, W + 2 * PAGE];
        case(
            vm1,
            &reads[..changed],
            |_| (0..3).for_each(|i| set_stage1_entry(W + i * PAGE, Data::Old)),
            Some(&|_: &mut Table<Stage2>| {
                (0..changed).for_each(|i| set_stage1_entry(W + i * PAGE, Data::New));
            }),
            |_| {
                vm.flush_guest_virtual_range(gva_range!(W..W + flushed * PAGE));
                Ok(())
            },
            New::Page,
        )
    };
    let outcomes = [
        gpa(&mut vm1, 2, 2)?,
        gpa(&mut vm1, 3, 3)?,
        gpa(&mut vm1, 3, 600)?,
        gpa(&mut vm1, 2, 1)?,
        gva(&mut vm1, 3, 3)?,
        gva(&mut vm1, 3, 600)?,
        gva(&mut vm1, 2, 1)?,
    ];
    for (name, outcome) in RANGE_CASES.iter().zip(outcomes) {
        el2::report_line(name, outcome);
    }
    Ok(())
}
