//! Every GraphQL document shopsync sends is valid against Shopify's published Admin API schema
//! (2026-10), so a typo or a field Shopify removed fails here, not in a user's sync.

use std::io::Write;
use std::path::PathBuf;

use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use shopsync::connectors::shopify::documents;

/// Shopify's published schema: `SHOPSYNC_SHOPIFY_SCHEMA`, or `shared/specs/shopify/` beside the
/// repository (where CI keeps its copy). Missing, the tests fail: a skipped check validates
/// nothing, and a typo in a document would reach users.
fn schema_path() -> PathBuf {
    let path = match std::env::var_os("SHOPSYNC_SHOPIFY_SCHEMA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/specs/shopify/admin_2026-10.graphql"),
    };
    assert!(
        path.is_file(),
        "Shopify's Admin API schema was not found at {}: the GraphQL documents cannot be \
         validated. Put shared/specs/shopify/admin_2026-10.graphql beside the repository, or set \
         SHOPSYNC_SHOPIFY_SCHEMA=PATH to a copy of it.",
        path.display()
    );
    path
}

/// Written past the test harness's capture, so what was validated shows in every run's output.
fn say(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

#[test]
fn every_document_is_valid_against_the_shopify_schema() {
    let path = schema_path();
    let sdl = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let schema = Schema::parse(&sdl, path.display().to_string()).expect("Shopify's schema parses");
    // The published SDL is the server's own; we only need it as the reference for documents.
    let schema = Valid::assume_valid(schema);
    let mut failures = Vec::new();
    for doc in documents::ALL {
        if let Err(errors) = ExecutableDocument::parse_and_validate(&schema, doc.text, doc.name) {
            failures.push(format!("{}:\n{}", doc.name, errors.errors));
        }
    }
    assert!(
        failures.is_empty(),
        "documents not valid against {}:\n{}",
        path.display(),
        failures.join("\n")
    );
    say(&format!(
        "validated {} GraphQL documents against {}",
        documents::ALL.len(),
        path.display()
    ));
}

#[test]
fn an_invalid_document_is_caught() {
    let sdl = std::fs::read_to_string(schema_path()).unwrap();
    let schema = Valid::assume_valid(Schema::parse(&sdl, "schema.graphql").unwrap());
    let bad = "query { customers(first: 10) { nodes { id emailAddressTypo } } }";
    assert!(ExecutableDocument::parse_and_validate(&schema, bad, "bad.graphql").is_err());
}
