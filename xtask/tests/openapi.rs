//! `openapi.json` is usable: it is fresh, it parses as OpenAPI 3.0 with
//! the openapiv3 crate, progenitor generates a client from it, and it says
//! what the spec says (one operation per spec file, the credential as
//! security, secrets marked). The fixture endpoint's document is checked in
//! as a golden file.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

mod common;
use common::{on_fixture, root, text};

use serde_json::Value;
use xtask::codegen::{self, Options};
use xtask::spec;

fn workspace_document() -> String {
    fs::read_to_string(root().join("openapi.json")).expect("openapi.json at the workspace root")
}

fn specs() -> Vec<spec::SpecFile> {
    let root = root();
    spec::load_dir(
        &root.join("spec"),
        "spec",
        &root.join("spec").join(spec::SCHEMA_FILE),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn openapi_json_is_up_to_date() {
    let root = root();
    let options = Options::workspace(&root, root.join("spec"), "spec".into());
    let path = root.join("openapi.json");
    let generated =
        codegen::generate_openapi(&options, &path).unwrap_or_else(|e| panic!("spec errors:\n{e}"));
    assert!(
        codegen::check_files(&[generated]).is_empty(),
        "openapi.json differs from spec/ (run `cargo xtask openapi` or `cargo xtask codegen`)"
    );
}

/// The document parsed by openapiv3, and turned into a client by
/// progenitor; the client is Rust that parses.
fn generate_client(document: &str) -> String {
    let spec: openapiv3::OpenAPI =
        serde_json::from_str(document).unwrap_or_else(|e| panic!("openapiv3 rejects it: {e}"));
    assert_eq!(spec.openapi, "3.0.3");
    let mut generator = progenitor::Generator::new(&progenitor::GenerationSettings::default());
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| panic!("progenitor rejects it: {e}"));
    let file: syn::File = syn::parse2(tokens).expect("progenitor's client parses as Rust");
    prettyplease::unparse(&file)
}

/// The document without its uploads: progenitor generates no client for
/// a `multipart/form-data` body (it refuses the whole document), so they
/// are left out of what it is given; openapiv3 still reads them below.
fn without_uploads(document: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(document).unwrap();
    for item in value["paths"].as_object_mut().unwrap().values_mut() {
        let item = item.as_object_mut().unwrap();
        item.retain(|_, op| op["requestBody"]["content"]["multipart/form-data"].is_null());
    }
    value["paths"]
        .as_object_mut()
        .unwrap()
        .retain(|_, item| !item.as_object().unwrap().is_empty());
    serde_json::to_string(&value).unwrap()
}

#[test]
fn openapiv3_parses_it_and_progenitor_generates_a_client() {
    let document = workspace_document();
    let client = generate_client(&without_uploads(&document));
    let specs = specs();
    for file in &specs {
        let id = &file.spec.id;
        if file
            .spec
            .parameters
            .iter()
            .any(|p| p.location == Some(spec::In::Form))
        {
            continue;
        }
        assert!(
            client.contains(&format!("pub async fn {id}<"))
                || client.contains(&format!("pub async fn {id}(")),
            "the generated client has no method `{id}`"
        );
    }

    // Every operation once, with the spec's path and method.
    let parsed: openapiv3::OpenAPI = serde_json::from_str(&document).unwrap();
    let mut seen = BTreeSet::new();
    for (path, item) in parsed.paths.paths.iter() {
        let item = item.as_item().expect("path items are inline");
        for (method, op) in item.iter() {
            let id = op.operation_id.clone().expect("operationId");
            let spec = &specs
                .iter()
                .find(|f| f.spec.id == id)
                .unwrap_or_else(|| panic!("operation `{id}` has no spec file"))
                .spec;
            assert_eq!(path, &spec.path, "{id}");
            assert_eq!(method.to_ascii_uppercase(), spec.method, "{id}");
            assert_eq!(op.tags, vec![spec.group.clone()], "{id}");
            assert!(seen.insert(id));
        }
    }
    assert_eq!(seen.len(), specs.len());
}

#[test]
fn progenitor_generates_a_client_for_the_fixture() {
    let golden =
        fs::read_to_string(root().join("xtask/tests/golden/fixture_openapi.json")).unwrap();
    let client = generate_client(&without_uploads(&golden));
    assert!(
        client.contains("pub async fn rename_participant_fixture"),
        "{client}"
    );
}

/// The parts of the document the spec decides, read as plain JSON.
#[test]
fn security_secrets_and_credential_headers_follow_the_spec() {
    let document: Value = serde_json::from_str(&workspace_document()).unwrap();
    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["appSignature"]["name"], "Authorization");
    assert_eq!(schemes["appSignature"]["in"], "header");
    assert_eq!(schemes["accountBasic"]["scheme"], "basic");
    assert_eq!(schemes["accessToken"]["name"], "X-Access-Token");
    assert_eq!(
        schemes["conferenceToken"]["name"],
        "X-Conference-Authorization"
    );
    assert_eq!(
        document["components"]["responses"]["ApiError"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ApiError"
    );

    for file in specs() {
        let spec = &file.spec;
        let op = &document["paths"][&spec.path][spec.method.to_ascii_lowercase()];
        let security = op["security"].as_array().expect("security");
        match xtask::openapi::security_scheme(spec.auth.kind) {
            Some(scheme) => {
                assert_eq!(security.len(), 1, "{}", spec.id);
                assert!(security[0].get(scheme).is_some(), "{}", spec.id);
                // The scheme carries the credential header: no parameter
                // repeats it.
                let header = spec.auth.header.as_deref().unwrap();
                for p in op["parameters"].as_array().into_iter().flatten() {
                    assert!(
                        !(p["in"] == "header"
                            && p["name"].as_str().unwrap().eq_ignore_ascii_case(header)),
                        "{}: {header} is both the security scheme and a parameter",
                        spec.id
                    );
                }
            }
            None => assert!(security.is_empty(), "{}", spec.id),
        }
        for p in spec
            .parameters
            .iter()
            .filter(|p| !matches!(p.location, Some(spec::In::Body | spec::In::Form)))
        {
            let found = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|q| q["name"] == p.wire_name())
                .unwrap_or_else(|| panic!("{}: no parameter {}", spec.id, p.wire_name()));
            assert_eq!(found["required"], p.is_required(), "{}", spec.id);
            if p.secret {
                assert_eq!(found["schema"]["format"], "password", "{}", spec.id);
            }
        }
        // A form part is a property of the multipart body.
        let form = &op["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"];
        for p in spec
            .parameters
            .iter()
            .filter(|p| p.location == Some(spec::In::Form))
        {
            assert!(
                form.get(p.wire_name()).is_some(),
                "{}: {}",
                spec.id,
                p.wire_name()
            );
        }
        let body = &op["requestBody"]["content"]["application/json"]["schema"]["properties"];
        for p in spec
            .parameters
            .iter()
            .filter(|p| p.location == Some(spec::In::Body) && !p.whole_body)
        {
            assert!(
                body.get(p.wire_name()).is_some(),
                "{}: {}",
                spec.id,
                p.wire_name()
            );
            if p.secret {
                assert_eq!(body[p.wire_name()]["format"], "password", "{}", spec.id);
            }
        }
        assert!(op["responses"]["200"].is_object(), "{}", spec.id);
        for range in ["4XX", "5XX"] {
            assert_eq!(
                op["responses"][range]["$ref"], "#/components/responses/ApiError",
                "{}",
                spec.id
            );
        }
    }
}

