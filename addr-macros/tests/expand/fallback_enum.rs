#[derive(Clone)]
pub enum A {
    X
}
#[allow(deprecated)]
const _: () = {
    #[allow(dead_code)]
    fn addr() {}
    #[allow(dead_code)]
    fn rhs() {}
    #[allow(dead_code)]
    fn f() {}
    #[allow(dead_code)]
    fn text() {}
    #[allow(dead_code)]
    fn value() {}
    #[allow(unused_variables)]
    #[allow(clippy::should_implement_trait)]
    impl A {
        #[doc = "Converts a `usize` to a [`A`]."]
        #[inline]
        #[must_use]
        pub const fn from_usize(addr: ::core::primitive::usize) -> Self {
            ::core::unreachable!()
        }
        #[doc = "Converts a [`A`] to a `usize`."]
        #[inline]
        #[must_use]
        pub const fn as_usize(self) -> ::core::primitive::usize {
            ::core::unreachable!()
        }
        #[doc = "Converts a [`A`] to a `u64`: lossless on every target Rust supports."]
        #[inline]
        #[must_use]
        pub const fn as_u64(self) -> ::core::primitive::u64 {
            ::core::unreachable!()
        }
        #[doc = "Rounds the [`A`] down to a 4 KiB boundary."]
        #[inline]
        #[must_use]
        pub const fn align_down_4k(self) -> Self {
            ::core::unreachable!()
        }
        #[doc = "Rounds the [`A`] up to a 4 KiB boundary."]
        #[inline]
        #[must_use]
        pub const fn align_up_4k(self) -> Self {
            ::core::unreachable!()
        }
        #[doc = "Returns the offset of the [`A`] within its 4 KiB page."]
        #[inline]
        #[must_use]
        pub const fn align_offset_4k(self) -> ::core::primitive::usize {
            ::core::unreachable!()
        }
        #[doc = "Returns whether the [`A`] is 4 KiB aligned."]
        #[inline]
        #[must_use]
        pub const fn is_aligned_4k(self) -> ::core::primitive::bool {
            ::core::unreachable!()
        }
        #[doc = "`MemoryAddr::add`, usable in `const`: panics on overflow."]
        #[inline]
        #[must_use]
        pub const fn add(self, rhs: ::core::primitive::usize) -> Self {
            ::core::unreachable!()
        }
        #[doc = "`MemoryAddr::checked_add`, usable in `const`: `None` on overflow."]
        #[inline]
        #[must_use]
        pub const fn checked_add(self, rhs: ::core::primitive::usize) -> ::core::option::Option<Self> {
            ::core::unreachable!()
        }
        #[doc = "`MemoryAddr::wrapping_add`, usable in `const`."]
        #[inline]
        #[must_use]
        pub const fn wrapping_add(self, rhs: ::core::primitive::usize) -> Self {
            ::core::unreachable!()
        }
        #[doc = "`MemoryAddr::sub`, usable in `const`: panics on overflow. For the distance to another address, `a - b` or `a.sub_addr(b)`."]
        #[inline]
        #[must_use]
        pub const fn sub(self, rhs: ::core::primitive::usize) -> Self {
            ::core::unreachable!()
        }
        #[doc = "`MemoryAddr::checked_sub`, usable in `const`: `None` on overflow."]
        #[inline]
        #[must_use]
        pub const fn checked_sub(self, rhs: ::core::primitive::usize) -> ::core::option::Option<Self> {
            ::core::unreachable!()
        }
        #[doc = "`MemoryAddr::wrapping_sub`, usable in `const`."]
        #[inline]
        #[must_use]
        pub const fn wrapping_sub(self, rhs: ::core::primitive::usize) -> Self {
            ::core::unreachable!()
        }
        #[doc = "`MemoryAddr::sub_addr`, usable in `const`: panics on overflow."]
        #[inline]
        #[must_use]
        pub const fn sub_addr(self, rhs: Self) -> ::core::primitive::usize {
            ::core::unreachable!()
        }
        #[doc = "`MemoryAddr::checked_sub_addr`, usable in `const`: `None` on overflow."]
        #[inline]
        #[must_use]
        pub const fn checked_sub_addr(self, rhs: Self) -> ::core::option::Option<::core::primitive::usize> {
            ::core::unreachable!()
        }
        #[doc = "`MemoryAddr::wrapping_sub_addr`, usable in `const`."]
        #[inline]
        #[must_use]
        pub const fn wrapping_sub_addr(self, rhs: Self) -> ::core::primitive::usize {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::convert::From<::core::primitive::usize> for A {
        #[inline]
        fn from(addr: ::core::primitive::usize) -> Self {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::convert::From<A> for ::core::primitive::usize {
        #[inline]
        fn from(addr: A) -> Self {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::convert::TryFrom<::core::primitive::u64> for A {
        type Error = ::core::num::TryFromIntError;
        #[inline]
        fn try_from(value: ::core::primitive::u64) -> ::core::result::Result<Self, Self::Error> {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::str::FromStr for A {
        type Err = ::addr_types::__private::ParseAddrError;
        #[inline]
        fn from_str(text: &::core::primitive::str) -> ::core::result::Result<Self, Self::Err> {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::ops::Add<::core::primitive::usize> for A {
        type Output = Self;
        #[inline]
        fn add(self, rhs: ::core::primitive::usize) -> Self {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::ops::AddAssign<::core::primitive::usize> for A {
        #[inline]
        fn add_assign(&mut self, rhs: ::core::primitive::usize) {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::ops::Sub<::core::primitive::usize> for A {
        type Output = Self;
        #[inline]
        fn sub(self, rhs: ::core::primitive::usize) -> Self {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::ops::Sub for A {
        type Output = ::core::primitive::usize;
        #[inline]
        fn sub(self, rhs: Self) -> ::core::primitive::usize {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::ops::SubAssign<::core::primitive::usize> for A {
        #[inline]
        fn sub_assign(&mut self, rhs: ::core::primitive::usize) {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::fmt::Display for A {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::fmt::Debug for A {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::fmt::LowerHex for A {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::core::unreachable!()
        }
    }
    #[allow(unused_variables)]
    #[automatically_derived]
    impl ::core::fmt::UpperHex for A {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::core::unreachable!()
        }
    }
    impl ::core::default::Default for A {
        fn default() -> Self {
            ::core::unreachable!()
        }
    }
    impl ::core::cmp::PartialEq for A {
        fn eq(&self, _: &Self) -> ::core::primitive::bool {
            ::core::unreachable!()
        }
    }
    impl ::core::cmp::Eq for A {}
    impl ::core::cmp::PartialOrd for A {
        fn partial_cmp(&self, _: &Self) -> ::core::option::Option<::core::cmp::Ordering> {
            ::core::unreachable!()
        }
    }
    impl ::core::cmp::Ord for A {
        fn cmp(&self, _: &Self) -> ::core::cmp::Ordering {
            ::core::unreachable!()
        }
    }
    impl ::core::hash::Hash for A {
        fn hash<H: ::core::hash::Hasher>(&self, _: &mut H) {
            ::core::unreachable!()
        }
    }
};
::core::compile_error!{
    "unknown `#[address]` option `prefx`; did you mean `prefix`?\nthe options are `prefix`, `range`, `generation`, `translates`, `serde` or `crate`"
}
::core::compile_error!{
    "`#[address]` expects a tuple struct with one `usize` field, found an enum; write `pub struct A(usize);`"
}
