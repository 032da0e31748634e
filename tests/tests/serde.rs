//! The `serde` feature: an address serializes as a `"0x…"` string in
//! human-readable formats and as its integer in binary ones, and
//! deserializes from an integer or from a hex/decimal string, so VM configs
//! can be written by hand; for the guest types, a user `#[address(serde)]`
//! type, and the host and range aliases of every generation and `Option`s
//! of them (through `addr_types::serde_field`), in JSON, TOML and a binary
//! format.

use addr_types::{
    address, ax_memory_addr_06, gpa, gpa_range, gva, gva_range, hpa, hva, memory_addr_04,
    GuestPhysAddr, GuestPhysAddrRange, GuestVirtAddr, GuestVirtAddrRange, HostPhysAddr,
    HostPhysAddrRange, HostVirtAddr,
};
use serde::{Deserialize, Serialize};

/// A user type: its serde impls come from `#[address(serde)]`.
#[address(prefix = "MMIO", serde)]
pub struct MmioAddr(usize);

/// A user type that derives serde's traits itself: no `serde` option, no
/// conflict, and serde's newtype rules (the bare integer) apply.
#[address(prefix = "RAW")]
#[derive(Serialize, Deserialize)]
pub struct RawAddr(usize);

/// A guest memory layout as a hypervisor reads it from its VM config.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Layout {
    ram: GuestPhysAddr,
    kernel_entry: GuestVirtAddr,
    uart: MmioAddr,
}

const SAMPLE: Layout = Layout {
    ram: gpa!(0x8000_0000),
    kernel_entry: gva!(0x8020_0000),
    uart: MmioAddr::from_usize(0x1000_0000),
};

/// The "expected …" part of serde's message for a value that is not an address.
fn expected(name: &str) -> String {
    format!(
        "{name}: an unsigned integer, or a string of hex (\"0x8000_0000\") or decimal \
         (\"2147483648\") digits"
    )
}

/// The "expected …" part of serde's message for an address above `usize::MAX`.
fn expected_at_most(name: &str) -> String {
    format!("{name}: at most {:#x} (usize::MAX)", usize::MAX)
}

fn json_error<T: for<'de> Deserialize<'de> + std::fmt::Debug>(json: &str) -> String {
    serde_json::from_str::<T>(json).unwrap_err().to_string()
}

#[test]
fn human_readable_formats_get_a_hex_string() {
    for addr in [0, 1, 0x8000_0000, usize::MAX] {
        let hex = format!("\"{addr:#x}\"");
        assert_eq!(serde_json::to_string(&gpa!(addr)).unwrap(), hex);
        assert_eq!(serde_json::to_string(&gva!(addr)).unwrap(), hex);
        assert_eq!(
            serde_json::to_string(&MmioAddr::from_usize(addr)).unwrap(),
            hex
        );
    }
    assert_eq!(
        serde_json::to_string(&SAMPLE).unwrap(),
        r#"{"ram":"0x80000000","kernel_entry":"0x80200000","uart":"0x10000000"}"#
    );
}

#[test]
fn a_users_own_derive_is_kept() {
    assert_eq!(
        serde_json::to_string(&RawAddr::from_usize(0x1000)).unwrap(),
        "4096"
    );
    assert_eq!(
        serde_json::from_str::<RawAddr>("4096").unwrap(),
        RawAddr::from_usize(0x1000)
    );
}

/// The host aliases are memory_addr's types: `#[serde(with = …)]` gives
/// them the same representation, whatever their generation.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct HostRegion {
    #[serde(with = "addr_types::serde_field::phys")]
    phys: HostPhysAddr,
    #[serde(with = "addr_types::serde_field::virt")]
    virt: HostVirtAddr,
    #[serde(with = "addr_types::serde_field::phys")]
    seed_era: memory_addr_04::HostPhysAddr,
}

