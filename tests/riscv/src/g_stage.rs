//! What the two G-stage programs (`gstage`, `nested-gstage`) share: host
//! pages that say which one a read reached, the stale and fresh checks, and
//! the check of the one `hfence.gvma` a context-free flush must execute.

use crate::exit_code;
use crate::hypervisor::{read_guest, GuestPageFault};
use crate::trap_log::{self, Trapped};

/// A host page whose first doubleword tells which page a read reached.
#[repr(C, align(4096))]
pub struct HostPage([u64; 512]);

impl HostPage {
    const fn marked(marker: u64) -> Self {
        let mut words = [0; 512];
        words[0] = marker;
        Self(words)
    }

    /// Its host physical address (M- and HS-mode run untranslated).
    #[must_use]
    pub fn paddr(&'static self) -> usize {
        core::ptr::from_ref(self) as usize
    }

    fn marker(&self) -> u64 {
        self.0[0]
    }
}

/// The page a guest page is mapped to first.
pub static P1: HostPage = HostPage::marked(0x1111_1111_1111_1111);
/// The page it is remapped to.
pub static P2: HostPage = HostPage::marked(0x2222_2222_2222_2222);

/// What a read of a guest page must reach: a host page, or nothing (the
/// page is unmapped, the read faults).
#[derive(Clone, Copy)]
pub enum Expected {
    /// The host page.
    Page(&'static HostPage),
    /// A guest-page fault.
    Fault,
}

fn reaches(gpa: usize, expected: Expected) -> Result<bool, u8> {
    match (read_guest(gpa), expected) {
        (Ok(value), Expected::Page(page)) => Ok(value == page.marker()),
        (Err(GuestPageFault), Expected::Fault) => Ok(true),
        (Ok(_), Expected::Fault) => Ok(false),
        // A mapping that should be there is gone: report the fault itself.
        (Err(GuestPageFault), Expected::Page(_)) => Err(exit_code::LOAD_GUEST_PAGE_FAULT),
    }
}

/// The first read of a freshly mapped guest page must reach `page`.
///
/// # Errors
///
/// [`exit_code::MAPPING_NOT_VISIBLE`].
pub fn expect_mapped(gpa: usize, page: &'static HostPage) -> Result<(), u8> {
    match reaches(gpa, Expected::Page(page)) {
        Ok(true) => Ok(()),
        _ => Err(exit_code::MAPPING_NOT_VISIBLE),
    }
}

/// Before a flush, the read must still reach the old translation: otherwise
/// the harness could not tell a working flush from a missing one.
///
/// # Errors
///
/// [`exit_code::STALENESS_INVISIBLE`], or the fault's code.
pub fn expect_stale(gpa: usize, old: Expected) -> Result<(), u8> {
    if reaches(gpa, old)? {
        Ok(())
    } else {
        Err(exit_code::STALENESS_INVISIBLE)
    }
}

/// After a flush, the read must reach the new translation.
///
/// # Errors
///
/// [`exit_code::STALE_AFTER_FLUSH`], or the fault's code.
pub fn expect_fresh(gpa: usize, new: Expected) -> Result<(), u8> {
    if reaches(gpa, new)? {
        Ok(())
    } else {
        Err(exit_code::STALE_AFTER_FLUSH)
    }
}

/// Exactly one `hfence.gvma` trapped since the log was cleared, for all
/// VMIDs (rs2 = `x0`: the context-free flush), and for `gpa` (rs1 = a
/// register holding `gpa >> 2`) or, with `None`, for all guest physical
/// addresses (rs1 = `x0`; a register holding 0 would flush guest physical
/// address 0 only).
///
/// # Errors
///
/// [`exit_code::NO_HFENCE_GVMA`], [`exit_code::EXTRA_HFENCE_GVMA`],
/// [`exit_code::WRONG_RS1`] or [`exit_code::WRONG_RS2`].
pub fn check_one_gvma(gpa: Option<usize>) -> Result<(), u8> {
    let (rs1, rs1_value, rs2) = match (trap_log::len(), trap_log::get(0)) {
        (0, _) => return Err(exit_code::NO_HFENCE_GVMA),
        (
            1,
            Some(Trapped::HfenceGvma {
                rs1,
                rs1_value,
                rs2,
                ..
            }),
        ) => (rs1, rs1_value, rs2),
        _ => return Err(exit_code::EXTRA_HFENCE_GVMA),
    };
    let rs1_ok = match gpa {
        Some(gpa) => rs1 != 0 && rs1_value == gpa >> 2,
        None => rs1 == 0,
    };
    if !rs1_ok {
        return Err(exit_code::WRONG_RS1);
    }
    if rs2 != 0 {
        return Err(exit_code::WRONG_RS2);
    }
    Ok(())
}
