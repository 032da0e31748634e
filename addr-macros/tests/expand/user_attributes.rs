// Left out: 16 items that `#[address()] pub struct A(pub usize);` expands to as well.
#[doc = r" Docs."]
#[derive(Clone, core::hash::Hash)]
#[repr(transparent)]
#[derive(::core::marker::Copy, ::core::default::Default, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::cmp::PartialOrd, ::core::cmp::Ord)]
pub struct A(#[doc = "raw"] pub ::core::primitive::usize);
#[allow(deprecated)]
const _: () = {
    #[automatically_derived]
    impl ::core::fmt::Debug for A {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::addr_types::__private::fmt_lower_hex(f, "HVA", self.0)
        }
    }
    #[automatically_derived]
    impl ::core::fmt::LowerHex for A {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::addr_types::__private::fmt_lower_hex(f, "HVA", self.0)
        }
    }
    #[automatically_derived]
    impl ::core::fmt::UpperHex for A {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::addr_types::__private::fmt_upper_hex(f, "HVA", self.0)
        }
    }
};
