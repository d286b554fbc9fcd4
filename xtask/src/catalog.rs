//! The enums and nested object models of all spec files, deduplicated by
//! Rust name, with where each is used (for their docs).

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Diagnostics, SpecError};
use crate::spec::{EnumSpec, FieldSpec, Kind, SpecFile};

/// Where a definition was first seen.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The file label (`spec/set_role.json`).
    pub file: String,
    /// The JSON pointer of the `enum` object or of the object field.
    pub pointer: String,
}

/// A generated enum.
#[derive(Clone, Debug)]
pub struct EnumDef<'a> {
    /// Its values.
    pub spec: &'a EnumSpec,
    /// `Integer` or `String`.
    pub kind: Kind,
    /// Its own description, or else that of the first field that uses it.
    pub doc: &'a str,
    /// Where it was first defined.
    pub origin: Origin,
    /// Operation id → the fields that use it.
    pub uses: BTreeMap<String, Vec<String>>,
}

/// A generated struct for a nested object.
#[derive(Clone, Debug)]
pub struct ModelDef<'a> {
    /// Its fields.
    pub fields: &'a [FieldSpec],
    /// Its `model_description`, if the spec gives one.
    pub model_description: Option<&'a str>,
    /// Its `model_description`, or else the description of the first
    /// field that uses it.
    pub doc: &'a str,
    /// Where it was first defined.
    pub origin: Origin,
    /// Operation id → the fields that use it (`the answer` for an answer
    /// that names it).
    pub uses: BTreeMap<String, Vec<String>>,
    /// Whether it is only ever a whole answer (a response's `model`), so
    /// its fields are documented as fields of the answer.
    pub answer: bool,
    /// Whether it is a whole answer at least once (it may also be nested
    /// elsewhere): the `META` of that operation then names its fields'
    /// static.
    pub some_answer: bool,
}

/// What uses a model, in [`ModelDef::uses`], when it is an operation's
/// whole answer.
pub const ANSWER_USE: &str = "the answer";

/// All enums and models, sorted by name.
#[derive(Clone, Debug, Default)]
pub struct Catalog<'a> {
    /// Enums by Rust name.
    pub enums: BTreeMap<String, EnumDef<'a>>,
    /// Models by Rust name.
    pub models: BTreeMap<String, ModelDef<'a>>,
    /// The enums and models an answer contains, at any depth: they are
    /// read tolerantly (core `lenient`), the others strictly.
    pub answered: BTreeSet<String>,
}

impl<'a> Catalog<'a> {
    /// Collects the enums and models of every file; the same name defined
    /// twice differently is an error naming both places.
    pub fn build(files: &'a [SpecFile], diagnostics: &mut Diagnostics) -> Catalog<'a> {
        let mut catalog = Catalog::default();
        for file in files {
            let mut walker = Walker {
                catalog: &mut catalog,
                file,
                diagnostics,
            };
            for (i, p) in file.spec.parameters.iter().enumerate() {
                walker.field(
                    p,
                    &format!("/parameters/{i}"),
                    &format!("`{}`", p.wire_name()),
                    p.wire_name(),
                );
            }
            if let Some(response) = &file.spec.response {
                if let (Some(model), Some(description)) =
                    (&response.model, &response.model_description)
                {
                    let found = walker.found(
                        &response.fields,
                        Some(description),
                        description,
                        "/response",
                        ANSWER_USE,
                    );
                    walker.model(
                        model,
                        ModelDef {
                            answer: true,
                            some_answer: true,
                            ..found
                        },
                    );
                }
                for (i, f) in response.fields.iter().enumerate() {
                    walker.field(
                        f,
                        &format!("/response/fields/{i}"),
                        &format!("answer field `{}`", f.wire_name()),
                        f.wire_name(),
                    );
                }
            }
        }
        for response in files.iter().filter_map(|f| f.spec.response.as_ref()) {
            if let Some(model) = &response.model {
                catalog.answered.insert(model.clone());
            }
            for f in &response.fields {
                mark_answered(f, &mut catalog.answered);
            }
        }
        catalog
    }

    /// Whether the enum or model `name` is part of an answer.
    pub fn is_answered(&self, name: &str) -> bool {
        self.answered.contains(name)
    }

    /// Whether the enum or model `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.enums.contains_key(name) || self.models.contains_key(name)
    }
}

struct Walker<'c, 'a, 'd> {
    catalog: &'c mut Catalog<'a>,
    file: &'a SpecFile,
    diagnostics: &'d mut Diagnostics,
}

