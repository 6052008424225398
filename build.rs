//! Embeds every `locales/<lang>/*.ftl` file into the binary, so labrun's own
//! messages work from any directory and no list of files must be kept by hand.
//!
//! Also tells the tests which optional prerequisites are missing, so that a
//! test that cannot run shows as *ignored* instead of passing without
//! testing: `labrun_skip_chromium` (no headless browser for the HTML test),
//! `labrun_skip_man` (no `man` to render the man page) and
//! `labrun_skip_seeds` (no `../shared/seeds` reference pages). Under
//! `CI=true` neither is ever set: there a missing prerequisite fails.
use std::{
    env, fs,
    path::{Path, PathBuf},
};

/// Where the HTML test looks for a browser (tests/render_chromium.rs).
const CHROMIUM: [&str; 2] = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

fn main() {
    prerequisites();
    // Read at run time: `env!` would bake in the directory the build script
    // was compiled in, and a copied target/ would then embed another
    // checkout's messages.
    let root =
        Path::new(&env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut entries = Vec::new();
    for lang in fs::read_dir(&root).expect("locales/ exists") {
        let lang = lang.expect("readable locales/ entry").path();
        if !lang.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", lang.display());
        for file in fs::read_dir(&lang).expect("readable locale dir") {
            let file = file.expect("readable locale file").path();
            if file.extension().is_some_and(|e| e == "ftl") {
                println!("cargo:rerun-if-changed={}", file.display());
                let name = lang.file_name().unwrap().to_string_lossy().into_owned();
                entries.push((name, file));
            }
        }
    }
    entries.sort();
    let mut out = String::from(
        "/// (language, file name, Fluent source) for every bundled `.ftl` file.\npub static FTL_FILES: &[(&str, &str, &str)] = &[\n",
    );
    for (lang, file) in &entries {
        let fname = file.file_name().unwrap().to_string_lossy();
        out.push_str(&format!(
            "    ({lang:?}, {fname:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("locales.rs");
    fs::write(dest, out).expect("write locales.rs");
}

/// Emits the skip cfgs. The build script reruns when `CI` changes or a
/// prerequisite appears or goes: it watches the prerequisite when present,
/// else the directory it would appear in (never a missing path, which would
/// make cargo rebuild every time, and never a huge tree: when not even
/// `../shared` exists, adding it later needs `touch build.rs`).
fn prerequisites() {
    println!("cargo::rustc-check-cfg=cfg(labrun_skip_chromium)");
    println!("cargo::rustc-check-cfg=cfg(labrun_skip_seeds)");
    println!("cargo::rustc-check-cfg=cfg(labrun_skip_man)");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=LABRUN_CHROMIUM");
    let ci = env::var("CI").is_ok_and(|v| v == "true");

    let browser = env::var_os("LABRUN_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(CHROMIUM.iter().map(PathBuf::from))
        .find(|p| p.is_file());
    match &browser {
        Some(p) => println!("cargo::rerun-if-changed={}", p.display()),
        None => println!("cargo::rerun-if-changed=/usr/bin"),
    }
    if browser.is_none() && !ci {
        println!("cargo::rustc-cfg=labrun_skip_chromium");
    }

    // `man`, for the man page test (tests/terminal.rs).
    let man = env::var_os("PATH")
        .map(|p| {
            env::split_paths(&p)
                .map(|d| d.join("man"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .find(|p| p.is_file());
    match &man {
        Some(p) => println!("cargo::rerun-if-changed={}", p.display()),
        None => println!("cargo::rerun-if-changed=/usr/bin"),
    }
    if man.is_none() && !ci {
        println!("cargo::rustc-cfg=labrun_skip_man");
    }

    let shared =
        Path::new(&env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("../shared");
    let seeds = shared.join("seeds");
    if seeds.is_dir() {
        println!("cargo::rerun-if-changed={}", seeds.display());
    } else if shared.is_dir() {
        println!("cargo::rerun-if-changed={}", shared.display());
    }
    if !seeds.is_dir() && !ci {
        println!("cargo::rustc-cfg=labrun_skip_seeds");
    }
}
