//! The `META` static of an operation: its spec as `OperationMeta` data.

use proc_macro2::TokenStream;
use quote::quote;

use super::{float_lit, int_lit, meta_literal};
use crate::naming;
use crate::spec::{AuthKind, FieldSpec, In, Kind, Scalar, SessionRole, Spec, TimeFormat};

/// `pub(crate) static META: OperationMeta = ...;`
pub fn operation_meta(spec: &Spec) -> TokenStream {
    let id = &spec.id;
    let group = &spec.group;
    let method = &spec.method;
    let path = &spec.path;
    let summary = &spec.summary;
    let description = &spec.description;
    let idempotent = spec.idempotent;
    let header = spec.auth.header.as_deref().unwrap_or("Authorization");
    let auth = match spec.auth.kind {
        AuthKind::None => quote!(Auth::None),
        AuthKind::Basic => {
            let user = spec.auth.username_field.as_deref().unwrap_or("account");
            quote!(Auth::Basic { header: #header, username_field: #user })
        }
        AuthKind::AppSignature => quote!(Auth::AppSignature { header: #header }),
        AuthKind::AccessToken => quote!(Auth::AccessToken { header: #header }),
        AuthKind::ConferenceToken => quote!(Auth::ConferenceToken { header: #header }),
    };
    let role = match spec.session_role {
        None => quote!(SessionRole::None),
        Some(SessionRole::Login) => quote!(SessionRole::Login),
        Some(SessionRole::Logout) => quote!(SessionRole::Logout),
        Some(SessionRole::ExtendsAccessToken) => quote!(SessionRole::ExtendsAccessToken),
        Some(SessionRole::ControlToken) => quote!(SessionRole::ControlToken),
    };
    let params = spec
        .parameters
        .iter()
        .map(|p| field(p, p.location.unwrap_or(In::Body)));
    let response = match &spec.response {
        None => quote!(None),
        // A shared answer's fields are described once, beside its struct.
        Some(r) if r.model.is_some() => {
            let fields = answer_fields_ident(r.model.as_deref().unwrap_or_default());
            quote!(Some(super::models::#fields))
        }
        Some(r) => {
            let fields = r.fields.iter().map(|f| field(f, In::Body));
            quote!(Some(&[#(#fields),*]))
        }
    };
    let response_is_list = spec.response.as_ref().is_some_and(|r| r.list);
    let pagination = match &spec.pagination {
        None => quote!(None),
        Some(p) => {
            let (offset, limit, count, items) = (&p.offset, &p.limit, &p.count, &p.items);
            quote!(Some(Pagination { offset: #offset, limit: #limit, count: #count, items: #items }))
        }
    };
    quote! {
        pub(crate) static META: OperationMeta = OperationMeta {
            id: #id,
            group: #group,
            method: #method,
            path: #path,
            summary: #summary,
            description: #description,
            auth: #auth,
            idempotent: #idempotent,
            role: #role,
            params: &[#(#params),*],
            response: #response,
            response_is_list: #response_is_list,
            pagination: #pagination,
        };
    }
}

/// The static that describes the fields of the shared answer `model`:
/// `ACCESS_TOKEN_ANSWER_FIELDS` for `AccessTokenAnswer`.
pub fn answer_fields_ident(model: &str) -> proc_macro2::Ident {
    quote::format_ident!("{}_FIELDS", screaming(model))
}

/// `ConferenceInfo` → `CONFERENCE_INFO`.
fn screaming(model: &str) -> String {
    let mut name = String::new();
    for (i, ch) in model.char_indices() {
        if ch.is_ascii_uppercase() && i > 0 {
            name.push('_');
        }
        name.push(ch.to_ascii_uppercase());
    }
    name
}

/// The static that describes the model `model` in the body or an answer:
/// `CONFERENCE_INFO_OBJECT` for `ConferenceInfo`.
pub fn object_ident(model: &str) -> proc_macro2::Ident {
    quote::format_ident!("{}_OBJECT", screaming(model))
}

/// `pub(crate) static <MODEL>_OBJECT: ObjectMeta = ..;`: the spec of a
/// model's fields, written once for every `META` that holds the model.
pub fn model_object(model: &str, fields: &[FieldSpec]) -> TokenStream {
    let ident = object_ident(model);
    let fields = fields.iter().map(|f| field(f, In::Body));
    let doc = super::docs::doc1(format!("The spec of [`{model}`]."));
    quote! {
        #doc
        pub(crate) static #ident: ObjectMeta = ObjectMeta { model: #model, fields: &[#(#fields),*] };
    }
}

/// `pub(crate) static <MODEL>_FIELDS: &[Field] = &[..];`: the fields of a
/// shared answer, for the `META` of every operation that answers with it.
pub fn answer_fields(model: &str) -> TokenStream {
    let ident = answer_fields_ident(model);
    let object = object_ident(model);
    let doc = super::docs::doc1(format!("The spec of the fields of [`{model}`]."));
    quote! {
        #doc
        pub(crate) static #ident: &[Field] = #object.fields;
    }
}

fn location(location: In) -> TokenStream {
    match location {
        In::Path => quote!(Location::Path),
        In::Query => quote!(Location::Query),
        In::Header => quote!(Location::Header),
        In::Body => quote!(Location::Body),
        In::Form => quote!(Location::Form),
    }
}

/// A `Field { .. }` value; nested fields and items travel where their
/// parent does.
fn field(f: &FieldSpec, at: In) -> TokenStream {
    let is_item = f.name.is_none();
    let name = f.wire_name();
    let rust_name = if is_item {
        String::new()
    } else {
        naming::field_name(f)
    };
    let loc = location(at);
    let ty = match f.kind {
        Kind::String => quote!(Type::String),
        Kind::Integer => quote!(Type::Integer),
        Kind::Number => quote!(Type::Number),
        Kind::Boolean => quote!(Type::Boolean),
        Kind::Array => {
            let items = f.items.as_deref().map(|i| field(i, at));
            quote!(Type::Array(&#items))
        }
        Kind::Object if f.values.is_some() => {
            let values = f.values.as_deref().map(|v| field(v, at));
            quote!(Type::Map(&#values))
        }
        // A model in the body or an answer is described once, beside its
        // struct, and every use points at it.
        Kind::Object if at == In::Body && f.model.is_some() => {
            let object = object_ident(f.model.as_deref().unwrap_or_default());
            quote!(Type::Object(&#object))
        }
        Kind::Object => {
            let model = f.model.as_deref().unwrap_or_default();
            let fields = f.fields.iter().flatten().map(|n| field(n, at));
            quote!(Type::Object(&ObjectMeta { model: #model, fields: &[#(#fields),*] }))
        }
        Kind::File => quote!(Type::File),
    };
    let default = f.default.as_ref().map(|v| {
        let lit = meta_literal(v);
        quote!(Some(#lit))
    });
    let enumeration = f.enumeration.as_ref().map(|e| {
        let rust_name = &e.rust_name;
        let values = e.values.iter().map(|v| {
            let value = match &v.value {
                Scalar::Int(i) => {
                    let i = int_lit(*i);
                    quote!(Literal::Int(#i))
                }
                Scalar::Str(s) => quote!(Literal::Str(#s)),
            };
            let name = &v.name;
            let description = &v.description;
            quote!(EnumValue { value: #value, name: #name, description: #description })
        });
        quote!(Some(&EnumMeta { rust_name: #rust_name, values: &[#(#values),*] }))
    });
    let required_if = f.required_if.as_ref().map(|c| {
        let parameter = &c.parameter;
        let equals = meta_literal(&c.equals);
        quote!(Some(RequiredIf { parameter: #parameter, equals: #equals }))
    });
    let constraints = constraints(f);
    let time = f.time.map(|t| match t {
        TimeFormat::MinuteUtc => quote!(Some(TimeFormat::MinuteUtc)),
        TimeFormat::Date => quote!(Some(TimeFormat::Date)),
        TimeFormat::UnixMillis => quote!(Some(TimeFormat::UnixMillis)),
    });
    let description = f.doc();
    let yes = |flag: bool| flag.then(|| quote!(true));
    // Only the members that differ from `Field::DEFAULT`, in its order.
    let members: Vec<TokenStream> = [
        ("name", (!name.is_empty()).then(|| quote!(#name))),
        (
            "rust_name",
            (!rust_name.is_empty()).then(|| quote!(#rust_name)),
        ),
        ("location", (at != In::Body).then_some(loc)),
        ("ty", (f.kind != Kind::String).then_some(ty)),
        ("required", yes(f.is_required())),
        ("secret", yes(f.secret)),
        ("conference_id", yes(f.conference_id)),
        ("deprecated", yes(f.deprecated)),
        ("default", default),
        ("enumeration", enumeration),
        ("required_if", required_if),
        ("constraints", constraints),
        ("time", time),
        ("whole_body", yes(f.whole_body)),
        (
            "description",
            (!description.is_empty()).then(|| quote!(#description)),
        ),
    ]
    .into_iter()
    .filter_map(|(member, value)| {
        let member = quote::format_ident!("{member}");
        value.map(|value| quote!(#member: #value))
    })
    .collect();
    if members.is_empty() {
        quote!(Field::DEFAULT)
    } else {
        quote!(Field { #(#members,)* ..Field::DEFAULT })
    }
}

/// The limits of a field, or `None` when it has none.
fn constraints(f: &FieldSpec) -> Option<TokenStream> {
    let uint = |name: &str, v: Option<u64>| {
        v.map(|v| {
            let key = quote::format_ident!("{name}");
            let v = proc_macro2::Literal::u64_unsuffixed(v);
            quote!(#key: Some(#v))
        })
    };
    let float = |name: &str, v: Option<f64>| {
        v.map(|v| {
            let key = quote::format_ident!("{name}");
            let v = float_lit(v);
            quote!(#key: Some(#v))
        })
    };
    let set: Vec<TokenStream> = [
        uint("min_length", f.min_length),
        uint("max_length", f.max_length),
        float("minimum", f.minimum),
        float("maximum", f.maximum),
        uint("min_items", f.min_items),
        uint("max_items", f.max_items),
        uint("max_bytes", f.max_bytes),
    ]
    .into_iter()
    .flatten()
    .collect();
    match set.len() {
        0 => None,
        7 => Some(quote!(Constraints { #(#set),* })),
        _ => Some(quote!(Constraints { #(#set,)* ..Constraints::NONE })),
    }
}
