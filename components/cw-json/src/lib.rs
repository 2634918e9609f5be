//! Minimal, std-only JSON reader and writer plus the canonical-ABI memory
//! helpers shared by the crossword components.
//!
//! Everything here is written to be panic-free on arbitrary input: no
//! indexing that can go out of bounds, no unwraps, bounded recursion.

/// Deepest nesting of arrays/objects the reader accepts.
pub const MAX_DEPTH: usize = 64;

/// A parsed JSON value. Objects keep their members in document order;
/// numbers keep their literal text (so no precision is lost and integers can
/// be told apart from floats).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

/// Why a document could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadError {
    /// Not well-formed JSON.
    Invalid,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

impl Value {
    /// Member lookup on an object (the last duplicate wins); `None` for
    /// missing members and for non-objects.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// True for a number literal without fraction or exponent.
    pub fn is_integer(&self) -> bool {
        match self {
            Value::Number(raw) => !raw.contains(|c| c == '.' || c == 'e' || c == 'E'),
            _ => false,
        }
    }

    /// The value of an integer literal, saturated to the i64 range.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(raw) if self.is_integer() => {
                let (neg, digits) = match raw.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, raw.as_str()),
                };
                let mut n: i64 = 0;
                for b in digits.bytes() {
                    let d = i64::from(b.wrapping_sub(b'0'));
                    n = if neg { n.saturating_mul(10).saturating_sub(d) } else { n.saturating_mul(10).saturating_add(d) };
                }
                Some(n)
            }
            _ => None,
        }
    }
}

/// Reads one JSON document (surrounding whitespace allowed).
pub fn read(input: &str) -> Result<Value, ReadError> {
    let mut p = Reader { s: input.as_bytes(), i: 0 };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(ReadError::Invalid);
    }
    Ok(v)
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek();
        if b.is_some() {
            self.i += 1;
        }
        b
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), ReadError> {
        if self.next() == Some(b) {
            Ok(())
        } else {
            Err(ReadError::Invalid)
        }
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Result<Value, ReadError> {
        match self.s.get(self.i..self.i + word.len()) {
            Some(w) if w == word => {
                self.i += word.len();
                Ok(v)
            }
            _ => Err(ReadError::Invalid),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ReadError> {
        match self.peek() {
            Some(b'{') => {
                if depth >= MAX_DEPTH {
                    return Err(ReadError::TooDeep);
                }
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return Ok(Value::Object(members));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    self.ws();
                    self.expect(b':')?;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    members.push((k, v));
                    self.ws();
                    match self.next() {
                        Some(b',') => continue,
                        Some(b'}') => return Ok(Value::Object(members)),
                        _ => return Err(ReadError::Invalid),
                    }
                }
            }
            Some(b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(ReadError::TooDeep);
                }
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                loop {
                    self.ws();
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.next() {
                        Some(b',') => continue,
                        Some(b']') => return Ok(Value::Array(items)),
                        _ => return Err(ReadError::Invalid),
                    }
                }
            }
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(ReadError::Invalid),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Value, ReadError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(ReadError::Invalid),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(ReadError::Invalid);
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(ReadError::Invalid);
            }
        }
        let raw = self.s.get(start..self.i).ok_or(ReadError::Invalid)?;
        String::from_utf8(raw.to_vec()).map(Value::Number).map_err(|_| ReadError::Invalid)
    }

    fn hex4(&mut self) -> Result<u32, ReadError> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = match self.next() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(ReadError::Invalid),
            };
            n = n * 16 + u32::from(d);
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, ReadError> {
        self.expect(b'"')?;
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.next() {
                None => return Err(ReadError::Invalid),
                Some(b'"') => break,
                Some(b'\\') => {
                    let c: char = match self.next() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.next() != Some(b'\\') || self.next() != Some(b'u') {
                                    return Err(ReadError::Invalid);
                                }
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(ReadError::Invalid);
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or(ReadError::Invalid)?
                        }
                        _ => return Err(ReadError::Invalid),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                Some(b) if b < 0x20 => return Err(ReadError::Invalid),
                Some(b) => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| ReadError::Invalid)
    }
}

/// Appends `s` as a quoted JSON string: `"` and `\` are escaped, newline,
/// carriage return and tab become `\n`, `\r`, `\t`, other control characters
/// (and DEL) become `\u00XX`, everything else is written as raw UTF-8.
pub fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let n = c as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[(n >> 4) & 0xf]));
                out.push(char::from(HEX[n & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Returns `s` as a quoted JSON string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_str(&mut out, s);
    out
}

/// Writes a value compactly (object members in stored order).
pub fn write(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(raw) => out.push_str(raw),
        Value::String(s) => push_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, item);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_str(out, k);
                out.push(':');
                write(out, item);
            }
            out.push('}');
        }
    }
}

/// `{"error":{"field":…,"detail":…}}`
pub fn error_json(field: &str, detail: &str) -> String {
    let mut out = String::from("{\"error\":{\"field\":");
    push_str(&mut out, field);
    out.push_str(",\"detail\":");
    push_str(&mut out, detail);
    out.push_str("}}");
    out
}

/// The clue text as it may appear inside a prompt: shared by the clue parser (which rejects a clue that
/// has nothing left) and the prompt builder (which embeds the cleaned text), so that every clue the parser
/// accepts is one the builder accepts too.
pub mod prompt_text {
    /// Chat-template markers removed from the clue text before it is embedded in a prompt.
    pub const MARKERS: [&str; 8] = ["<clue>", "</clue>", "[INST]", "[/INST]", "<<SYS>>", "<</SYS>>", "<s>", "</s>"];

