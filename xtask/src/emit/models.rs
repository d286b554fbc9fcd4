//! `models/`: the enums and the nested object structs, one file per type,
//! and the struct bodies shared with the response types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{
    Ctx, Place, argument, docs, field_doc, field_ident, field_type, type_ident, wrap_option,
};
use crate::catalog::EnumDef;
use crate::naming;
use crate::spec::{FieldSpec, Kind, Scalar, TimeFormat};

/// The directory of the shared types, beside the operations' files.
pub const DIR: &str = "models";

/// The file stem (and module name) of a shared type: `mute_state` for
/// `MuteState`, with a `_` after a keyword.
pub fn file_stem(name: &str) -> String {
    let mut stem = heck::ToSnakeCase::to_snake_case(name);
    if naming::is_keyword(&stem) {
        stem.push('_');
    }
    stem
}

/// `models/mod.rs` (without header): one module per shared type, all
/// re-exported, so their paths stay `model::X`.
pub fn module(ctx: &Ctx<'_>) -> TokenStream {
    let stems: Vec<_> = ctx
        .catalog
        .enums
        .keys()
        .chain(ctx.catalog.models.keys())
        .map(|name| format_ident!("{}", file_stem(name)))
        .collect();
    // A type is compiled when an operation that uses it is.
    let cfgs: Vec<TokenStream> = ctx
        .catalog
        .enums
        .values()
        .map(|def| ctx.cfg_for_ops(def.uses.keys()))
        .chain(
            ctx.catalog
                .models
                .values()
                .map(|def| ctx.cfg_for_ops(def.uses.keys())),
        )
        .collect();
    let module_doc = if ctx.catalog.models.values().any(|def| def.answer) {
        docs::module_doc(
            "Coded values, nested objects and answers shared by the operations, one file per type.",
        )
    } else {
        docs::module_doc(
            "Coded values and nested objects shared by the operations, one file per type.",
        )
    };
    quote! {
        #module_doc

        #(#cfgs mod #stems;)*

        #(#cfgs pub use #stems::*;)*
    }
}

/// One file per enum and per model (without header), with its file stem,
/// enums first, each group sorted by name.
pub fn files(ctx: &Ctx<'_>) -> Vec<(String, TokenStream)> {
    let mut out = Vec::new();
    for (name, def) in &ctx.catalog.enums {
        let mut body = enumeration(name, def);
        if ctx.catalog.is_answered(name) {
            body.extend(lenient_enum(name, def));
        }
        out.push((file_stem(name), with_imports(ctx, name, body)));
    }
    for (name, def) in &ctx.catalog.models {
        // A shared answer's fields are documented as fields of the answer.
        let (used, place) = if def.answer {
            (super::answer_of(&def.uses), Place::Answer)
        } else {
            (super::used_by(&def.uses), Place::Nested)
        };
        let docs = docs::doc(&[docs::md(def.doc), used]);
        let read = if ctx.catalog.is_answered(name) {
            Read::Lenient
        } else {
            Read::Strict
        };
        let mut body = data_struct(name, docs, def.fields, place, read);
        // A model inside an answer is read as a field of its parent.
        if read == Read::Lenient && !def.answer {
            body.extend(lenient_model(name));
        }
        body.extend(super::meta::model_object(name, def.fields));
        if def.some_answer {
            body.extend(super::meta::answer_fields(name));
        }
        out.push((file_stem(name), with_imports(ctx, name, body)));
    }
    out
}

/// The file of the type `name`: its `use` lines (the sibling types it
/// names come from `super`), then `body`.
fn with_imports(ctx: &Ctx<'_>, name: &str, body: TokenStream) -> TokenStream {
    let mut uses = super::imports(
        &body,
        &[(
            quote!(serde),
            &["Deserialize", "Deserializer", "Serialize", "Serializer"],
        )],
    );
    let own_object = super::meta::object_ident(name).to_string();
    let siblings = super::idents(&body).iter().any(|ident| {
        let model_of_object = ident
            .strip_suffix("_OBJECT")
            .filter(|_| *ident != own_object)
            .is_some();
        (ident != name && ctx.catalog.contains(ident)) || model_of_object
    });
    if siblings {
        uses.extend(quote!(
            use super::*;
        ));
    }
    uses.extend(ctx.runtime_imports(&body));
    quote! {
        #uses
        #body
    }
}

