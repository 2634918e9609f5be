//! clue-parser component: `parse: func(request: string) -> string`.
//!
//! Turns a crossword-clue request `{"clue", "pattern"?, "count"?}` into a
//! normalised description of the clue (see components/README.md), or into
//! `{"error":{"field","detail"}}`. Never panics on any input.

use cw_json::abi::{self, RetArea};
use cw_json::{self as json, ReadError, Value};

/// Longest clue accepted, in Unicode scalar values of the raw clue.
pub const MAX_CLUE_CHARS: usize = 500;
/// Most letters an answer may have.
pub const MAX_LETTERS: u64 = 64;
/// Range of `count`.
pub const MIN_COUNT: i64 = 1;
pub const MAX_COUNT: i64 = 20;
/// `count` when neither the request nor the clue gives one.
pub const DEFAULT_COUNT: i64 = 5;

// ---------------------------------------------------------------- ABI

/// `cabi_realloc(old_ptr: i32, old_size: i32, align: i32, new_size: i32) -> i32`
///
/// # Safety
/// Canonical-ABI contract: pointers must come from this function.
#[no_mangle]
pub unsafe extern "C" fn cabi_realloc(old_ptr: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
    abi::realloc(old_ptr, old_size, align, new_size)
}

/// `parse(ptr: i32, len: i32) -> i32` (pointer to an 8-byte (ptr, len) area).
/// Takes ownership of the argument buffer.
///
/// # Safety
/// `ptr`/`len` must come from `cabi_realloc(0, 0, 1, len)`.
#[no_mangle]
pub unsafe extern "C" fn parse(ptr: *mut u8, len: usize) -> *mut RetArea {
    let arg = abi::take_arg(ptr, len);
    let out = parse_request(&arg);
    drop(arg);
    abi::give_result(out)
}

/// `cabi_post_parse(retptr: i32)`: frees the result of `parse`.
///
/// # Safety
/// `ret` must be a value returned by `parse`, freed once.
#[no_mangle]
pub unsafe extern "C" fn cabi_post_parse(ret: *mut RetArea) {
    abi::post_return(ret)
}

// ---------------------------------------------------------------- model

struct Fail {
    field: &'static str,
    detail: String,
}

fn fail<T>(field: &'static str, detail: impl Into<String>) -> Result<T, Fail> {
    Err(Fail { field, detail: detail.into() })
}

/// Word lengths plus how the clue wrote them, e.g. `(4,5)`.
#[derive(Debug, Clone, PartialEq)]
struct Enumeration {
    words: Vec<u64>,
    rendered: String,
}

impl Enumeration {
    fn total(&self) -> u64 {
        self.words.iter().fold(0u64, |a, &b| a.saturating_add(b))
    }

    fn single(n: u64) -> Enumeration {
        Enumeration { words: vec![n], rendered: format!("({n})") }
    }
}

struct Pattern {
    norm: String,
    words: Vec<u64>,
    /// Letters and `?`s (everything but `*`).
    fixed: u64,
    star: bool,
}

fn letters(n: u64) -> String {
    if n == 1 {
        "1 letter".to_string()
    } else {
        format!("{n} letters")
    }
}

// ---------------------------------------------------------------- entry

/// The whole `parse` function on bytes: always returns a JSON document.
pub fn parse_request(input: &[u8]) -> String {
    match run(input) {
        Ok(s) => s,
        Err(f) => json::error_json(f.field, &f.detail),
    }
}

