//! `range = R`: `type R = <generation>::AddrRange<Self>;`, outside the
//! block so it is nameable.
//!
//! Only addr-types knows which of its generation features are on, so the
//! alias is written by a macro addr-types defines for every generation it
//! knows, `__private::range_alias::<module>!`: the alias when the
//! generation's feature is on, else the `compile_error!` this macro hands
//! it, which says what to write. The default generation never depends on
//! the features (see `Generation::DEFAULT`).

use proc_macro2::{Ident, TokenStream};
use quote::quote_spanned;
use syn::ext::IdentExt;
use syn::LitStr;

use super::respan;
use crate::input::AddressInput;
use crate::options::{AddressOptions, Generation};
use crate::suggest;

pub(crate) fn range_alias(
    input: &AddressInput,
    options: &AddressOptions,
    runtime: &TokenStream,
) -> TokenStream {
    let Some(range) = &options.range else {
        return TokenStream::new();
    };
    let (vis, ident) = (&input.vis, &input.ident);
    let (generation, named_at) = match &options.generation {
        Some((name, generation)) => (*generation, Some(name)),
        None => (Generation::DEFAULT, None),
    };
    let names = generation.names();
    let doc = format!(
        "A range of [`{ident}`]s, `[start, end)`: {}'s `AddrRange<{ident}>`.",
        names.crate_name
    );
    // Where an error about the generation's feature points: the
    // `generation` the user wrote, else the alias that asked for the default.
    let span = named_at.map_or_else(|| range.span(), Ident::span);
    let missing = LitStr::new(&feature_off(generation, named_at.is_some(), range), span);
    let runtime = respan(runtime.clone(), span);
    let module = Ident::new(names.module, span);
    // A deprecated type's range is deprecated too, for its users; naming
    // the type in the alias is no use of it.
    let deprecated = input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("deprecated"));
    quote_spanned! {span=>
        #runtime::range_alias::#module! {
            #[doc = #doc]
            #(#deprecated)*
            #[allow(deprecated)]
            #vis type #range = #ident, #missing
        }
    }
}

/// What to write when the generation's feature is off.
fn feature_off(generation: Generation, chosen: bool, range: &Ident) -> String {
    let names = generation.names();
    if chosen {
        return format!(
            "`generation = {}` needs addr-types' `{}` feature: add it to the `features` of your addr-types dependency",
            names.module, names.feature
        );
    }
    let others: Vec<String> = Generation::ALL
        .iter()
        .filter(|&&other| other != generation)
        .map(|other| format!("generation = {}", other.names().module))
        .collect();
    let others: Vec<&str> = others.iter().map(String::as_str).collect();
    format!(
        "`range = {}` names the `AddrRange` of the default generation, {}, and addr-types' `{}` feature is off: add {} (the generation whose feature you enabled), or enable `{}`",
        range.unraw(),
        names.crate_name,
        names.feature,
        suggest::one_of(&others),
        names.feature
    )
}

#[cfg(test)]
mod tests {
    use proc_macro2::{Ident, Span};

    use super::feature_off;
    use crate::options::Generation;

    #[test]
    fn the_default_names_every_other_generation() {
        let range = Ident::new("GpaRange", Span::call_site());
        assert_eq!(
            feature_off(Generation::DEFAULT, false, &range),
            "`range = GpaRange` names the `AddrRange` of the default generation, ax-memory-addr 0.7, \
             and addr-types' `ax-memory-addr-07` feature is off: add `generation = ax_memory_addr_06` \
             or `generation = memory_addr_04` (the generation whose feature you enabled), or enable \
             `ax-memory-addr-07`"
        );
        assert_eq!(
            feature_off(Generation::MemoryAddr04, true, &range),
            "`generation = memory_addr_04` needs addr-types' `memory-addr-04` feature: add it to \
             the `features` of your addr-types dependency"
        );
    }
}
