//! Embeds every `locales/<lang>/*.ftl` file into the binary, so labrun's own
//! messages work from any directory and no list of files must be kept by hand.
use std::{env, fs, path::Path};

fn main() {
    // Read at run time: `env!` would bake in the directory the build script
    // was compiled in, and a copied target/ would then embed another
    // checkout's messages.
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir).join("locales");
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
