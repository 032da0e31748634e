//! x86_64 (Intel VMX) TLB invalidation for a hypervisor in VMX root
//! operation, safe to call there.
//!
//! | address kind / context | instructions | operand | invalidates | upstream mistake it avoids | proven by |
//! |---|---|---|---|---|---|
//! | guest physical ([`GuestPhysAddr`]), `flush_tlb(Some)` / `(None)` | `invept` type 2 (all-context) / the same | descriptor ignored (zero) | guest-physical and combined mappings of every EPTP | axaddrspace's `x86::tlb::flush(gpa)` and the tgoskits tree's axvm `flush_nested_page_table` (`invlpg` of the GPA, a CR3 reload): they act on host linear addresses, never on guest-physical mappings | objdump: opcode 66 0F 38 80, type 2, 16 zero bytes; Bochs: trapped in VMX non-root, the same, also as page-table-generic's EPT hook; upstream's INVLPG and axvm's hook fail |
//! | guest virtual ([`GuestVirtAddr`]), `flush_tlb(Some)` / `(None)` | `invvpid` type 2 (all-context) / the same | descriptor ignored (zero) | linear and combined mappings of every VPID but 0 | (none upstream) `invlpg`, which would act on the host's own VPID 0 | objdump: opcode 66 0F 38 81, type 2, 16 zero bytes; Bochs: trapped, the same |
//! | host virtual, `flush_tlb(Some)` / `(None)` | `invlpg [va]` / CR3 reload | the address | this CPU's entries of the VA / its non-global entries | (same as page_table_multiarch) | objdump; Bochs: trapped INVLPG of the VA, MOV to CR3 |
//! | `VmContext::flush_guest_physical` | `invept` type 1 (single-context) | descriptor \[EPTP, 0\] | guest-physical and combined mappings of this VM's EPTP, every address (EPT has no per-address form) | (none upstream: axvm's hook knows no VM; x86_vcpu's single-context INVEPT runs only when the EPTP is loaded) | objdump: type 1, the EPTP loaded from the context; Bochs: trapped, the descriptor checked, an injected VMfail returned |
//! | `VmContext::flush_guest_physical_range` | one `invept` type 1; none for an empty or invalid range | \[EPTP, 0\] | the same | (none upstream) | Bochs: one INVEPT for a 3-page range, none for an empty or reversed one |
//! | `VmContext::flush_guest_physical_all` | `invept` type 1 | \[EPTP, 0\] | the same | (none upstream) | objdump; Bochs |
//! | `VmContext::flush_guest_virtual` | `invvpid` type 0 (individual-address) | descriptor \[VPID, GVA\] | linear and combined mappings of the GVA tagged with this VM's VPID | (none upstream: axvm never flushes guest-virtual mappings) | objdump: type 0, the VPID from the context, the GVA from the argument; Bochs |
//! | `VmContext::flush_guest_virtual_range` | `invvpid` type 0 per 4 KiB page up to [`RANGE_FLUSH_PAGE_LIMIT`] pages, else one `invvpid` type 1 (single-context); none for an empty or invalid range | \[VPID, each page\] / \[VPID, 0\] | the pages' mappings / every mapping of the VPID | (none upstream) | Bochs: 3 and 512 pages give 3 and 512 INVVPIDs with the right GVAs, 513 pages one single-context, empty and reversed none; a VMfail at the 2nd page stops the loop |
//! | `VmContext::flush_guest_virtual_all` | `invvpid` type 1 | \[VPID, 0\] | every mapping tagged with this VM's VPID | (none upstream) | objdump; Bochs |
//!
//! With an EPTP or a VPID in hand, `invept_single_context`,
//! `invvpid_individual_address` and `invvpid_single_context` invalidate
//! less; their descriptors (built by [`InveptDescriptor::new`] and
//! [`InvvpidDescriptor::new`], layouts unit-tested) and types are read back
//! from objdump byte by byte too.
//!
//! Why these, and not the one-address forms:
//!
//! - **Guest physical.** EPT has no per-address invalidation: `invept` names
//!   an EPT context (single-context: one EPTP) or all of them. The trait is
//!   given an address and no EPTP, so it invalidates all contexts. A
//!   hypervisor that knows the EPTP uses a [`VmContext`].
//!   Upstream axaddrspace flushes guest physical addresses with
//!   `x86::tlb::flush(gpa)`, an `invlpg`, and the tgoskits tree's axvm EPT hook
//!   (`flush_nested_page_table`) with `invlpg` and a CR3 reload: they
//!   invalidate linear and combined mappings of the *host's* address `gpa`
//!   in the current VPID, and never guest-physical mappings (Intel SDM,
//!   "Operations that invalidate cached mappings": only INVEPT does).
//! - **Guest virtual.** `invvpid` individual-address needs the VPID the
//!   guest runs with, which the trait is not given; VPID 0 is the host's,
//!   and `invvpid` rejects it for the individual-address and single-context
//!   types. So the trait invalidates all VPIDs (except the host's 0): more
//!   than needed, never less. A hypervisor that knows the VPID uses a
//!   [`VmContext`]. `invlpg` would act on the host's own linear addresses,
//!   so it is never used for a guest address.
//! - **Host virtual.** page_table_multiarch's x86_64 flush: `invlpg` for one
//!   address, a CR3 reload (non-global entries) for all.
//!
//! # Several VMs
//!
//! [`FlushTlb`](crate::FlushTlb) (and so page-table-generic's hook
//! `GuestPhysAddr::flush_tlb_from`) is given no VM: on x86 it invalidates
//! **every** VM's guest-physical (all-context INVEPT) or guest-virtual
//! (all-context INVVPID) mappings, whichever VM is running or loaded.
//! Correct for every VM, and more than needed: the other VMs refill their
//! TLBs. A [`VmContext`] (one VM's EPTP and VPID) invalidates that VM's
//! only, as Linux KVM does (single-context INVEPT, individual-address and
//! single-context INVVPID), and needs no VMCS of the VM to be current:
//! INVEPT and INVVPID take the context from their descriptor. Edit a VM's
//! table without the hook's flush (page-table-generic's `MapConfig { flush:
//! false, .. }`, `unmap_with_config`), then call one of its range flushes.
//!
//! AMD SVM's nested page tables (NPT) are not covered: they are invalidated
//! through the VMCB's ASID and TLB-control field at the next VMRUN
//! (or INVLPGA), state this crate does not hold. axvm's NPT hook in the tgoskits tree has the
//! same `invlpg`/CR3 mistake; fixing it needs that ASID handling.
//!
//! # Failures
//!
//! The `invept`/`invvpid` functions and every [`VmContext`] flush report the
//! VMX failure conventions (CF = VMfailInvalid, ZF = VMfailValid) as
//! [`VmFail`]: a processor that lacks the type (IA32_VMX_EPT_VPID_CAP), an
//! EPTP the processor does not accept (a memory type or walk length it does
//! not support, A/D flags it lacks), a non-canonical GVA. A range flush stops
//! at the first failure and returns it. [`FlushTlb`](crate::FlushTlb) cannot
//! return one: all-context invalidation fails only on a processor without
//! that type, where there is nothing better to do, so it drops the failure.
//! Outside VMX operation the instructions raise #UD, at CPL > 0 #GP.
//!
//! INVEPT, INVVPID, INVLPG and MOV to CR3 are serializing instructions
//! (Intel SDM, "Serializing Instructions"): earlier stores to the paging
//! structures complete before they execute. So the caller owes only program
//! order (write the entry, then call), which the compiler keeps because the
//! `asm!` blocks are not `nomem`.
//!
//! How it is proven: the descriptor layouts and [`VmContext::new`]'s checks
//! are unit-tested here; the encodings of every form are read back with
//! `objdump` from a program built for `x86_64-unknown-none`
//! (tests/tests/x86_64_encoding.rs). No emulator here shows EPT staleness
//! through memory (QEMU TCG has no VMX; Bochs flushes its TLB on every VM
//! entry and exit), so the run-time proof checks the instruction instead: on
//! Bochs, the flushes run as an inner hypervisor in VMX non-root operation,
//! where each INVEPT, INVVPID, INVLPG and MOV to CR3 VM-exits to a harness
//! that checks its type and descriptor, and can make it fail
//! (tests/tests/x86_64_bochs.rs, tests/x86_64/README.md).
//!
//! The descriptors, type numbers and [`VmContext`] (built and inspected) are
//! plain items compiled on every target; the instructions exist on `x86_64`
//! only.
//!
//! [`GuestPhysAddr`]: crate::GuestPhysAddr
//! [`GuestVirtAddr`]: crate::GuestVirtAddr
//! [`RANGE_FLUSH_PAGE_LIMIT`]: super::RANGE_FLUSH_PAGE_LIMIT

