// Left out: 20 items that `#[address()] #[deprecated = "use Ipa"] pub struct Gpa(usize);` expands to as well.
::addr_types::__private::range_alias::ax_memory_addr_07!{
    #[doc = "A range of [`Gpa`]s, `[start, end)`: ax-memory-addr 0.7's `AddrRange<Gpa>`."]
    #[deprecated = "use Ipa"]
    #[allow(deprecated)]
    pub type GpaRange = Gpa,
    "`range = GpaRange` names the `AddrRange` of the default generation, ax-memory-addr 0.7, and addr-types' `ax-memory-addr-07` feature is off: add `generation = ax_memory_addr_06` or `generation = memory_addr_04` (the generation whose feature you enabled), or enable `ax-memory-addr-07`"
}
#[allow(deprecated)]
const _: () = {
    ::addr_types::__private::impl_translates!(Gpa, HostVirtual, addr);
};
