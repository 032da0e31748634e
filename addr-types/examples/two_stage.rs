//! Two-stage address translation on real page tables, with each stage keyed
//! by its own address type. Run with
//! `cargo run -p addr-types --example two_stage`.
//!
//! A guest kernel's page table maps guest virtual addresses to guest
//! physical ones; the hypervisor's nested table (EPT, stage 2, G-stage) maps
//! those to host physical ones. Both are page_table_multiarch `PageTable64`s
//! whose `PagingMetaData::VirtAddr` is the address type they translate:
//!
//! ```text
//! guest table:  GuestVirtAddr --query--> GuestPhysAddr
//! nested table: GuestPhysAddr --query--> HostPhysAddr
//! ```
//!
//! so handing the nested table a `GuestVirtAddr`, or the guest table a
//! `GuestPhysAddr`, is a compile error instead of a wrong walk. The simulated
//! hardware (host RAM on the heap, frame allocators, the two tables and the
//! memory layout) is the `two-stage-machine` crate under `tests/`, which the
//! tests check line by line.

// page_table_multiarch has `PageTable64` on 64-bit targets only.
#[cfg(not(target_pointer_width = "64"))]
compile_error!("the two_stage demo needs a 64-bit host");

// page_table_multiarch 0.6 is the seed era's: its frames are memory_addr 0.4
// addresses.
use addr_types::memory_addr_04::{
    GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange, HostPhysAddr,
};
use page_table_multiarch::{PageSize, PagingError};
use two_stage_machine::{
    frames_in_use, Machine, Translation, GUEST_REGIONS, NESTED_REGIONS, PROBES,
};

fn main() -> Result<(), PagingError> {
    // The hypervisor builds the nested table in host RAM, then the guest
    // kernel builds its own table in guest RAM.
    let machine = Machine::boot()?;
    let frames = frames_in_use();

    println!(
        "Two-stage translation through real page_table_multiarch tables ({} PTEs).\n",
        std::env::consts::ARCH
    );

    println!(
        "nested table (hypervisor, GPA → HPA), {} frames of host RAM:",
        frames.nested
    );
    for region in &NESTED_REGIONS {
        let gpas = GuestPhysAddrRange::from_start_size(region.from, region.size);
        println!("  {:?} → {:?}   {}", gpas, region.to, region.name);
    }

    // The guest's table lives in guest RAM: the hypervisor finds its root
    // through the nested table, as the MMU does on a guest walk.
    let root = machine.guest_table_frames()[0];
    let root_hpa: HostPhysAddr = machine.nested_translate(root)?;
    println!(
        "guest table (guest kernel, GVA → GPA), {} frames of guest RAM, root {root:?} at {root_hpa:?}:",
        frames.guest
    );
    for region in &GUEST_REGIONS {
        let gvas = GuestVirtAddrRange::from_start_size(region.from, region.size);
        let gvas = format!("{gvas:?}");
        println!("  {gvas:46} → {:?}   {}", region.to, region.name);
    }
    println!();

    for gva in PROBES {
        let (hops, note) = describe(machine.translate(gva));
        println!("{hops:55}   {note}");
    }
    Ok(())
}

/// One line of the table: the addresses `gva` went through, and what
/// happened on the way.
fn describe(translation: Translation) -> (String, String) {
    match translation {
        Translation::Mapped {
            gva,
            gpa,
            guest_page,
            hpa,
            nested_page,
        } => (
            format!("{} → {:14} → {hpa:?}", column(gva), format!("{gpa:?}")),
            format!(
                "guest {} page, nested {} page",
                size(guest_page),
                size(nested_page)
            ),
        ),
        Translation::NestedFault {
            gva,
            gpa,
            guest_page,
            error,
        } => (
            format!("{} → {:14} → fault", column(gva), format!("{gpa:?}")),
            format!(
                "guest {} page, stage-2 fault ({error:?}): the hypervisor emulates the device",
                size(guest_page)
            ),
        ),
        Translation::GuestFault { gva, error } => (
            format!("{} → fault", column(gva)),
            format!("stage-1 fault ({error:?}): the guest handles its own page fault"),
        ),
    }
}

/// A guest virtual address padded to the width of the widest one,
/// `GVA:0x` and 16 digits, so that the arrows line up.
fn column(gva: GuestVirtAddr) -> String {
    format!("{:22}", format!("{gva:?}"))
}

fn size(page: PageSize) -> &'static str {
    match page {
        PageSize::Size4K => "4K",
        PageSize::Size1M => "1M",
        PageSize::Size2M => "2M",
        PageSize::Size1G => "1G",
    }
}
