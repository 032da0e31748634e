//! Checks that need both the options and the item: each mistake is reported
//! and the offending option dropped, so the expansion goes on without it.

use syn::ext::IdentExt;

use crate::diagnostics::Diagnostics;
use crate::input::AddressInput;
use crate::options::AddressOptions;

/// Drops (reporting it) a generation with no range alias to apply to, and a
/// range alias named like the type itself.
pub(crate) fn check(
    options: &mut AddressOptions,
    input: &AddressInput,
    diagnostics: &mut Diagnostics,
) {
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
