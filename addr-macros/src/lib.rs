//! The `#[address]` attribute macro of [addr-types](https://docs.rs/addr-types).
//!
//! Use it through `addr_types::address`; this crate holds only the code
//! generator. Data flows one way: `options` and `input` read the attribute
//! and the item, `valid` checks them together, `generate` writes the impls,
//! and `fallback` stands in for an item of the wrong shape; `expand` runs
//! the pipeline.

mod derives;
mod diagnostics;
mod expand;
mod fallback;
#[cfg(test)]
mod fuzz;
mod generate;
mod generation;
#[cfg(test)]
mod golden;
mod input;
mod kind;
mod krate;
mod options;
mod suggest;
mod valid;

/// Turns `struct Name(usize);` into a strongly typed memory address.
///
/// ```rust,ignore
/// use addr_types::address;
///
/// #[address(prefix = "GPA", range = GuestPhysAddrRange, translates = "guest-physical", serde)]
/// pub struct GuestPhysAddr(usize);
/// ```
///
/// # Options
///
/// All are optional, each given at most once, in any order.
///
/// | Option | Meaning |
/// |---|---|
/// | `prefix = "GPA"` | Printed before `:0x…` by `Debug`, `LowerHex` and `UpperHex`. Default: the type's name. |
/// | `range = GuestPhysAddrRange` | Also emits `type GuestPhysAddrRange = AddrRange<Self>;`, with the type's visibility. |
/// | `generation = memory_addr_04` | Whose `AddrRange` the `range` alias names: `ax_memory_addr_07` (default) or `memory_addr_04` (feature `memory-addr-04`). |
/// | `translates = "guest-physical"` | What the address is the input of (`"guest-physical"`, `"guest-virtual"` or `"host-virtual"`): implements `FlushTlb` and, on riscv64, `SvVirtAddr` with the fence that invalidates those translations. |
/// | `serde` | `Serialize`/`Deserialize` (addr-types' `serde` feature): `"0x…"` strings in human-readable formats, integers in binary ones. |
/// | `crate = ::addr_types` | Where addr-types is, when neither `::addr_types` nor its rename in your `Cargo.toml` reaches it (a re-export, a rename inherited from the workspace): a path, or a string holding one. |
///
/// The retired `riscv_fence = "hfence.gvma"` is an error that names the
/// `translates` value to write instead.
///
/// # What the type gets
///
/// - `#[repr(transparent)]` and the derives `Clone`, `Copy`, `Default`,
///   `PartialEq`, `Eq`, `PartialOrd`, `Ord`, `Hash` (those the item does
///   not derive itself).
/// - `const fn`s: `from_usize`, `as_usize`, `as_u64`, `align_down_4k`,
///   `align_up_4k`, `align_offset_4k`, `is_aligned_4k`, and `MemoryAddr`'s
///   `add`, `sub`, `sub_addr` and their `checked_`/`wrapping_` forms, with
///   `MemoryAddr`'s signatures and semantics (an inherent method wins over
///   the trait's at every call site, so they differ in nothing but
///   constness).
/// - `From<usize>` and `From<Self> for usize`, so memory_addr's `MemoryAddr`
///   (every generation's) applies; `TryFrom<u64>`; `FromStr` (`0x`-hex or
///   decimal, `_` allowed, error `addr_types::ParseAddrError`). There is no
///   `From<Self> for u64`: a second `Into` target would break `.into()`
///   calls whose target is inferred; `as_u64` is lossless instead.
/// - `+`/`-` with `usize`, `+=`/`-=`, and `Self - Self` → `usize`.
/// - `Display` as `0x80201000`, `Debug` and `LowerHex` as `GPA:0x80201000`,
///   `UpperHex` as `GPA:0x80201ABC`. Width, fill and alignment apply to the
///   whole text as for a `str` (`{:>14}` → `"        0x1000"`); the `0`
///   flag pads the digits after `0x` as `{:#010x}` does on an integer
///   (`{:014?}` → `"GPA:0x00001000"`); `#`, `+` and precision change
///   nothing, so `{:#?}` keeps an address on one line.
///
/// # A renamed or re-exported addr-types
///
/// The expansion names `::addr_types`, or, when the crate's `Cargo.toml`
/// depends on addr-types only under another name
/// (`myaddr = { package = "addr-types" }`), `::myaddr`. Where neither
/// reaches it (a rename inherited from the workspace, a re-export), the
/// build fails with "could not find `addr_types`": write `crate = ::myaddr`
/// (or `crate = "kernel::mm::addr_types"`).
#[proc_macro_attribute]
pub fn address(
    attr: proc_macro::TokenStream,
    item: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand::address(attr.into(), item.into()).into()
}

#[cfg(test)]
mod tests {
    use crate::options::OPTIONS;

    /// The attribute reference above is the options table, row for row.
    #[test]
    fn the_attribute_reference_lists_every_option() {
        let source = include_str!("lib.rs");
        let rows: Vec<&str> = source
            .lines()
            .filter(|line| line.starts_with("/// | `"))
            .collect();
        let expected: Vec<String> = OPTIONS
            .iter()
            .filter_map(|spec| {
                spec.doc
                    .map(|doc| format!("/// | `{}` | {doc} |", spec.example))
            })
            .collect();
        assert_eq!(rows, expected);
    }

    /// The README's attribute section shows the same table, so users of
    /// the docs.rs front page and of an IDE hover read one text.
    #[test]
    fn the_readme_shows_the_same_reference() {
        let readme = include_str!("../../README.md");
        let section = readme
            .split("\n## ")
            .find(|section| section.starts_with("The `#[address]` attribute"))
            .expect("the README has an attribute section");
        let rows: Vec<&str> = section
            .lines()
            .filter(|line| line.starts_with("| `"))
            .collect();
        let expected: Vec<String> = OPTIONS
            .iter()
            .filter_map(|spec| {
                spec.doc
                    .map(|doc| format!("| `{}` | {doc} |", spec.example))
            })
            .collect();
        assert_eq!(rows, expected);
    }
}
