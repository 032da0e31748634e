//! The pipeline: tokens → (options, input) → checked → generated tokens, or
//! the fallback beside the errors.

use proc_macro2::TokenStream;

use crate::diagnostics::Diagnostics;
use crate::fallback;
use crate::generate;
use crate::input::{AddressInput, Rejected};
use crate::krate;
use crate::options::AddressOptions;
use crate::valid;

/// The whole macro at the proc_macro2 level: never panics, and always returns
/// the item (or what is left of it) beside its errors.
pub(crate) fn address(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut diagnostics = Diagnostics::default();
    let mut options = AddressOptions::parse(args, &mut diagnostics);
    let runtime = krate::runtime_path(&options);
    let mut tokens = match AddressInput::parse(item.clone(), &mut diagnostics) {
        Ok(input) => {
            valid::check(&mut options, &input, &mut diagnostics);
            let mut tokens = generate::item(&input);
            tokens.extend(generate::range_alias(&input, &options, &runtime));
            tokens.extend(generate::impls(&input, &options, &runtime));
            tokens
        }
        Err(Rejected::Named { item, user_derives }) => {
            fallback::stubs(&item, &user_derives, &runtime)
        }
        Err(Rejected::Other) => item,
    };
    tokens.extend(diagnostics.into_compile_errors());
    tokens
}
