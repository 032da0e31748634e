//! Conversions beyond `usize`: `FromStr` (and `parse_addr`, the same grammar
//! for any address type), `TryFrom<u64>`, `as_u64`, the host shorthand
//! macros and the generation preludes, each checked against memory_addr or
//! the integer semantics it stands for. (What works in `const` is
//! interop.rs's.)

mod support {
    pub mod inputs;
}

use std::str::FromStr;

use addr_types::{
    address, ax_memory_addr_06, gpa, gva, hpa, hva, memory_addr_04, parse_addr, GuestPhysAddr,
    GuestPhysAddrRange, GuestVirtAddr, HostPhysAddr, HostVirtAddr, ParseAddrError,
};
use proptest::prelude::*;
use support::inputs::{any_address, EDGES};

/// A user type: everything here is generated for it too.
#[address(prefix = "MMIO", range = MmioRange, generation = memory_addr_04)]
pub struct MmioAddr(usize);

#[test]
fn host_macros_are_memory_addrs_own() {
    let root: HostPhysAddr = hpa!(0x8020_0000);
    let kernel: HostVirtAddr = hva!(0xc020_0000);
    assert_eq!(root, HostPhysAddr::from_usize(0x8020_0000));
    assert_eq!(kernel, HostVirtAddr::from_usize(0xc020_0000));
    assert_eq!(hpa!(memory_addr_04; 0x1000), memory_addr::pa!(0x1000));
    assert_eq!(hva!(memory_addr_04; 0x1000), memory_addr::va!(0x1000));
}

/// A generation's prelude (`addr_types::$module::prelude`): its `hpa!` and
/// friends build the types of its own memory_addr crate, `$krate`.
macro_rules! generation_prelude_test {
    ($test:ident, $module:ident, $krate:ident) => {
        mod $test {
            use addr_types::$module::prelude::*;

            #[test]
            fn holds_its_own_types_and_macros() {
                let root: $krate::PhysAddr = hpa!(0x1000);
                let virt: $krate::VirtAddr = hva!(0x2000);
                let ram: $krate::AddrRange<GuestPhysAddr> = gpa_range!(0x1000..0x3000);
                let user: $krate::AddrRange<GuestVirtAddr> = gva_range!(0x1000..0x2000);
                let _: HostPhysAddrRange = $krate::AddrRange::from_start_size(root, 0x1000);
                assert_eq!(ram.size(), 0x2000);
                assert_eq!(user.start, gva!(0x1000));
                assert_eq!(gpa!(0x1000).align_up(0x2000usize), gpa!(0x2000));
                assert_eq!(virt.as_usize(), 0x2000);
                assert_eq!(GuestPhysAddrRange::new(gpa!(0), gpa!(1)).size(), 1);
                assert_eq!(ram.pages_4k().map(Iterator::count), Some(2));
            }
        }
    };
}

generation_prelude_test!(seed_era_prelude, memory_addr_04, memory_addr);
generation_prelude_test!(previous_prelude, ax_memory_addr_06, ax_memory_addr_06);

/// The top-level prelude: the default generation's.
mod default_prelude {
    use addr_types::prelude::*;

    // The qualified names are the point: they say which generation's.
    #[allow(unused_qualifications)]
    #[test]
    fn holds_the_default_generations_types_and_macros() {
        let root: addr_types::ax_memory_addr_07::HostPhysAddr = hpa!(0x1000);
        let ram: addr_types::ax_memory_addr_07::GuestPhysAddrRange = gpa_range!(0x1000..0x3000);
        assert_eq!(ram.size(), 0x2000);
        assert!(root.is_aligned_4k());
        assert_eq!(gva!(0x1000) + 1, GuestVirtAddr::from_usize(0x1001));
        assert_eq!(ram.pages_4k().map(Iterator::count), Some(2));
    }
}

/// What `FromStr` must return: the grammar of hex/decimal integer literals,
/// computed independently with `u128` arithmetic.
fn expected_parse(text: &str) -> Result<usize, ParseAddrError> {
    let (digits, radix) = match text.strip_prefix("0x") {
        Some(hex) => (hex, 16),
        None if text.starts_with(|c: char| c.is_ascii_digit()) => (text, 10),
        None => return Err(ParseAddrError::Malformed),
    };
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(ParseAddrError::Malformed);
    }
    match u128::from_str_radix(&digits, radix) {
        Ok(value) => usize::try_from(value).map_err(|_| ParseAddrError::TooLarge),
        Err(_) => Err(ParseAddrError::TooLarge),
    }
}

