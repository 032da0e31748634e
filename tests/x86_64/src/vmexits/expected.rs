//! The words of a case: what the code under test ran (an [`Executed`], as a
//! VM exit tells it), what it must run ([`Expect`], [`Step`]), what the
//! EPT must hold when it does ([`EptState`]), which VMfail the harness
//! makes an instruction report ([`Injection`]), and what the code under
//! test must return.

use core::fmt;

use addr_types::arch::x86_64::VmFail;

/// An invalidation the code under test executed, as its VM exit tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Executed {
    Invept { ty: u64, descriptor: [u64; 2] },
    Invvpid { ty: u64, descriptor: [u64; 2] },
    Invlpg { address: u64 },
    MovToCr3,
}

impl fmt::Display for Executed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invept {
                ty,
                descriptor: [low, high],
            } => {
                write!(f, "INVEPT type {ty} descriptor [{low:#x}, {high:#x}]")
            }
            Self::Invvpid {
                ty,
                descriptor: [low, high],
            } => {
                write!(f, "INVVPID type {ty} descriptor [{low:#x}, {high:#x}]")
            }
            Self::Invlpg { address } => write!(f, "INVLPG {address:#x}"),
            Self::MovToCr3 => write!(f, "MOV to CR3"),
        }
    }
}

/// All-context INVEPT, what `GuestPhysAddr`'s `FlushTlb` runs.
pub const ALL_EPT: Executed = Executed::Invept {
    ty: 2,
    descriptor: [0, 0],
};
/// All-context INVVPID, what `GuestVirtAddr`'s `FlushTlb` runs.
pub const ALL_VPID: Executed = Executed::Invvpid {
    ty: 2,
    descriptor: [0, 0],
};

/// What a guest physical address of the inner hypervisor's EPT maps to when
/// an exit happens: the change the flush follows is already made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EptState {
    pub gpa: u64,
    /// The host physical address, `None` for unmapped.
    pub maps_to: Option<u64>,
}

/// One expected exit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub executed: Executed,
    /// Checked when the exit happens.
    pub ept: Option<EptState>,
}

impl Step {
    pub const fn exit(executed: Executed) -> Self {
        Self {
            executed,
            ept: None,
        }
    }

    /// `executed`, once the EPT maps `gpa` to `maps_to`.
    pub const fn after(executed: Executed, gpa: u64, maps_to: Option<u64>) -> Self {
        Self {
            executed,
            ept: Some(EptState { gpa, maps_to }),
        }
    }
}

/// The exits a case must cause, in order, and no others.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    Exits(&'static [Step]),
    /// `count` individual-address INVVPIDs of `vpid`, from `first`, one 4
    /// KiB page apart.
    InvvpidPages {
        vpid: u16,
        first: u64,
        count: usize,
    },
}

impl Expect {
    pub const fn len(&self) -> usize {
        match self {
            Self::Exits(steps) => steps.len(),
            Self::InvvpidPages { count, .. } => *count,
        }
    }

    /// The `index`th exit, if there is one.
    pub fn step(&self, index: usize) -> Option<Step> {
        match *self {
            Self::Exits(steps) => steps.get(index).copied(),
            Self::InvvpidPages { vpid, first, count } => (index < count).then(|| {
                Step::exit(Executed::Invvpid {
                    ty: 0,
                    descriptor: [u64::from(vpid), first + 0x1000 * index as u64],
                })
            }),
        }
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Exits([]) => f.write_str("nothing"),
            Self::Exits(steps) => {
                for (i, step) in steps.iter().enumerate() {
                    let separator = if i == 0 { "" } else { "; " };
                    write!(f, "{separator}{}", step.executed)?;
                }
                Ok(())
            }
            Self::InvvpidPages { count, .. } => {
                let (first, last) = (self.step(0), self.step(count - 1));
                let (Some(first), Some(last)) = (first, last) else {
                    return f.write_str("nothing");
                };
                write!(
                    f,
                    "{}; …; {} ({count} exits, one per page)",
                    first.executed, last.executed
                )
            }
        }
    }
}

/// Makes the `at`th exit of a case report `fail`, as the CPU does (CF for
/// VMfailInvalid, ZF for VMfailValid).
#[derive(Clone, Copy, Debug)]
pub struct Injection {
    pub at: usize,
    pub fail: VmFail,
}

/// What a case's code under test returned: `None` when it returns nothing.
pub struct Returned(pub Option<Result<(), VmFail>>);

impl fmt::Display for Returned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("nothing"),
            Some(Ok(())) => f.write_str("Ok"),
            Some(Err(VmFail::Invalid)) => f.write_str("Err(VmFail::Invalid)"),
            Some(Err(VmFail::Valid)) => f.write_str("Err(VmFail::Valid)"),
        }
    }
}

/// One case: code run in VMX non-root operation, and what it must do.
pub struct Case {
    pub name: &'static str,
    /// The code under test; what it returns, if it returns a result.
    pub run: fn() -> Option<Result<(), VmFail>>,
    pub expect: Expect,
    pub returns: Option<Result<(), VmFail>>,
    pub inject: Option<Injection>,
}

impl Case {
    /// A case whose code returns nothing (a `FlushTlb`).
    pub const fn new(
        name: &'static str,
        run: fn() -> Option<Result<(), VmFail>>,
        expect: Expect,
    ) -> Self {
        Self {
            name,
            run,
            expect,
            returns: None,
            inject: None,
        }
    }

    /// The code must return `returns`.
    pub const fn returning(self, returns: Result<(), VmFail>) -> Self {
        Self {
            returns: Some(returns),
            ..self
        }
    }

    /// The `at`th exit reports `fail`; the code must return it.
    pub const fn failing_at(self, at: usize, fail: VmFail) -> Self {
        Self {
            inject: Some(Injection { at, fail }),
            returns: Some(Err(fail)),
            ..self
        }
    }
}