/// INVEPT type 1: the mappings of one EPTP.
pub const INVEPT_SINGLE_CONTEXT: u64 = 1;
/// INVEPT type 2: the mappings of every EPTP.
pub const INVEPT_ALL_CONTEXT: u64 = 2;
/// INVVPID type 0: the mappings of one linear address, for one VPID.
pub const INVVPID_INDIVIDUAL_ADDRESS: u64 = 0;
/// INVVPID type 1: the mappings of one VPID.
pub const INVVPID_SINGLE_CONTEXT: u64 = 1;
/// INVVPID type 2: the mappings of every VPID except 0.
pub const INVVPID_ALL_CONTEXT: u64 = 2;

/// The 128-bit INVEPT descriptor (Intel SDM, "INVEPT"): the EPTP in bits
/// 63:0, bits 127:64 reserved and zero.
#[repr(C, align(16))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InveptDescriptor {
    eptp: u64,
    reserved: u64,
}

impl InveptDescriptor {
    /// The descriptor of `eptp`; all-context INVEPT ignores it.
    #[must_use]
    #[inline]
    pub const fn new(eptp: u64) -> Self {
        Self { eptp, reserved: 0 }
    }

    /// The descriptor as two little-endian quadwords: bits 63:0, 127:64.
    #[must_use]
    #[inline]
    pub const fn to_quadwords(self) -> [u64; 2] {
        [self.eptp, self.reserved]
    }
}