fn check_parse(text: &str) {
    let expected = expected_parse(text);
    assert_eq!(
        text.parse::<GuestPhysAddr>(),
        expected.map(GuestPhysAddr::from),
        "{text:?}"
    );
    assert_eq!(
        GuestVirtAddr::from_str(text),
        expected.map(GuestVirtAddr::from),
        "{text:?}"
    );
    assert_eq!(
        text.parse::<MmioAddr>(),
        expected.map(MmioAddr::from),
        "{text:?}"
    );
    // The host aliases of every generation, and `usize`, read the same text
    // the same way, errors included.
    assert_eq!(parse_addr::<usize>(text), expected, "{text:?}");
    assert_eq!(
        parse_addr::<HostPhysAddr>(text),
        expected.map(HostPhysAddr::from),
        "{text:?}"
    );
    assert_eq!(
        parse_addr::<HostVirtAddr>(text),
        expected.map(HostVirtAddr::from),
        "{text:?}"
    );
    assert_eq!(
        parse_addr::<ax_memory_addr_06::HostPhysAddr>(text),
        expected.map(ax_memory_addr_06::HostPhysAddr::from),
        "{text:?}"
    );
    assert_eq!(
        parse_addr::<memory_addr_04::HostVirtAddr>(text),
        expected.map(memory_addr_04::HostVirtAddr::from),
        "{text:?}"
    );
    assert_eq!(
        parse_addr::<GuestPhysAddr>(text),
        text.parse::<GuestPhysAddr>()
    );
}

#[test]
fn from_str_reads_hex_and_decimal() {
    assert_eq!("0x8000_0000".parse(), Ok(gpa!(0x8000_0000)));
    assert_eq!("2147483648".parse(), Ok(gpa!(0x8000_0000)));
    assert_eq!("0xDEAD_beef".parse(), Ok(gva!(0xdead_beef)));
    for text in [
        "",
        "0x",
        "_1",
        "-1",
        "+1",
        " 1",
        "0X10",
        "0b1",
        "GPA:0x1000",
        "1e3",
        "0x_",
        "0x1_",
        "0x0",
        "007",
        "0xffff_ffff_ffff_ffff",
        "0x1_0000_0000_0000_0000",
        "18446744073709551616",
        "x10",
        "0o17",
        "1 ",
        "0x 1",
        "1.0",
        "12a",
        "0xg",
        "0x8000_zz00",
        "0x1000\n",
        "\u{0661}",
    ] {
        check_parse(text);
    }
    check_parse(&format!("{:#x}", usize::MAX));
    check_parse(&usize::MAX.to_string());
    // Malformed wins over too large: the digits so far already overflow.
    let overflowing_then_malformed = format!("0x{}z", "f".repeat(40));
    check_parse(&overflowing_then_malformed);
    assert_eq!(
        overflowing_then_malformed.parse::<GuestPhysAddr>(),
        Err(ParseAddrError::Malformed)
    );
    assert_eq!(
        "GPA:0x1000".parse::<GuestPhysAddr>(),
        Err(ParseAddrError::Malformed)
    );
    assert_eq!(
        "0x1_0000_0000_0000_0000".parse::<GuestPhysAddr>(),
        Err(ParseAddrError::TooLarge)
    );
}

#[test]
fn parse_errors_say_what_was_expected() {
    assert_eq!(
        ParseAddrError::Malformed.to_string(),
        "invalid address: expected `0x` and hex digits, or decimal digits (`_` allowed)"
    );
    assert_eq!(
        ParseAddrError::TooLarge.to_string(),
        "invalid address: larger than `usize::MAX`"
    );
    let error: Box<dyn std::error::Error> = Box::new(ParseAddrError::Malformed);
    assert!(error.source().is_none());
}

fn check_address(x: usize) {
    // Display and `{:x}` text read back.
    let a = gpa!(x);
    assert_eq!(format!("{a}").parse(), Ok(a));
    assert_eq!(x.to_string().parse(), Ok(a));
    assert_eq!(format!("{x:#X}").replace("0X", "0x").parse(), Ok(a));
    let m = MmioAddr::from(x);
    assert_eq!(format!("{m}").parse(), Ok(m));
    let h = hpa!(x);
    assert_eq!(parse_addr(&addr_types::HexAddr::new(h).to_string()), Ok(h));
    assert_eq!(gpa!(x).as_u64(), x as u64);
    assert_eq!(MmioAddr::from(x).as_u64(), u64::try_from(x).unwrap());
    let wide = x as u64;
    assert_eq!(
        GuestPhysAddr::try_from(wide),
        usize::try_from(wide).map(GuestPhysAddr::from)
    );
    assert_eq!(
        MmioAddr::try_from(wide),
        usize::try_from(wide).map(MmioAddr::from)
    );
}

#[test]
fn edge_values() {
    for &x in EDGES {
        check_address(x);
    }
    // `u64` beyond `usize` exists only on narrower targets; the error is the
    // integer conversion's own.
    if usize::BITS < 64 {
        assert!(GuestPhysAddr::try_from(u64::MAX).is_err());
    }
}

proptest! {
    #[test]
    fn any_address_converts(x in any_address()) {
        check_address(x);
    }

    #[test]
    fn any_text(text in "(0x)?[0-9a-fA-F_xX +-]{0,24}") {
        check_parse(&text);
    }

    #[test]
    fn any_wide_u64(x in any::<u64>()) {
        prop_assert_eq!(
            GuestVirtAddr::try_from(x),
            usize::try_from(x).map(GuestVirtAddr::from)
        );
    }
}

/// Unused imports otherwise, on purpose: the conversions are what these
/// tests exercise, not the ranges.
#[allow(dead_code)]
type Unused = (GuestPhysAddrRange, MmioRange);
