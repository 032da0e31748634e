//! The code under test, case by case, with what each must execute: run by
//! [`guest_main`] in VMX non-root operation, checked by the harness at each
//! VM exit (verdict.rs). One table, so the code and its expectation sit
//! side by side.
//!
//! The negative controls (features) each swap one piece of code under test
//! and must make the harness fail:
//! - `control-invlpg`: `GuestPhysAddr`'s flush is axaddrspace's
//!   (`x86::tlb::flush(gpa)`, an INVLPG; `flush_all`, a CR3 reload);
//! - `control-axvm-ept-flush`: the EPT's hook is the tgoskits tree's axvm's
//!   `flush_nested_page_table` body (inner_ept.rs);
//! - `control-ignore-vmfail`: the cases that get a VMfail call a wrapper
//!   that drops it.

use core::hint::black_box;

use addr_types::arch::x86_64::{self as vmx, VmContext, VmFail};
use addr_types::{
    address, FlushTlb, GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange,
};

use crate::expected::{Case, Executed, Expect, Step, ALL_EPT, ALL_VPID};
use crate::{hypercall, inner_ept};

/// Guest physical and virtual addresses, an EPTP and a VPID for the plain
/// instruction functions: any values, the checks are on what reaches the
/// instructions.
const GPA: usize = 0x8020_3000;
const GVA: usize = 0xffff_8000_0040_3000;
const HVA: usize = 0x0040_5000;
const PLAIN_EPTP: u64 = 0x0000_0001_2345_601e;
const VPID: u16 = 0x0102;

/// The VM whose EPT the cases build: its table's EPTP, and [`VPID`].
const VM: VmContext = match VmContext::new(inner_ept::EPTP, VPID) {
    Ok(vm) => vm,
    Err(_) => panic!("a valid EPTP and VPID"),
};

/// The EPT changes: a page, a 2 MiB block, a region, and pages mapped
/// without the hook's flush; the host physical addresses are never read.
const PAGE_GPA: usize = 0x8000_1000;
const PAGE_HPA: usize = 0x0060_1000;
const REMAPPED_HPA: usize = 0x0060_2000;
const BLOCK_GPA: usize = 0x4020_0000;
const BLOCK_HPA: usize = 0x0080_0000;
const REGION_GPA: usize = 0x9000_0000;
const REGION_HPA: usize = 0x0200_0000;
const REGION_PAGES: usize = 64;
const QUIET_GPA: usize = 0xa000_0000;
const QUIET_HPA: usize = 0x0300_0000;
const QUIET_PAGES: usize = 4;

/// A host virtual address type of the host-virtual kind.
#[address(prefix = "HVA", translates = "host-virtual")]
struct HostVa(usize);

/// control-invlpg: upstream axaddrspace's flush of guest physical addresses
/// on x86_64, `x86::tlb::flush(gpa)` (INVLPG) and `x86::tlb::flush_all()` (a
/// CR3 reload), written out.
#[cfg(feature = "control-invlpg")]
#[address(prefix = "GPA")]
struct UpstreamGpa(usize);

#[cfg(feature = "control-invlpg")]
impl FlushTlb for UpstreamGpa {
    fn flush_tlb(gpa: Option<Self>) {
        match gpa {
            Some(gpa) => vmx::invlpg(gpa.as_usize()),
            None => vmx::reload_cr3(),
        }
    }
}

/// The guest physical address type under test.
#[cfg(not(feature = "control-invlpg"))]
type Gpa = GuestPhysAddr;
#[cfg(feature = "control-invlpg")]
type Gpa = UpstreamGpa;

/// control-ignore-vmfail: the per-VM flushes with every VMfail dropped, and
/// a range walked page by page regardless.
#[cfg(feature = "control-ignore-vmfail")]
struct IgnoringVmFail(VmContext);

// The same signatures as VmContext's, so the cases call either.
#[cfg(feature = "control-ignore-vmfail")]
#[allow(clippy::unnecessary_wraps)]
impl IgnoringVmFail {
    fn flush_guest_physical(&self, gpa: GuestPhysAddr) -> Result<(), VmFail> {
        let _ = self.0.flush_guest_physical(gpa);
        Ok(())
    }

    fn flush_guest_physical_range(&self, range: GuestPhysAddrRange) -> Result<(), VmFail> {
        let _ = self.0.flush_guest_physical_range(range);
        Ok(())
    }

