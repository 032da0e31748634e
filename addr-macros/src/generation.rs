//! The `generation = …` option: whose `AddrRange` the `range =` alias names.

/// A generation of the memory_addr crates, as addr-types names its module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Generation {
    /// ax-memory-addr 0.7: the default.
    AxMemoryAddr07,
    /// memory_addr 0.4: the seed era.
    MemoryAddr04,
}

/// `(module, crate as docs name it, generation)`, the first being the default.
const TABLE: &[(&str, &str, Generation)] = &[
    (
        "ax_memory_addr_07",
        "ax-memory-addr 0.7",
        Generation::AxMemoryAddr07,
    ),
    (
        "memory_addr_04",
        "memory_addr 0.4",
        Generation::MemoryAddr04,
    ),
];

impl Generation {
    pub(crate) const DEFAULT: Self = TABLE[0].2;

    fn row(self) -> (&'static str, &'static str, Self) {
        TABLE
            .iter()
            .copied()
            .find(|row| row.2 == self)
            .unwrap_or(TABLE[0])
    }

    /// The addr-types module (and `__private` module) of the generation.
    pub(crate) fn module(self) -> &'static str {
        self.row().0
    }

    /// The crate and version, for docs.
    pub(crate) fn crate_name(self) -> &'static str {
        self.row().1
    }

    pub(crate) fn modules() -> Vec<&'static str> {
        TABLE.iter().map(|row| row.0).collect()
    }

    pub(crate) fn from_module(module: &str) -> Option<Self> {
        TABLE.iter().find(|row| row.0 == module).map(|row| row.2)
    }
}
