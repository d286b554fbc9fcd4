//! `generated.rs` of the blocking and async clients: one method per
//! operation on `Client`, and on `Conference` for the operations that need
//! a meeting control token.

use proc_macro2::TokenStream;
use quote::quote;

use super::{call_line, docs, type_ident};
use crate::naming;
use crate::spec::{AuthKind, SpecFile};

/// Which client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// `hwmeeting-blocking`.
    Blocking,
    /// `hwmeeting-async`.
    Async,
}

/// The whole client file (without header); `files` are sorted by id.
pub fn file(files: &[SpecFile], flavor: Flavor) -> TokenStream {
    let client = files.iter().map(|f| {
        let mut tokens = method(f, flavor, false);
        tokens.extend(all_pages(f, flavor));
        tokens
    });
    let conference = files
        .iter()
        .filter(|f| f.spec.auth.kind == AuthKind::ConferenceToken)
        .map(|f| method(f, flavor, true));
    quote! {
        impl crate::Client {
            #(#client)*
        }

        impl crate::Conference {
            #(#conference)*
        }
    }
}

fn method(file: &SpecFile, flavor: Flavor, on_conference: bool) -> TokenStream {
    let spec = &file.spec;
    let name = naming::ident(&spec.id);
    let request = type_ident(&naming::request_type(&spec.id));
    let response = type_ident(&naming::response_type(&spec.id));
    // The handle's method says only what differs from the client's, and
    // links there for the full description, so the docs are not repeated.
    let mut paragraphs = if on_conference {
        vec![
            docs::md(&spec.summary),
            format!(
                "The same call as [`Client::{name}`](crate::Client::{name}), for this meeting: its meeting ID is filled in unless the request sets one, and the meeting's control token is used."
            ),
        ]
    } else {
        vec![
            docs::md(&spec.summary),
            docs::md(&spec.description),
            call_line(spec),
        ]
    };
    paragraphs.push(format!(
        "The parameters are those of [`{request}`](hwmeeting_api::model::{request})."
    ));
    let doc = docs::doc(&paragraphs);
    let cfg = super::chapter_cfg([super::feature_of(spec)]);
    match flavor {
        Flavor::Blocking => quote! {
            #doc
            #cfg
            pub fn #name(
                &self,
                request: hwmeeting_api::model::#request,
            ) -> Result<hwmeeting_api::model::#response, crate::Error> {
                self.send(request)
            }
        },
        Flavor::Async => quote! {
            #doc
            #cfg
            pub async fn #name(
                &self,
                request: hwmeeting_api::model::#request,
            ) -> Result<hwmeeting_api::model::#response, crate::Error> {
                self.send(request).await
            }
        },
    }
}

/// `<id>_all`: every item of a paginated search, page after page.
fn all_pages(file: &SpecFile, flavor: Flavor) -> Option<TokenStream> {
    let spec = &file.spec;
    let pagination = spec.pagination.as_ref()?;
    let name = naming::ident(&format!("{}_all", spec.id));
    let op = &spec.id;
    let request = type_ident(&naming::request_type(&spec.id));
    let what = match flavor {
        Flavor::Blocking => "An iterator",
        Flavor::Async => "A stream",
    };
    let doc = docs::doc(&[
        format!(
            "{what} over every item of [`{op}`](Self::{op}), asking for one page after another."
        ),
        format!(
            "The page size is the request's `{}` (or {} when it is unset), and the walk starts at its `{}` (or the first item). It ends at the total `{}` of the answers, or at an empty page. An error ends it, as its last item.",
            pagination.limit,
            "a default of 100, or less where the spec allows less",
            pagination.offset,
            pagination.count
        ),
    ]);
    let returns = match flavor {
        Flavor::Blocking => quote!(crate::Pages<'_, hwmeeting_api::model::#request>),
        Flavor::Async => quote! {
            impl crate::Stream<Item = crate::PageItem<hwmeeting_api::model::#request>> + Send + '_
        },
    };
    let cfg = super::chapter_cfg([super::feature_of(spec)]);
    Some(quote! {
        #doc
        #cfg
        pub fn #name(&self, request: hwmeeting_api::model::#request) -> #returns {
            self.pages(request)
        }
    })
}