    fn flush_guest_virtual(&self, gva: GuestVirtAddr) -> Result<(), VmFail> {
        let _ = self.0.flush_guest_virtual(gva);
        Ok(())
    }

    fn flush_guest_virtual_range(&self, range: GuestVirtAddrRange) -> Result<(), VmFail> {
        let (start, end) = (range.start.as_usize(), range.end.as_usize());
        for page in (start..end).step_by(0x1000) {
            let _ = self.0.flush_guest_virtual(GuestVirtAddr::from_usize(page));
        }
        Ok(())
    }

    fn flush_guest_virtual_all(&self) -> Result<(), VmFail> {
        let _ = self.0.flush_guest_virtual_all();
        Ok(())
    }
}

/// What the VMfail cases call.
#[cfg(not(feature = "control-ignore-vmfail"))]
const FAILING_VM: VmContext = VM;
#[cfg(feature = "control-ignore-vmfail")]
const FAILING_VM: IgnoringVmFail = IgnoringVmFail(VM);

fn gpa_range(start: usize, end: usize) -> GuestPhysAddrRange {
    // Built field by field: the range macros refuse a reversed range.
    GuestPhysAddrRange {
        start: GuestPhysAddr::from_usize(black_box(start)),
        end: GuestPhysAddr::from_usize(black_box(end)),
    }
}

fn gva_range(start: usize, end: usize) -> GuestVirtAddrRange {
    GuestVirtAddrRange {
        start: GuestVirtAddr::from_usize(black_box(start)),
        end: GuestVirtAddr::from_usize(black_box(end)),
    }
}

const PAGE: usize = 0x1000;

/// INVEPT single-context of the VM's EPT.
const VM_EPT: Executed = Executed::Invept {
    ty: 1,
    descriptor: [inner_ept::EPTP, 0],
};
/// INVVPID single-context of the VM's VPID.
const VM_VPID: Executed = Executed::Invvpid {
    ty: 1,
    descriptor: [VPID as u64, 0],
};
/// INVVPID individual-address of `gva` in the VM's VPID.
const fn vm_gva(gva: usize) -> Executed {
    Executed::Invvpid {
        ty: 0,
        descriptor: [VPID as u64, gva as u64],
    }
}

/// A page-table-generic change through the hook: one all-context INVEPT,
/// once the EPT maps `gpa` to `maps_to`.
const fn hooked(gpa: usize, maps_to: Option<usize>) -> Step {
    let maps_to = match maps_to {
        Some(hpa) => Some(hpa as u64),
        None => None,
    };
    Step::after(ALL_EPT, gpa as u64, maps_to)
}

