//! The little JSON this app reads and writes: Strapi's answers and a JWT's claims (read), request
//! bodies of string fields (written).
//!
//! Hand-written rather than serde_json with derived structs, for bytes: those cost some 10 KB of
//! brotli-compressed wasm here, this a fraction of that. Strict RFC 8259, like serde_json: anything
//! else is an error, never a panic; nesting deeper than 128 levels is refused (no stack overflow);
//! an object with a key twice is refused (which value would be meant?); numbers are kept as their
//! text, read as whole numbers where the app needs one (a JWT's `exp`).

/// A JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number as written (valid JSON number syntax).
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in their order; keys are unique.
    Object(Vec<(String, Json)>),
}

const MAX_DEPTH: usize = 128;

impl Json {
    /// The one JSON value of `text` (whitespace around it allowed), or `None`.
    pub fn parse(text: &str) -> Option<Json> {
        let mut parser = Parser {
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = parser.value(0)?;
        parser.whitespace();
        (parser.at == parser.bytes.len()).then_some(value)
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A number that is a whole, non-negative `u64` as written (`12`, not `12.0` or `1e3`).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    /// A member that may be absent or `null` (both `Some(None)`), else must be a string: `None`
    /// when it is something else.
    pub fn optional_str(&self, key: &str) -> Option<Option<&str>> {
        match self.get(key) {
            None | Some(Json::Null) => Some(None),
            Some(Json::String(s)) => Some(Some(s)),
            Some(_) => None,
        }
    }
}

/// `{"key": "value", …}` of string fields, in order.
pub fn object_of_strings(fields: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(&mut out, key);
        out.push(':');
        write_string(&mut out, value);
    }
    out.push('}');
    out
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    fn literal(&mut self, word: &[u8], value: Json) -> Option<Json> {
        let end = self.at.checked_add(word.len())?;
        (self.bytes.get(self.at..end) == Some(word)).then(|| {
            self.at = end;
            value
        })
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.whitespace();
        match self.peek()? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(Json::String),
            b't' => self.literal(b"true", Json::Bool(true)),
            b'f' => self.literal(b"false", Json::Bool(false)),
            b'n' => self.literal(b"null", Json::Null),
            _ => self.number(),
        }
    }

    fn object(&mut self, depth: usize) -> Option<Json> {
        self.eat(b'{')?;
        let mut members: Vec<(String, Json)> = Vec::new();
        self.whitespace();
        if self.eat(b'}').is_some() {
            return Some(Json::Object(members));
        }
        loop {
            self.whitespace();
            let key = self.string()?;
            if members.iter().any(|(k, _)| *k == key) {
                return None;
            }
            self.whitespace();
            self.eat(b':')?;
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.whitespace();
            if self.eat(b',').is_none() {
                self.eat(b'}')?;
                return Some(Json::Object(members));
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<Json> {
        self.eat(b'[')?;
        let mut items = Vec::new();
        self.whitespace();
        if self.eat(b']').is_some() {
            return Some(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.whitespace();
            if self.eat(b',').is_none() {
                self.eat(b']')?;
                return Some(Json::Array(items));
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Option<Json> {
        let start = self.at;
        let _ = self.eat(b'-');
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.eat(b'.').is_some() && self.digits() == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        // Only ASCII was consumed: a valid slice boundary.
        let text = std::str::from_utf8(&self.bytes[start..self.at]).ok()?;
        Some(Json::Number(text.to_owned()))
    }

    fn hex4(&mut self) -> Option<u32> {
        let end = self.at.checked_add(4)?;
        let digits = self.bytes.get(self.at..end)?;
        // Hex digits only: from_str_radix would also take a leading '+', which JSON does not.
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        let value = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
        self.at = end;
        Some(value)
    }

    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = String::new();
        loop {
            // A run of plain characters at once (the text is valid UTF-8, and '"' and '\\' are
            // ASCII, so the run ends on a character boundary).
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(std::str::from_utf8(&self.bytes[start..self.at]).ok()?);
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.at += 1;
                    let escape = self.peek()?;
                    self.at += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                // A raw control character.
                _ => return None,
            }
        }
    }

    /// After `\u`: one character, from a surrogate pair where it takes two escapes.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        match first {
            0xD800..=0xDBFF => {
                self.eat(b'\\')?;
                self.eat(b'u')?;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            }
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(first),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Json {
        Json::String(text.to_owned())
    }

    #[test]
    fn reads_strapi_s_kind_of_answer() {
        let v = Json::parse(
            r#" {"jwt":"a.b.c","user":{"id":1,"username":"ann","confirmed":true,"x":null},
                 "list":[1,-2.5e3,"\u00e9\ud83d\ude00\n\"\\\/"]} "#,
        )
        .unwrap();
        assert_eq!(v.get("jwt"), Some(&s("a.b.c")));
        let user = v.get("user").unwrap();
        assert_eq!(user.get("id").and_then(Json::as_u64), Some(1));
        assert_eq!(user.get("confirmed").and_then(Json::as_bool), Some(true));
        assert_eq!(user.optional_str("x"), Some(None));
        assert_eq!(user.optional_str("id"), None);
        let list = v.get("list").and_then(Json::as_array).unwrap();
        assert_eq!(list[1], Json::Number("-2.5e3".into()));
        assert_eq!(list[1].as_u64(), None);
        assert_eq!(list[2], s("é😀\n\"\\/"));
    }

    #[test]
    fn refuses_what_is_not_strict_json() {
        for bad in [
            "",
            " ",
            "{",
            "}",
            "[1,]",
            "{\"a\":1,}",
            "{'a':1}",
            "{\"a\" 1}",
            "01",
            "1.",
            ".5",
            "-",
            "+1",
            "1e",
            "0x10",
            "NaN",
            "tru",
            "nulls",
            "\"abc",
            "\"a\u{1}b\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\u+123\"",
            "\"\\ud800\"",
            "\"\\udc00x\"",
            "\"\\ud800\\u0041\"",
            "{\"a\":1}x",
            "[1] [2]",
            "{\"a\":1,\"a\":2}",
        ] {
            assert_eq!(Json::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(Json::parse(&deep), None);
        let fine = "[".repeat(100) + &"]".repeat(100);
        assert!(Json::parse(&fine).is_some());
    }

    #[test]
    fn writes_bodies_that_read_back() {
        let tricky = "quote \" backslash \\ newline \n tab \t bell \u{7} é 😀";
        let text = object_of_strings(&[("identifier", "ann"), ("password", tricky)]);
        let back = Json::parse(&text).unwrap();
        assert_eq!(back.get("identifier"), Some(&s("ann")));
        assert_eq!(back.get("password"), Some(&s(tricky)));
        assert_eq!(object_of_strings(&[]), "{}");
        assert_eq!(object_of_strings(&[("a", "b")]), r#"{"a":"b"}"#);
    }
}