    /// Control characters to spaces, whitespace runs collapsed, markers removed (ASCII case-insensitively)
    /// until none is left, so that removing one cannot join two halves into a new one.
    pub fn clean(raw: &str) -> String {
        let spaced: String = raw.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let mut s = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
        loop {
            let lower = s.to_ascii_lowercase();
            let hit = MARKERS
                .iter()
                .filter_map(|m| lower.find(&m.to_ascii_lowercase()).map(|at| (at, m.len())))
                .min();
            match hit {
                Some((at, len)) => {
                    let mut next = String::with_capacity(s.len());
                    next.push_str(s.get(..at).unwrap_or(""));
                    next.push_str(s.get(at + len..).unwrap_or(""));
                    s = next;
                }
                None => break,
            }
        }
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Canonical-ABI memory protocol helpers (used by the `#[no_mangle]`
/// exports of each component).
pub mod abi {
    use std::alloc::{self, Layout};

    /// The 8-byte return area on wasm32: (ptr: i32, len: i32).
    #[repr(C)]
    pub struct RetArea {
        pub ptr: *mut u8,
        pub len: usize,
    }

    /// `cabi_realloc(old_ptr, old_size, align, new_size) -> ptr`.
    /// Returns null (0) when the request is invalid or memory is exhausted,
    /// never traps. A zero-sized request returns a non-null dangling pointer.
    ///
    /// # Safety
    /// `old_ptr`/`old_size`/`align` must describe a live allocation made by
    /// this function (or `old_size == 0`).
    pub unsafe fn realloc(old_ptr: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
        let layout = match Layout::from_size_align(new_size, align) {
            Ok(l) => l,
            Err(_) => return std::ptr::null_mut(),
        };
        if old_size == 0 || old_ptr.is_null() {
            if new_size == 0 {
                return align as *mut u8;
            }
            return alloc::alloc(layout);
        }
        let old = match Layout::from_size_align(old_size, align) {
            Ok(l) => l,
            Err(_) => return std::ptr::null_mut(),
        };
        if new_size == 0 {
            alloc::dealloc(old_ptr, old);
            return align as *mut u8;
        }
        alloc::realloc(old_ptr, old, new_size)
    }

    /// Takes ownership of an argument buffer the host allocated with
    /// `cabi_realloc(0, 0, 1, len)`; it is freed when the Vec is dropped.
    ///
    /// # Safety
    /// `ptr` must come from `realloc(0, 0, 1, len)` and not be used afterwards.
    pub unsafe fn take_arg(ptr: *mut u8, len: usize) -> Vec<u8> {
        if len == 0 || ptr.is_null() {
            return Vec::new();
        }
        Vec::from_raw_parts(ptr, len, len)
    }

    /// Leaks `s` and a heap return area pointing at it; the host reads the
    /// area and then calls the post-return function with its address.
    pub fn give_result(s: String) -> *mut RetArea {
        let bytes: Box<[u8]> = s.into_bytes().into_boxed_slice();
        let len = bytes.len();
        let ptr = Box::into_raw(bytes) as *mut u8;
        Box::into_raw(Box::new(RetArea { ptr, len }))
    }

    /// Frees what [`give_result`] leaked. A null pointer is ignored.
    ///
    /// # Safety
    /// `ret` must come from [`give_result`] and be freed only once.
    pub unsafe fn post_return(ret: *mut RetArea) {
        if ret.is_null() {
            return;
        }
        let area = Box::from_raw(ret);
        if !area.ptr.is_null() {
            drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(area.ptr, area.len)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes() {
        let v = read(r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\n\u00e9\ud83d\ude00"} "#).unwrap();
        let mut out = String::new();
        write(&mut out, &v);
        assert_eq!(out, "{\"a\":[1,-2.5e3,true,false,null],\"b\":\"x\\\"\\\\/\\né😀\"}");
    }

    #[test]
    fn rejects_bad_documents() {
        for bad in ["", "{", "{\"a\":}", "[1,]", "01", "1.", "-", "\"\\x\"", "\"\u{1}\"", "\"\\ud800\"", "{} x", "nul", "{'a':1}", "[1 2]", "+1", ".5", "1e"] {
            assert_eq!(read(bad), Err(ReadError::Invalid), "{bad:?}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(read(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(read(&deep), Err(ReadError::TooDeep));
        assert_eq!(read(&"[".repeat(100_000)), Err(ReadError::TooDeep));
    }

    #[test]
    fn integers() {
        assert!(read("5").unwrap().is_integer());
        assert!(!read("5.0").unwrap().is_integer());
        assert!(!read("5e0").unwrap().is_integer());
        assert_eq!(read("-12").unwrap().as_i64(), Some(-12));
        assert_eq!(read("99999999999999999999999").unwrap().as_i64(), Some(i64::MAX));
        assert_eq!(read("\"5\"").unwrap().as_i64(), None);
    }

    #[test]
    fn escapes_control_characters() {
        assert_eq!(quote("a\u{0}b\u{1f}\t\"\\é"), "\"a\\u0000b\\u001f\\t\\\"\\\\é\"");
        assert_eq!(error_json("clue", "clue is empty"), r#"{"error":{"field":"clue","detail":"clue is empty"}}"#);
    }

    #[test]
    fn duplicate_keys_last_wins() {
        let v = read(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(v.get("a"), Some(&Value::Number("2".into())));
    }
}
