// Left out: 19 items that `#[address()] struct A(usize);` expands to as well.
#[derive(Clone)]
#[repr(transparent)]
#[derive(::core::marker::Copy, ::core::default::Default, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::cmp::PartialOrd, ::core::cmp::Ord, ::core::hash::Hash)]
struct A(::core::primitive::usize);
::core::compile_error!{
    "`#[address]` implements `Debug` itself (printing `PREFIX:0x…`); remove `Debug` from this derive"
}
::core::compile_error!{
    "`#[address]` makes the type `#[repr(transparent)]` so it has exactly the layout of a `usize`; remove this `#[repr]`"
}
::core::compile_error!{
    "address types cannot have generic parameters or lifetimes; remove them"
}
::core::compile_error!{
    "expected `usize`: an address type wraps exactly one `usize`; write `struct A(usize);`"
}