/// `cargo xtask openapi` writes the fixture's document, which matches the
/// golden file (`UPDATE_GOLDEN=1` rewrites it); `--check` names the file
/// when it is missing or stale, and passes when it is fresh.
#[test]
fn fixture_document_matches_the_golden_file_and_check_names_a_stale_one() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("openapi.json");
    let file_path = file.to_str().unwrap();
    let run = |check: bool| on_fixture("openapi", &["--out", file_path], check);

    let missing = run(true);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        text(&missing.stderr).contains("missing: "),
        "{}",
        text(&missing.stderr)
    );
    assert!(!file.exists());

    let written = run(false);
    assert!(written.status.success(), "{}", text(&written.stderr));
    assert!(run(true).status.success());

    let fresh = fs::read_to_string(&file).unwrap();
    assert!(fresh.ends_with("}\n"));
    let golden = root().join("xtask/tests/golden/fixture_openapi.json");
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        fs::write(&golden, &fresh).unwrap();
    }
    assert_eq!(
        fs::read_to_string(&golden).ok().as_deref(),
        Some(fresh.as_str()),
        "xtask/tests/golden/fixture_openapi.json differs from the generator's output (UPDATE_GOLDEN=1 cargo test -p xtask)"
    );

    fs::write(
        &file,
        fresh.replace("Rename a participant", "Rename someone"),
    )
    .unwrap();
    let stale = run(true);
    assert_eq!(stale.status.code(), Some(1));
    let err = text(&stale.stderr);
    assert!(
        err.contains("stale: ") && err.contains("openapi.json"),
        "{err}"
    );
    assert!(err.contains("run `cargo xtask openapi`"), "{err}");
}

/// `cargo xtask codegen --check` checks openapi.json too.
#[test]
fn codegen_check_names_a_stale_openapi_document() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("openapi.json");
    let out_dir = out.path().to_str().unwrap();
    let file_path = file.to_str().unwrap();
    let run = |check: bool| {
        on_fixture(
            "codegen",
            &["--out-dir", out_dir, "--openapi", file_path],
            check,
        )
    };
    assert!(run(false).status.success());
    assert!(run(true).status.success());
    fs::write(&file, "{}\n").unwrap();
    let stale = run(true);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        text(&stale.stderr).contains("stale: openapi.json"),
        "{}",
        text(&stale.stderr)
    );
}

#[test]
fn the_document_is_deterministic() {
    let root = root();
    let options = Options::workspace(&root, root.join("spec"), "spec".into());
    let path = Path::new("openapi.json");
    let a = codegen::generate_openapi(&options, path).unwrap();
    let b = codegen::generate_openapi(&options, path).unwrap();
    assert_eq!(a, b);
}