fn run(input: &[u8]) -> Result<String, Fail> {
    let doc = match std::str::from_utf8(input) {
        Ok(s) => s,
        Err(_) => return fail("request", "request is not valid UTF-8"),
    };
    let req = match json::read(doc) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) | Err(ReadError::Invalid) => return fail("request", "request is not a JSON object"),
        Err(ReadError::TooDeep) => {
            return fail("request", format!("request is nested more than {} levels deep", json::MAX_DEPTH))
        }
    };

    let clue: &str = match req.get("clue") {
        None | Some(Value::Null) => return fail("clue", "clue is required"),
        Some(Value::String(s)) => s,
        Some(_) => return fail("clue", "clue must be a string"),
    };
    let pattern_raw: Option<&str> = match req.get("pattern") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => return fail("pattern", "pattern must be a string"),
    };
    let count_req: Option<&Value> = match req.get("count") {
        None | Some(Value::Null) => None,
        Some(v) if v.is_integer() => Some(v),
        Some(_) => return fail("count", "count must be an integer"),
    };

    if clue.trim().is_empty() {
        return fail("clue", "clue is empty");
    }
    if clue.chars().count() > MAX_CLUE_CHARS {
        return fail("clue", format!("clue is longer than {MAX_CLUE_CHARS} characters"));
    }
    let count_given = match count_req {
        Some(v) => {
            let n = v.as_i64().unwrap_or(0);
            if !(MIN_COUNT..=MAX_COUNT).contains(&n) {
                let raw = match v {
                    Value::Number(raw) => raw.as_str(),
                    _ => "?",
                };
                return fail("count", format!("count must be between {MIN_COUNT} and {MAX_COUNT}, got {raw}"));
            }
            Some(n)
        }
        None => None,
    };

    // 1. trailing enumeration such as "(4,5)"
    let (body, trailing) = match trailing_enumeration(clue) {
        Some((rest, e)) => (rest, Some(e)),
        None => (clue, None),
    };
    let text = collapse_whitespace(body);
    if text.is_empty() {
        let rendered = trailing.as_ref().map(|e| e.rendered.as_str()).unwrap_or("");
        return fail("clue", format!("clue is empty once the enumeration {rendered} is removed"));
    }
    // The prompt builder drops control characters and chat-template markers from the text; a clue with
    // nothing else would be accepted here and then rejected there (a server error instead of a 400).
    if json::prompt_text::clean(&text).is_empty() {
        return fail("clue", "clue is empty once control characters and prompt markers are removed");
    }
    let chars: Vec<char> = text.chars().collect();
    let toks = tokenize(&chars);

    // 2. a phrase such as "7 letters" / "Ten-letter"
    let clue_enum = match trailing {
        Some(e) => Some(e),
        None => phrase_enumeration(&chars, &toks),
    };
    if let Some(e) = &clue_enum {
        if e.words.iter().any(|&w| w == 0) {
            return fail("clue", format!("enumeration {} has a word of length 0", e.rendered));
        }
        if e.total() > MAX_LETTERS {
            return fail(
                "clue",
                format!("enumeration {} needs {} letters, more than {MAX_LETTERS}", e.rendered, e.total()),
            );
        }
    }

    // pattern
    let pattern = match pattern_raw {
        Some(p) => normalize_pattern(p)?,
        None => None,
    };
    if let Some(p) = &pattern {
        match &clue_enum {
            Some(e) => {
                let need = e.total();
                if p.star && p.fixed > need {
                    return fail(
                        "pattern",
                        format!("pattern has at least {} but the enumeration {} needs {need}", letters(p.fixed), e.rendered),
                    );
                }
                if !p.star && p.fixed != need {
                    return fail(
                        "pattern",
                        format!("pattern has {} but the enumeration {} needs {need}", letters(p.fixed), e.rendered),
                    );
                }
            }
            None => {
                if p.fixed > MAX_LETTERS {
                    let at_least = if p.star { "at least " } else { "" };
                    return fail(
                        "pattern",
                        format!("pattern has {at_least}{}, more than {MAX_LETTERS}", letters(p.fixed)),
                    );
                }
            }
        }
    }

    // 3. enumeration from the pattern's words
    let enumeration: Vec<u64> = match (&clue_enum, &pattern) {
        (Some(e), _) => e.words.clone(),
        (None, Some(p)) if !p.star => p.words.clone(),
        _ => Vec::new(),
    };
    let length: Option<u64> = if enumeration.is_empty() {
        None
    } else {
        Some(enumeration.iter().fold(0u64, |a, &b| a.saturating_add(b)))
    };

    let count = count_given.or_else(|| count_from_text(&chars, &toks)).unwrap_or(DEFAULT_COUNT);
    let kind = classify(&chars, &toks);
    let quoted = quoted_phrases(&chars);

    let mut out = String::with_capacity(text.len() + 128);
    out.push_str("{\"text\":");
    json::push_str(&mut out, &text);
    out.push_str(",\"enumeration\":[");
    for (i, w) in enumeration.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&w.to_string());
    }
    out.push_str("],\"length\":");
    match length {
        Some(n) => out.push_str(&n.to_string()),
        None => out.push_str("null"),
    }
    out.push_str(",\"pattern\":");
    match &pattern {
        Some(p) => json::push_str(&mut out, &p.norm),
        None => out.push_str("null"),
    }
    out.push_str(",\"count\":");
    out.push_str(&count.to_string());
    out.push_str(",\"kind\":");
    json::push_str(&mut out, kind);
    out.push_str(",\"quoted\":[");
    for (i, q) in quoted.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::push_str(&mut out, q);
    }
    out.push_str("]}");
    Ok(out)
}

