//! The shorthands without a generation build the default generation's
//! types: with only `memory-addr-04`, each says what to write instead.
fn main() {
    let _ = addr_types::hpa!(0x8020_0000);
    let _ = addr_types::hva!(0xc020_0000);
    let _ = addr_types::gpa_range!(0x8000_0000..0x8800_0000);
    let _ = addr_types::gva_range!(0x1000..0x2000);
}
