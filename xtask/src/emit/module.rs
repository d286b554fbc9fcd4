//! `mod.rs`: the module list, the re-exports and `OPERATIONS`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Ctx, chapter_cfg, docs};
use crate::spec::SpecFile;

/// The whole `mod.rs` (without header); `files` are sorted by id.
pub fn file(ctx: &Ctx<'_>, files: &[SpecFile]) -> TokenStream {
    let module_doc = docs::module_doc("Request and response types of every operation in `spec/`.");
    let has_models = !ctx.catalog.enums.is_empty() || !ctx.catalog.models.is_empty();
    let mods: Vec<_> = files
        .iter()
        .map(|f| format_ident!("{}", f.spec.id))
        .collect();
    // Each operation is compiled with the feature of its chapter.
    let cfgs: Vec<TokenStream> = files
        .iter()
        .map(|f| chapter_cfg([super::feature_of(&f.spec)]))
        .collect();
    let models = has_models.then(|| {
        quote!(
            mod models;
        )
    });
    let models_use = has_models.then(|| {
        quote!(
            pub use models::*;
        )
    });
    let doc =
        docs::doc1("Every operation in `spec/` whose chapter's feature is enabled, sorted by id.");
    let statics = quote! {
        #doc
        pub static OPERATIONS: &[&OperationMeta] = &[#(#cfgs &#mods::META),*];
    };
    let uses = ctx.runtime_imports(&statics);
    quote! {
        #module_doc

        #models
        #(#cfgs mod #mods;)*

        #models_use
        #(#cfgs pub use #mods::*;)*

        #uses

        #statics
    }
}