/// Every case, in the order the guest runs them.
pub static CASES: [Case; 34] = [
    // FlushTlb: given no VM, every VM's mappings.
    Case::new(
        "GuestPhysAddr::flush_tlb(Some)",
        || {
            Gpa::flush_tlb(Some(Gpa::from_usize(black_box(GPA))));
            None
        },
        Expect::Exits(&[Step::exit(ALL_EPT)]),
    ),
    Case::new(
        "GuestPhysAddr::flush_tlb(None)",
        || {
            Gpa::flush_tlb(None);
            None
        },
        Expect::Exits(&[Step::exit(ALL_EPT)]),
    ),
    Case::new(
        "GuestVirtAddr::flush_tlb(Some)",
        || {
            GuestVirtAddr::flush_tlb(Some(GuestVirtAddr::from_usize(black_box(GVA))));
            None
        },
        Expect::Exits(&[Step::exit(ALL_VPID)]),
    ),
    Case::new(
        "GuestVirtAddr::flush_tlb(None)",
        || {
            GuestVirtAddr::flush_tlb(None);
            None
        },
        Expect::Exits(&[Step::exit(ALL_VPID)]),
    ),
    // The plain instruction functions.
    Case::new(
        "invept_single_context",
        || Some(vmx::invept_single_context(black_box(PLAIN_EPTP))),
        Expect::Exits(&[Step::exit(Executed::Invept {
            ty: 1,
            descriptor: [PLAIN_EPTP, 0],
        })]),
    )
    .returning(Ok(())),
    Case::new(
        "invept_all_context",
        || Some(vmx::invept_all_context()),
        Expect::Exits(&[Step::exit(ALL_EPT)]),
    )
    .returning(Ok(())),
    Case::new(
        "invvpid_individual_address",
        || {
            Some(vmx::invvpid_individual_address(
                black_box(VPID),
                black_box(GVA as u64),
            ))
        },
        Expect::Exits(&[Step::exit(vm_gva(GVA))]),
    )
    .returning(Ok(())),
    Case::new(
        "invvpid_single_context",
        || Some(vmx::invvpid_single_context(black_box(VPID))),
        Expect::Exits(&[Step::exit(VM_VPID)]),
    )
    .returning(Ok(())),
    Case::new(
        "invvpid_all_context",
        || Some(vmx::invvpid_all_context()),
        Expect::Exits(&[Step::exit(ALL_VPID)]),
    )
    .returning(Ok(())),
    Case::new(
        "host-virtual flush_tlb(Some)",
        || {
            HostVa::flush_tlb(Some(HostVa::from_usize(black_box(HVA))));
            None
        },
        Expect::Exits(&[Step::exit(Executed::Invlpg {
            address: HVA as u64,
        })]),
    ),
    Case::new(
        "host-virtual flush_tlb(None)",
        || {
            HostVa::flush_tlb(None);
            None
        },
        Expect::Exits(&[Step::exit(Executed::MovToCr3)]),
    ),
    // An EPT changed by page-table-generic, flushed by its hook.
    Case::new(
        "EPT map of a 4 KiB page",
        || {
            inner_ept::map(PAGE_GPA, PAGE_HPA, PAGE, true);
            None
        },
        Expect::Exits(&[hooked(PAGE_GPA, Some(PAGE_HPA))]),
    ),
    Case::new(
        "EPT map of a 2 MiB block",
        || {
            inner_ept::map(BLOCK_GPA, BLOCK_HPA, 0x20_0000, true);
            None
        },
        Expect::Exits(&[hooked(BLOCK_GPA + 0x1_2000, Some(BLOCK_HPA + 0x1_2000))]),
    ),
    Case::new(
        "EPT remap_page",
        || {
            inner_ept::remap(PAGE_GPA, REMAPPED_HPA);
            None
        },
        Expect::Exits(&[hooked(PAGE_GPA, Some(REMAPPED_HPA))]),
    ),
    Case::new(
        "EPT unmap",
        || {
            inner_ept::unmap(PAGE_GPA, PAGE);
            None
        },
        Expect::Exits(&[hooked(PAGE_GPA, None)]),
    ),
    Case::new(
        "EPT map_region of 64 pages (one flush of all)",
        || {
            inner_ept::map_region(REGION_GPA, REGION_HPA, REGION_PAGES * PAGE);
            None
        },
        Expect::Exits(&[hooked(
            REGION_GPA + (REGION_PAGES - 1) * PAGE,
            Some(REGION_HPA + (REGION_PAGES - 1) * PAGE),
        )]),
    ),
    // KVM's order for a VM that is not running: change without the
    // hook's flush, then flush that VM once.
    Case::new(
        "EPT map without flush, then VmContext::flush_guest_physical_range",
        || {
            inner_ept::map(QUIET_GPA, QUIET_HPA, QUIET_PAGES * PAGE, false);
            Some(
                VM.flush_guest_physical_range(gpa_range(QUIET_GPA, QUIET_GPA + QUIET_PAGES * PAGE)),
            )
        },
        Expect::Exits(&[Step::after(
            VM_EPT,
            (QUIET_GPA + (QUIET_PAGES - 1) * PAGE) as u64,
            Some((QUIET_HPA + (QUIET_PAGES - 1) * PAGE) as u64),
        )]),
    )
    .returning(Ok(())),
    // One VM: its EPTP, its VPID.
    Case::new(
        "VmContext::flush_guest_physical",
        || Some(VM.flush_guest_physical(GuestPhysAddr::from_usize(black_box(GPA)))),
        Expect::Exits(&[Step::exit(VM_EPT)]),
    )
    .returning(Ok(())),
    Case::new(
        "VmContext::flush_guest_physical_range of 3 pages",
        || Some(VM.flush_guest_physical_range(gpa_range(GPA, GPA + 3 * PAGE))),
        Expect::Exits(&[Step::exit(VM_EPT)]),
    )
    .returning(Ok(())),
    Case::new(
        "VmContext::flush_guest_physical_range, empty",
        || Some(VM.flush_guest_physical_range(gpa_range(GPA, GPA))),
        Expect::Exits(&[]),
    )
    .returning(Ok(())),
    Case::new(
        "VmContext::flush_guest_physical_range, reversed",
        || Some(VM.flush_guest_physical_range(gpa_range(GPA + PAGE, GPA))),
        Expect::Exits(&[]),
    )
    .returning(Ok(())),
    Case::new(
        "VmContext::flush_guest_physical_all",
        || Some(VM.flush_guest_physical_all()),
        Expect::Exits(&[Step::exit(VM_EPT)]),
    )
    .returning(Ok(())),
    Case::new(
        "VmContext::flush_guest_virtual",
        || Some(VM.flush_guest_virtual(GuestVirtAddr::from_usize(black_box(GVA)))),
        Expect::Exits(&[Step::exit(vm_gva(GVA))]),
    )
    .returning(Ok(())),
    Case::new(
        "VmContext::flush_guest_virtual_range of 3 pages, unaligned ends",
        || Some(VM.flush_guest_virtual_range(gva_range(GVA + 0x800, GVA + 2 * PAGE + 1))),
        Expect::Exits(&[
            Step::exit(vm_gva(GVA)),
            Step::exit(vm_gva(GVA + PAGE)),
            Step::exit(vm_gva(GVA + 2 * PAGE)),
        ]),
    )
    .returning(Ok(())),
    Case::new(
        "VmContext::flush_guest_virtual_range of 512 pages",
        || Some(VM.flush_guest_virtual_range(gva_range(GVA, GVA + 512 * PAGE))),
        Expect::InvvpidPages {
            vpid: VPID,
            first: GVA as u64,
            count: 512,
        },
    )
    .returning(Ok(())),
    Case::new(
        "VmContext::flush_guest_virtual_range of 513 pages",
        || Some(VM.flush_guest_virtual_range(gva_range(GVA, GVA + 513 * PAGE))),
        Expect::Exits(&[Step::exit(VM_VPID)]),
    )
    .returning(Ok(())),
    Case::new(
        "VmContext::flush_guest_virtual_range, empty",
        || Some(VM.flush_guest_virtual_range(gva_range(GVA, GVA))),
        Expect::Exits(&[]),
    )
    .returning(Ok(())),
    Case::new(
        "VmContext::flush_guest_virtual_range, reversed",
        || Some(VM.flush_guest_virtual_range(gva_range(GVA + PAGE, GVA))),
        Expect::Exits(&[]),
    )
    .returning(Ok(())),
    Case::new(
        "VmContext::flush_guest_virtual_all",
        || Some(VM.flush_guest_virtual_all()),
        Expect::Exits(&[Step::exit(VM_VPID)]),
    )
    .returning(Ok(())),
    // A VMfail is returned, never dropped; a range stops at the first.
    Case::new(
        "VMfailValid from flush_guest_physical",
        || Some(FAILING_VM.flush_guest_physical(GuestPhysAddr::from_usize(black_box(GPA)))),
        Expect::Exits(&[Step::exit(VM_EPT)]),
    )
    .failing_at(0, VmFail::Valid),
    Case::new(
        "VMfailInvalid from flush_guest_physical_range",
        || Some(FAILING_VM.flush_guest_physical_range(gpa_range(GPA, GPA + PAGE))),
        Expect::Exits(&[Step::exit(VM_EPT)]),
    )
    .failing_at(0, VmFail::Invalid),
    Case::new(
        "VMfailValid from flush_guest_virtual",
        || Some(FAILING_VM.flush_guest_virtual(GuestVirtAddr::from_usize(black_box(GVA)))),
        Expect::Exits(&[Step::exit(vm_gva(GVA))]),
    )
    .failing_at(0, VmFail::Valid),
    Case::new(
        "VMfailInvalid from flush_guest_virtual_all",
        || Some(FAILING_VM.flush_guest_virtual_all()),
        Expect::Exits(&[Step::exit(VM_VPID)]),
    )
    .failing_at(0, VmFail::Invalid),
    Case::new(
        "VMfailValid at page 2 of 3 of flush_guest_virtual_range",
        || Some(FAILING_VM.flush_guest_virtual_range(gva_range(GVA, GVA + 3 * PAGE))),
        Expect::Exits(&[Step::exit(vm_gva(GVA)), Step::exit(vm_gva(GVA + PAGE))]),
    )
    .failing_at(1, VmFail::Valid),
];

/// The inner hypervisor: builds its EPT, runs every case between two
/// VMCALLs, then leaves with a third.
pub extern "C" fn guest_main() -> ! {
    inner_ept::create();
    for (index, case) in CASES.iter().enumerate() {
        hypercall::begin_case(index);
        if let Some(result) = (case.run)() {
            hypercall::returned(result);
        }
    }
    hypercall::done()
}
