//! The `#[address]` attribute macro of [addr-types](https://docs.rs/addr-types).
//!
//! Use it through `addr_types::address`; this crate holds only the code
//! generator. See the addr-types documentation for the attribute reference.

mod diagnostics;
mod expand;
mod fallback;
#[cfg(test)]
mod fuzz;
mod input;
mod options;
mod riscv;
mod suggest;

/// Turns `struct Name(usize);` into a strongly typed memory address.
///
/// See [addr-types](https://docs.rs/addr-types) for the options and for
/// what is generated.
#[proc_macro_attribute]
pub fn address(
    attr: proc_macro::TokenStream,
    item: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand::address(attr.into(), item.into()).into()
}