impl<'a> Walker<'_, 'a, '_> {
    /// Visits a field at `pointer`; `usage` describes it in docs, `path` is
    /// its dotted wire path.
    fn field(&mut self, field: &'a FieldSpec, pointer: &str, usage: &str, path: &str) {
        let op = &self.file.spec.id;
        if let Some(e) = &field.enumeration {
            let ptr = format!("{pointer}/enum");
            match self.catalog.enums.get_mut(&e.rust_name) {
                Some(def) => {
                    if def.spec != e || def.kind != field.kind {
                        let origin = def.origin.clone();
                        self.conflict(&ptr, "enum", &e.rust_name, &origin);
                    } else {
                        add_use(&mut def.uses, op, usage);
                    }
                }
                None => {
                    if let Some(model) = self.catalog.models.get(&e.rust_name) {
                        let origin = model.origin.clone();
                        self.conflict(&ptr, "enum", &e.rust_name, &origin);
                    } else {
                        let mut uses = BTreeMap::new();
                        add_use(&mut uses, op, usage);
                        self.catalog.enums.insert(
                            e.rust_name.clone(),
                            EnumDef {
                                spec: e,
                                kind: field.kind,
                                doc: e.description.as_deref().unwrap_or(field.doc()),
                                origin: Origin {
                                    file: self.file.label.clone(),
                                    pointer: ptr,
                                },
                                uses,
                            },
                        );
                    }
                }
            }
        }
        if let (Some(model), Some(fields)) = (&field.model, &field.fields) {
            let found = self.found(
                fields,
                field.model_description.as_deref(),
                field.model_description.as_deref().unwrap_or(field.doc()),
                pointer,
                usage,
            );
            self.model(model, found);
            for (i, f) in fields.iter().enumerate() {
                let sub = format!("{path}.{}", f.wire_name());
                let usage = relabel(usage, path, &sub);
                self.field(f, &format!("{pointer}/fields/{i}"), &usage, &sub);
            }
        }
        if let Some(items) = &field.items {
            let sub = format!("{path}[]");
            let usage = relabel(usage, path, &sub);
            self.field(items, &format!("{pointer}/items"), &usage, &sub);
        }
    }

    /// Adds the model `name` as `found` defines it, or the use `found`
    /// makes of it if it exists; the same name defined differently is a
    /// conflict, reported at `found`'s origin.
    fn model(&mut self, name: &str, found: ModelDef<'a>) {
        match self.catalog.models.get_mut(name) {
            Some(def) => {
                if def.fields != found.fields || def.model_description != found.model_description {
                    let origin = def.origin.clone();
                    self.conflict(&found.origin.pointer, "model", name, &origin);
                } else {
                    for (op, usages) in found.uses {
                        for usage in usages {
                            add_use(&mut def.uses, &op, &usage);
                        }
                    }
                    def.answer &= found.answer;
                    def.some_answer |= found.some_answer;
                }
            }
            None => {
                if let Some(e) = self.catalog.enums.get(name) {
                    let origin = e.origin.clone();
                    self.conflict(&found.origin.pointer, "model", name, &origin);
                } else {
                    self.catalog.models.insert(name.to_owned(), found);
                }
            }
        }
    }

    /// A model as defined at `pointer` of this file, used once as `usage`.
    fn found(
        &self,
        fields: &'a [FieldSpec],
        model_description: Option<&'a str>,
        doc: &'a str,
        pointer: &str,
        usage: &str,
    ) -> ModelDef<'a> {
        let mut uses = BTreeMap::new();
        add_use(&mut uses, &self.file.spec.id, usage);
        ModelDef {
            fields,
            model_description,
            doc,
            origin: Origin {
                file: self.file.label.clone(),
                pointer: pointer.to_owned(),
            },
            uses,
            answer: false,
            some_answer: false,
        }
    }

    fn conflict(&mut self, pointer: &str, what: &str, name: &str, first: &Origin) {
        self.diagnostics.push(SpecError::new(
            &self.file.label,
            pointer,
            format!(
                "{what} `{name}` is already defined differently in {} at {}",
                first.file, first.pointer
            ),
        ));
    }
}

/// Adds the enums and models of an answer's field, and of its nested
/// fields and items, to `answered`.
fn mark_answered(field: &FieldSpec, answered: &mut BTreeSet<String>) {
    if let Some(e) = &field.enumeration {
        answered.insert(e.rust_name.clone());
    }
    if let Some(model) = &field.model {
        answered.insert(model.clone());
    }
    for f in field.fields.iter().flatten() {
        mark_answered(f, answered);
    }
    if let Some(items) = &field.items {
        mark_answered(items, answered);
    }
}

