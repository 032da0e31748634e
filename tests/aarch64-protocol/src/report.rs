//! The `stage2` program's suites and report.
//!
//! QEMU passes `-append "<argument>"` to the program, which reads it through
//! semihosting (`SYS_GET_CMDLINE`): one build runs every suite and control.
//! The program prints one `key: value` line per case on the semihosting
//! console (QEMU's standard error), in order; the host test compares the
//! lines with its expected table.

/// What one run of the `stage2` program does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Suite {
    /// The page-table-generic stage-2 table, changed through its own
    /// `map`/`remap_page`/`unmap_page`, with this flush hook:
    /// [`HOOK_CASES`].
    Hook(Hook),
    /// `VmContext`'s flushes, with the VM loaded and with another VM loaded:
    /// [`PER_VM_CASES`].
    PerVm,
    /// A stand-in for a per-VM flush that leaves `VTTBR_EL2` switched: the
    /// run must end with [`VTTBR_NOT_RESTORED`](crate::exit_code::VTTBR_NOT_RESTORED).
    ControlNoVttbrRestore,
    /// A stand-in for a per-VM flush that leaves IRQ and FIQ masked: the run
    /// must end with [`DAIF_NOT_RESTORED`](crate::exit_code::DAIF_NOT_RESTORED).
    ControlNoDaifRestore,
    /// `VmContext`'s range flushes: [`RANGE_TLBI`], then [`RANGE_CASES`].
    Ranges,
}

/// A stage-2 table's `TableMeta::flush` body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Hook {
    /// The README's line: `GuestPhysAddr::flush_tlb_from(vaddr)`.
    AddrTypes,
    /// The body of axvm's `A64HVPagingMetaDataL3::flush` in the tgoskits
    /// tree (in-tree axvm and page-table-generic 0.7, July 2026):
    /// `tlbi vae2is, <raw GPA>; dsb sy; isb` / `tlbi alle2is; dsb sy; isb`
    /// (EL2's own regime).
    Axvm,
    /// The body of the same hook in axvm 0.8.0–0.8.5 on crates.io
    /// (page-table-generic 0.9): `dsb ishst; tlbi alle1is; dsb ish; isb`
    /// for both forms (ax-cpu's
    /// `invalidate_guest_translations_inner_shareable`): every VMID's EL1&0
    /// entries, whatever changed.
    AxvmCrate,
    /// Nothing.
    NoFlush,
    /// `ipas2e1is` with the IPA itself in Xt, then `vmalle1is`.
    Unshifted,
    /// `vmalle1is` only: no stage-2 invalidation.
    Vmalle1isOnly,
    /// `ipas2e1is, ipa >> 12` only: the combined entries stay.
    Ipas2e1isOnly,
}

impl Hook {
    /// Every hook, the production one first.
    pub const ALL: [Self; 7] = [
        Self::AddrTypes,
        Self::Axvm,
        Self::AxvmCrate,
        Self::NoFlush,
        Self::Unshifted,
        Self::Vmalle1isOnly,
        Self::Ipas2e1isOnly,
    ];

    /// Its name on the command line (`hook=<name>`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::AddrTypes => "addr-types",
            Self::Axvm => "axvm",
            Self::AxvmCrate => "axvm-crate",
            Self::NoFlush => "no-flush",
            Self::Unshifted => "unshifted",
            Self::Vmalle1isOnly => "vmalle1is-only",
            Self::Ipas2e1isOnly => "ipas2e1is-only",
        }
    }
}

