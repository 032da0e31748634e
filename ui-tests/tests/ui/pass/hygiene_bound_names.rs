//! Items named like the parameters and locals of the expansion: a pattern
//! that names a const, static or unit/tuple struct is that item, not a
//! binding, so generated code that bound these names would not compile.
#![deny(warnings)]
#![allow(non_upper_case_globals, non_camel_case_types, dead_code)]

mod user {
    use ::addr_types::address;

    const addr: usize = 0;
    static rhs: u8 = 0;
    struct f;
    const text: &str = "";
    static value: u64 = 0;
    const vaddr: usize = 0;
    struct serializer;
    struct deserializer;

    /// Declared where every name the expansion binds is an item.
    #[address(prefix = "GPA", range = GpaRange, translates = "guest-physical")]
    pub struct Gpa(usize);
}

mod named_f {
    /// An address type named like the `Formatter` parameter, beside another.
    #[::addr_types::address]
    pub struct f(usize);

    /// Its neighbour, which `f`'s tuple-struct constructor would break.
    #[::addr_types::address(prefix = "N")]
    pub struct Neighbour(usize);
}

fn main() {
    let gpa = user::Gpa::from_usize(0x1000) + 0x10;
    assert_eq!(format!("{gpa:?} {gpa}"), "GPA:0x1010 0x1010");
    assert_eq!("0x1010".parse::<user::Gpa>(), Ok(gpa));
    assert_eq!(user::Gpa::try_from(0x1010_u64), Ok(gpa));
    let range: user::GpaRange = ::addr_types::AddrRange::from_start_size(gpa, 0x10);
    assert_eq!(range.size(), 0x10);
    let f = named_f::f::from_usize(0x2000);
    let n = named_f::Neighbour::from_usize(0x3000);
    assert_eq!(format!("{f:?} {n:x}"), "f:0x2000 N:0x3000");
    assert_eq!(f.checked_add(1).map(named_f::f::as_usize), Some(0x2001));
}
