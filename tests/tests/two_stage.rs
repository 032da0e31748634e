//! The logic of addr-types' `two_stage` example, tested: the translations it
//! prints, the page sizes, the faults, where the guest's table lives, and
//! that its tables give back every frame.

#[path = "../../addr-types/examples/two_stage/machine.rs"]
mod machine;

use addr_types::memory_addr_04::{GuestVirtAddr, HostPhysAddr, MemoryAddr};
use addr_types::{gpa, gva};
use machine::{
    frames_in_use, FramesInUse, Machine, Region, Report, Translation, GUEST_RAM, GUEST_RAM_BACKING,
    GUEST_REGIONS, GUEST_TABLE_FRAMES, NESTED_REGIONS, PROBES,
};
use page_table_multiarch::{PageSize, PagingError};

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
    let first = Report(&machine).to_string();
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
    assert_eq!(Report(&again).to_string(), first);
}

#[test]
#[should_panic = "one simulated machine per thread"]
fn a_second_machine_on_one_thread_is_refused() {
    let _first = Machine::boot().unwrap();
    let _second = Machine::boot();
}

#[test]
fn the_report_prints_the_table_with_page_sizes_and_the_faults() {
    let machine = Machine::boot().unwrap();
    let report = Report(&machine).to_string();
    let lines: Vec<&str> = report.lines().collect();
    let table = &lines[lines.len() - PROBES.len()..];
    assert_eq!(
        table,
        [
            "GVA:0xffffffff80123456 → GPA:0x80123456 → PA:0x40323456   guest 2M page, nested 2M page",
            "GVA:0xffffffff80201abc → GPA:0x80201abc → PA:0x40401abc   guest 4K page, nested 2M page",
            "GVA:0x401010           → GPA:0x80221010 → PA:0x40421010   guest 4K page, nested 2M page",
            "GVA:0xffffffffc0000018 → GPA:0x10000018 → PA:0xfeb00018   guest 4K page, nested 4K page",
            "GVA:0xffffffffc0001008 → GPA:0x20000008 → fault           guest 4K page, stage-2 fault (NotMapped): the hypervisor emulates the device",
            "GVA:0xdeadb000         → fault                            stage-1 fault (NotMapped): the guest handles its own page fault",
        ]
    );
    assert!(
        lines.contains(&"  GPA:0x80000000..GPA:0x80400000 → PA:0x40200000   guest RAM"),
        "{report}"
    );
    let root = format!(
        "root {:?} at {:?}:",
        GUEST_TABLE_FRAMES.start,
        pa(0x4050_0000)
    );
    assert!(report.contains(&root), "{report}");
}