/// The 128-bit INVVPID descriptor (Intel SDM, "INVVPID"): the VPID in bits
/// 15:0, bits 63:16 reserved and zero, the linear address in bits 127:64.
#[repr(C, align(16))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvvpidDescriptor {
    vpid: u16,
    reserved: [u16; 3],
    linear_address: u64,
}

impl InvvpidDescriptor {
    /// The descriptor of `vpid` and `linear_address`; the types that do not
    /// use one ignore it.
    #[must_use]
    #[inline]
    pub const fn new(vpid: u16, linear_address: u64) -> Self {
        Self {
            vpid,
            reserved: [0; 3],
            linear_address,
        }
    }

    /// The descriptor as two little-endian quadwords: bits 63:0, 127:64.
    #[must_use]
    #[inline]
    pub const fn to_quadwords(self) -> [u64; 2] {
        let [r0, r1, r2] = self.reserved;
        [
            self.vpid as u64 | (r0 as u64) << 16 | (r1 as u64) << 32 | (r2 as u64) << 48,
            self.linear_address,
        ]
    }
}

/// How a VMX instruction failed (Intel SDM, "Conventions" of the VMX
/// instruction reference).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VmFail {
    /// CF = 1: no current VMCS to hold an error number.
    Invalid,
    /// ZF = 1: the reason is in the current VMCS's VM-instruction error
    /// field (for example an unsupported type, or VPID 0).
    Valid,
}

/// Reads the VMX outcome flags an instruction left.
///
/// # Errors
///
/// [`VmFail::Invalid`] when CF is set, else [`VmFail::Valid`] when ZF is.
#[inline]
pub const fn vm_result(cf: bool, zf: bool) -> Result<(), VmFail> {
    if cf {
        Err(VmFail::Invalid)
    } else if zf {
        Err(VmFail::Valid)
    } else {
        Ok(())
    }
}

impl core::fmt::Display for VmFail {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Invalid => "VMfailInvalid: no current VMCS",
            Self::Valid => "VMfailValid: see the current VMCS's VM-instruction error field",
        })
    }
}

// `core::error::Error` is Rust 1.81; the default generation needs 1.85
// anyway, while the seed era alone builds with 1.71.
#[cfg(feature = "ax-memory-addr-07")]
impl core::error::Error for VmFail {}

