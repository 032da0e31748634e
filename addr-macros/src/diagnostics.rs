//! Collects every error of one macro call, so a user with three mistakes sees
//! three errors in one compile.

use proc_macro2::TokenStream;

#[derive(Default)]
pub(crate) struct Diagnostics {
    errors: Option<syn::Error>,
}

impl Diagnostics {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.errors {
            Some(errors) => errors.combine(error),
            None => self.errors = Some(error),
        }
    }

    /// The messages, in the order they were reported.
    #[cfg(test)]
    pub(crate) fn messages(&self) -> Vec<String> {
        self.errors
            .iter()
            .flat_map(|errors| errors.clone().into_iter())
            .map(|error| error.to_string())
            .collect()
    }

    /// One `compile_error!` per collected error, each at its own span.
    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.errors
            .map(syn::Error::into_compile_error)
            .unwrap_or_default()
    }
}