fn variant_doc(value: &Scalar, description: &str) -> TokenStream {
    let shown = match value {
        Scalar::Int(i) => i.to_string(),
        Scalar::Str(s) => s.clone(),
    };
    docs::doc1(format!("`{shown}`: {}", docs::md(description)))
}

/// An enum with an `Unknown` variant, its conversions and its serde.
fn enumeration(name: &str, def: &EnumDef<'_>) -> TokenStream {
    let ty = type_ident(name);
    let doc = docs::doc(&[docs::md(def.doc), super::used_by(&def.uses)]);
    let variants: Vec<_> = def
        .spec
        .values
        .iter()
        .map(|v| format_ident!("{}", naming::pascal(&v.name)))
        .collect();
    let variant_docs: Vec<_> = def
        .spec
        .values
        .iter()
        .map(|v| variant_doc(&v.value, &v.description))
        .collect();
    let unknown_doc = docs::doc1("A value this SDK does not know yet.");
    if def.kind == Kind::Integer {
        let codes: Vec<_> = def
            .spec
            .values
            .iter()
            .map(|v| match v.value {
                Scalar::Int(i) => super::int_lit(i),
                Scalar::Str(_) => quote!(0),
            })
            .collect();
        quote! {
            #doc
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #ty {
                #( #variant_docs #variants, )*
                #unknown_doc
                Unknown(i64),
            }

            impl #ty {
                /// The value on the wire.
                pub const fn code(self) -> i64 {
                    match self {
                        #( #ty::#variants => #codes, )*
                        #ty::Unknown(code) => code,
                    }
                }

                /// The variant of a wire value.
                pub const fn from_code(code: i64) -> Self {
                    match code {
                        #( #codes => #ty::#variants, )*
                        other => #ty::Unknown(other),
                    }
                }
            }

            impl From<#ty> for i64 {
                fn from(value: #ty) -> i64 {
                    value.code()
                }
            }

            impl From<i64> for #ty {
                fn from(code: i64) -> Self {
                    #ty::from_code(code)
                }
            }

            impl ScalarParam for #ty {
                fn scalar(&self) -> Scalar<'_> {
                    Scalar::Int(self.code())
                }
            }

            impl Serialize for #ty {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_i64(self.code())
                }
            }

            impl<'de> Deserialize<'de> for #ty {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    i64::deserialize(deserializer).map(#ty::from_code)
                }
            }
        }
    } else {
        let texts: Vec<String> = def
            .spec
            .values
            .iter()
            .map(|v| match &v.value {
                Scalar::Str(s) => s.clone(),
                Scalar::Int(i) => i.to_string(),
            })
            .collect();
        quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #ty {
                #( #variant_docs #variants, )*
                #unknown_doc
                Unknown(String),
            }

            impl #ty {
                /// The value on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( #ty::#variants => #texts, )*
                        #ty::Unknown(value) => value,
                    }
                }

                /// The variant of a wire value.
                pub fn from_wire(value: &str) -> Self {
                    match value {
                        #( #texts => #ty::#variants, )*
                        other => #ty::Unknown(other.to_owned()),
                    }
                }
            }

            impl std::fmt::Display for #ty {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl From<#ty> for String {
                fn from(value: #ty) -> String {
                    match value {
                        #ty::Unknown(value) => value,
                        known => known.as_str().to_owned(),
                    }
                }
            }

            impl From<&str> for #ty {
                fn from(value: &str) -> Self {
                    #ty::from_wire(value)
                }
            }

            impl From<String> for #ty {
                fn from(value: String) -> Self {
                    #ty::from_wire(&value)
                }
            }

            impl ScalarParam for #ty {
                fn scalar(&self) -> Scalar<'_> {
                    Scalar::Str(self.as_str())
                }
            }

            impl Serialize for #ty {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> Deserialize<'de> for #ty {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    String::deserialize(deserializer).map(#ty::from)
                }
            }
        }
    }
}

/// How a generated struct is deserialized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// Exactly: each field must have its documented JSON type.
    Strict,
    /// With the core's `lenient` rules: part of an answer.
    Lenient,
}