/// One VM's translation context on Intel VMX: the EPTP its guest-physical
/// mappings are tagged with, and the VPID of its guest-virtual ones. Its
/// flushes invalidate that VM's mappings only, whichever VM runs or whose
/// VMCS is current (INVEPT and INVVPID name the context in their
/// descriptor), as Linux KVM does.
///
/// ```
/// use addr_types::arch::x86_64::{VmContext, VmContextError};
///
/// // A 4-level, write-back EPT whose root table is at 0x8_0000.
/// let vm = VmContext::new(0x8_0000 | 3 << 3 | 6, 1)?;
/// assert_eq!((vm.eptp(), vm.vpid()), (0x8_001e, 1));
/// // VPID 0 is the host's.
/// assert_eq!(VmContext::new(0x8_001e, 0), Err(VmContextError::HostVpid));
/// # Ok::<(), VmContextError>(())
/// ```
///
/// Built and inspected on every target; the flushes exist on `x86_64`.
// `repr(C)`: the disassembly test (tests/tests/x86_64_encoding.rs) traces
// each descriptor byte to the field it is loaded from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct VmContext {
    eptp: u64,
    vpid: u16,
}

/// Bits 2:0 of an EPTP: the memory type of the EPT paging structures.
const EPTP_MEMORY_TYPE: u64 = 0b111;
/// The memory types an EPTP may name (Intel SDM, "Extended-Page-Table
/// Pointer (EPTP)"): uncacheable and write-back; the others are reserved.
const EPTP_UNCACHEABLE: u64 = 0;
const EPTP_WRITE_BACK: u64 = 6;
/// Bits 5:3: the EPT page-walk length minus one.
const EPTP_WALK_LENGTH_SHIFT: u32 = 3;
/// Bits 11:8 and 63:52 are reserved whatever the processor: 52 bits is the
/// widest physical address there is. Bits 6 (accessed and dirty flags) and
/// 7 (supervisor shadow-stack control) are defined, and the processor
/// reports whether it supports them.
const EPTP_RESERVED: u64 = 0xfff0_0000_0000_0f00;

impl VmContext {
    /// The context of the VM whose EPTP (the VMCS field) is `eptp` and whose
    /// guest runs with VPID `vpid`.
    ///
    /// # Errors
    ///
    /// What the SDM rules out on every processor, checked here so that a
    /// flush never reaches the CPU with it:
    ///
    /// - [`VmContextError::HostVpid`]: `vpid` is 0, the host's (INVVPID
    ///   rejects it; a VM without VPIDs needs no guest-virtual flush, as
    ///   every VM entry and exit invalidates VPID 0's mappings).
    /// - [`VmContextError::EptMemoryType`]: bits 2:0 are neither 0
    ///   (uncacheable) nor 6 (write-back).
    /// - [`VmContextError::EptWalkLength`]: bits 5:3 are neither 3 (a
    ///   4-level walk) nor 4 (5-level).
    /// - [`VmContextError::EptReservedBits`]: a bit of 11:8 or 63:52 is set.
    ///
    /// What depends on the processor (IA32_VMX_EPT_VPID_CAP: which memory
    /// type and walk length it supports, the A/D flags, its physical-address
    /// width) is left to it: a flush then returns [`VmFail::Valid`].
    pub const fn new(eptp: u64, vpid: u16) -> Result<Self, VmContextError> {
        if vpid == 0 {
            return Err(VmContextError::HostVpid);
        }
        let memory_type = eptp & EPTP_MEMORY_TYPE;
        if memory_type != EPTP_UNCACHEABLE && memory_type != EPTP_WRITE_BACK {
            return Err(VmContextError::EptMemoryType { eptp });
        }
        let levels = (eptp >> EPTP_WALK_LENGTH_SHIFT & 0b111) + 1;
        if levels != 4 && levels != 5 {
            return Err(VmContextError::EptWalkLength { eptp });
        }
        if eptp & EPTP_RESERVED != 0 {
            return Err(VmContextError::EptReservedBits { eptp });
        }
        Ok(Self { eptp, vpid })
    }

    /// The VM's EPTP, as given to [`new`](Self::new).
    #[must_use]
    #[inline]
    pub const fn eptp(&self) -> u64 {
        self.eptp
    }

    /// The VM's VPID, never 0.
    #[must_use]
    #[inline]
    pub const fn vpid(&self) -> u16 {
        self.vpid
    }
}

