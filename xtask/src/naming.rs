//! Rust names of wire names, operations and enum values.

use heck::{ToPascalCase, ToSnakeCase};
use proc_macro2::{Ident, Span};

use crate::spec::{FieldSpec, In};

/// Rust keywords (strict and reserved, edition 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers either.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// The Rust field name of a parameter or field: its `rust_name`, or the
/// snake_case of its wire name (headers without a leading `X-`).
pub fn field_name(field: &FieldSpec) -> String {
    if let Some(name) = &field.rust_name {
        return name.clone();
    }
    let wire = field.wire_name();
    let wire = if field.location == Some(In::Header) {
        wire.strip_prefix("X-")
            .or_else(|| wire.strip_prefix("x-"))
            .unwrap_or(wire)
    } else {
        wire
    };
    plural_acronyms(wire).to_snake_case()
}

/// Writes an acronym with a plural `s` (`confUUIDs`, `cycleSubConfIDs`) as
/// one word (`confUuids`), so that its snake case is `conf_uuids` rather
/// than `conf_uui_ds`.
fn plural_acronyms(wire: &str) -> String {
    let chars: Vec<char> = wire.chars().collect();
    let mut out = String::with_capacity(wire.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let after = i + run;
        let plural = run >= 2
            && chars.get(after) == Some(&'s')
            && chars.get(after + 1).is_none_or(|c| !c.is_ascii_lowercase());
        if plural {
            out.push(chars[i]);
            out.extend(chars[i + 1..after].iter().map(char::to_ascii_lowercase));
            i = after;
        } else if run > 0 {
            out.extend(&chars[i..after]);
            i = after;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// `set_role` → `SetRole`.
pub fn pascal(id: &str) -> String {
    id.to_pascal_case()
}

/// The request type of an operation.
pub fn request_type(id: &str) -> String {
    format!("{}Request", pascal(id))
}

/// The response type of an operation.
pub fn response_type(id: &str) -> String {
    format!("{}Response", pascal(id))
}

/// Whether `name` is a snake_case identifier (`[a-z_][a-z0-9_]*`, not `_`).
pub fn is_snake_ident(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z' | '_'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && name != "_"
}

/// Whether `name` can be used as a field or method name (raw if it is a
/// keyword).
pub fn usable_ident(name: &str) -> bool {
    !NOT_RAW.contains(&name)
}

/// Whether `name` is a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// The identifier for a (checked) name: raw (`r#type`) for keywords.
pub fn ident(name: &str) -> Ident {
    if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, location: In) -> FieldSpec {
        serde_json::from_value(serde_json::json!({
            "name": name, "in": location.as_str(), "type": "string",
            "required": true, "description": "x"
        }))
        .unwrap()
    }

    #[test]
    fn snake_case_of_wire_names() {
        for (wire, rust) in [
            ("conferenceID", "conference_id"),
            ("wsURL", "ws_url"),
            ("gloablPublicIP", "gloabl_public_ip"),
            ("bulkHangUpParticipants", "bulk_hang_up_participants"),
            ("vmrCurrentConfID", "vmr_current_conf_id"),
            ("tmpWsToken", "tmp_ws_token"),
            ("userID", "user_id"),
            ("confUUIDs", "conf_uuids"),
            ("cycleSubConfIDs", "cycle_sub_conf_ids"),
            ("IDs", "ids"),
            ("hasURLsList", "has_urls_list"),
        ] {
            assert_eq!(field_name(&param(wire, In::Body)), rust, "{wire}");
        }
    }

    #[test]
    fn headers_lose_their_x_prefix() {
        for (wire, rust) in [
            ("X-Password", "password"),
            ("X-Login-Type", "login_type"),
            ("Accept-Language", "accept_language"),
            ("X-Conference-Authorization", "conference_authorization"),
        ] {
            assert_eq!(field_name(&param(wire, In::Header)), rust, "{wire}");
        }
    }

    #[test]
    fn keywords_become_raw() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("kind").to_string(), "kind");
        assert!(!usable_ident("self"));
    }
}
