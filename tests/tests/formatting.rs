//! Formatting of `#[address]` types: `Debug`, `LowerHex` and `UpperHex`
//! print memory_addr's `def_usize_addr_formatter!` text byte for byte, and
//! `Display` the bare `0x…` number of `{:#x}` on a `usize`.
//!
//! Unlike memory_addr's (which writes through `write_fmt` and drops them),
//! width, fill and alignment apply to the whole text as they do to a `str`;
//! the `0` flag pads the digits after `0x` as `{:#0Nx}` does on an integer;
//! `#`, `+` and precision change nothing. Every other flag combination is
//! checked against memory_addr's own output.
//!
//! `HexAddr` prints any address, the host aliases of every generation
//! included, byte for byte as the guest types print theirs.

mod support {
    pub mod inputs;
}

use std::fmt;

use addr_types::{address, gpa, gva, hpa, AddrRange, GuestPhysAddr, GuestVirtAddr, HexAddr};
use memory_addr::VirtAddr;
use proptest::prelude::*;
use support::inputs::{any_address, EDGES};

/// memory_addr's `VirtAddr` remade by `#[address]`.
#[address(prefix = "VA", range = MacroVirtAddrRange)]
pub struct MacroVirtAddr(usize);

/// Without `prefix`, the type's own name.
#[address]
pub struct PlainAddr(usize);

/// The prefix is printed as text, never interpreted as a format string.
#[address(prefix = "{}:{:x}")]
pub struct BracesAddr(usize);

/// A raw identifier's name is the identifier without `r#`, as
/// `std::any::type_name` has it.
#[address]
#[allow(non_camel_case_types)]
pub struct r#async(usize);

/// How an address sits inside a user's own `#[derive(Debug)]` struct.
#[derive(Debug)]
#[allow(dead_code)] // Read only by `Debug`.
struct Mapping<A> {
    start: A,
    pages: usize,
}

/// `format!` of `$value` with each format string, as `(format string,
/// output)` pairs. A macro because a format string must be a literal.
macro_rules! format_each {
    ($value:expr, [$($spec:literal),* $(,)?]) => {{
        let value = $value;
        vec![$(($spec, format!($spec, value))),*]
    }};
}

