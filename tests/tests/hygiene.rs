//! The expansion names everything by absolute path. `#[address]` types
//! declared where the names a relative path would reach mean something else
//! compile and behave as anywhere else: with no prelude at all, and among
//! items named like the prelude's types, traits and variants, like `usize`,
//! and like the crates the expansion calls into, brought in by a glob or
//! declared beside the type; and among items named like every name the
//! expansion binds. (This is the one home of that property; the lints a
//! strict user crate may deny are checked in `ui-tests/src/lib.rs`.)

/// No prelude at all: not `Option`, not `From`, not `usize`'s friends, not
/// even `assert_eq!`. Everything here is named by absolute path.
#[no_implicit_prelude]
mod without_prelude {
    use ::addr_types::{address, AddrRange, MemoryAddr};

    /// A physical address declared without the prelude.
    #[address(prefix = "NP", range = BareAddrRange, translates = "host-virtual")]
    pub struct BareAddr(usize);

    #[::core::prelude::v1::test]
    fn the_whole_api_works() {
        const PAGE: BareAddr = BareAddr::from_usize(0x8020_1234).align_down_4k();
        ::std::assert_eq!(PAGE.as_usize(), 0x8020_1000);
        ::std::assert_eq!(PAGE.align_up_4k(), PAGE);
        ::std::assert_eq!(BareAddr::from_usize(0x1234).align_offset_4k(), 0x234);
        ::std::assert!(PAGE.is_aligned_4k());

        let addr = <BareAddr as ::core::convert::From<usize>>::from(0x1000);
        let raw: usize = ::core::convert::Into::into(addr);
        ::std::assert_eq!(raw, 0x1000);
        ::std::assert_eq!(addr + 0x10, BareAddr::from_usize(0x1010));
        ::std::assert_eq!(addr - 0x10, BareAddr::from_usize(0xff0));
        ::std::assert_eq!(BareAddr::from_usize(0x1010) - addr, 0x10);
        let mut moving = addr;
        moving += 0x20;
        moving -= 0x8;
        ::std::assert_eq!(moving.as_usize(), 0x1018);
        ::std::assert!(addr < moving);
        ::std::assert_eq!(
            ::core::cmp::Ord::cmp(&addr, &moving),
            ::core::cmp::Ordering::Less
        );
        ::std::assert_eq!(
            <BareAddr as ::core::default::Default>::default(),
            BareAddr::from_usize(0)
        );

        ::std::assert_eq!(addr.align_up(0x2000usize), BareAddr::from_usize(0x2000));
        ::std::assert_eq!(
            addr.checked_sub(0x1001),
            ::core::option::Option::None::<BareAddr>
        );
        ::std::assert_eq!(moving.offset_from(addr), 0x18);

        let range: BareAddrRange = AddrRange::from_start_size(addr, 0x1000);
        ::std::assert_eq!(range.size(), 0x1000);
        ::std::assert!(range.contains(moving));

        ::std::assert_eq!(::std::format!("{addr:?}"), "NP:0x1000");
        ::std::assert_eq!(::std::format!("{moving:X}"), "NP:0x1018");
        ::std::assert_eq!(::std::format!("{range:x}"), "NP:0x1000..NP:0x2000");
    }
}

/// Declares items named like everything the expansion could name by a
/// relative path: the prelude's types, variants and traits, the primitive
/// `usize`, and the crates it calls into.
macro_rules! decoys {
    () => {
        /// Not `core::option::Option`.
        pub struct Option;
        /// Not `core::option::Option::Some`.
        pub struct Some;
        /// Not `core::option::Option::None`.
        pub struct None;
        /// Not `core::result::Result`.
        pub struct Result;
        /// Not `core::result::Result::Ok`.
        pub struct Ok;
        /// Not `core::result::Result::Err`.
        pub struct Err;
        /// Not `core::default::Default`.
        pub struct Default;
        /// Not `core::convert::From`.
        pub struct From;
        /// Not `core::convert::Into`.
        pub struct Into;
        /// Not `core::clone::Clone`.
        pub struct Clone;
        /// Not `core::marker::Copy`.
        pub struct Copy;
        /// Not `core::cmp::Ord`.
        pub struct Ord;
        /// Not `core::cmp::PartialEq`.
        pub struct PartialEq;
        /// Not the primitive type.
        #[allow(non_camel_case_types)]
        pub struct usize;

        /// Not the `core` crate.
        pub mod core {
            /// Proves a path starting with `core::` reached this module.
            pub const DECOY: &str = "core";
        }

        /// Not `core::fmt`.
        pub mod fmt {
            /// Proves a path starting with `fmt::` reached this module.
            pub const DECOY: &str = "fmt";
        }

        /// Not the `memory_addr` crate.
        pub mod memory_addr {
            /// Proves a path starting with `memory_addr::` reached this module.
            pub const DECOY: &str = "memory_addr";
        }

        /// Not the `addr_types` crate.
        pub mod addr_types {
            /// Proves a path starting with `addr_types::` reached this module.
            pub const DECOY: &str = "addr_types";
        }
    };
}