// ---------------------------------------------------------------- pieces

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A trailing `(7)`, `(4,5)`, `(4-4)`, `( 4, 5 )`: returns the clue before it.
fn trailing_enumeration(clue: &str) -> Option<(&str, Enumeration)> {
    let t = clue.trim_end();
    let without_close = t.strip_suffix(')')?;
    let open = without_close.rfind('(')?;
    let inner = without_close.get(open + 1..)?;
    let rest = without_close.get(..open)?;

    let mut words = Vec::new();
    let mut rendered = String::from("(");
    let mut current: Option<u64> = None;
    for c in inner.chars() {
        match c {
            '0'..='9' => {
                let d = u64::from(c as u8 - b'0');
                current = Some(current.unwrap_or(0).saturating_mul(10).saturating_add(d));
            }
            ',' | '-' => {
                let n = current.take()?;
                words.push(n);
                rendered.push_str(&n.to_string());
                rendered.push(c);
            }
            // spaces are tolerated around numbers ("( 4, 5 )"), not inside them (checked below)
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    // reject "(4 5)": digits separated only by whitespace
    if inner.split(|c: char| c == ',' || c == '-').any(|part| part.trim().contains(char::is_whitespace)) {
        return None;
    }
    let n = current?;
    words.push(n);
    rendered.push_str(&n.to_string());
    rendered.push(')');
    Some((rest, Enumeration { words, rendered }))
}

#[derive(Debug)]
struct Tok {
    start: usize,
    end: usize,
    lower: String,
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Letters and digits. ASCII is exact; any other non-space character is
/// treated as a letter except common punctuation (keeps the module free of
/// large Unicode tables).
fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !c.is_whitespace() && !matches!(c, '\u{2018}'..='\u{201F}' | '\u{2010}'..='\u{2015}' | '\u{2026}' | '\u{00AB}' | '\u{00BB}' | '\u{00A1}' | '\u{00BF}' | '\u{00B7}')
}

/// Words: runs of alphanumerics (apostrophes allowed inside).
fn tokenize(chars: &[char]) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars.get(i).copied().unwrap_or(' ');
        if is_alnum(c) || is_apostrophe(c) {
            let start = i;
            while i < chars.len() && chars.get(i).map_or(false, |&c| is_alnum(c) || is_apostrophe(c)) {
                i += 1;
            }
            let mut s = start;
            let mut e = i;
            while s < e && chars.get(s).map_or(false, |&c| is_apostrophe(c)) {
                s += 1;
            }
            while e > s && chars.get(e - 1).map_or(false, |&c| is_apostrophe(c)) {
                e -= 1;
            }
            if s < e {
                let word: String = chars.get(s..e).unwrap_or(&[]).iter().collect();
                toks.push(Tok { start: s, end: e, lower: word.to_ascii_lowercase() });
            }
        } else {
            i += 1;
        }
    }
    toks
}

const NUMBER_WORDS: [&str; 20] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
];

/// Digits or one..twenty (token already lowercased).
fn number_value(word: &str) -> Option<u64> {
    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        return Some(word.bytes().fold(0u64, |a, b| a.saturating_mul(10).saturating_add(u64::from(b - b'0'))));
    }
    NUMBER_WORDS.iter().position(|w| *w == word).map(|i| i as u64 + 1)
}

fn between<'a>(chars: &'a [char], a: &Tok, b: &Tok) -> &'a [char] {
    chars.get(a.end..b.start).unwrap_or(&[])
}

fn is_letter_word(t: &Tok) -> bool {
    t.lower == "letter" || t.lower == "letters"
}

/// "7 letters", "7-letter", "Ten-letter", "ten letters", "7 letter word".
fn phrase_enumeration(chars: &[char], toks: &[Tok]) -> Option<Enumeration> {
    for pair in toks.windows(2) {
        if let [a, b] = pair {
            let sep = between(chars, a, b);
            let sep_ok = sep == ['-'] || (!sep.is_empty() && sep.iter().all(|c| c.is_whitespace()));
            if sep_ok && is_letter_word(b) {
                if let Some(n) = number_value(&a.lower) {
                    return Some(Enumeration::single(n));
                }
            }
        }
    }
    None
}

fn is_plural_noun(t: &Tok) -> bool {
    let w = &t.lower;
    w.chars().count() >= 3
        && w.chars().all(|c| c.is_ascii_alphabetic() || is_apostrophe(c))
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !is_letter_word(t)
}

