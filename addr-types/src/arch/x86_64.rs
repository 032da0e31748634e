//! x86_64 (Intel VMX) TLB invalidation for a hypervisor in VMX root
//! operation, safe to call there.
//!
//! | address kind | instructions (`Some` / `None`) | operand | invalidates | upstream mistake it avoids | proven by |
//! |---|---|---|---|---|---|
//! | guest physical ([`GuestPhysAddr`]) | `invept` type 2 (all-context) / the same | descriptor ignored (zero) | guest-physical and combined mappings of every EPTP | axaddrspace's `x86::tlb::flush(gpa)`: an `invlpg` of a host linear address, which never touches guest-physical mappings | objdump: opcode 66 0F 38 80, type 2, 16 zero bytes; Bochs: trapped in VMX non-root, the same; upstream's INVLPG control fails |
//! | guest virtual ([`GuestVirtAddr`]) | `invvpid` type 2 (all-context) / the same | descriptor ignored (zero) | linear and combined mappings of every VPID but 0 | (none upstream) `invlpg`, which would act on the host's own VPID 0 | objdump: opcode 66 0F 38 81, type 2, 16 zero bytes; Bochs: trapped, the same |
//! | host virtual | `invlpg [va]` / CR3 reload | the address | this CPU's entries of the VA / its non-global entries | (same as page_table_multiarch) | objdump; Bochs: trapped INVLPG of the VA, MOV to CR3 |
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
//!   hypervisor that knows the EPTP calls `invept_single_context` itself.
//!   Upstream axaddrspace flushes guest physical addresses with
//!   `x86::tlb::flush(gpa)`, an `invlpg`: it invalidates linear and
//!   combined mappings of the *host's* address `gpa` in the current VPID,
//!   and never guest-physical mappings (Intel SDM, "Operations that
//!   invalidate cached mappings": only INVEPT does).
//! - **Guest virtual.** `invvpid` individual-address needs the VPID the
//!   guest runs with, which the trait is not given; VPID 0 is the host's,
//!   and `invvpid` rejects it for the individual-address and single-context
//!   types. So the trait invalidates all VPIDs (except the host's 0): more
//!   than needed, never less. A hypervisor that knows the VPID calls
//!   `invvpid_individual_address` itself. `invlpg` would act on the host's
//!   own linear addresses, so it is never used for a guest address.
//! - **Host virtual.** page_table_multiarch's x86_64 flush: `invlpg` for one
//!   address, a CR3 reload (non-global entries) for all.
//!
//! The `invept`/`invvpid` functions report the VMX failure conventions
//! (CF = VMfailInvalid, ZF = VMfailValid) as [`VmFail`]; the trait ignores
//! them: all-context invalidation fails only on a processor that does not
//! support that type (IA32_VMX_EPT_VPID_CAP), where there is nothing better
//! to do. Outside VMX operation the instructions raise #UD, at CPL > 0 #GP.
//!
//! INVEPT, INVVPID, INVLPG and MOV to CR3 are serializing instructions
//! (Intel SDM, "Serializing Instructions"): earlier stores to the paging
//! structures complete before they execute. So the caller owes only program
//! order (write the entry, then call), which the compiler keeps because the
//! `asm!` blocks are not `nomem`.
//!
//! How it is proven: the descriptor layouts are unit-tested here; the
//! encodings of every form are read back with `objdump` from a program built
//! for `x86_64-unknown-none` (tests/tests/x86_64_encoding.rs). No emulator
//! here shows EPT staleness through memory (QEMU TCG has no VMX; Bochs
//! flushes its TLB on every VM entry and exit), so the run-time proof checks
//! the instruction instead: on Bochs, the flushes run as an inner hypervisor
//! in VMX non-root operation, where each INVEPT, INVVPID, INVLPG and MOV to
//! CR3 VM-exits to a harness that checks its type and descriptor
//! (tests/tests/x86_64_bochs.rs, tests/x86_64/README.md).
//!
//! The descriptors and type numbers are plain items compiled on every
//! target; the instructions exist on `x86_64` only.
//!
//! [`GuestPhysAddr`]: crate::GuestPhysAddr
//! [`GuestVirtAddr`]: crate::GuestVirtAddr

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
    use super::{vm_result, InveptDescriptor, InvvpidDescriptor, VmFail};
    use core::mem::{align_of, offset_of, size_of};

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