/// Why [`VmContext::new`] refused its arguments: one mistake, with what to
/// write instead in its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VmContextError {
    /// VPID 0 is the host's: INVVPID rejects it for the types that name
    /// one VPID.
    HostVpid,
    /// The EPTP's memory type (bits 2:0) is reserved.
    EptMemoryType {
        /// The EPTP given.
        eptp: u64,
    },
    /// The EPTP's page-walk length (bits 5:3, the length minus one) is
    /// neither 4 nor 5 levels.
    EptWalkLength {
        /// The EPTP given.
        eptp: u64,
    },
    /// A reserved bit of the EPTP (11:8, 63:52) is set.
    EptReservedBits {
        /// The EPTP given.
        eptp: u64,
    },
}

impl core::fmt::Display for VmContextError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Self::HostVpid => f.write_str(
                "VPID 0 is the host's and INVVPID rejects it: give each VM a VPID from 1 to 0xffff",
            ),
            Self::EptMemoryType { eptp } => write!(
                f,
                "EPTP {eptp:#x}: memory type {} (bits 2:0) is reserved; write 6 (write-back) or 0 (uncacheable)",
                eptp & EPTP_MEMORY_TYPE
            ),
            Self::EptWalkLength { eptp } => write!(
                f,
                "EPTP {eptp:#x}: bits 5:3 say a {}-level walk; write 3 << 3 for 4 levels (4 << 3 for 5)",
                (eptp >> EPTP_WALK_LENGTH_SHIFT & 0b111) + 1
            ),
            Self::EptReservedBits { eptp } => write!(
                f,
                "EPTP {eptp:#x}: reserved bits {:#x} are set; bits 11:8 and 63:52 must be 0 (the root table's address is 4 KiB-aligned)",
                eptp & EPTP_RESERVED
            ),
        }
    }
}

#[cfg(feature = "ax-memory-addr-07")]
impl core::error::Error for VmContextError {}

#[cfg(target_arch = "x86_64")]
pub use self::vmx::*;

// The functions are `#[inline]`, so building addr-types alone does not
// assemble them: the crate that calls them does. tests/x86_64 calls every
// one, and tests/tests/x86_64_encoding.rs reads their encodings back.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod vmx {
    use super::{vm_result, InveptDescriptor, InvvpidDescriptor, VmFail};
    use core::arch::asm;

    /// `invept`/`invvpid` of type `$ty` with the descriptor at `$desc`, and
    /// the VMX outcome it left in the flags.
    macro_rules! invalidate {
        ($insn:literal, $ty:expr, $desc:expr) => {{
            let (cf, zf): (u8, u8);
            // SAFETY: INVEPT and INVVPID read the 16-byte descriptor `$desc`
            // points to and invalidate cached translations; they write no
            // memory and no register but the flags. Memory is not declared
            // untouched so that page-table stores stay before them.
            unsafe {
                asm!(
                    concat!($insn, " {ty}, [{desc}]"),
                    "setc {cf}",
                    "setz {zf}",
                    ty = in(reg) $ty,
                    desc = in(reg) $desc,
                    cf = out(reg_byte) cf,
                    zf = out(reg_byte) zf,
                    options(nostack),
                );
            }
            vm_result(cf != 0, zf != 0)
        }};
    }

    // `addr_of!` rather than `ptr::from_ref` (Rust 1.76): the seed era
    // builds with Rust 1.71.
    #[inline]
    fn invept(ty: u64, desc: &InveptDescriptor) -> Result<(), VmFail> {
        invalidate!("invept", ty, core::ptr::addr_of!(*desc))
    }

    #[inline]
    fn invvpid(ty: u64, desc: &InvvpidDescriptor) -> Result<(), VmFail> {
        invalidate!("invvpid", ty, core::ptr::addr_of!(*desc))
    }

    /// Invalidates the guest-physical and combined mappings of one EPT
    /// context, `eptp`.
    ///
    /// # Errors
    ///
    /// [`VmFail`] when the processor does not support single-context INVEPT
    /// or `eptp` is invalid.
    #[inline]
    pub fn invept_single_context(eptp: u64) -> Result<(), VmFail> {
        invept(super::INVEPT_SINGLE_CONTEXT, &InveptDescriptor::new(eptp))
    }

    /// Invalidates the guest-physical and combined mappings of every EPT
    /// context.
    ///
    /// # Errors
    ///
    /// [`VmFail`] when the processor does not support all-context INVEPT.
    #[inline]
    pub fn invept_all_context() -> Result<(), VmFail> {
        invept(super::INVEPT_ALL_CONTEXT, &InveptDescriptor::new(0))
    }

    /// Invalidates the linear and combined mappings of guest linear address
    /// `gva` tagged with `vpid`.
    ///
    /// # Errors
    ///
    /// [`VmFail`] when the type is unsupported, `vpid` is 0 or `gva` is not
    /// canonical.
    #[inline]
    pub fn invvpid_individual_address(vpid: u16, gva: u64) -> Result<(), VmFail> {
        invvpid(
            super::INVVPID_INDIVIDUAL_ADDRESS,
            &InvvpidDescriptor::new(vpid, gva),
        )
    }

    /// Invalidates the linear and combined mappings tagged with `vpid`.
    ///
    /// # Errors
    ///
    /// [`VmFail`] when the type is unsupported or `vpid` is 0.
    #[inline]
    pub fn invvpid_single_context(vpid: u16) -> Result<(), VmFail> {
        invvpid(
            super::INVVPID_SINGLE_CONTEXT,
            &InvvpidDescriptor::new(vpid, 0),
        )
    }

    /// Invalidates the linear and combined mappings of every VPID but 0.
    ///
    /// # Errors
    ///
    /// [`VmFail`] when the processor does not support all-context INVVPID.
    #[inline]
    pub fn invvpid_all_context() -> Result<(), VmFail> {
        invvpid(super::INVVPID_ALL_CONTEXT, &InvvpidDescriptor::new(0, 0))
    }

    /// Invalidates this processor's TLB entries of host linear address `va`:
    /// what `x86::tlb::flush` does for page_table_multiarch.
    #[inline]
    pub fn invlpg(va: usize) {
        // SAFETY: INVLPG only invalidates cached translations; it does not
        // access the memory at `va`, and clobbers no register or flag.
        unsafe { asm!("invlpg [{0}]", in(reg) va, options(nostack, preserves_flags)) };
    }

    /// Invalidates this processor's non-global TLB entries by writing CR3
    /// back unchanged: what `x86::tlb::flush_all` does for
    /// page_table_multiarch.
    #[inline]
    pub fn reload_cr3() {
        // SAFETY: writing CR3 its own value keeps the same address space;
        // the write only drops cached translations.
        unsafe {
            asm!(
                "mov {0}, cr3",
                "mov cr3, {0}",
                out(reg) _,
                options(nostack, preserves_flags),
            );
        }
    }
}