/// `Lenient` for an enum inside an answer: its wire value read
/// tolerantly, unknown values kept.
fn lenient_enum(name: &str, def: &EnumDef<'_>) -> TokenStream {
    let ty = type_ident(name);
    let read = if def.kind == Kind::Integer {
        quote!(i64::read(value).map(#ty::from_code))
    } else {
        quote!(String::read(value).map(#ty::from))
    };
    quote! {
        impl Lenient for #ty {
            fn read(value: Value) -> Result<Self, Unreadable> {
                #read
            }
        }
    }
}

/// `Lenient` for a model nested in an answer: its own tolerant
/// `Deserialize`.
fn lenient_model(name: &str) -> TokenStream {
    let ty = type_ident(name);
    quote! {
        impl Lenient for #ty {
            fn read(value: Value) -> Result<Self, Unreadable> {
                lenient::model(value)
            }
        }
    }
}

/// `Deserialize`, written out rather than derived (no build compiles
/// `serde_derive` for the models): each field taken by wire name, unknown
/// ones ignored. `Lenient` reads with the core's tolerant rules
/// (unreadable optional fields absent); `Strict` with each field's own
/// `Deserialize`. Either way a missing required field fails, named.
fn deserialize_impl(ty: &proc_macro2::Ident, fields: &[FieldSpec], read: Read) -> TokenStream {
    let inits = fields.iter().map(|f| {
        let ident = field_ident(f);
        let wire = f.wire_name();
        match (read, f.is_optional_in_rust()) {
            (Read::Lenient, true) => quote!(#ident: object.optional(#wire)),
            (Read::Lenient, false) => quote!(#ident: object.required(#wire)?),
            (Read::Strict, true) => quote!(#ident: object.exact_optional(#wire)?),
            (Read::Strict, false) => quote!(#ident: object.exact(#wire)?),
        }
    });
    // A struct without fields accepts any object.
    let object = if fields.is_empty() {
        quote!(lenient::object(deserializer)?;)
    } else {
        quote!(let mut object = lenient::object(deserializer)?;)
    };
    quote! {
        impl<'de> Deserialize<'de> for #ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #object
                Ok(#ty {
                    #(#inits),*
                })
            }
        }
    }
}

/// `Serialize`, written out rather than derived: the fields in spec order
/// by wire name, absent optional ones left out.
fn serialize_impl(name: &str, ty: &proc_macro2::Ident, fields: &[FieldSpec]) -> TokenStream {
    let required = proc_macro2::Literal::usize_unsuffixed(
        fields.iter().filter(|f| !f.is_optional_in_rust()).count(),
    );
    let optional: Vec<_> = fields
        .iter()
        .filter(|f| f.is_optional_in_rust())
        .map(field_ident)
        .collect();
    // serde wants the number of fields written.
    let set = quote!(set.iter().filter(|is_set| **is_set).count());
    let len = if optional.is_empty() {
        quote!(let len = #required;)
    } else if required.to_string() == "0" {
        quote! {
            let set = [#(self.#optional.is_some()),*];
            let len = #set;
        }
    } else {
        quote! {
            let set = [#(self.#optional.is_some()),*];
            let len = #required + #set;
        }
    };
    let writes = fields.iter().map(|f| {
        let ident = field_ident(f);
        let wire = f.wire_name();
        if f.is_optional_in_rust() {
            quote! {
                if let Some(value) = &self.#ident {
                    object.serialize_field(#wire, value)?;
                }
            }
        } else {
            quote!(object.serialize_field(#wire, &self.#ident)?;)
        }
    });
    let (len, object) = if fields.is_empty() {
        (
            quote!(),
            quote!(let object = serializer.serialize_struct(#name, 0)?;),
        )
    } else {
        (
            len,
            quote!(let mut object = serializer.serialize_struct(#name, len)?;),
        )
    };
    quote! {
        impl Serialize for #ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct as _;
                #len
                #object
                #(#writes)*
                object.end()
            }
        }
    }
}

/// A struct of `fields` (a nested model or a response) with its serde
/// impls, `new` taking the required fields and a setter per field. A
/// struct without fields gets `Default` only (and accepts any object).
pub fn data_struct(
    name: &str,
    docs: TokenStream,
    fields: &[FieldSpec],
    place: Place,
    read: Read,
) -> TokenStream {
    let ty = type_ident(name);
    let serialize = serialize_impl(name, &ty, fields);
    let deserialize = deserialize_impl(&ty, fields, read);
    if fields.is_empty() {
        return quote! {
            #docs
            #[derive(Clone, Debug, Default, PartialEq)]
            #[non_exhaustive]
            pub struct #ty {}

            #serialize

            #deserialize
        };
    }
    let members = fields.iter().map(|f| {
        let doc = field_doc(f, place);
        let ident = field_ident(f);
        let ty = field_type(f);
        quote! {
            #doc
            pub #ident: #ty,
        }
    });
    let default = fields
        .iter()
        .all(FieldSpec::is_optional_in_rust)
        .then(|| quote!(Default,));
    let methods = constructor_and_setters(&ty, fields, "A value with its required fields.", None);
    quote! {
        #docs
        #[derive(Clone, Debug, #default PartialEq)]
        #[non_exhaustive]
        pub struct #ty {
            #(#members)*
        }

        impl #ty {
            #methods
        }

        #serialize

        #deserialize
    }
}

/// `new` with the fields that must be given (required, no default, not
/// the meeting ID) and one setter per field. `extra` goes between them.
pub fn constructor_and_setters(
    ty: &proc_macro2::Ident,
    fields: &[FieldSpec],
    new_doc: &str,
    extra: Option<TokenStream>,
) -> TokenStream {
    let value = format_ident!("value");
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for f in fields {
        let ident = field_ident(f);
        if f.is_optional_in_rust() {
            inits.push(quote!(#ident: None));
        } else {
            let (arg_ty, conv) = argument(f, &ident);
            params.push(quote!(#ident: #arg_ty));
            // `x: x` is written `x`.
            if ident == conv.to_string() {
                inits.push(quote!(#ident));
            } else {
                inits.push(quote!(#ident: #conv));
            }
        }
    }
    let new_doc = docs::doc1(new_doc);
    let setters = fields.iter().map(|f| {
        let ident = field_ident(f);
        let (arg_ty, conv) = argument(f, &value);
        let assigned = wrap_option(f, conv);
        // A renamed field shares its wire name with another parameter:
        // say where this one travels.
        let place = match (&f.rust_name, f.location) {
            (Some(_), Some(location)) => format!(" ({})", location.phrase()),
            _ => String::new(),
        };
        let doc = docs::doc1(format!(
            "Sets `{}`{place}: {}",
            f.wire_name(),
            docs::md(&docs::first_sentence_lower(f.doc()))
        ));
        let typed = typed_time_setter(f, &ident);
        quote! {
            #doc
            pub fn #ident(mut self, value: #arg_ty) -> Self {
                self.#ident = #assigned;
                self
            }

            #typed
        }
    });
    quote! {
        #extra

        #new_doc
        pub fn new(#(#params),*) -> Self {
            #ty {
                #(#inits),*
            }
        }

        #(#setters)*
    }
}

/// `start_time_at(OffsetDateTime)` beside the setter of a field that
/// writes a point in time as text or milliseconds: the caller gives the
/// typed time and the runtime writes it as the service wants.
fn typed_time_setter(f: &FieldSpec, ident: &proc_macro2::Ident) -> Option<TokenStream> {
    let (write, how) = match f.time? {
        TimeFormat::MinuteUtc => (
            quote!(format_minute_utc(at)),
            "written `yyyy-MM-dd HH:mm` in UTC (seconds dropped)",
        ),
        TimeFormat::UnixMillis => (quote!(unix_millis(at)), "in milliseconds since the epoch"),
        // A day has no time of day: its setter takes the text.
        TimeFormat::Date => return None,
    };
    let name = format_ident!("{ident}_at");
    let assigned = wrap_option(f, write);
    let doc = docs::doc1(format!(
        "Sets `{}` from a point in time, {how}.",
        f.wire_name()
    ));
    let cfg = super::time_cfg();
    Some(quote! {
        #doc
        #cfg
        pub fn #name(mut self, at: OffsetDateTime) -> Self {
            self.#ident = #assigned;
            self
        }
    })
}
