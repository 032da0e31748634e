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

/// The length in bytes of the instruction whose first halfword is `low`: 4
/// when its two low bits are `11`, else 2 (a compressed instruction). The
/// programs use no longer encodings.
#[must_use]
pub const fn instruction_length(low: u16) -> usize {
    if low & 0b11 == 0b11 {
        4
    } else {
        2
    }
}

/// The CSR number of `hgatp`.
pub const HGATP: u16 = 0x680;
/// The CSR number of `sstatus`.
pub const SSTATUS: u16 = 0x100;

/// What a CSR instruction does with the CSR's old value and its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsrOp {
    /// `csrrw`/`csrrwi`: writes the source.
    Write,
    /// `csrrs`/`csrrsi`: sets the source's bits (no write if it is `x0`/0).
    Set,
    /// `csrrc`/`csrrci`: clears the source's bits (no write if it is
    /// `x0`/0).
    Clear,
}

/// Where a CSR instruction's source comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsrSource {
    /// A register (`csrrw`, `csrrs`, `csrrc`): its number.
    Register(u8),
    /// A 5-bit immediate (`csrrwi`, `csrrsi`, `csrrci`).
    Immediate(u8),
}

/// A decoded Zicsr instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsrAccess {
    /// What it does.
    pub op: CsrOp,
    /// The CSR number.
    pub csr: u16,
    /// The register that receives the old value; `x0` for none.
    pub rd: u8,
    /// The source operand.
    pub source: CsrSource,
}

impl CsrAccess {
    /// Whether it writes the CSR: `csrrw` always, the set and clear forms
    /// only with a nonzero source operand field.
    #[must_use]
    pub const fn writes(&self) -> bool {
        match (self.op, self.source) {
            (CsrOp::Write, _) => true,
            (_, CsrSource::Register(field) | CsrSource::Immediate(field)) => field != 0,
        }
    }
}

/// Decodes a 32-bit Zicsr instruction; `None` for anything else.
#[must_use]
pub const fn decode_csr(word: u32) -> Option<CsrAccess> {
    const SYSTEM: u32 = 0b111_0011;
    if word & 0x7f != SYSTEM {
        return None;
    }
    // Each field is at most 12 bits wide: the casts cannot truncate.
    #[allow(clippy::cast_possible_truncation)]
    let (rd, field, csr) = (
        ((word >> 7) & 0x1f) as u8,
        ((word >> 15) & 0x1f) as u8,
        (word >> 20) as u16,
    );
    let (op, source) = match (word >> 12) & 0x7 {
        0b001 => (CsrOp::Write, CsrSource::Register(field)),
        0b010 => (CsrOp::Set, CsrSource::Register(field)),
        0b011 => (CsrOp::Clear, CsrSource::Register(field)),
        0b101 => (CsrOp::Write, CsrSource::Immediate(field)),
        0b110 => (CsrOp::Set, CsrSource::Immediate(field)),
        0b111 => (CsrOp::Clear, CsrSource::Immediate(field)),
        _ => return None,
    };
    Some(CsrAccess {
        op,
        csr,
        rd,
        source,
    })
}

/// The destination register of an `hlv.d` (`0110110 00000 rs1 100 rd
/// 1110011`), or `None` if `word` is not one.
#[must_use]
pub const fn decode_hlv_d(word: u32) -> Option<u8> {
    // funct7, rs2, funct3 and opcode; rs1 and rd are free.
    const HLV_D: u32 = 0x6c00_4073;
    const MASK: u32 = 0xfff0_707f;
    if word & MASK != HLV_D {
        return None;
    }
    // 5 bits: the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation)]
    Some(((word >> 7) & 0x1f) as u8)
}
