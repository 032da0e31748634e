//! The values of `generation = …`: whose `AddrRange` the `range =` alias
//! names, by the addr-types module and feature of each generation of the
//! memory_addr crates.

super::value_enum! {
    /// A generation of the memory_addr crates, as addr-types names its
    /// module.
    Generation { AxMemoryAddr07, AxMemoryAddr06, MemoryAddr04 }
}

/// Everything one generation is called.
pub(crate) struct GenerationNames {
    /// Its module in addr-types (and in `addr_types::__private`), which is
    /// also the value of `generation = …`.
    pub module: &'static str,
    /// The addr-types feature that builds it.
    pub feature: &'static str,
    /// Its memory_addr crate and version, for docs and messages.
    pub crate_name: &'static str,
}

impl Generation {
    /// The generation of a `range` alias without `generation = …`: always
    /// this one, whatever features are on, so that a crate's alias never
    /// changes meaning when another crate of the build enables a feature.
    /// addr-types' `default` feature and top-level names are this
    /// generation's; a test below reads both.
    pub(crate) const DEFAULT: Self = Self::AxMemoryAddr07;

    pub(crate) const fn names(self) -> GenerationNames {
        match self {
            Self::AxMemoryAddr07 => GenerationNames {
                module: "ax_memory_addr_07",
                feature: "ax-memory-addr-07",
                crate_name: "ax-memory-addr 0.7",
            },
            Self::AxMemoryAddr06 => GenerationNames {
                module: "ax_memory_addr_06",
                feature: "ax-memory-addr-06",
                crate_name: "ax-memory-addr 0.6",
            },
            Self::MemoryAddr04 => GenerationNames {
                module: "memory_addr_04",
                feature: "memory-addr-04",
                crate_name: "memory_addr 0.4",
            },
        }
    }

    pub(crate) fn modules() -> Vec<&'static str> {
        Self::ALL
            .iter()
            .map(|generation| generation.names().module)
            .collect()
    }

    pub(crate) fn from_module(module: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|generation| generation.names().module == module)
    }
}

#[cfg(test)]
mod tests {
    use super::Generation;

    #[test]
    fn every_module_round_trips_and_names_its_feature() {
        for &generation in Generation::ALL {
            let names = generation.names();
            assert_eq!(Generation::from_module(names.module), Some(generation));
            assert_eq!(names.module.replace('_', "-"), names.feature);
        }
    }

    /// addr-types' `default` feature is exactly the default generation's,
    /// and its top-level names are re-exported from that generation's
    /// module, under that feature.
    #[test]
    fn addr_types_defaults_to_the_same_generation() {
        let names = Generation::DEFAULT.names();
        let manifest = include_str!("../../../addr-types/Cargo.toml");
        let default = manifest
            .lines()
            .find_map(|line| line.strip_prefix("default = "))
            .expect("addr-types' Cargo.toml has a `default` feature");
        assert_eq!(default, format!("[\"{}\"]", names.feature));

        let lib = include_str!("../../../addr-types/src/lib.rs");
        let alias = format!("pub use {} as default_generation;", names.module);
        assert!(
            lib.contains(&alias),
            "addr-types' lib.rs names its default generation with\n{alias}"
        );
        // No other generation's names at the top level.
        for &other in Generation::ALL {
            if other != Generation::DEFAULT {
                let module = other.names().module;
                assert!(!lib.contains(&format!("pub use {module}::{{")), "{module}");
                assert!(
                    !lib.contains(&format!("pub use crate::{module}::prelude")),
                    "{module}"
                );
            }
        }
    }
}
