//! Three generations in one build: the seed-era client asked addr-types for
//! memory_addr 0.4 only, the previous client for ax-memory-addr 0.6 only,
//! the current client for the defaults, and Cargo unified the features.
//! Each must still see its own generation's types, and the guest types must
//! be one type for all.

use std::any::TypeId;

use addr_types::{GuestPhysAddr, MemoryAddr};
use addr_types_current_client as current;
use addr_types_previous_client as previous;
use addr_types_seed_client as seed;

fn id<T: 'static>() -> TypeId {
    TypeId::of::<T>()
}

#[test]
fn the_seed_client_sees_memory_addr_0_4() {
    assert_eq!(id::<seed::Frame>(), id::<memory_addr::PhysAddr>());
    assert_ne!(id::<seed::Frame>(), id::<ax_memory_addr::PhysAddr>());
    assert_eq!(
        id::<seed::GuestRam>(),
        id::<memory_addr::AddrRange<GuestPhysAddr>>()
    );
}

#[test]
fn the_current_client_sees_ax_memory_addr_0_7() {
    assert_eq!(id::<current::Frame>(), id::<ax_memory_addr::PhysAddr>());
    assert_ne!(id::<current::Frame>(), id::<memory_addr::PhysAddr>());
    assert_eq!(
        id::<current::GuestRam>(),
        id::<ax_memory_addr::AddrRange<GuestPhysAddr>>()
    );
    // The top-level names are the default generation's, whatever else the
    // build enabled.
    assert_eq!(id::<addr_types::HostPhysAddr>(), id::<current::Frame>());
    assert_eq!(
        id::<addr_types::GuestPhysAddrRange>(),
        id::<current::GuestRam>()
    );
}

#[test]
fn the_previous_client_sees_ax_memory_addr_0_6() {
    assert_eq!(id::<previous::Frame>(), id::<ax_memory_addr_06::PhysAddr>());
    assert_ne!(id::<previous::Frame>(), id::<ax_memory_addr::PhysAddr>());
    assert_ne!(id::<previous::Frame>(), id::<memory_addr::PhysAddr>());
    assert_eq!(
        id::<previous::GuestRam>(),
        id::<ax_memory_addr_06::AddrRange<GuestPhysAddr>>()
    );
    assert_eq!(
        id::<addr_types::ax_memory_addr_06::HostVirtAddr>(),
        id::<ax_memory_addr_06::VirtAddr>()
    );
}

#[test]
fn guest_addresses_cross_between_generations_unchanged() {
    let ram = seed::guest_ram(0x8000_0000, 0x10_0000);
    let same: current::GuestRam = addr_types::GuestPhysAddrRange::new(ram.start, ram.end);
    assert_eq!(same.start, ram.start);
    assert_eq!(same.size(), ram.size());
    // One `GuestPhysAddr` is a `MemoryAddr` of both generations at once.
    let end = <GuestPhysAddr as MemoryAddr>::add(ram.start, 0x10_0000);
    let seed_end = <GuestPhysAddr as memory_addr::MemoryAddr>::add(ram.start, 0x10_0000);
    assert_eq!(end, seed_end);
    assert_eq!(end, ram.end);
    let previous = previous::guest_ram(0x8000_0000, 0x10_0000);
    assert_eq!((previous.start, previous.end), (ram.start, ram.end));
    let previous_end = <GuestPhysAddr as ax_memory_addr_06::MemoryAddr>::add(ram.start, 0x10_0000);
    assert_eq!(previous_end, end);
}

/// Two generations' host addresses are two types: the documented
/// conversion goes through the address's `usize`, in `const` too.
#[test]
fn host_addresses_convert_between_generations_through_usize() {
    use addr_types::{ax_memory_addr_06, memory_addr_04, HostPhysAddr};

    const OLD: ax_memory_addr_06::HostPhysAddr =
        ax_memory_addr_06::HostPhysAddr::from_usize(0x4000_1000);
    const NEW: HostPhysAddr = HostPhysAddr::from_usize(OLD.as_usize());
    assert_eq!(NEW.as_usize(), 0x4000_1000);
    let seed = memory_addr_04::HostPhysAddr::from_usize(NEW.as_usize());
    let back = ax_memory_addr_06::HostPhysAddr::from_usize(seed.as_usize());
    assert_eq!(back, OLD);
}

#[test]
fn host_addresses_go_to_their_own_generation() {
    let frame = seed::as_memory_addr(addr_types::memory_addr_04::HostPhysAddr::from_usize(
        0x4000_1000,
    ));
    assert_eq!(frame.as_usize(), 0x4000_1000);
    let frame = current::as_ax_memory_addr(addr_types::HostPhysAddr::from_usize(0x4000_2000));
    assert_eq!(frame.as_usize(), 0x4000_2000);
    let frame = previous::as_ax_memory_addr_06(addr_types::hpa!(ax_memory_addr_06; 0x4000_4000));
    assert_eq!(frame.as_usize(), 0x4000_4000);
}

// page_table_entry compiles the PTE of the host architecture only.
#[cfg(target_arch = "x86_64")]
#[test]
fn a_seed_host_frame_goes_into_a_page_table_entry() {
    use page_table_entry::x86_64::X64PTE;
    use page_table_entry::GenericPTE;

    let frame = addr_types::memory_addr_04::HostPhysAddr::from_usize(0x4000_3000);
    let pte: X64PTE = seed::leaf(frame);
    assert_eq!(pte.paddr(), memory_addr::PhysAddr::from_usize(0x4000_3000));
    assert!(pte.is_present());
}

// ax-page-table-entry compiles the PTE of the host architecture only.
#[cfg(target_arch = "x86_64")]
#[test]
fn a_previous_host_frame_goes_into_a_page_table_entry() {
    use ax_page_table_entry::x86_64::X64PTE;
    use ax_page_table_entry::GenericPTE;

    let frame = addr_types::ax_memory_addr_06::HostPhysAddr::from_usize(0x4000_5000);
    let pte: X64PTE = previous::leaf(frame);
    assert_eq!(
        pte.paddr(),
        ax_memory_addr_06::PhysAddr::from_usize(0x4000_5000)
    );
    assert!(pte.is_present());
}
