//! The renamed-crate lookup against cargo itself: every manifest form of
//! `tests/support/forms.rs` builds (one workspace, one `cargo check`), and a
//! manifest edit leaves the same result as a clean build would.
//!
//! Both build in `CARGO_TARGET_TMPDIR` with a copy of the repository's lock
//! file, offline: the first run builds addr-types' dependencies there once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod support {
    pub mod forms;
}

use support::forms;

fn addr_types() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).with_file_name("addr-types")
}

fn scratch() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("manifest-forms")
}

/// `cargo check` of `workspace`, offline, in the shared target directory.
fn check(workspace: &Path, args: &[&str]) -> Output {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["check", "--offline", "--message-format=short"])
        .args(args)
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(scratch().join("target"))
        .output()
        .expect("cargo runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The repository's lock file, so the scratch workspaces resolve offline to
/// the versions already built.
fn copy_lock(workspace: &Path) {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).with_file_name("Cargo.lock");
    forms::write_if_changed(
        &workspace.join("Cargo.lock"),
        &fs::read_to_string(lock).unwrap(),
    );
}

#[test]
fn every_manifest_form_builds() {
    let workspace = scratch().join("forms");
    forms::write_workspace(&workspace, &addr_types());
    copy_lock(&workspace);
    let output = check(&workspace, &["--workspace", "--all-targets"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

/// A crate whose manifest is edited between builds.
struct Edited {
    workspace: PathBuf,
}

impl Edited {
    const PACKAGE: &'static str = "renamed-edited";

    fn new() -> Self {
        let workspace = scratch().join("edited");
        fs::create_dir_all(workspace.join("src")).unwrap();
        forms::write_if_changed(
            &workspace.join("src/lib.rs"),
            "//! Renames addr-types.\n#[k::address(range = KRange)]\npub struct K(usize);\n",
        );
        copy_lock(&workspace);
        Self { workspace }
    }

    /// Writes the manifest: `[package]`, then `dependencies`.
    fn manifest(&self, dependencies: &str) {
        let text = format!(
            "[package]\nname = {:?}\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n{}",
            Self::PACKAGE,
            dependencies.replace("{addr_types}", &forms::toml_path(&addr_types()))
        );
        fs::write(self.workspace.join("Cargo.toml"), text).unwrap();
    }

    /// The incremental build, then a clean one of the crate alone: both
    /// outputs.
    fn incremental_then_clean(&self) -> (Output, Output) {
        let incremental = check(&self.workspace, &[]);
        let clean = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["clean", "--offline", "-p", Self::PACKAGE])
            .arg("--manifest-path")
            .arg(self.workspace.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(scratch().join("target"))
            .output()
            .expect("cargo runs");
        assert!(clean.status.success(), "{}", stderr(&clean));
        (incremental, check(&self.workspace, &[]))
    }
}

const RENAMED: &str = "[dependencies]\nk = { package = \"addr-types\", path = {addr_types} }\n";

/// The same dependency, written as cargo also accepts it: no setting cargo
/// knows changes, so cargo rebuilds the crate only because the expansion
/// made the manifest one of its inputs.
const REFORMATTED: &[&str] = &[
    "[dependencies] # x\nk = { package = \"addr-types\", path = {addr_types} }\n",
    "[dependencies]\nk = { package = 'addr-types', path = {addr_types} }\n",
    "[dependencies]\nk = {\n    package = \"addr-types\",\n    path = {addr_types},\n}\n",
    "[dependencies]\nk.package = \"addr-types\" # renamed\nk.path = {addr_types}\n",
    "[dependencies.k]\npackage = \"addr-types\"\npath = {addr_types}\n",
];

/// The rename changed under the source's feet: `k` names nothing.
const RENAMED_OTHERWISE: &str =
    "[dependencies]\nk2 = { package = \"addr-types\", path = {addr_types} }\n";

#[test]
fn a_manifest_edit_builds_as_a_clean_build_does() {
    let edited = Edited::new();
    edited.manifest(RENAMED);
    let (incremental, clean) = edited.incremental_then_clean();
    assert!(incremental.status.success(), "{}", stderr(&incremental));
    assert!(clean.status.success(), "{}", stderr(&clean));

    for manifest in REFORMATTED {
        edited.manifest(manifest);
        let incremental = check(&edited.workspace, &[]);
        assert!(
            incremental.status.success(),
            "{manifest}\n{}",
            stderr(&incremental)
        );
        assert!(
            stderr(&incremental).contains(&format!("Checking {}", Edited::PACKAGE)),
            "editing the manifest did not rebuild the crate:\n{manifest}\n{}",
            stderr(&incremental)
        );
        let (_, clean) = edited.incremental_then_clean();
        assert!(clean.status.success(), "{manifest}\n{}", stderr(&clean));
    }

    // The rename stops resolving, and starts again: each incremental build
    // ends as the clean one does.
    for (manifest, resolves) in [(RENAMED_OTHERWISE, false), (RENAMED, true)] {
        edited.manifest(manifest);
        let (incremental, clean) = edited.incremental_then_clean();
        assert_eq!(clean.status.success(), resolves, "{}", stderr(&clean));
        assert_eq!(
            incremental.status.success(),
            resolves,
            "{manifest}\nincremental:\n{}\nclean:\n{}",
            stderr(&incremental),
            stderr(&clean)
        );
    }
}
