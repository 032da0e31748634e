//! Checks that need both the options and the item: each mistake is reported
//! and the offending option dropped, so the expansion goes on without it.

use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::{Path, Token};

use crate::diagnostics::Diagnostics;
use crate::input::AddressInput;
use crate::options::AddressOptions;

/// Drops (reporting it) a generation with no range alias to apply to, a
/// range alias named like the type itself, and `serde` on a type that
/// derives serde's traits itself.
pub(crate) fn check(
    options: &mut AddressOptions,
    input: &AddressInput,
    diagnostics: &mut Diagnostics,
) {
    if let Some(derive) = options.serde.as_ref().and(serde_derive(input)) {
        let serde = options.serde.take();
        diagnostics.push(syn::Error::new_spanned(
            serde,
            format!(
                "`serde` asks for the `{derive}` impl that this type derives itself: remove `serde`, or `{derive}` from the derive"
            ),
        ));
    }
    if options.range.is_none() {
        if let Some((name, _)) = options.generation.take() {
            diagnostics.push(syn::Error::new(
                name.span(),
                format!(
                    "`generation` only chooses the `AddrRange` behind `range`: add `range = {}Range` or remove `generation`",
                    input.ident.unraw()
                ),
            ));
        }
    }
    if options.range.as_ref() == Some(&input.ident) {
        let range = options.range.take();
        diagnostics.push(syn::Error::new_spanned(
            range,
            format!(
                "the range alias needs its own name, e.g. `range = {}Range`",
                input.ident.unraw()
            ),
        ));
    }
}

/// The first of serde's traits the item derives, by its last path segment.
fn serde_derive(input: &AddressInput) -> Option<String> {
    input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .filter_map(|attr| {
            attr.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .filter_map(|path| path.segments.last().map(|last| last.ident.to_string()))
        .find(|name| name == "Serialize" || name == "Deserialize")
}