// One VM's flushes: the instructions above, with the context's EPTP and
// VPID. Every VMfail is returned, the first one ends a range.
#[cfg(target_arch = "x86_64")]
impl VmContext {
    /// Invalidates this VM's guest-physical translations of `gpa`: since
    /// EPT has no per-address invalidation, all of this VM's (single-context
    /// INVEPT of its EPTP), and no other VM's.
    ///
    /// # Errors
    ///
    /// The [`VmFail`] INVEPT reports, for example when the processor does
    /// not support single-context INVEPT or the EPTP.
    #[inline]
    pub fn flush_guest_physical(&self, gpa: crate::GuestPhysAddr) -> Result<(), VmFail> {
        // Taken all the same, so that the call reads the same on every
        // architecture and says what changed.
        let _ = gpa;
        invept_single_context(self.eptp)
    }

    /// Invalidates this VM's guest-physical translations of `range`: one
    /// single-context INVEPT of its EPTP (EPT has no per-address form, so
    /// the length does not matter).
    ///
    /// An empty or invalid range (`start >= end`) flushes nothing and
    /// returns `Ok`.
    ///
    /// # Errors
    ///
    /// The [`VmFail`] INVEPT reports.
    #[inline]
    pub fn flush_guest_physical_range<R>(&self, range: R) -> Result<(), VmFail>
    where
        R: crate::AddrRangeExt<Addr = crate::GuestPhysAddr>,
    {
        let (start, end) = crate::range::sealed::Sealed::to_ends(range);
        match super::plan_range_flush(start, end, super::RANGE_FLUSH_PAGE_LIMIT) {
            super::RangeFlush::Nothing => Ok(()),
            super::RangeFlush::Pages { .. } | super::RangeFlush::All => {
                invept_single_context(self.eptp)
            }
        }
    }

