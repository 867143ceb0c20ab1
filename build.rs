//! Embeds the bundled themes (`themes/*`) in the binary, so a handbook
//! without its own `themes/` folder still builds with `theme: default`.
//! Every file becomes an `include_bytes!` entry; cargo re-runs this script
//! whenever anything under `themes/` changes.

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=themes");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let themes = root.join("themes");
    let mut files = Vec::new();
    collect(&themes, &mut files);
    files.sort();
    let mut out = String::from("/// Bundled theme files: (path under themes/, bytes).\npub static BUNDLED_THEME_FILES: &[(&str, &[u8])] = &[\n");
    for file in files {
        let rel = file
            .strip_prefix(&themes)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        println!("cargo:rerun-if-changed={}", file.display());
        let _ = writeln!(
            out,
            "    ({rel:?}, include_bytes!({:?})),",
            file.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("bundled_themes.rs");
    std::fs::write(dest, out).unwrap();
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, out);
        } else if !entry.file_name().to_string_lossy().starts_with('.') {
            out.push(path);
        }
    }
}