/// Replaces the wire path inside a usage text.
fn relabel(usage: &str, old: &str, new: &str) -> String {
    usage.replacen(&format!("`{old}`"), &format!("`{new}`"), 1)
}

fn add_use(uses: &mut BTreeMap<String, Vec<String>>, op: &str, usage: &str) {
    let list = uses.entry(op.to_owned()).or_default();
    if !list.iter().any(|u| u == usage) {
        list.push(usage.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(id: &str, parameters: serde_json::Value) -> SpecFile {
        let json = serde_json::json!({
            "$schema": "./schema.json", "id": id, "group": "meeting_control", "method": "PUT",
            "path": format!("/v1/{id}"), "summary": "x", "description": "x",
            "auth": {"kind": "none"}, "idempotent": true, "parameters": parameters,
            "response": null, "examples": []
        });
        SpecFile {
            stem: id.into(),
            label: format!("spec/{id}.json"),
            spec: serde_json::from_value(json).unwrap(),
        }
    }

    fn mute(description: &str) -> serde_json::Value {
        serde_json::json!({
            "name": "isMute", "in": "body", "type": "integer", "required": true,
            "description": description,
            "enum": {"rust_name": "MuteState", "description": "Whether a microphone is muted.",
                     "values": [{"value": 1, "name": "muted", "description": "Muted."}]}
        })
    }

    fn layout(model_description: &str) -> serde_json::Value {
        serde_json::json!({
            "name": "layout", "in": "body", "type": "object", "required": false,
            "description": "The layout to save.", "model": "Layout",
            "model_description": model_description,
            "fields": [{"name": "uuid", "type": "string", "required": false, "description": "x"}]
        })
    }

    #[test]
    fn shared_types_use_their_own_description() {
        let files = [
            file(
                "a",
                serde_json::json!([mute("Mute everyone."), layout("A saved layout.")]),
            ),
            file(
                "b",
                serde_json::json!([mute("Mute one."), layout("A saved layout.")]),
            ),
        ];
        let mut diagnostics = Diagnostics::default();
        let catalog = Catalog::build(&files, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics}");
        assert_eq!(
            catalog.enums["MuteState"].doc,
            "Whether a microphone is muted."
        );
        assert_eq!(catalog.enums["MuteState"].uses.len(), 2);
        assert_eq!(catalog.models["Layout"].doc, "A saved layout.");
        // Only in requests: read strictly.
        assert!(!catalog.is_answered("Layout"));
        assert!(!catalog.is_answered("MuteState"));
    }

    fn answering(id: &str, model: &str, token_required: bool) -> SpecFile {
        let mut file = file(id, serde_json::json!([]));
        file.spec.response = Some(
            serde_json::from_value(serde_json::json!({
                "model": model, "model_description": "A token answer.",
                "fields": [{"name": "token", "type": "string", "required": token_required,
                            "description": "The token."}]
            }))
            .unwrap(),
        );
        file
    }

    #[test]
    fn a_shared_answer_is_one_model() {
        let files = [
            answering("a", "TokenAnswer", true),
            answering("b", "TokenAnswer", true),
        ];
        let mut diagnostics = Diagnostics::default();
        let catalog = Catalog::build(&files, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics}");
        let def = &catalog.models["TokenAnswer"];
        assert!(def.answer);
        assert!(catalog.is_answered("TokenAnswer"));
        assert_eq!(def.doc, "A token answer.");
        assert_eq!(def.origin.pointer, "/response");
        assert_eq!(
            def.uses.keys().collect::<Vec<_>>(),
            ["a", "b"],
            "{:?}",
            def.uses
        );
    }

    #[test]
    fn a_shared_answer_with_other_fields_is_a_conflict() {
        let files = [
            answering("a", "TokenAnswer", true),
            answering("b", "TokenAnswer", false),
        ];
        let mut diagnostics = Diagnostics::default();
        Catalog::build(&files, &mut diagnostics);
        assert_eq!(
            diagnostics.to_string(),
            "spec/b.json: /response: model `TokenAnswer` is already defined differently in spec/a.json at /response"
        );
    }

    #[test]
    fn a_model_described_differently_is_a_conflict() {
        let files = [
            file("a", serde_json::json!([layout("A saved layout.")])),
            file("b", serde_json::json!([layout("Another text.")])),
        ];
        let mut diagnostics = Diagnostics::default();
        Catalog::build(&files, &mut diagnostics);
        assert_eq!(
            diagnostics.to_string(),
            "spec/b.json: /parameters/0: model `Layout` is already defined differently in spec/a.json at /parameters/0"
        );
    }
}
