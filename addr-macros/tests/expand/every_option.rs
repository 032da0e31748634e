// Left out: 17 items that `#[address(crate = ::kernel::addr)] pub(crate) struct Gpa(pub usize);` expands to as well.
::kernel::addr::__private::range_alias::memory_addr_04!{
    #[doc = "A range of [`Gpa`]s, `[start, end)`: memory_addr 0.4's `AddrRange<Gpa>`."]
    #[allow(deprecated)]
    pub(crate) type GpaRange = Gpa,
    "`generation = memory_addr_04` needs addr-types' `memory-addr-04` feature: add it to the `features` of your addr-types dependency"
}
#[allow(deprecated)]
const _: () = {
    #[allow(dead_code)]
    fn serializer() {}
    #[allow(dead_code)]
    fn deserializer() {}
    #[automatically_derived]
    impl ::core::fmt::Debug for Gpa {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::kernel::addr::__private::fmt_lower_hex(f, "GPA", self.0)
        }
    }
    #[automatically_derived]
    impl ::core::fmt::LowerHex for Gpa {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::kernel::addr::__private::fmt_lower_hex(f, "GPA", self.0)
        }
    }
    #[automatically_derived]
    impl ::core::fmt::UpperHex for Gpa {
        #[inline]
        fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
            ::kernel::addr::__private::fmt_upper_hex(f, "GPA", self.0)
        }
    }
    ::kernel::addr::__private::impl_serde!(Gpa, serde, serializer, deserializer);
    ::kernel::addr::__private::impl_translates!(Gpa, GuestPhysical, addr);
};
