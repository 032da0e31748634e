#[repr(transparent)]
#[derive(::core::clone::Clone, ::core::marker::Copy, ::core::default::Default, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::cmp::PartialOrd, ::core::cmp::Ord, ::core::hash::Hash)]
pub struct Gpa(::core::primitive::usize);
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
    #[allow(clippy::should_implement_trait)]
    impl Gpa {
        #[doc = "Converts a `usize` to a [`Gpa`]."]
        #[inline]
        #[must_use]
        pub const fn from_usize(addr: ::core::primitive::usize) -> Self {
            Self(addr)
        }
        #[doc = "Converts a [`Gpa`] to a `usize`."]
        #[inline]
        #[must_use]
        pub const fn as_usize(self) -> ::core::primitive::usize {
            self.0
        }
        #[doc = "Converts a [`Gpa`] to a `u64`: lossless on every target Rust supports."]
        #[inline]
        #[must_use]
        pub const fn as_u64(self) -> ::core::primitive::u64 {
            ::addr_types::__private::usize_to_u64(self.0)
        }
        #[doc = "Rounds the [`Gpa`] down to a 4 KiB boundary."]
        #[inline]
        #[must_use]
        pub const fn align_down_4k(self) -> Self {
            Self(::addr_types::__private::align_down_4k(self.0))
        }
        #[doc = "Rounds the [`Gpa`] up to a 4 KiB boundary."]
        #[inline]
        #[must_use]
        pub const fn align_up_4k(self) -> Self {
            Self(::addr_types::__private::align_up_4k(self.0))
        }
        #[doc = "Returns the offset of the [`Gpa`] within its 4 KiB page."]
        #[inline]
        #[must_use]
        pub const fn align_offset_4k(self) -> ::core::primitive::usize {
            ::addr_types::__private::align_offset_4k(self.0)
        }
        #[doc = "Returns whether the [`Gpa`] is 4 KiB aligned."]
        #[inline]
        #[must_use]
        pub const fn is_aligned_4k(self) -> ::core::primitive::bool {
            ::addr_types::__private::is_aligned_4k(self.0)
        }
        #[doc = "`MemoryAddr::add`, usable in `const`: panics on overflow."]
        #[inline]
        #[must_use]
        pub const fn add(self, rhs: ::core::primitive::usize) -> Self {
            Self(::addr_types::__private::add(self.0, rhs))
        }
        #[doc = "`MemoryAddr::checked_add`, usable in `const`: `None` on overflow."]
        #[inline]
        #[must_use]
        pub const fn checked_add(self, rhs: ::core::primitive::usize) -> ::core::option::Option<Self> {
            match self.0.checked_add(rhs) {
                ::core::option::Option::Some(addr) => ::core::option::Option::Some(Self(addr)),
                ::core::option::Option::None => ::core::option::Option::None,
            }
        }
        #[doc = "`MemoryAddr::wrapping_add`, usable in `const`."]
        #[inline]
        #[must_use]
        pub const fn wrapping_add(self, rhs: ::core::primitive::usize) -> Self {
            Self(self.0.wrapping_add(rhs))
        }
        #[doc = "`MemoryAddr::sub`, usable in `const`: panics on overflow. For the distance to another address, `a - b` or `a.sub_addr(b)`."]
        #[inline]
        #[must_use]
        pub const fn sub(self, rhs: ::core::primitive::usize) -> Self {
            Self(::addr_types::__private::sub(self.0, rhs))
        }
        #[doc = "`MemoryAddr::checked_sub`, usable in `const`: `None` on overflow."]
        #[inline]
        #[must_use]
        pub const fn checked_sub(self, rhs: ::core::primitive::usize) -> ::core::option::Option<Self> {
            match self.0.checked_sub(rhs) {
                ::core::option::Option::Some(addr) => ::core::option::Option::Some(Self(addr)),
                ::core::option::Option::None => ::core::option::Option::None,
            }
        }
        #[doc = "`MemoryAddr::wrapping_sub`, usable in `const`."]
        #[inline]
        #[must_use]
        pub const fn wrapping_sub(self, rhs: ::core::primitive::usize) -> Self {
            Self(self.0.wrapping_sub(rhs))
        }
        #[doc = "`MemoryAddr::sub_addr`, usable in `const`: panics on overflow."]
        #[inline]
        #[must_use]
        pub const fn sub_addr(self, rhs: Self) -> ::core::primitive::usize {
            ::addr_types::__private::sub_addr(self.0, rhs.0)
        }
        #[doc = "`MemoryAddr::checked_sub_addr`, usable in `const`: `None` on overflow."]
        #[inline]
        #[must_use]
        pub const fn checked_sub_addr(self, rhs: Self) -> ::core::option::Option<::core::primitive::usize> {
            self.0.checked_sub(rhs.0)
        }
        #[doc = "`MemoryAddr::wrapping_sub_addr`, usable in `const`."]
        #[inline]
        #[must_use]
        pub const fn wrapping_sub_addr(self, rhs: Self) -> ::core::primitive::usize {
            self.0.wrapping_sub(rhs.0)
        }
    }
    #[automatically_derived]
    impl ::core::convert::From<::core::primitive::usize> for Gpa {
        #[inline]
        fn from(addr: ::core::primitive::usize) -> Self {
            Self(addr)
        }
    }
    #[automatically_derived]
    impl ::core::convert::From<Gpa> for ::core::primitive::usize {
        #[inline]
        fn from(addr: Gpa) -> Self {
            addr.0
        }
    }
    #[automatically_derived]
    impl ::core::convert::TryFrom<::core::primitive::u64> for Gpa {
        type Error = ::core::num::TryFromIntError;
        #[inline]
        fn try_from(value: ::core::primitive::u64) -> ::core::result::Result<Self, Self::Error> {
            ::core::result::Result::map(<::core::primitive::usize as ::core::convert::TryFrom<::core::primitive::u64>> ::try_from(value), Self)
        }
    }
    #[automatically_derived]
    impl ::core::str::FromStr for Gpa {
        type Err = ::addr_types::__private::ParseAddrError;
        #[inline]
        fn from_str(text: &::core::primitive::str) -> ::core::result::Result<Self, Self::Err> {
            ::core::result::Result::map(::addr_types::__private::parse_addr(text), Self)
        }
    }
    #[automatically_derived]
    impl ::core::ops::Add<::core::primitive::usize> for Gpa {
        type Output = Self;
        #[inline]
        fn add(self, rhs: ::core::primitive::usize) -> Self {
            Self(self.0 + rhs)
        }
    }
    #[automatically_derived]
    impl ::core::ops::AddAssign<::core::primitive::usize> for Gpa {
        #[inline]
        fn add_assign(&mut self, rhs: ::core::primitive::usize) {
            self.0 += rhs;
        }
    }
    #[automatically_derived]
    impl ::core::ops::Sub<::core::primitive::usize> for Gpa {
        type Output = Self;
        #[inline]
        fn sub(self, rhs: ::core::primitive::usize) -> Self {
            Self(self.0 - rhs)
        }
    }
    #[automatically_derived]
    impl ::core::ops::Sub for Gpa {
        type Output = ::core::primitive::usize;
        #[inline]
        fn sub(self, rhs: Self) -> ::core::primitive::usize {
            self.0 - rhs.0
        }
    }
    #[automatically_derived]
    impl ::core::ops::SubAssign<::core::primitive::usize> for Gpa {
        #[inline]
        fn sub_assign(&mut self, rhs: ::core::primitive::usize) {
            self.0 -= rhs;
        }
    }
    #[automatically_derived]
    impl ::core::fmt::Display for Gpa {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::addr_types::__private::fmt_display(f, self.0)
        }
    }
    #[automatically_derived]
    impl ::core::fmt::Debug for Gpa {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::addr_types::__private::fmt_lower_hex(f, "Gpa", self.0)
        }
    }
    #[automatically_derived]
    impl ::core::fmt::LowerHex for Gpa {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::addr_types::__private::fmt_lower_hex(f, "Gpa", self.0)
        }
    }
    #[automatically_derived]
    impl ::core::fmt::UpperHex for Gpa {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::addr_types::__private::fmt_upper_hex(f, "Gpa", self.0)
        }
    }
};
