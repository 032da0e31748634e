//! Where addr-types is: the `crate = …` option, else its name in the
//! manifest ([`crate::manifest`]), else `::addr_types`.

use std::path::PathBuf;
use std::sync::Mutex;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::LitStr;

use crate::manifest::{self, Compiling};

/// `<crate>::__private`, through which the expansion reaches every runtime
/// item, and what keeps it fresh.
pub(crate) struct Runtime {
    pub path: TokenStream,
    /// An `include_bytes!` of each manifest the lookup read (see [`track`]),
    /// so rustc lists it among the crate's inputs and cargo rebuilds the
    /// crate when it changes; empty with `crate = …`, which reads nothing.
    pub tracked_files: TokenStream,
}

/// Where the crate being compiled is, as cargo tells rustc.
pub(crate) struct Environment {
    /// `CARGO_MANIFEST_DIR`: all the lookup needs. Without it (rustc run by
    /// hand) there is no manifest to read.
    pub manifest_dir: Option<PathBuf>,
    pub compiling: Compiling,
}

impl Environment {
    pub(crate) fn of_this_build() -> Self {
        // Cargo names every build script's crate `build_script_*`.
        let compiling = match std::env::var("CARGO_CRATE_NAME") {
            Ok(name) if name.starts_with("build_script_") => Compiling::BuildScript,
            _ => Compiling::Crate,
        };
        Self {
            manifest_dir: std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from),
            compiling,
        }
    }
}

pub(crate) fn runtime_path(crate_option: Option<&syn::Path>, environment: &Environment) -> Runtime {
    if let Some(path) = crate_option {
        return Runtime {
            path: quote!(#path::__private),
            tracked_files: TokenStream::new(),
        };
    }
    let lookup = environment
        .manifest_dir
        .as_deref()
        .map(|dir| manifest::lookup(dir, environment.compiling))
        .unwrap_or_default();
    let crate_root = lookup.renamed.map_or_else(
        || quote!(::addr_types),
        |name| {
            let name = Ident::new(&name, Span::call_site());
            quote!(::#name)
        },
    );
    Runtime {
        path: quote!(#crate_root::__private),
        tracked_files: track(&lookup.read),
    }
}

/// `const _: &[u8] = include_bytes!("/abs/Cargo.toml");` per file this
/// process has not tracked yet. rustc compiles one crate per process and
/// expands every macro of it in every build, incremental ones included, so
/// the first `#[address]` of the crate lists the file among its inputs for
/// all of them: one `include_bytes!` per type cost 3% of a `cargo check` of
/// 1000 types. A path that is no UTF-8 cannot be written in a literal and is
/// left untracked.
fn track(files: &[PathBuf]) -> TokenStream {
    static TRACKED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let Ok(mut tracked) = TRACKED.lock() else {
        return TokenStream::new();
    };
    files
        .iter()
        .filter(|file| !tracked.contains(file))
        .cloned()
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|file| {
            let literal = LitStr::new(file.to_str()?, Span::call_site());
            tracked.push(file);
            Some(quote! {
                const _: &[::core::primitive::u8] = ::core::include_bytes!(#literal);
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{runtime_path, track, Environment};
    use crate::manifest::Compiling;

    /// The manifest directory is all the lookup needs: no package name
    /// from the environment (addr-types' own is read from its manifest).
    #[test]
    fn the_manifest_directory_is_enough() {
        let dir = std::env::temp_dir().join(format!("addr-macros-dir-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let environment = Environment {
            manifest_dir: Some(dir.clone()),
            compiling: Compiling::Crate,
        };
        for (manifest, runtime) in [
            (
                "[dependencies]\nk = { package = \"addr-types\" }\n",
                ":: k :: __private",
            ),
            (
                "[package]\nname = \"addr-types\"\n[dev-dependencies]\nk = { package = \"addr-types\" }\n",
                ":: addr_types :: __private",
            ),
        ] {
            std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
            let found = runtime_path(None, &environment);
            assert_eq!(found.path.to_string(), runtime, "{manifest}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Each file is tracked by the first expansion that reads it, once.
    #[test]
    fn each_file_is_tracked_once_per_process() {
        let file = std::env::temp_dir().join(format!("addr-macros-track-{}", std::process::id()));
        let other = file.with_extension("other");
        let first = track(std::slice::from_ref(&file)).to_string();
        assert!(first.contains("include_bytes"), "{first}");
        assert!(first.contains(file.to_str().unwrap()), "{first}");
        assert!(track(std::slice::from_ref(&file)).is_empty());
        let both = track(&[file, other.clone()]).to_string();
        assert_eq!(both.matches("include_bytes").count(), 1, "{both}");
        assert!(both.contains(other.to_str().unwrap()), "{both}");
    }
}
