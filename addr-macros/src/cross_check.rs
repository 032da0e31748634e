//! Checks that need both the options and the item: each mistake is reported
//! and the offending option left out of the options the expansion uses.

use syn::ext::IdentExt;

use crate::diagnostics::Diagnostics;
use crate::input::AddressInput;
use crate::options::AddressOptions;

/// The options without (each reported) a generation with no range alias to
/// apply to, a range alias named like the type itself, and `serde` on a
/// type that derives serde's traits itself.
pub(crate) fn consistent_options(
    options: AddressOptions,
    input: &AddressInput,
    diagnostics: &mut Diagnostics,
) -> AddressOptions {
    let mut serde = options.serde;
    if let Some(derive) = ["Serialize", "Deserialize"]
        .into_iter()
        .find(|name| input.derives(name))
    {
        if let Some(serde) = serde.take() {
            diagnostics.push(syn::Error::new_spanned(
                serde,
                format!(
                    "`serde` asks for the `{derive}` impl that this type derives itself: remove `serde`, or `{derive}` from the derive"
                ),
            ));
        }
    }
    let mut generation = options.generation;
    if options.range.is_none() {
        if let Some((name, _)) = generation.take() {
            diagnostics.push(syn::Error::new(
                name.span(),
                format!(
                    "`generation` only chooses the `AddrRange` behind `range`: add `range = {}Range` or remove `generation`",
                    input.ident.unraw()
                ),
            ));
        }
    }
    let mut range = options.range;
    if range.as_ref() == Some(&input.ident) {
        diagnostics.push(syn::Error::new_spanned(
            range.take(),
            format!(
                "the range alias needs its own name, e.g. `range = {}Range`",
                input.ident.unraw()
            ),
        ));
    }
    AddressOptions {
        range,
        generation,
        serde,
        ..options
    }
}
