//! Helpers shared by the `labrun drift` end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const LAYOUTS: [&str; 2] = ["locale-dirs", "docusaurus"];

pub fn fixture(layout: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/drift")
        .join(layout)
}

/// The translation root of a fixture layout, relative to the project.
pub fn ja_root(layout: &str) -> &'static str {
    match layout {
        "docusaurus" => "website/i18n/ja/docusaurus-plugin-content-docs/current",
        _ => "content/ja",
    }
}

pub fn en_root(layout: &str) -> &'static str {
    match layout {
        "docusaurus" => "website/docs",
        _ => "content/en",
    }
}

/// Runs labrun in `dir` with English messages and no colour.
pub fn labrun(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_labrun"))
        .args(args)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("labrun runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Copies a directory tree byte for byte.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A writable copy of a fixture layout.
pub fn scratch(layout: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(layout), dir.path());
    dir
}

pub fn md5_hex(bytes: &[u8]) -> String {
    labrun::drift::md5_hex(bytes)
}
