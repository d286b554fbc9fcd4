//! Writes the table of typed answer decoders, one per spec file (the same
//! table as the workspace tests' `build.rs`).

use std::path::Path;

use heck::ToPascalCase;

fn main() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    println!("cargo::rerun-if-changed={}", spec.display());
    let mut ids: Vec<String> = std::fs::read_dir(&spec)
        .expect("the spec directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|stem| stem != "schema")
        .collect();
    ids.sort();
    let mut table = String::from("match id {\n");
    for id in &ids {
        table.push_str(&format!(
            "    {id:?} => Some(run::<hwmeeting_api::model::{}Response>(id, status, headers, body)),\n",
            id.to_pascal_case()
        ));
    }
    table.push_str("    _ => None,\n}\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("typed_decode.rs");
    std::fs::write(out, table).expect("the table is written");
}