    /// Invalidates every guest-physical translation of this VM:
    /// single-context INVEPT of its EPTP.
    ///
    /// # Errors
    ///
    /// The [`VmFail`] INVEPT reports.
    #[inline]
    pub fn flush_guest_physical_all(&self) -> Result<(), VmFail> {
        invept_single_context(self.eptp)
    }

    /// Invalidates this VM's translations of guest virtual address `gva`:
    /// individual-address INVVPID of its VPID and `gva`.
    ///
    /// # Errors
    ///
    /// The [`VmFail`] INVVPID reports, for example when `gva` is not
    /// canonical or the processor lacks the type.
    #[inline]
    pub fn flush_guest_virtual(&self, gva: crate::GuestVirtAddr) -> Result<(), VmFail> {
        invvpid_individual_address(self.vpid, gva.as_usize() as u64)
    }

    /// Invalidates this VM's translations of the guest virtual addresses in
    /// `range`, rounded out to 4 KiB pages: one individual-address INVVPID
    /// per page up to [`RANGE_FLUSH_PAGE_LIMIT`](super::RANGE_FLUSH_PAGE_LIMIT)
    /// pages, else one single-context INVVPID of its VPID.
    ///
    /// An empty or invalid range (`start >= end`) flushes nothing and
    /// returns `Ok`; no range loops past its end or wraps.
    ///
    /// # Errors
    ///
    /// The first [`VmFail`] an INVVPID reports; the pages after it are not
    /// flushed.
    #[inline]
    pub fn flush_guest_virtual_range<R>(&self, range: R) -> Result<(), VmFail>
    where
        R: crate::AddrRangeExt<Addr = crate::GuestVirtAddr>,
    {
        let (start, end) = crate::range::sealed::Sealed::to_ends(range);
        match super::plan_range_flush(start, end, super::RANGE_FLUSH_PAGE_LIMIT) {
            super::RangeFlush::Nothing => Ok(()),
            super::RangeFlush::Pages { first, count } => {
                for page in 0..count {
                    let gva = first + page * crate::PAGE_SIZE_4K;
                    invvpid_individual_address(self.vpid, gva as u64)?;
                }
                Ok(())
            }
            super::RangeFlush::All => invvpid_single_context(self.vpid),
        }
    }

    /// Invalidates every guest-virtual translation of this VM:
    /// single-context INVVPID of its VPID.
    ///
    /// # Errors
    ///
    /// The [`VmFail`] INVVPID reports.
    #[inline]
    pub fn flush_guest_virtual_all(&self) -> Result<(), VmFail> {
        invvpid_single_context(self.vpid)
    }
}

