//! Formatting of `#[address]` types is byte-identical to memory_addr's
//! `def_usize_addr_formatter!`, with every flag a format string can carry.
//!
//! Both sides write through `Formatter::write_fmt`, which ignores the outer
//! width, fill, precision and `#`: `{:>30?}` prints no padding, on both.
//! These tests pin that down rather than assume it.

mod support {
    pub mod inputs;
}

use std::fmt;

use addr_types::{address, gpa, gva, AddrRange, GuestPhysAddr, GuestVirtAddr};
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

/// One address with every format string worth checking, alone and inside
/// `Option`, a tuple and a user's struct.
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
            "{:>30?}",
            "{:<30x}",
            "{:^30X}",
            "{:*^40?}",
            "{:030x}",
            "{:#032X}",
            "{:+?}",
            "{:.3?}",
            "{:x?}",
            "{:X?}",
            "{:#x?}",
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

fn check_formats(x: usize) {
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
    assert_eq!(format!("{:>12?}", gpa!(1)), "GPA:0x1");
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
