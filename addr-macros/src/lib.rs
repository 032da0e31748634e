//! The `#[address]` attribute macro of [addr-types](https://docs.rs/addr-types).
//!
//! Use it through `addr_types::address`; this crate holds only the code
//! generator. Data flows one way: `options` reads the attribute (with the
//! values of `generation` and `translates` in `options::generation` and
//! `options::translates`), `input` the item, `cross_check` keeps the
//! options that agree with the item, `crate_path` finds addr-types (its
//! name in the manifest is `manifest`'s job), `generate` writes the
//! struct, the impls (one file per family) and the range alias, and
//! `fallback` stands in for an item of the wrong shape; `expand` runs the
//! pipeline.

mod crate_path;
mod cross_check;
mod derives;
mod diagnostics;
mod expand;
mod fallback;
#[cfg(test)]
mod fuzz;
mod generate;
#[cfg(test)]
mod golden;
mod input;
mod manifest;
mod options;
mod suggest;

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
/// | `generation = memory_addr_04` | Whose `AddrRange` the `range` alias names: `ax_memory_addr_07` (the default, whatever features are on), `ax_memory_addr_06` or `memory_addr_04`, each with the addr-types feature of its name (`memory-addr-04`…). |
/// | `translates = "guest-physical"` | What the address is the input of (`"guest-physical"`, `"guest-virtual"` or `"host-virtual"`): implements `FlushTlb` and, on riscv64, `SvVirtAddr` with the fence that invalidates those translations. |
/// | `serde` | `Serialize`/`Deserialize` (addr-types' `serde` feature): `"0x…"` strings in human-readable formats, integers in binary ones. |
/// | `crate = ::addr_types` | Where addr-types is, when neither `::addr_types` nor its rename in your `Cargo.toml` (or the workspace's) reaches it, as through a re-export: a module path, or a string holding one. |
///
/// # What the type gets
///
/// - `#[repr(transparent)]` and the derives `Clone`, `Copy`, `Default`,
///   `PartialEq`, `Eq`, `PartialOrd`, `Ord`, `Hash` (those the item does
///   not derive itself, below `#[address]`: see "Attribute order").
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
/// # Attribute order
///
/// rustc runs an item's attributes from the top, and a `#[derive]` above
/// `#[address]` has run before `#[address]` sees the item: the macro
/// cannot tell it is there. Deriving a trait the type gets anyway (`Clone`,
/// `Debug`, …) then fails with `E0119 conflicting implementations of
/// trait`, "first implementation here" on the derive: put `#[address]`
/// above your `#[derive]`s. Below it, a derive of one of the derived traits
/// above is taken as yours (the expansion leaves that one out), and a
/// derive of a trait the expansion implements by hand (`Debug`, `From`, …)
/// is removed with an error that names it.
///
/// # A renamed or re-exported addr-types
///
/// The expansion names `::addr_types`, or, when the crate's `Cargo.toml`
/// depends on addr-types only under another name
/// (`myaddr = { package = "addr-types" }`, also inherited from the
/// workspace root's `[workspace.dependencies]` with `myaddr.workspace =
/// true`), `::myaddr`. Where neither reaches it (a re-export), the build
/// fails with "could not find `addr_types`": write `crate = ::myaddr` (or
/// `crate = "kernel::mm::addr_types"`).
///
/// The expansion makes each manifest it reads an input of the crate's build
/// (an `include_bytes!` of it), so that editing one rebuilds the crate.
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
            .map(|spec| format!("/// | `{}` | {} |", spec.example(), spec.doc))
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
            .map(|spec| format!("| `{}` | {} |", spec.example(), spec.doc))
            .collect();
        assert_eq!(rows, expected);
    }
}