/// A number directly followed by a plural noun: "five synonyms", "3 actors".
fn count_from_text(chars: &[char], toks: &[Tok]) -> Option<i64> {
    for pair in toks.windows(2) {
        if let [a, b] = pair {
            let sep = between(chars, a, b);
            if sep.is_empty() || !sep.iter().all(|c| c.is_whitespace()) || !is_plural_noun(b) {
                continue;
            }
            // skip decimals such as "2.5 metres"
            if a.start >= 2 {
                let before = chars.get(a.start - 1).copied();
                let before2 = chars.get(a.start - 2).copied();
                if matches!(before, Some('.') | Some(',')) && before2.map_or(false, |c| c.is_ascii_digit()) {
                    continue;
                }
            }
            match number_value(&a.lower) {
                Some(0) | None => continue,
                Some(n) => return Some(n.min(MAX_COUNT as u64) as i64),
            }
        }
    }
    None
}

fn is_word_char(c: char) -> bool {
    is_alnum(c) || c == '_'
}

/// `\b\d+[- ]?(Across|Down)\b`, case-insensitive.
fn has_cross_reference(chars: &[char]) -> bool {
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let at = |i: usize| lower.get(i).copied();
    let mut i = 0;
    while i < lower.len() {
        let starts_run = at(i).map_or(false, |c| c.is_ascii_digit()) && (i == 0 || !at(i - 1).map_or(false, is_word_char));
        if !starts_run {
            i += 1;
            continue;
        }
        let mut j = i;
        while at(j).map_or(false, |c| c.is_ascii_digit()) {
            j += 1;
        }
        let mut k = j;
        if matches!(at(k), Some('-') | Some(' ')) {
            k += 1;
        }
        for word in ["across", "down"] {
            let n = word.chars().count();
            let matches_word = word.chars().enumerate().all(|(o, w)| at(k + o) == Some(w));
            if matches_word && !at(k + n).map_or(false, is_word_char) {
                return true;
            }
        }
        i = j;
    }
    false
}

const QUESTION_WORDS: [&str; 21] = [
    "who", "what", "when", "where", "which", "why", "how", "is", "are", "was", "were", "do", "does", "did", "can",
    "could", "will", "would", "should", "has", "have",
];

fn classify(chars: &[char], toks: &[Tok]) -> &'static str {
    if has_cross_reference(chars) {
        return "cross-reference";
    }
    if chars.windows(2).any(|w| w == ['_', '_']) {
        return "fill-in-the-blank";
    }
    if chars.last() == Some(&'?') {
        let first = toks.first().map(|t| t.lower.as_str()).unwrap_or("");
        if QUESTION_WORDS.contains(&first) {
            return "question";
        }
        return "wordplay";
    }
    "definition"
}

/// Phrases inside "…" or “…”, trimmed, empty ones skipped.
fn quoted_phrases(chars: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let close = match chars.get(i) {
            Some('"') => '"',
            Some('\u{201C}') => '\u{201D}',
            _ => {
                i += 1;
                continue;
            }
        };
        let rest = chars.get(i + 1..).unwrap_or(&[]);
        match rest.iter().position(|&c| c == close) {
            Some(p) => {
                let inner: String = rest.get(..p).unwrap_or(&[]).iter().collect();
                let inner = inner.trim();
                if !inner.is_empty() {
                    out.push(inner.to_string());
                }
                i += p + 2;
            }
            None => break,
        }
    }
    out
}

fn normalize_pattern(raw: &str) -> Result<Option<Pattern>, Fail> {
    let mut norm = String::new();
    let mut words = Vec::new();
    let mut current = 0u64;
    let mut fixed = 0u64;
    let mut star = false;
    for (i, c) in raw.chars().enumerate() {
        match c {
            'a'..='z' | 'A'..='Z' => {
                norm.push(c.to_ascii_uppercase());
                current += 1;
                fixed += 1;
            }
            '?' | '.' | '_' => {
                norm.push('?');
                current += 1;
                fixed += 1;
            }
            '*' => {
                if !norm.ends_with('*') {
                    norm.push('*');
                }
                star = true;
            }
            ' ' | '-' => {
                if current > 0 {
                    words.push(current);
                    current = 0;
                }
            }
            other => {
                return fail(
                    "pattern",
                    format!(
                        "pattern has an invalid character '{other}' at position {} (use letters, ?, ., _, *, spaces or hyphens)",
                        i + 1
                    ),
                )
            }
        }
    }
    if current > 0 {
        words.push(current);
    }
    if norm.is_empty() {
        return Ok(None);
    }
    Ok(Some(Pattern { norm, words, fixed, star }))
}

#[cfg(test)]
mod tests;
