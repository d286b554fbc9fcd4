//! `<id>.rs`: the request type with its `Operation` impl, the response
//! type and the `META` static of one operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::{Read, constructor_and_setters, data_struct};
use super::{Ctx, Place, call_line, docs, field_doc, field_ident, field_type, type_ident};
use crate::naming;
use crate::spec::{FieldSpec, Kind, Spec};

/// The whole per-operation file (without header).
pub fn file(ctx: &Ctx<'_>, spec: &Spec) -> TokenStream {
    let mut body = request(spec);
    body.extend(paginated(spec));
    body.extend(response(ctx, spec));
    body.extend(super::meta::operation_meta(spec));

    let mut uses = super::imports(
        &body,
        &[(
            quote!(serde),
            &["Deserialize", "Deserializer", "Serialize", "Serializer"],
        )],
    );
    let used = super::idents(&body);
    if used.iter().any(|name| ctx.catalog.contains(name)) {
        uses.extend(quote!(
            use super::models::*;
        ));
    }
    uses.extend(ctx.runtime_imports(&body));
    quote! {
        #uses
        #body
    }
}

fn request(spec: &Spec) -> TokenStream {
    let id = &spec.id;
    let ty = type_ident(&naming::request_type(id));
    let response_ty = type_ident(&naming::response_type(id));
    let docs = docs::doc(&[
        docs::md(&spec.summary),
        docs::md(&spec.description),
        call_line(spec),
    ]);
    let params = &spec.parameters;
    let members = params.iter().map(|p| {
        let doc = field_doc(p, Place::Request);
        let ident = field_ident(p);
        let ty = field_type(p);
        quote! {
            #doc
            pub #ident: #ty,
        }
    });
    let default = params
        .iter()
        .all(|p| p.is_optional_in_rust())
        .then(|| quote!(Default,));
    let meta_doc = docs::doc1(format!("The spec of `{id}`."));
    let methods = constructor_and_setters(
        &ty,
        params,
        "A request with its required parameters.",
        Some(quote! {
            #meta_doc
            pub const META: &'static OperationMeta = &META;
        }),
    );

    let views = views(params);
    let conference = params.iter().find(|p| p.conference_id).map(|p| {
        let ident = field_ident(p);
        quote! {
            fn target_conference_id(&self) -> Option<&str> {
                self.#ident.as_deref()
            }

            fn fill_conference_id(&mut self, conference_id: &str) {
                if self.#ident.is_none() {
                    self.#ident = Some(conference_id.to_owned());
                }
            }
        }
    });

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

        impl Operation for #ty {
            type Output = #response_ty;

            fn meta(&self) -> &'static OperationMeta {
                &META
            }

            #views

            #conference
        }
    }
}

/// `views`: every parameter lent in spec order, the one list of them the
/// runtime reads (its wire form is built from it; core `view`). Scalars
/// and lists of scalars are lent as they are, for the fast path; anything
/// else is serialized when the wire form is built.
fn views(params: &[FieldSpec]) -> TokenStream {
    let scalar = |f: &FieldSpec| matches!(f.kind, Kind::String | Kind::Integer | Kind::Boolean);
    let lent = params.iter().map(|p| {
        let ident = field_ident(p);
        let lend = if p.kind == Kind::File {
            ["file", "opt_file"]
        } else if scalar(p) {
            ["one", "opt"]
        } else if p.kind == Kind::Array && p.items.as_deref().is_some_and(scalar) {
            ["list", "opt_list"]
        } else {
            ["json", "opt_json"]
        };
        let lend = format_ident!("{}", lend[usize::from(p.is_optional_in_rust())]);
        quote!(ParamView::#lend(&self.#ident))
    });
    quote! {
        fn views(&self) -> Option<Views<'_>> {
            Views::new(&[#(#lent),*])
        }
    }
}

fn response(ctx: &Ctx<'_>, spec: &Spec) -> TokenStream {
    let id = &spec.id;
    let name = naming::response_type(id);
    if let Some(response) = spec.response.as_ref()
        && let Some(model) = response.model.as_deref()
    {
        if response.list {
            return list_response(id, &name, model);
        }
        return shared_response(ctx, id, &name, model);
    }
    match &spec.response {
        None => {
            let docs = docs::doc1(format!("The answer of `{id}`, which documents no fields."));
            data_struct(&name, docs, &[], Place::Answer, Read::Lenient)
        }
        Some(r) => {
            let docs = docs::doc1(format!("The answer of `{id}`."));
            data_struct(&name, docs, &r.fields, Place::Answer, Read::Lenient)
        }
    }
}

/// The response type of an answer that names a shared model: an alias of
/// the model's struct in `models.rs`.
fn shared_response(ctx: &Ctx<'_>, id: &str, name: &str, model: &str) -> TokenStream {
    let others: Vec<String> = ctx
        .catalog
        .models
        .get(model)
        .map(|def| {
            def.uses
                .keys()
                .filter(|op| op.as_str() != id)
                .map(|op| format!("`{op}`"))
                .collect()
        })
        .unwrap_or_default();
    let shared = if others.is_empty() {
        String::new()
    } else {
        format!(", shared with {}", super::and_list(&others))
    };
    let docs = docs::doc1(format!("The answer of `{id}`: [`{model}`]{shared}."));
    let alias = type_ident(name);
    let model = type_ident(model);
    quote! {
        #docs
        pub type #alias = #model;
    }
}

/// The response type of an answer that is a JSON list of a model.
fn list_response(id: &str, name: &str, model: &str) -> TokenStream {
    let docs = docs::doc1(format!(
        "The answer of `{id}`: a list of [`{model}`] (the service answers a JSON list)."
    ));
    let alias = type_ident(name);
    let model = type_ident(model);
    quote! {
        #docs
        pub type #alias = Vec<#model>;
    }
}

/// `impl Paginated`: which request fields say the page, and which answer
/// fields hold the count and the items.
fn paginated(spec: &Spec) -> Option<TokenStream> {
    let pagination = spec.pagination.as_ref()?;
    let param = |wire: &str| {
        spec.parameters
            .iter()
            .find(|p| p.wire_name() == wire)
            .map(field_ident)
    };
    let (offset, limit) = (param(&pagination.offset)?, param(&pagination.limit)?);
    let answer = spec.response.as_ref()?;
    let find = |wire: &str| answer.fields.iter().find(|f| f.wire_name() == wire);
    let count_field = find(&pagination.count)?;
    let items_field = find(&pagination.items)?;
    let count = field_ident(count_field);
    let items = field_ident(items_field);
    let item_ty = super::base_type(items_field.items.as_deref()?);
    let count_value = if count_field.is_optional_in_rust() {
        quote!(output.#count)
    } else {
        quote!(Some(output.#count))
    };
    let items_value = if items_field.is_optional_in_rust() {
        quote!(output.#items.unwrap_or_default())
    } else {
        quote!(output.#items)
    };
    let ty = type_ident(&naming::request_type(&spec.id));
    let response = type_ident(&naming::response_type(&spec.id));
    Some(quote! {
        impl Paginated for #ty {
            type Item = #item_ty;

            fn page_offset(&self) -> Option<i64> {
                self.#offset
            }

            fn page_limit(&self) -> Option<i64> {
                self.#limit
            }

            fn set_page(&mut self, offset: i64, limit: i64) {
                self.#offset = Some(offset);
                self.#limit = Some(limit);
            }

            fn into_page(output: #response) -> Page<#item_ty> {
                Page {
                    count: #count_value,
                    items: #items_value,
                }
            }
        }
    })
}
