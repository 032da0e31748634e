//! The machine behind addr-types' `two_stage` example, tested: the
//! translations it prints, the page sizes, the faults, where the guest's
//! table lives, and that its tables give back every frame. (CI checks the
//! printed table itself against the README.)
// page_table_multiarch has `PageTable64` on 64-bit targets only.
#![cfg(target_pointer_width = "64")]

use addr_types::memory_addr_04::{GuestVirtAddr, HostPhysAddr, MemoryAddr};
use addr_types::{gpa, gva};
use page_table_multiarch::{PageSize, PagingError};
use two_stage_machine::{
    frames_in_use, FramesInUse, Machine, Region, Translation, GUEST_RAM, GUEST_RAM_BACKING,
    GUEST_REGIONS, GUEST_TABLE_FRAMES, NESTED_REGIONS, PROBES,
};

fn pa(addr: usize) -> HostPhysAddr {
    HostPhysAddr::from_usize(addr)
}

#[test]
fn probes_translate_through_both_stages_with_their_page_sizes() {
    let machine = Machine::boot().unwrap();
    let translations: Vec<Translation> = PROBES.iter().map(|&gva| machine.translate(gva)).collect();
    assert_eq!(
        translations,
        [
            // The kernel image: a 2M page in both tables.
            Translation::Mapped {
                gva: gva!(0xffff_ffff_8012_3456),
                gpa: gpa!(0x8012_3456),
                guest_page: PageSize::Size2M,
                hpa: pa(0x4032_3456),
                nested_page: PageSize::Size2M,
            },
            Translation::Mapped {
                gva: gva!(0xffff_ffff_8020_1abc),
                gpa: gpa!(0x8020_1abc),
                guest_page: PageSize::Size4K,
                hpa: pa(0x4040_1abc),
                nested_page: PageSize::Size2M,
            },
            Translation::Mapped {
                gva: gva!(0x40_1010),
                gpa: gpa!(0x8022_1010),
                guest_page: PageSize::Size4K,
                hpa: pa(0x4042_1010),
                nested_page: PageSize::Size2M,
            },
            // The UART: 4K in both.
            Translation::Mapped {
                gva: gva!(0xffff_ffff_c000_0018),
                gpa: gpa!(0x1000_0018),
                guest_page: PageSize::Size4K,
                hpa: pa(0xfeb0_0018),
                nested_page: PageSize::Size4K,
            },
            Translation::NestedFault {
                gva: gva!(0xffff_ffff_c000_1008),
                gpa: gpa!(0x2000_0008),
                guest_page: PageSize::Size4K,
                error: PagingError::NotMapped,
            },
            Translation::GuestFault {
                gva: gva!(0xdead_b000),
                error: PagingError::NotMapped,
            },
        ]
    );
}

/// Where a region list sends `addr`, computed from the list alone.
fn expected<F, T>(regions: &[Region<F, T>], addr: F) -> Option<T>
where
    F: MemoryAddr,
    T: MemoryAddr,
{
    regions.iter().find_map(|region| {
        let offset = addr.checked_sub_addr(region.from)?;
        (offset < region.size).then(|| region.to.add(offset))
    })
}

#[test]
fn every_region_edge_translates_as_the_region_lists_say() {
    let machine = Machine::boot().unwrap();
    let mut checked = 0;
    for region in &GUEST_REGIONS {
        let edges = [
            region.from.wrapping_sub(1),
            region.from,
            region.from + region.size / 2,
            region.from + (region.size - 1),
            region.from + region.size,
        ];
        for gva in edges {
            let translation = machine.translate(gva);
            match expected(&GUEST_REGIONS, gva) {
                None => assert!(
                    matches!(translation, Translation::GuestFault { .. }),
                    "{gva:?}: {translation:?}"
                ),
                Some(gpa) => match (expected(&NESTED_REGIONS, gpa), translation) {
                    (
                        Some(hpa),
                        Translation::Mapped {
                            gpa: got,
                            hpa: got_hpa,
                            ..
                        },
                    ) => {
                        assert_eq!((got, got_hpa), (gpa, hpa), "{gva:?}");
                    }
                    (None, Translation::NestedFault { gpa: got, .. }) => {
                        assert_eq!(got, gpa, "{gva:?}");
                    }
                    (hpa, translation) => {
                        panic!("{gva:?} → {gpa:?} → {hpa:?} expected, got {translation:?}")
                    }
                },
            }
            checked += 1;
        }
    }
    assert_eq!(checked, GUEST_REGIONS.len() * 5);
}

#[test]
fn huge_pages_are_used_where_both_sides_are_2m_aligned() {
    let machine = Machine::boot().unwrap();
    let page_sizes = |gva: GuestVirtAddr| match machine.translate(gva) {
        Translation::Mapped {
            guest_page,
            nested_page,
            ..
        } => (guest_page, nested_page),
        other => panic!("{other:?}"),
    };
    // The last byte of the kernel image is still in its 2M page; the kernel
    // data right after it is 4K pages, inside the nested table's 2M page.
    assert_eq!(
        page_sizes(gva!(0xffff_ffff_801f_ffff)),
        (PageSize::Size2M, PageSize::Size2M)
    );
    assert_eq!(
        page_sizes(gva!(0xffff_ffff_8020_0000)),
        (PageSize::Size4K, PageSize::Size2M)
    );
}

#[test]
fn the_guest_table_lives_in_guest_ram_where_the_nested_table_maps_it() {
    let machine = Machine::boot().unwrap();
    let frames = machine.guest_table_frames();
    assert_eq!(frames[0], GUEST_TABLE_FRAMES.start, "the root comes first");
    assert_eq!(
        frames.len(),
        frames_in_use().guest,
        "the walk sees every frame"
    );
    for (i, &frame) in frames.iter().enumerate() {
        assert!(GUEST_TABLE_FRAMES.contains(frame), "{frame:?}");
        assert!(frame.is_aligned_4k(), "{frame:?}");
        assert!(!frames[..i].contains(&frame), "{frame:?} twice");
        // The handler reaches guest frames through its record of guest RAM;
        // the MMU would go through the nested table. Both must agree.
        assert_eq!(
            machine.nested_translate(frame),
            Ok(GUEST_RAM_BACKING + (frame - GUEST_RAM.start)),
            "{frame:?}"
        );
    }
}

#[test]
fn dropping_the_machine_frees_every_frame_and_a_new_one_boots_the_same() {
    let machine = Machine::boot().unwrap();
    let in_use = frames_in_use();
    assert!(in_use.nested > 0 && in_use.guest > 0, "{in_use:?}");
    let first: Vec<Translation> = PROBES.iter().map(|&gva| machine.translate(gva)).collect();
    drop(machine);
    assert_eq!(
        frames_in_use(),
        FramesInUse {
            nested: 0,
            guest: 0
        }
    );

    let again = Machine::boot().unwrap();
    assert_eq!(frames_in_use(), in_use);
    let translations: Vec<Translation> = PROBES.iter().map(|&gva| again.translate(gva)).collect();
    assert_eq!(translations, first);
    assert_eq!(again.guest_table_frames()[0], GUEST_TABLE_FRAMES.start);
}

#[test]
#[should_panic = "one simulated machine per thread"]
fn a_second_machine_on_one_thread_is_refused() {
    let _first = Machine::boot().unwrap();
    let _second = Machine::boot();
}