/// A test that the decoys shadow the real names where it is expanded.
macro_rules! the_decoys_are_in_scope {
    () => {
        #[test]
        fn the_decoys_are_in_scope() {
            // Each of these is a type only if the decoy shadows the prelude:
            // `Option` and `Result` would need generics, `Some`, `None`, `Ok`
            // and `Err` are no types, the rest are traits or a primitive.
            type Decoys = (
                Option,
                Some,
                None,
                Result,
                Ok,
                Err,
                Default,
                From,
                Into,
                Clone,
                Copy,
                Ord,
                PartialEq,
                usize,
            );
            let decoys: Decoys = (
                Option, Some, None, Result, Ok, Err, Default, From, Into, Clone, Copy, Ord,
                PartialEq, usize,
            );
            ::std::assert_eq!(::core::mem::size_of_val(&decoys), 0);
            ::std::assert_eq!(
                [
                    core::DECOY,
                    fmt::DECOY,
                    memory_addr::DECOY,
                    addr_types::DECOY
                ],
                ["core", "fmt", "memory_addr", "addr_types"]
            );
        }
    };
}

/// The decoys, for the glob import below.
mod decoys {
    decoys!();
}

mod among_decoys {
    use ::addr_types::MemoryAddr;

    use super::decoys::*;

    /// A guest-physical-like address declared among the decoys.
    #[::addr_types::address(prefix = "DA", range = DecoyAddrRange, translates = "guest-physical")]
    pub struct DecoyAddr(::core::primitive::usize);

    /// `addr_types` is a decoy here, so the runtime must be named this way to
    /// reach the real crate; the `crate` option must be honoured among decoys too.
    #[::addr_types::address(prefix = "DB", crate = ::addr_types)]
    pub struct ExplicitCrateAddr(::core::primitive::usize);

    the_decoys_are_in_scope!();

    #[test]
    fn the_whole_api_works() {
        const BASE: DecoyAddr = DecoyAddr::from_usize(0x8020_1234).align_down_4k();
        ::std::assert_eq!(BASE.as_usize(), 0x8020_1000);
        ::std::assert_eq!(BASE.align_up_4k(), BASE);
        ::std::assert_eq!(DecoyAddr::from_usize(0xfff).align_offset_4k(), 0xfff);
        ::std::assert!(!DecoyAddr::from_usize(0xfff).is_aligned_4k());

        let addr = <DecoyAddr as ::core::convert::From<::core::primitive::usize>>::from(0x4000);
        ::std::assert_eq!(
            <::core::primitive::usize as ::core::convert::From<DecoyAddr>>::from(addr),
            0x4000
        );
        ::std::assert_eq!((addr + 0x800).as_usize(), 0x4800);
        ::std::assert_eq!((addr - 0x800).as_usize(), 0x3800);
        ::std::assert_eq!(BASE - addr, 0x8020_1000 - 0x4000);
        ::std::assert_eq!(BASE.align_down(0x20_0000usize).as_usize(), 0x8020_0000);
        let copy = addr;
        let clone = ::core::clone::Clone::clone(&addr);
        ::std::assert!(copy == clone && addr == clone);
        ::std::assert_eq!(
            <DecoyAddr as ::core::default::Default>::default().as_usize(),
            0
        );
        ::std::assert!(::core::cmp::PartialOrd::lt(&addr, &BASE));

        ::std::assert_eq!(
            ::addr_types::MemoryAddr::checked_add(addr, ::core::primitive::usize::MAX),
            ::core::option::Option::None
        );
        let range: DecoyAddrRange = ::addr_types::AddrRange::new(addr, addr + 0x1000);
        ::std::assert_eq!(range.size(), 0x1000);

        ::std::assert_eq!(::std::format!("{addr:?}"), "DA:0x4000");
        ::std::assert_eq!(::std::format!("{addr:X}"), "DA:0x4000");
        ::std::assert_eq!(::std::format!("{range:?}"), "DA:0x4000..DA:0x5000");
        ::std::assert_eq!(
            ::std::format!("{:x}", ExplicitCrateAddr::from_usize(0xabc)),
            "DB:0xabc"
        );
    }
}