/// What [`FlushTlb`](crate::FlushTlb) runs for each kind of address.
///
/// The guest kinds invalidate every context, for one address too: EPT has
/// no per-address form, and the trait is given neither an EPTP nor a VPID.
/// All-context INVEPT/INVVPID fails only where the processor lacks that
/// type (IA32_VMX_EPT_VPID_CAP): there is nothing better to fall back to,
/// so the failure is dropped here.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(super) fn flush(translation: super::Translation, addr: Option<usize>) {
    use super::Translation::{GuestPhysical, GuestVirtual, HostVirtual};
    match (translation, addr) {
        (GuestPhysical, _) => {
            let _ = invept_all_context();
        }
        (GuestVirtual, _) => {
            let _ = invvpid_all_context();
        }
        (HostVirtual, Some(va)) => invlpg(va),
        (HostVirtual, None) => reload_cr3(),
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::{
        vm_result, InveptDescriptor, InvvpidDescriptor, VmContext, VmContextError, VmFail,
    };
    use core::mem::{align_of, offset_of, size_of};
    use std::string::ToString;

    /// A 4-level, write-back EPT with its root at 0x1234_5000.
    const EPTP: u64 = 0x1234_5000 | 3 << 3 | 6;

    #[test]
    fn a_vm_context_holds_what_it_was_given() {
        let vm = VmContext::new(EPTP, 0x102).expect("a valid EPTP and VPID");
        assert_eq!((vm.eptp(), vm.vpid()), (EPTP, 0x102));
        // Uncacheable, 5 levels, A/D flags, supervisor shadow stacks, the
        // widest address: each defined, left to the processor to support.
        for eptp in [
            0x1234_5000 | 3 << 3,
            0x1234_5000 | 4 << 3 | 6,
            EPTP | 1 << 6 | 1 << 7,
            0x000f_ffff_ffff_f000 | 3 << 3 | 6,
        ] {
            assert_eq!(VmContext::new(eptp, 0xffff).map(|vm| vm.eptp()), Ok(eptp));
        }
    }

    #[test]
    fn the_host_vpid_is_refused() {
        assert_eq!(VmContext::new(EPTP, 0), Err(VmContextError::HostVpid));
    }

    #[test]
    fn reserved_memory_types_are_refused() {
        for memory_type in [1, 2, 3, 4, 5, 7] {
            let eptp = EPTP & !0b111 | memory_type;
            assert_eq!(
                VmContext::new(eptp, 1),
                Err(VmContextError::EptMemoryType { eptp })
            );
        }
    }

    #[test]
    fn walk_lengths_other_than_four_or_five_levels_are_refused() {
        for field in [0, 1, 2, 5, 6, 7] {
            let eptp = EPTP & !(0b111 << 3) | field << 3;
            assert_eq!(
                VmContext::new(eptp, 1),
                Err(VmContextError::EptWalkLength { eptp })
            );
        }
    }

    #[test]
    fn reserved_bits_are_refused() {
        for bit in (8..12).chain(52..64) {
            let eptp = EPTP | 1 << bit;
            assert_eq!(
                VmContext::new(eptp, 1),
                Err(VmContextError::EptReservedBits { eptp })
            );
        }
    }

    #[test]
    fn each_refusal_says_what_to_write_instead() {
        let message = |eptp, vpid| VmContext::new(eptp, vpid).expect_err("refused").to_string();
        assert_eq!(
            message(EPTP, 0),
            "VPID 0 is the host's and INVVPID rejects it: give each VM a VPID from 1 to 0xffff"
        );
        assert_eq!(
            message(0x1234_5000 | 3 << 3 | 5, 1),
            "EPTP 0x1234501d: memory type 5 (bits 2:0) is reserved; write 6 (write-back) or 0 (uncacheable)"
        );
        assert_eq!(
            message(0x1234_5000 | 2 << 3 | 6, 1),
            "EPTP 0x12345016: bits 5:3 say a 3-level walk; write 3 << 3 for 4 levels (4 << 3 for 5)"
        );
        assert_eq!(
            message(EPTP | 1 << 63 | 1 << 8, 1),
            "EPTP 0x800000001234511e: reserved bits 0x8000000000000100 are set; bits 11:8 and 63:52 must be 0 (the root table's address is 4 KiB-aligned)"
        );
        assert_eq!(
            VmFail::Valid.to_string(),
            "VMfailValid: see the current VMCS's VM-instruction error field"
        );
    }

    #[test]
    fn invept_descriptor_is_the_eptp_then_a_zero_quadword() {
        assert_eq!(size_of::<InveptDescriptor>(), 16);
        assert_eq!(align_of::<InveptDescriptor>(), 16);
        assert_eq!(offset_of!(InveptDescriptor, eptp), 0);
        assert_eq!(offset_of!(InveptDescriptor, reserved), 8);
        let eptp = 0x0000_0001_2345_601e;
        assert_eq!(InveptDescriptor::new(eptp).to_quadwords(), [eptp, 0]);
    }

    #[test]
    fn invvpid_descriptor_is_the_vpid_zeros_then_the_address() {
        assert_eq!(size_of::<InvvpidDescriptor>(), 16);
        assert_eq!(align_of::<InvvpidDescriptor>(), 16);
        assert_eq!(offset_of!(InvvpidDescriptor, vpid), 0);
        assert_eq!(offset_of!(InvvpidDescriptor, reserved), 2);
        assert_eq!(offset_of!(InvvpidDescriptor, linear_address), 8);
        let gva = 0xffff_8000_0040_3000;
        assert_eq!(
            InvvpidDescriptor::new(0xffff, gva).to_quadwords(),
            [0xffff, gva]
        );
        assert_eq!(InvvpidDescriptor::new(1, 0).to_quadwords(), [1, 0]);
    }

    #[test]
    fn vmx_flags_read_as_the_sdm_conventions() {
        assert_eq!(vm_result(false, false), Ok(()));
        assert_eq!(vm_result(true, false), Err(VmFail::Invalid));
        assert_eq!(vm_result(false, true), Err(VmFail::Valid));
    }
}