impl Suite {
    /// The command-line word that selects this suite.
    #[must_use]
    pub const fn argument(self) -> &'static str {
        match self {
            Self::Hook(Hook::AddrTypes) => "hook=addr-types",
            Self::Hook(Hook::Axvm) => "hook=axvm",
            Self::Hook(Hook::AxvmCrate) => "hook=axvm-crate",
            Self::Hook(Hook::NoFlush) => "hook=no-flush",
            Self::Hook(Hook::Unshifted) => "hook=unshifted",
            Self::Hook(Hook::Vmalle1isOnly) => "hook=vmalle1is-only",
            Self::Hook(Hook::Ipas2e1isOnly) => "hook=ipas2e1is-only",
            Self::PerVm => "per-vm",
            Self::ControlNoVttbrRestore => "control=no-vttbr-restore",
            Self::ControlNoDaifRestore => "control=no-daif-restore",
            Self::Ranges => "ranges",
        }
    }

    /// The suite a command line names: its last word (QEMU puts the kernel's
    /// path first), as [`Self::argument`] spells it.
    #[must_use]
    pub fn parse(command_line: &str) -> Option<Self> {
        let word = command_line.split_ascii_whitespace().next_back()?;
        let mut suites = Hook::ALL.map(Self::Hook).into_iter().chain([
            Self::PerVm,
            Self::ControlNoVttbrRestore,
            Self::ControlNoDaifRestore,
            Self::Ranges,
        ]);
        suites.find(|suite| suite.argument() == word)
    }
}

/// A case's value when the read after its flush returned the new mapping
/// (or, after an unmap, faulted).
pub const FRESH: &str = "fresh";
/// A case's value when the read after its flush still returned the old
/// mapping.
pub const STALE: &str = "STALE";

/// [`Suite::Hook`]'s cases, in order. Mode A: EL1's MMU off, the read's VA
/// is the IPA whose stage-2 leaf changed. Mode B: EL1's MMU on, the IPA
/// whose leaf changed holds the guest's stage-1 table. "remap" is
/// `remap_page` (the crate calls the hook with the IPA), "unmap" is
/// `unmap_page` (likewise; fresh means the read faults), "all" is the
/// hook's `None`.
pub const HOOK_CASES: [&str; 6] = ["A remap", "A unmap", "A all", "B remap", "B unmap", "B all"];

/// [`Suite::PerVm`]'s cases, in order, all in mode B: each flush of VM 1's
/// context while VM 1 is loaded, then a guest-physical one while VM 2 is
/// loaded (after which every per-VM flush is also run for VM 1 with VM 2
/// loaded, each checked to restore `VTTBR_EL2` and `DAIF`).
pub const PER_VM_CASES: [&str; 5] = [
    "gpa one",
    "gpa all",
    "gva one",
    "gva all",
    "gpa one, other VM loaded",
];

/// [`Suite::PerVm`]'s last line: every flush of the suite, with either VM
/// loaded, left `VTTBR_EL2` and `DAIF` as it found them (a run where one
/// did not ends early instead).
pub const RESTORED: &str = "VTTBR_EL2 and DAIF after each flush";
/// [`RESTORED`]'s value.
pub const RESTORED_VALUE: &str = "restored";

/// [`Suite::Ranges`]' first line: whether the library's range flush uses
/// range TLBIs on this CPU ([`USED`] or [`NOT_AVAILABLE`]).
pub const RANGE_TLBI: &str = "range TLBI";
/// [`RANGE_TLBI`]'s value on a CPU with FEAT_TLBIRANGE.
pub const USED: &str = "used";
/// [`RANGE_TLBI`]'s value on a CPU without it.
pub const NOT_AVAILABLE: &str = "not available";

/// [`Suite::Ranges`]' cases, in order, all in mode B with VM 1 loaded. The
/// guest-physical ranges change the stage-2 leaves of consecutive IPAs that
/// hold stage-1 tables; the guest-virtual ones change consecutive stage-1
/// entries. "one page short" changes two pages and flushes the first only:
/// it must read stale.
pub const RANGE_CASES: [&str; 7] = [
    "gpa 2 pages",
    "gpa 3 pages",
    "gpa 600 pages",
    "gpa one page short",
    "gva 3 pages",
    "gva 600 pages",
    "gva one page short",
];