/// The decoys declared beside the type rather than imported: items of the
/// module itself, which shadow without any glob.
mod beside_decoys {
    decoys!();

    /// A guest-virtual-like address declared beside the decoys.
    #[::addr_types::address(prefix = "GVA", range = BesideAddrRange, translates = "guest-virtual")]
    pub struct BesideAddr(::core::primitive::usize);

    the_decoys_are_in_scope!();

    #[test]
    fn the_whole_api_works() {
        let addr = BesideAddr::from_usize(0x8000_0fff).align_down_4k() + 0x10;
        let range = BesideAddrRange::new(addr, addr + 0x20);
        ::std::assert_eq!(
            ::std::format!("{addr:?} {range:x}"),
            "GVA:0x80000010 GVA:0x80000010..GVA:0x80000030"
        );
        ::std::assert_eq!(addr.align_up_4k() - addr, 0xff0);
        ::std::assert_eq!(
            <BesideAddr as ::core::default::Default>::default().as_usize(),
            0
        );
        ::std::assert!(::core::cmp::PartialOrd::lt(&range.start, &range.end));
    }
}

/// Items named like every name the expansion binds (parameters, and the
/// parameters of addr-types' `macro_rules` impls), each a const, a static
/// or a unit struct: a pattern naming such an item is that item, never a
/// binding, so an expansion that bound one of these names by a plain
/// identifier would not compile here. addr-macros checks that this module
/// declares one for each name of its list of bound names
/// (`the_hygiene_test_has_a_decoy_for_every_bound_name`): keep them plain
/// items, one per line.
#[allow(non_upper_case_globals, non_camel_case_types, dead_code)]
mod bound_names {
    const addr: usize = 0;
    static rhs: u8 = 0;
    struct f;
    const text: &str = "";
    static value: u64 = 0;
    struct serializer;
    struct deserializer;

    /// Every option, among the decoys.
    #[::addr_types::address(prefix = "BN", range = BoundRange, translates = "guest-physical", serde)]
    pub struct Bound(usize);

    #[test]
    fn the_whole_api_works() {
        let bound = Bound::from_usize(0x1000);
        ::std::assert_eq!(bound.add(0x10).sub_addr(bound), 0x10);
        ::std::assert_eq!(bound.checked_sub(0x1001), ::core::option::Option::None);
        ::std::assert_eq!(::std::format!("{bound:?} {bound}"), "BN:0x1000 0x1000");
        ::std::assert_eq!("0x1000".parse::<Bound>(), ::core::result::Result::Ok(bound));
        ::std::assert_eq!(
            <Bound as ::core::convert::TryFrom<u64>>::try_from(0x1000),
            ::core::result::Result::Ok(bound)
        );
        let json = ::serde_json::to_string(&bound).unwrap();
        ::std::assert_eq!(json, "\"0x1000\"");
        ::std::assert_eq!(::serde_json::from_str::<Bound>(&json).unwrap(), bound);
        let range = BoundRange::from_start_size(bound, 0x1000);
        ::std::assert_eq!(range.size(), 0x1000);
    }
}

/// An address type named like the `Formatter` parameter, whose tuple-struct
/// constructor is in scope for every other `#[address]` of its module.
#[allow(non_camel_case_types)]
mod named_like_a_parameter {
    /// Named `f`.
    #[::addr_types::address]
    pub struct f(usize);

    /// Named `rhs`, beside `f`.
    #[::addr_types::address(serde)]
    pub struct rhs(usize);

    #[test]
    fn both_work() {
        let (a, b) = (f::from_usize(0x10), rhs::from_usize(0x20));
        ::std::assert_eq!(::std::format!("{a:?} {b:x}"), "f:0x10 rhs:0x20");
        ::std::assert_eq!(
            (a + 1).checked_add(1).map(f::as_usize),
            ::core::option::Option::Some(0x12)
        );
        ::std::assert_eq!(b - rhs::from_usize(0x10), 0x10);
    }
}
