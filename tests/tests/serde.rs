//! The `serde` feature: an address serializes as a `"0x…"` string in
//! human-readable formats and as its integer in binary ones, and
//! deserializes from an integer or from a hex/decimal string, so VM configs
//! can be written by hand; for the guest types, a user `#[address(serde)]`
//! type and the host aliases (through `#[serde(with = …)]`), in JSON, TOML
//! and a binary format.

use addr_types::{
    address, gpa, gva, hpa, hva, GuestPhysAddr, GuestVirtAddr, HostPhysAddr, HostVirtAddr,
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
    #[serde(with = "addr_types::host_serde::phys")]
    phys: HostPhysAddr,
    #[serde(with = "addr_types::host_serde::virt")]
    virt: HostVirtAddr,
    #[serde(with = "addr_types::host_serde::phys")]
    seed_era: addr_types::memory_addr_04::HostPhysAddr,
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
