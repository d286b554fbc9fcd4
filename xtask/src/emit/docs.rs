//! Doc comments: markdown escaping of spec text, line wrapping, and the
//! `#[doc = "..."]` attributes (printed as `///` by prettyplease).

use proc_macro2::TokenStream;
use quote::quote;

/// Width of the doc text, without the indentation and `/// `.
const WIDTH: usize = 80;

/// Spec text made safe for rustdoc: outside `code spans`, `\`, `[`, `]`,
/// `<` and `>` are escaped and bare URLs become autolinks. Text with an odd
/// number of backticks has them escaped too.
pub fn md(text: &str) -> String {
    let balanced = text.matches('`').count().is_multiple_of(2);
    if !balanced {
        return escape_plain(&text.replace('`', "\u{0}")).replace('\u{0}', "\\`");
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push('`');
            out.push_str(part);
            out.push('`');
        } else {
            out.push_str(&escape_plain(part));
        }
    }
    out
}

fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.starts_with("http://") || word.starts_with("https://") {
            let url = word.trim_end_matches(['.', ',', ';', ':', ')']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            out.push_str(&word[url.len()..]);
            continue;
        }
        for ch in word.chars() {
            if matches!(ch, '\\' | '[' | ']' | '<' | '>') {
                out.push('\\');
            }
            out.push(ch);
        }
    }
    out
}

/// Whether a line starting with `word` could start a markdown block (list
/// item, heading, quote, rule, fence) instead of continuing a paragraph.
fn starts_block(word: &str) -> bool {
    if word.starts_with(['-', '+', '*', '#', '>', '=', '|', '~']) || word.starts_with("```") {
        return true;
    }
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(word[digits..].chars().next(), Some('.' | ')'))
}

/// Fills a paragraph to `WIDTH` columns.
pub fn wrap(paragraph: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in paragraph.split_whitespace() {
        if line.is_empty() {
            line.push_str(word);
        } else if line.len() + 1 + word.len() > WIDTH && !starts_block(word) {
            lines.push(std::mem::take(&mut line));
            line.push_str(word);
        } else {
            line.push(' ');
            line.push_str(word);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `#[doc]` attributes for paragraphs of markdown (already escaped). Each
/// paragraph may itself hold blank-line separated paragraphs.
pub fn doc(paragraphs: &[String]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs {
        for part in paragraph.split("\n\n") {
            if part.trim().is_empty() {
                continue;
            }
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(wrap(part).into_iter().map(|l| format!(" {l}")));
        }
    }
    let attrs = lines.iter().map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// A single-paragraph doc.
pub fn doc1(text: impl Into<String>) -> TokenStream {
    doc(&[text.into()])
}

/// Inner `#![doc]` attributes for a module.
pub fn module_doc(text: &str) -> TokenStream {
    let lines = wrap(text).into_iter().map(|l| format!(" {l}"));
    quote!(#(#![doc = #lines])*)
}

/// The first sentence of a description, starting lower-case unless it
/// starts with an acronym (`ID of ...`), for "Sets `x`: ..." docs.
pub fn first_sentence_lower(text: &str) -> String {
    let mut end = text.len();
    let bytes = text.as_bytes();
    let mut in_code = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'`' {
            in_code = !in_code;
        }
        if !in_code && b == b'.' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            end = i + 1;
            break;
        }
    }
    let sentence = &text[..end];
    // Names that keep their capital.
    let first_word = sentence.split([' ', ',', ';']).next().unwrap_or("");
    if [
        "Unix", "English", "Chinese", "Huawei", "Base64", "HTTP", "JSON",
    ]
    .contains(&first_word)
    {
        return sentence.to_owned();
    }
    let mut chars = sentence.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            let mut out: String = first.to_lowercase().collect();
            out.push_str(&sentence[first.len_utf8()..]);
            out
        }
        _ => sentence.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_outside_code_only() {
        assert_eq!(
            md("Holds `a<b>[c]` and <SIG> [x]"),
            "Holds `a<b>[c]` and \\<SIG\\> \\[x\\]"
        );
        assert_eq!(md("odd ` tick <"), "odd \\` tick \\<");
        assert_eq!(md("see https://x.y/z."), "see <https://x.y/z>.");
    }

    #[test]
    fn wraps_without_starting_a_list() {
        let text = format!("{} 1. two - three", "word ".repeat(15).trim());
        for line in wrap(&text) {
            assert!(!starts_block(line.split(' ').next().unwrap()), "{line}");
        }
    }

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence_lower("Host password of the meeting. Needed when `a.b` is 1."),
            "host password of the meeting."
        );
        assert_eq!(
            first_sentence_lower("ID of the meeting."),
            "ID of the meeting."
        );
        assert_eq!(
            first_sentence_lower("Set `x. y` now. More."),
            "set `x. y` now."
        );
    }
}
