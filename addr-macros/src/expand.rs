//! The pipeline: tokens → (options, input) → consistent options →
//! generated tokens, or the fallback beside the errors.

use proc_macro2::TokenStream;

use crate::crate_path::{self, Environment};
use crate::cross_check;
use crate::diagnostics::Diagnostics;
use crate::fallback;
use crate::generate;
use crate::input::{AddressInput, Rejected};
use crate::options::AddressOptions;

/// The whole macro at the proc_macro2 level, in the build that runs it.
pub(crate) fn address(args: TokenStream, item: TokenStream) -> TokenStream {
    address_in(args, item, &Environment::of_this_build())
}

/// The whole macro for a crate without a manifest (`crate = …` or
/// `::addr_types`), as the tests expand it: their output does not depend on
/// where the repository is.
#[cfg(test)]
pub(crate) fn address_without_manifest(args: TokenStream, item: TokenStream) -> TokenStream {
    let environment = Environment {
        manifest_dir: None,
        compiling: crate::manifest::Compiling::Crate,
    };
    address_in(args, item, &environment)
}

/// The whole macro, for a crate in `environment`: never panics, and always
/// returns the item (or what is left of it) beside its errors.
pub(crate) fn address_in(
    args: TokenStream,
    item: TokenStream,
    environment: &Environment,
) -> TokenStream {
    let mut diagnostics = Diagnostics::default();
    let options = AddressOptions::parse(args, &mut diagnostics);
    let runtime = crate_path::runtime_path(options.crate_path.as_ref(), environment);
    let mut tokens = match AddressInput::parse(item.clone(), &mut diagnostics) {
        Ok(input) => {
            let options = cross_check::consistent_options(options, &input, &mut diagnostics);
            let mut tokens = generate::item(&input);
            tokens.extend(generate::range_alias(&input, &options, &runtime.path));
            tokens.extend(generate::impls(&input, &options, &runtime.path));
            tokens
        }
        Err(Rejected::Named { item, user_derives }) => {
            fallback::stubs(&item, &user_derives, &runtime.path)
        }
        Err(Rejected::Other) => item,
    };
    tokens.extend(runtime.tracked_files);
    tokens.extend(diagnostics.into_compile_errors());
    tokens
}