type Outputs = Vec<(&'static str, String)>;

/// One address with every format string that pads nothing, alone and
/// inside `Option`, a tuple and a user's struct: memory_addr's output.
fn format_all<A: fmt::Debug + fmt::LowerHex + fmt::UpperHex + Copy>(addr: A) -> Outputs {
    let mut outputs = format_each!(
        addr,
        [
            "{:?}",
            "{:x}",
            "{:X}",
            "{:#?}",
            "{:#x}",
            "{:#X}",
            "{:+?}",
            "{:.3?}",
            "{:.0x}",
            "{:x?}",
            "{:X?}",
            "{:#x?}",
            "{:5?}",
            "{:<3x}",
            "{0:?} {0:x} {0:X}",
        ]
    );
    outputs.extend(format_each!(Some(addr), ["{:?}", "{:#?}"]));
    outputs.extend(format_each!((addr, addr), ["{:?}", "{:#?}"]));
    outputs.extend(format_each!(
        Mapping {
            start: addr,
            pages: 2
        },
        ["{:?}", "{:#?}"]
    ));
    outputs
}

/// A range, whose formatting memory_addr implements once for every
/// `AddrRange<A>` on top of `A`'s.
fn format_range<R: fmt::Debug + fmt::LowerHex + fmt::UpperHex>(range: R) -> Outputs {
    format_each!(range, ["{:?}", "{:x}", "{:X}", "{:#?}", "{:>50?}", "{:#x}"])
}

/// `VirtAddr`'s output with its `VA:` prefixes replaced: what a type with
/// another prefix must print.
fn with_prefix(outputs: Outputs, prefix: &str) -> Outputs {
    outputs
        .into_iter()
        .map(|(spec, output)| (spec, output.replace("VA:", &format!("{prefix}:"))))
        .collect()
}

/// `{:?}` `{:x}` `{:X}` and `{}` of one address with width, fill, alignment
/// and the `0` flag: what `str` (or `{:#0Nx}` on the integer) prints.
fn check_padding<A>(addr: A, prefix: &str, x: usize)
where
    A: fmt::Display + fmt::Debug + fmt::LowerHex + fmt::UpperHex + Copy,
{
    let lower = format!("{prefix}:{x:#x}");
    let upper = format!("{prefix}:{x:#X}");
    let cases = [
        (format!("{addr:>30?}"), format!("{lower:>30}")),
        (format!("{addr:30?}"), format!("{lower:30}")),
        (format!("{addr:<30x}"), format!("{lower:<30}")),
        (format!("{addr:^30X}"), format!("{upper:^30}")),
        (format!("{addr:*^41?}"), format!("{lower:*^41}")),
        (format!("{addr:-<29x}"), format!("{lower:-<29}")),
        (format!("{addr:#>30X}"), format!("{upper:#>30}")),
        (format!("{addr:>#30X}"), format!("{upper:>30}")),
        (format!("{addr:>+30?}"), format!("{lower:>30}")),
        (format!("{addr:>30.2?}"), format!("{lower:>30}")),
        (format!("{addr:>3?}"), lower.clone()),
        (format!("{addr}"), format!("{x:#x}")),
        (format!("{addr:>30}"), format!("{:>30}", format!("{x:#x}"))),
        (
            format!("{addr:_^31}"),
            format!("{:_^31}", format!("{x:#x}")),
        ),
        (format!("{addr:030}"), format!("{x:#030x}")),
        (format!("{addr:#030}"), format!("{x:#030x}")),
        (format!("{addr:<030}"), format!("{x:#030x}")),
        (format!("{addr:03}"), format!("{x:#03x}")),
    ];
    for (actual, expected) in cases {
        assert_eq!(actual, expected, "{prefix} {x:#x}");
    }
    // The `0` flag pads the digits after `0x` to the width of the whole
    // text, prefix included.
    let width = 40;
    let digits = width - prefix.chars().count() - 1;
    assert_eq!(format!("{addr:040?}"), format!("{prefix}:{x:#0digits$x}"));
    assert_eq!(format!("{addr:#040x}"), format!("{prefix}:{x:#0digits$x}"));
    assert_eq!(format!("{addr:040X}"), format!("{prefix}:{x:#0digits$X}"));
    assert_eq!(
        format!("{addr:040X}").chars().count(),
        width.max(upper.chars().count())
    );
}

/// Every format string of the guest types' contract: the unpadded ones,
/// width, fill, alignment, the `0` flag and the ignored flags, on each of
/// `Display`, `Debug`, `LowerHex` and `UpperHex`.
fn format_every<A>(addr: A) -> Outputs
where
    A: fmt::Display + fmt::Debug + fmt::LowerHex + fmt::UpperHex + Copy,
{
    let mut outputs = format_each!(
        addr,
        [
            "{}",
            "{:?}",
            "{:x}",
            "{:X}",
            "{:#?}",
            "{:#x}",
            "{:+?}",
            "{:.3?}",
            "{:x?}",
            "{:>30}",
            "{:<30}",
            "{:^31}",
            "{:*^41?}",
            "{:-<29x}",
            "{:#>30X}",
            "{:>+30?}",
            "{:>30.2?}",
            "{:>3?}",
            "{:030}",
            "{:#030}",
            "{:<030}",
            "{:03}",
            "{:040?}",
            "{:#040x}",
            "{:040X}",
            "{:_^31}",
            "{0} {0:?} {0:x} {0:X}",
        ]
    );
    outputs.extend(format_each!(Some(addr), ["{:?}", "{:#?}"]));
    outputs
}

/// `HexAddr` against a guest type's own formatting, and every
/// generation's host aliases through it.
fn check_hex_addr(x: usize) {
    let guest = format_every(GuestPhysAddr::from(x));
    assert_eq!(format_every(HexAddr::new(x).with_prefix("GPA")), guest);
    assert_eq!(
        format_every(HexAddr::new(MacroVirtAddr::from(x)).with_prefix("VA")),
        format_every(MacroVirtAddr::from(x))
    );
    // No prefix: `{:?}`, `{:x}` and `{:X}` print what the guest types'
    // `Display` prints, digits in upper case for `{:X}`.
    let (bare, display) = (HexAddr::new(x), GuestPhysAddr::from(x));
    let upper = |text: String| text.to_uppercase().replace("0X", "0x");
    for (actual, expected) in [
        (format!("{bare:?}"), format!("{display}")),
        (format!("{bare:>30x}"), format!("{display:>30}")),
        (format!("{bare:*^41?}"), format!("{display:*^41}")),
        (format!("{bare:-<29x}"), format!("{display:-<29}")),
        (format!("{bare:040?}"), format!("{display:040}")),
        (format!("{bare:#>30X}"), upper(format!("{display:#>30}"))),
        (format!("{bare:040X}"), upper(format!("{display:040}"))),
        (format!("{bare:X}"), upper(format!("{display}"))),
    ] {
        assert_eq!(actual, expected, "{x:#x}");
    }
    let bare = format_every(bare);
    for host in [
        HexAddr::new(hpa!(x)),
        HexAddr::new(hpa!(ax_memory_addr_06; x)),
        HexAddr::new(hpa!(memory_addr_04; x)),
        HexAddr::new(addr_types::hva!(x)),
        HexAddr::new(addr_types::hva!(ax_memory_addr_06; x)),
        HexAddr::new(addr_types::hva!(memory_addr_04; x)),
    ] {
        assert_eq!(format_every(host), bare);
        assert_eq!(
            format_every(host.with_prefix("GPA")),
            format_every(GuestPhysAddr::from(x))
        );
    }
}

fn check_formats(x: usize) {
    check_hex_addr(x);
    check_padding(MacroVirtAddr::from(x), "VA", x);
    check_padding(GuestPhysAddr::from(x), "GPA", x);
    check_padding(PlainAddr::from(x), "PlainAddr", x);
    check_padding(BracesAddr::from(x), "{}:{:x}", x);
    let expected = format_all(VirtAddr::from(x));
    assert_eq!(format_all(MacroVirtAddr::from(x)), expected);
    assert_eq!(
        format_all(GuestPhysAddr::from(x)),
        with_prefix(expected.clone(), "GPA")
    );
    assert_eq!(
        format_all(GuestVirtAddr::from(x)),
        with_prefix(expected.clone(), "GVA")
    );
    assert_eq!(
        format_all(PlainAddr::from(x)),
        with_prefix(expected.clone(), "PlainAddr")
    );
    assert_eq!(
        format_all(BracesAddr::from(x)),
        with_prefix(expected, "{}:{:x}")
    );
}

fn check_range_formats(a: usize, b: usize) {
    let (start, end) = (a.min(b), a.max(b));
    let expected = format_range(AddrRange::new(VirtAddr::from(start), VirtAddr::from(end)));
    assert_eq!(
        format_range(AddrRange::new(
            MacroVirtAddr::from(start),
            MacroVirtAddr::from(end)
        )),
        expected
    );
    assert_eq!(
        format_range(AddrRange::new(
            GuestPhysAddr::from(start),
            GuestPhysAddr::from(end)
        )),
        with_prefix(expected.clone(), "GPA")
    );
    assert_eq!(
        format_range(AddrRange::new(
            GuestVirtAddr::from(start),
            GuestVirtAddr::from(end)
        )),
        with_prefix(expected, "GVA")
    );
}

#[test]
fn known_outputs() {
    assert_eq!(format!("{:?}", MacroVirtAddr::from(0x1abc)), "VA:0x1abc");
    assert_eq!(format!("{:?}", gpa!(0x1abc)), "GPA:0x1abc");
    assert_eq!(format!("{:x}", gpa!(0x1abc)), "GPA:0x1abc");
    assert_eq!(format!("{:X}", gpa!(0x1abc)), "GPA:0x1ABC");
    #[cfg(target_pointer_width = "64")]
    assert_eq!(
        format!("{:?}", gva!(0xffff_8000_0000_0000)),
        "GVA:0xffff800000000000"
    );
    #[cfg(target_pointer_width = "32")]
    assert_eq!(format!("{:?}", gva!(0xc000_0000)), "GVA:0xc0000000");
    assert_eq!(format!("{:X}", gva!(0)), "GVA:0x0");
    assert_eq!(format!("{:>12?}", gpa!(1)), "     GPA:0x1");
    assert_eq!(format!("{}", gpa!(0x8020_1000)), "0x80201000");
    assert_eq!(format!("{:>14}", gpa!(0x1000)), "        0x1000");
    assert_eq!(format!("{:<12?}|", gpa!(0x1000)), "GPA:0x1000  |");
    assert_eq!(format!("{:X}", gpa!(0x8020_1abc)), "GPA:0x80201ABC");
    assert_eq!(format!("{:012}", gpa!(0x1000)), "0x0000001000");
    assert_eq!(format!("{:014?}", gpa!(0x1000)), "GPA:0x00001000");
    // Host aliases are memory_addr's own types, with its own formatting,
    // which ignores the width; `HexAddr` prints them as the guest types.
    assert_eq!(format!("{:?}", hpa!(0x1000)), "PA:0x1000");
    assert_eq!(format!("{:>12?}", hpa!(0x1000)), "PA:0x1000");
    assert_eq!(
        format!("{:>12?}", HexAddr::new(hpa!(0x1000))),
        "      0x1000"
    );
    assert_eq!(
        format!("{:<14?}|", HexAddr::new(hpa!(0x1000)).with_prefix("HPA")),
        "HPA:0x1000    |"
    );
    assert_eq!(
        format!("{:012}", HexAddr::new(hpa!(0x1000))),
        "0x0000001000"
    );
    assert_eq!(format!("{:X}", HexAddr::new(hpa!(0x1abc))), "0x1ABC");
    assert_eq!(format!("{:?}", PlainAddr::from(0x1abc)), "PlainAddr:0x1abc");
    assert_eq!(format!("{:X}", PlainAddr::from(0x1abc)), "PlainAddr:0x1ABC");
    assert_eq!(format!("{:?}", BracesAddr::from(0x1abc)), "{}:{:x}:0x1abc");
    assert_eq!(
        format!(
            "{:?}",
            AddrRange::new(gpa!(0x1000), gpa!(0x2000).align_up_4k())
        ),
        "GPA:0x1000..GPA:0x2000"
    );
    assert_eq!(
        format!("{:#?}", Some(gva!(0x1abc))),
        "Some(\n    GVA:0x1abc,\n)"
    );
}

/// Without `prefix`, the prefix is the type's name: `async`, not `r#async`.
#[test]
fn raw_identifier_names_print_without_r_hash() {
    assert!(std::any::type_name::<r#async>().ends_with("::async"));
    assert_eq!(format!("{:?}", r#async::from(0x1abc)), "async:0x1abc");
}

#[test]
fn every_edge_value() {
    for &x in EDGES {
        check_formats(x);
        for &y in EDGES {
            check_range_formats(x, y);
        }
    }
}

proptest! {
    #[test]
    fn any_address_formats_identically(x in any_address()) {
        check_formats(x);
    }

    #[test]
    fn any_range_formats_identically(a in any_address(), b in any_address()) {
        check_range_formats(a, b);
    }
}
