//! `<id>.rs`: the request type with its `Operation` impl, the response
//! type and the `META` static of one operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::models::{Read, constructor_and_setters, data_struct};
use super::{Ctx, Place, call_line, docs, field_doc, field_ident, field_type, type_ident};
use crate::naming;
use crate::spec::{FieldSpec, In, Kind, Spec};

/// The whole per-operation file (without header).
pub fn file(ctx: &Ctx<'_>, spec: &Spec) -> TokenStream {
    let mut body = request(spec);
    body.extend(response(ctx, spec));
    body.extend(super::meta::operation_meta(spec));

    let mut uses = super::imports(
        &body,
        &[(quote!(serde), &["Deserialize", "Deserializer", "Serialize"])],
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

    let to_wire = if params.is_empty() {
        quote! {
            fn to_wire(&self) -> WireRequest {
                WireRequest::new()
            }
        }
    } else {
        let sets = params.iter().map(|p| {
            let location = match p.location.unwrap_or(In::Body) {
                In::Path => quote!(Location::Path),
                In::Query => quote!(Location::Query),
                In::Header => quote!(Location::Header),
                In::Body => quote!(Location::Body),
            };
            let wire = p.wire_name();
            let ident = field_ident(p);
            quote!(wire.set(#location, #wire, &self.#ident);)
        });
        quote! {
            fn to_wire(&self) -> WireRequest {
                let mut wire = WireRequest::new();
                #(#sets)*
                wire
            }
        }
    };
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

            #to_wire

            #views

            #conference
        }
    }
}

/// `views`, when every parameter is a scalar or a list of scalars: the
/// request is then written without its wire form (core `view`).
fn views(params: &[FieldSpec]) -> Option<TokenStream> {
    /// The most parameters the fast path takes (core `view::MAX_PARAMS`).
    const MAX_PARAMS: usize = 24;
    if params.is_empty() || params.len() > MAX_PARAMS {
        return None;
    }
    let scalar = |f: &FieldSpec| matches!(f.kind, Kind::String | Kind::Integer | Kind::Boolean);
    let lent = params
        .iter()
        .map(|p| {
            let ident = field_ident(p);
            let optional = p.is_optional_in_rust();
            if scalar(p) {
                Some(if optional {
                    quote!(ParamView::opt(&self.#ident))
                } else {
                    quote!(ParamView::one(&self.#ident))
                })
            } else if p.kind == Kind::Array && p.items.as_deref().is_some_and(scalar) {
                Some(if optional {
                    quote!(ParamView::opt_list(&self.#ident))
                } else {
                    quote!(ParamView::list(&self.#ident))
                })
            } else {
                None
            }
        })
        .collect::<Option<Vec<_>>>()?;
    Some(quote! {
        fn views(&self) -> Option<Views<'_>> {
            Views::new(&[#(#lent),*])
        }
    })
}

fn response(ctx: &Ctx<'_>, spec: &Spec) -> TokenStream {
    let id = &spec.id;
    let name = naming::response_type(id);
    if let Some(model) = spec.response.as_ref().and_then(|r| r.model.as_deref()) {
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