#[test]
fn host_aliases_through_with_modules() {
    let region = HostRegion {
        phys: hpa!(0x9000_0000),
        virt: hva!(0xc090_0000),
        seed_era: hpa!(memory_addr_04; 0x1000),
    };
    let json = serde_json::to_string(&region).unwrap();
    assert_eq!(
        json,
        r#"{"phys":"0x90000000","virt":"0xc0900000","seed_era":"0x1000"}"#
    );
    assert_eq!(serde_json::from_str::<HostRegion>(&json).unwrap(), region);
    let toml = "phys = 0x9000_0000\nvirt = \"0xc090_0000\"\nseed_era = 4096\n";
    assert_eq!(toml::from_str::<HostRegion>(toml).unwrap(), region);
    let bytes = postcard::to_allocvec(&region).unwrap();
    assert_eq!(postcard::from_bytes::<HostRegion>(&bytes).unwrap(), region);
    assert!(
        json_error::<HostRegion>(r#"{"phys":"x","virt":0,"seed_era":0}"#)
            .contains(&expected("HostPhysAddr"))
    );
    assert!(
        json_error::<HostRegion>(r#"{"phys":0,"virt":"x","seed_era":0}"#)
            .contains(&expected("HostVirtAddr"))
    );
}

#[test]
fn json_round_trips_the_whole_range() {
    for addr in [0, 0xfff, 0x8000_0000, usize::MAX - 1, usize::MAX] {
        let json = serde_json::to_string(&gpa!(addr)).unwrap();
        assert_eq!(
            serde_json::from_str::<GuestPhysAddr>(&json).unwrap(),
            gpa!(addr)
        );
        let json = serde_json::to_string(&gva!(addr)).unwrap();
        assert_eq!(
            serde_json::from_str::<GuestVirtAddr>(&json).unwrap(),
            gva!(addr)
        );
        let json = serde_json::to_string(&MmioAddr::from_usize(addr)).unwrap();
        assert_eq!(
            serde_json::from_str::<MmioAddr>(&json).unwrap(),
            MmioAddr::from_usize(addr)
        );
    }
    let json = serde_json::to_string(&SAMPLE).unwrap();
    assert_eq!(serde_json::from_str::<Layout>(&json).unwrap(), SAMPLE);
}

#[test]
fn json_reads_hex_and_decimal_strings() {
    for text in [
        r#""0x8000_0000""#,
        r#""0x80000000""#,
        r#""0x8000_0000_""#,
        r#""0x_8000_0000""#,
        r#""2147483648""#,
        r#""2_147_483_648""#,
        "2147483648",
    ] {
        assert_eq!(
            serde_json::from_str::<GuestPhysAddr>(text).unwrap(),
            gpa!(0x8000_0000),
            "{text}"
        );
    }
    let layout: Layout = serde_json::from_str(
        r#"{"ram": "0x8000_0000", "kernel_entry": "0x8020_0000", "uart": "268435456"}"#,
    )
    .unwrap();
    assert_eq!(layout, SAMPLE);
}

#[test]
fn json_rejects_malformed_strings_with_what_to_write() {
    let gpa = expected("GuestPhysAddr");
    for (json, column) in [
        (r#""0x8000_zz00""#, 13),
        (r#""0X8000""#, 8),
        (r#""""#, 2),
        (r#""0x""#, 4),
        (r#""-4096""#, 7),
        (r#"" 4096""#, 7),
        (r#""GPA:0x1000""#, 12),
    ] {
        let text = &json[1..json.len() - 1];
        assert_eq!(
            json_error::<GuestPhysAddr>(json),
            format!("invalid value: string {text:?}, expected {gpa} at line 1 column {column}")
        );
    }
}

#[test]
fn json_rejects_negative_fractional_and_non_numbers() {
    let gpa = expected("GuestPhysAddr");
    assert_eq!(
        json_error::<GuestPhysAddr>("-1"),
        format!("invalid value: integer `-1`, expected {gpa} at line 1 column 2")
    );
    assert_eq!(
        json_error::<GuestPhysAddr>("4096.5"),
        format!("invalid type: floating point `4096.5`, expected {gpa} at line 1 column 6")
    );
    assert_eq!(
        json_error::<GuestPhysAddr>("true"),
        format!("invalid type: boolean `true`, expected {gpa} at line 1 column 4")
    );
    assert_eq!(
        json_error::<GuestPhysAddr>("[4096]"),
        format!("invalid type: sequence, expected {gpa} at line 1 column 1")
    );
}

#[test]
fn json_rejects_addresses_above_usize_max() {
    let too_large = "0x1_0000_0000_0000_0000";
    assert_eq!(
        json_error::<GuestPhysAddr>(&format!("{too_large:?}")),
        format!(
            "invalid value: string {too_large:?}, expected {} at line 1 column 25",
            expected_at_most("GuestPhysAddr")
        )
    );
}

#[test]
fn errors_name_the_type_being_read() {
    assert_eq!(
        json_error::<Layout>(r#"{"ram": 0, "kernel_entry": 0, "uart": "uart0"}"#),
        format!(
            "invalid value: string \"uart0\", expected {} at line 1 column 45",
            expected("MmioAddr")
        )
    );
    assert_eq!(
        json_error::<Layout>(r#"{"ram": 0, "kernel_entry": "0xg", "uart": 0}"#),
        format!(
            "invalid value: string \"0xg\", expected {} at line 1 column 32",
            expected("GuestVirtAddr")
        )
    );
}

/// What a hypervisor's VM config looks like: TOML's own hex integers, or
/// strings, which any TOML parser reads whatever the value (the TOML spec
/// only promises integers up to `i64::MAX`).
const VM_TOML: &str = r#"
[guest]
ram = 0x8000_0000
kernel_entry = "0xffff_ffc0_8020_0000"
uart = "268_435_456"
"#;

#[derive(Debug, PartialEq, Deserialize)]
struct VmConfig {
    guest: Layout,
}

#[test]
#[cfg(target_pointer_width = "64")]
fn toml_reads_a_hand_written_vm_config() {
    let config: VmConfig = toml::from_str(VM_TOML).unwrap();
    assert_eq!(
        config.guest,
        Layout {
            ram: gpa!(0x8000_0000),
            kernel_entry: gva!(0xffff_ffc0_8020_0000),
            uart: MmioAddr::from_usize(0x1000_0000),
        }
    );
}

/// On a 32-bit hypervisor the same config names a kernel entry no `usize`
/// can hold: an error that says so, not a truncated address.
#[test]
#[cfg(target_pointer_width = "32")]
fn toml_rejects_a_high_half_address_above_usize_max() {
    let error = toml::from_str::<VmConfig>(VM_TOML).unwrap_err();
    assert_eq!(
        error.message(),
        format!(
            "invalid value: string \"0xffff_ffc0_8020_0000\", expected {}",
            expected_at_most("GuestVirtAddr")
        )
    );
}

#[test]
fn toml_round_trips() {
    let text = toml::to_string(&SAMPLE).unwrap();
    assert_eq!(
        text,
        "ram = \"0x80000000\"\nkernel_entry = \"0x80200000\"\nuart = \"0x10000000\"\n"
    );
    assert_eq!(toml::from_str::<Layout>(&text).unwrap(), SAMPLE);
}

#[test]
#[cfg(target_pointer_width = "64")]
fn toml_round_trips_high_half_addresses() {
    // Above i64::MAX, which is all the TOML spec promises for integers: a
    // string, which every TOML parser reads.
    let high = Layout {
        kernel_entry: gva!(0xffff_ffc0_8020_0000),
        ..SAMPLE
    };
    let text = toml::to_string(&high).unwrap();
    assert_eq!(
        text,
        "ram = \"0x80000000\"\nkernel_entry = \"0xffffffc080200000\"\nuart = \"0x10000000\"\n"
    );
    assert_eq!(toml::from_str::<Layout>(&text).unwrap(), high);
    let hex = "ram = 0x8000_0000\nkernel_entry = 0xffff_ffc0_8020_0000\nuart = 0x1000_0000\n";
    assert_eq!(toml::from_str::<Layout>(hex).unwrap(), high);
}

#[test]
fn toml_rejects_bad_addresses_at_their_span() {
    for (value, message) in [
        (
            r#""0x8000_zz00""#,
            format!(
                "invalid value: string \"0x8000_zz00\", expected {}",
                expected("GuestPhysAddr")
            ),
        ),
        (
            "-4096",
            format!(
                "invalid value: integer `-4096`, expected {}",
                expected("GuestPhysAddr")
            ),
        ),
        (
            r#""0x1_0000_0000_0000_0000""#,
            format!(
                "invalid value: string \"0x1_0000_0000_0000_0000\", expected {}",
                expected_at_most("GuestPhysAddr")
            ),
        ),
    ] {
        let text = format!("ram = {value}\nkernel_entry = 0\nuart = 0\n");
        let error = toml::from_str::<Layout>(&text).unwrap_err();
        assert_eq!(error.message(), message);
        assert_eq!(error.span(), Some(6..6 + value.len()), "{text}");
    }
}

#[test]
fn error_messages_quote_at_most_64_characters() {
    let long = format!("0x{}", "z".repeat(200));
    let message = json_error::<GuestPhysAddr>(&format!("{long:?}"));
    let quoted: String = long.chars().take(64).collect();
    assert_eq!(
        message,
        format!(
            "invalid value: string {quoted:?}… (202 bytes), expected {} at line 1 column 204",
            expected("GuestPhysAddr")
        )
    );
    // Cut on a character boundary.
    let wide = "é".repeat(100);
    let message = json_error::<GuestPhysAddr>(&format!("{wide:?}"));
    assert!(
        message.starts_with(&format!("invalid value: string {:?}…", "é".repeat(64))),
        "{message}"
    );
    // 64 characters are quoted whole, as serde does.
    let exact = "y".repeat(64);
    assert!(json_error::<GuestPhysAddr>(&format!("{exact:?}"))
        .starts_with(&format!("invalid value: string {exact:?}, expected")));
}

#[test]
fn binary_formats_read_back_the_integer() {
    // postcard has no `deserialize_any`: this passes only because a
    // non-human-readable deserializer is asked for a u64.
    for addr in [0, 0x8000_0000, usize::MAX] {
        let bytes = postcard::to_allocvec(&gpa!(addr)).unwrap();
        assert_eq!(bytes, postcard::to_allocvec(&addr).unwrap());
        assert_eq!(
            postcard::from_bytes::<GuestPhysAddr>(&bytes).unwrap(),
            gpa!(addr)
        );
    }
    let bytes = postcard::to_allocvec(&SAMPLE).unwrap();
    assert_eq!(postcard::from_bytes::<Layout>(&bytes).unwrap(), SAMPLE);
}

/// The range aliases of every generation and `Option`s of host addresses
/// and ranges, as a VM config holds them.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Regions {
    #[serde(with = "addr_types::serde_field::range")]
    ram: GuestPhysAddrRange,
    #[serde(with = "addr_types::serde_field::range")]
    kernel: GuestVirtAddrRange,
    #[serde(with = "addr_types::serde_field::range")]
    backing: HostPhysAddrRange,
    #[serde(with = "addr_types::serde_field::range")]
    previous: ax_memory_addr_06::GuestPhysAddrRange,
    #[serde(with = "addr_types::serde_field::range")]
    seed_era: memory_addr_04::HostPhysAddrRange,
    #[serde(with = "addr_types::serde_field::option_range", default)]
    shared: Option<GuestPhysAddrRange>,
    #[serde(with = "addr_types::serde_field::option_phys", default)]
    host: Option<HostPhysAddr>,
    #[serde(with = "addr_types::serde_field::option_virt", default)]
    seed_host: Option<memory_addr_04::HostVirtAddr>,
}

fn regions() -> Regions {
    Regions {
        ram: gpa_range!(0x8000_0000..0x8800_0000),
        kernel: gva_range!(0x8020_0000..0x8040_0000),
        backing: HostPhysAddrRange::new(hpa!(0x4000_0000), hpa!(0x4800_0000)),
        previous: gpa_range!(ax_memory_addr_06; 0x1000..0x2000),
        seed_era: memory_addr_04::HostPhysAddrRange::new(
            hpa!(memory_addr_04; 0),
            hpa!(memory_addr_04; 0x1000),
        ),
        shared: Some(gpa_range!(0x9000_0000..0x9000_1000)),
        host: Some(hpa!(0x9000_0000)),
        seed_host: None,
    }
}

const REGIONS_JSON: &str = concat!(
    r#"{"ram":"0x80000000..0x88000000","kernel":"0x80200000..0x80400000","#,
    r#""backing":"0x40000000..0x48000000","previous":"0x1000..0x2000","seed_era":"0x0..0x1000","#,
    r#""shared":"0x90000000..0x90001000","host":"0x90000000","seed_host":null}"#
);

#[test]
fn ranges_are_start_dot_dot_end_strings_in_human_readable_formats() {
    let json = serde_json::to_string(&regions()).unwrap();
    assert_eq!(json, REGIONS_JSON);
    assert_eq!(serde_json::from_str::<Regions>(&json).unwrap(), regions());
    let toml = toml::to_string(&regions()).unwrap();
    assert_eq!(
        toml,
        "ram = \"0x80000000..0x88000000\"\nkernel = \"0x80200000..0x80400000\"\n\
         backing = \"0x40000000..0x48000000\"\nprevious = \"0x1000..0x2000\"\n\
         seed_era = \"0x0..0x1000\"\nshared = \"0x90000000..0x90001000\"\nhost = \"0x90000000\"\n"
    );
    assert_eq!(toml::from_str::<Regions>(&toml).unwrap(), regions());
}

#[test]
fn ranges_read_start_end_maps_and_any_address_spelling() {
    let toml = r#"
        ram = { start = 0x8000_0000, end = "0x8800_0000" }
        kernel = "0x8020_0000..2_151_677_952"
        backing = { end = 1207959552, start = "1073741824" }
        previous = "4096..0x2000"
        seed_era = { start = 0, end = 4096 }
        shared = { start = 0x9000_0000, end = 0x9000_1000 }
        host = 0x9000_0000
    "#;
    assert_eq!(toml::from_str::<Regions>(toml).unwrap(), regions());
    let json = r#"{"ram": {"start": 2147483648, "end": "0x8800_0000"},
        "kernel": "0x80200000..0x80400000", "backing": "0x40000000..0x48000000",
        "previous": {"start": "0x1000", "end": "0x2000"}, "seed_era": "0..4096",
        "shared": "0x9000_0000..0x9000_1000", "host": "0x90000000", "seed_host": null}"#;
    assert_eq!(serde_json::from_str::<Regions>(json).unwrap(), regions());
    // Empty ranges are ranges.
    let empty = r#"{"start": "0x1000", "end": "0x1000"}"#;
    let wrapped = format!(
        r#"{{"ram": {empty}, "kernel": "0..0", "backing": "0..0", "previous": "0..0", "seed_era": "0..0"}}"#
    );
    let read = serde_json::from_str::<Regions>(&wrapped).unwrap();
    assert_eq!(read.ram, gpa_range!(0x1000..0x1000));
    assert_eq!((read.shared, read.host, read.seed_host), (None, None, None));
}

#[test]
fn binary_formats_write_a_range_as_two_integers() {
    let range = gpa_range!(0x8000_0000..0x8800_0000);
    let bytes = postcard::to_allocvec(&Wrapped { range }).unwrap();
    assert_eq!(
        bytes,
        postcard::to_allocvec(&(0x8000_0000usize, 0x8800_0000usize)).unwrap()
    );
    assert_eq!(
        postcard::from_bytes::<Wrapped>(&bytes).unwrap(),
        Wrapped { range }
    );
    let bytes = postcard::to_allocvec(&regions()).unwrap();
    assert_eq!(postcard::from_bytes::<Regions>(&bytes).unwrap(), regions());
    let none = Regions {
        shared: None,
        host: None,
        ..regions()
    };
    let bytes = postcard::to_allocvec(&none).unwrap();
    assert_eq!(postcard::from_bytes::<Regions>(&bytes).unwrap(), none);
    // A reversed range is written as it is, and refused when read back.
    let reversed = Wrapped {
        range: GuestPhysAddrRange {
            start: gpa!(2),
            end: gpa!(1),
        },
    };
    let bytes = postcard::to_allocvec(&reversed).unwrap();
    assert_eq!(
        postcard::from_bytes::<Wrapped>(&bytes)
            .unwrap_err()
            .to_string(),
        postcard::Error::SerdeDeCustom.to_string()
    );
    // Truncated input is an error, not a panic.
    for cut in 0..bytes.len() {
        assert!(postcard::from_bytes::<Wrapped>(&bytes[..cut]).is_err());
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Wrapped {
    #[serde(with = "addr_types::serde_field::range")]
    range: GuestPhysAddrRange,
}

fn range_error(json: &str) -> String {
    json_error::<Wrapped>(&format!(r#"{{"range": {json}}}"#))
}

/// The "expected …" part of serde's message for a value that is no range.
fn expected_range(name: &str) -> String {
    format!(
        "a {name} range: a string such as \"0x80000000..0x88000000\", or a map with `start` and `end`"
    )
}

#[test]
fn a_range_whose_start_is_above_its_end_is_refused() {
    let message = "invalid GuestPhysAddr range 0x88000000..0x80000000: its start is above its end";
    assert!(range_error(r#""0x8800_0000..0x8000_0000""#).starts_with(message));
    assert!(range_error(r#"{"start": "0x88000000", "end": 2147483648}"#).starts_with(message));
    let toml = "range = \"0x8800_0000..0x8000_0000\"";
    assert_eq!(
        toml::from_str::<Wrapped>(toml).unwrap_err().message(),
        message
    );
    let error =
        toml::from_str::<Regions>(&format!("{REGIONS_TOML_REVERSED}\nhost = 7")).unwrap_err();
    assert_eq!(
        error.message(),
        "invalid PhysAddr range 0x2..0x1: its start is above its end"
    );
}

const REGIONS_TOML_REVERSED: &str = "ram = \"0..0\"\nkernel = \"0..0\"\nbacking = \"2..1\"\n\
    previous = \"0..0\"\nseed_era = \"0..0\"";

#[test]
fn hostile_ranges_are_refused_with_what_to_write() {
    let range = expected_range("GuestPhysAddr");
    for json in [
        r#""0x8000_0000""#,
        r#""0x8000_0000...0x9000_0000""#,
        r#""0x8000_0000..=0x9000_0000""#,
        r#""0x1000 .. 0x2000""#,
        r#""..""#,
        r#""..0x1000""#,
        r#""0x1000..""#,
        r#""-1..2""#,
        r#""0x1000..0x2000..0x3000""#,
        r#""GPA:0x1000..GPA:0x2000""#,
    ] {
        let text = &json[1..json.len() - 1];
        // serde_json reports the column after the string, inside `{"range": …}`.
        let column = r#"{"range": "#.len() + json.len();
        assert_eq!(
            range_error(json),
            format!("invalid value: string {text:?}, expected {range} at line 1 column {column}"),
            "{json}"
        );
    }
    // An end above usize::MAX says so (a malformed other end wins).
    let too_large = "0x0..0x1_0000_0000_0000_0000";
    assert!(range_error(&format!("{too_large:?}")).starts_with(&format!(
        "invalid value: string {too_large:?}, expected {}",
        expected_at_most("GuestPhysAddr")
    )));
    assert!(range_error(r#""0x1_0000_0000_0000_0000..zz""#).contains(&range));
    // Not a string or a map.
    for json in ["7", "[1, 2]", "true", "null", "-3"] {
        assert!(
            range_error(json).contains(&range),
            "{json}: {}",
            range_error(json)
        );
    }
    // Maps: unknown, duplicate and missing keys, and ends that are no address.
    assert!(range_error(r#"{"start": 1, "end": 2, "size": 3}"#)
        .starts_with("unknown field `size`, expected `start` or `end`"));
    assert!(
        range_error(r#"{"start": 1, "start": 2, "end": 3}"#).starts_with("duplicate field `start`")
    );
    assert!(range_error(r#"{"start": 1}"#).starts_with("missing field `end`"));
    assert!(range_error(r#"{"end": 1}"#).starts_with("missing field `start`"));
    assert!(range_error(r#"{"start": "x", "end": 2}"#).contains(&expected("GuestPhysAddr")));
    assert!(range_error(r#"{"start": 1, "end": -2}"#).contains(&expected("GuestPhysAddr")));
    // What is quoted is cut at 64 characters, in values and in keys.
    let long = format!("0x1000..{}", "9".repeat(300));
    let message = range_error(&format!("{long:?}"));
    let quoted: String = long.chars().take(64).collect();
    assert!(
        message.starts_with(&format!("invalid value: string {quoted:?}… (308 bytes)")),
        "{message}"
    );
    let key = "k".repeat(200);
    let message = range_error(&format!(r#"{{"{key}": 1}}"#));
    assert!(
        message.starts_with(&format!("unknown field {:?}… (200 bytes)", "k".repeat(64))),
        "{message}"
    );
    assert!(message.len() < 200, "{message}");
}

#[test]
fn option_forms_read_nothing_null_and_values() {
    let none = r#"{"ram": "0..0", "kernel": "0..0", "backing": "0..0", "previous": "0..0", "seed_era": "0..0","#;
    let read = |rest: &str| serde_json::from_str::<Regions>(&format!("{none}{rest}"));
    let all_null = read(r#""shared": null, "host": null, "seed_host": null}"#).unwrap();
    assert_eq!(
        (all_null.shared, all_null.host, all_null.seed_host),
        (None, None, None)
    );
    let values =
        read(r#""shared": {"start": 1, "end": 2}, "host": 4096, "seed_host": "0x2000"}"#).unwrap();
    assert_eq!(values.shared, Some(gpa_range!(1..2)));
    assert_eq!(values.host, Some(hpa!(0x1000)));
    assert_eq!(values.seed_host, Some(hva!(memory_addr_04; 0x2000)));
    let error = read(r#""host": "0xg"}"#).unwrap_err().to_string();
    assert!(error.contains(&expected("HostPhysAddr")), "{error}");
    let error = read(r#""shared": "2..1"}"#).unwrap_err().to_string();
    assert!(
        error.starts_with("invalid GuestPhysAddr range 0x2..0x1"),
        "{error}"
    );
    // TOML has no null: a missing field is `None`, and `None` is left out.
    let toml = "ram = \"0x0..0x0\"\nkernel = \"0x0..0x0\"\nbacking = \"0x0..0x0\"\n\
                previous = \"0x0..0x0\"\nseed_era = \"0x0..0x0\"\n";
    let read = toml::from_str::<Regions>(toml).unwrap();
    assert_eq!((read.shared, read.host), (None, None));
    assert_eq!(toml::to_string(&read).unwrap(), toml);
}
