//! Decoding of the RISC-V address-translation fences, shared by the M-mode
//! trap handler (which decodes the `hfence.gvma` it trapped on) and the host
//! test (which decodes the built programs' instruction words and checks them
//! against binutils' disassembly).

/// The fences of the privileged spec, all `SYSTEM` instructions of the form
/// `funct7 rs2 rs1 000 00000 1110011`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FenceKind {
    /// `sfence.vma`, funct7 `0001001`.
    SfenceVma,
    /// `hfence.vvma`, funct7 `0010001`.
    HfenceVvma,
    /// `hfence.gvma`, funct7 `0110001`.
    HfenceGvma,
}

/// A decoded fence: which one, and its operand register numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fence {
    /// The fence.
    pub kind: FenceKind,
    /// rs1: the address operand; `x0` means "all addresses".
    pub rs1: u8,
    /// rs2: the VMID/ASID operand; `x0` means "all VMIDs/ASIDs". A register
    /// holding 0 is not the same: it names VMID/ASID 0 only.
    pub rs2: u8,
}

/// Decodes a 32-bit instruction word; `None` if it is not one of the fences.
#[must_use]
pub const fn decode_fence(word: u32) -> Option<Fence> {
    const SYSTEM: u32 = 0b111_0011;
    let opcode = word & 0x7f;
    let rd = (word >> 7) & 0x1f;
    let funct3 = (word >> 12) & 0x7;
    if opcode != SYSTEM || rd != 0 || funct3 != 0 {
        return None;
    }
    let kind = match word >> 25 {
        0b000_1001 => FenceKind::SfenceVma,
        0b001_0001 => FenceKind::HfenceVvma,
        0b011_0001 => FenceKind::HfenceGvma,
        _ => return None,
    };
    // Both fields are 5 bits wide: the casts cannot truncate.
    #[allow(clippy::cast_possible_truncation)]
    let (rs1, rs2) = (((word >> 15) & 0x1f) as u8, ((word >> 20) & 0x1f) as u8);
    Some(Fence { kind, rs1, rs2 })
}
