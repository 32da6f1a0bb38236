//! Content lines (RFC 5545 §3.1): `NAME;PARAM="value":value`, ended by CRLF and folded
//! so that no line is longer than 75 octets, never inside a UTF-8 character.

use std::fmt::Write;

/// The octets a physical line may hold, CRLF aside.
const LINE_OCTETS: usize = 75;

/// An iCalendar object being written, line by line.
pub struct Lines {
    out: String,
    line: String,
}

impl Lines {
    pub fn with_capacity(octets: usize) -> Self {
        Self { out: String::with_capacity(octets), line: String::with_capacity(256) }
    }

    pub fn begin(&mut self, component: &str) {
        self.raw("BEGIN", component);
    }

    pub fn end(&mut self, component: &str) {
        self.raw("END", component);
    }

    /// A property whose value is already in its type's syntax (a date, a number, an
    /// enumeration, a URI): written as it is.
    pub fn raw(&mut self, name: &str, value: &str) {
        self.with_params(name, &[], value);
    }

    /// A `TEXT` property (§3.3.11): backslashes, semicolons, commas and line breaks
    /// escaped; other control characters, which TEXT cannot hold, left out.
    pub fn text(&mut self, name: &str, value: &str) {
        self.line.clear();
        self.line.push_str(name);
        self.line.push(':');
        escape_text(&mut self.line, value);
        self.flush();
    }

    /// A property with parameters, then `value` as it is.
    pub fn with_params(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        self.line.clear();
        self.line.push_str(name);
        for (key, param) in params {
            self.line.push(';');
            self.line.push_str(key);
            self.line.push('=');
            quote_param(&mut self.line, param);
        }
        self.line.push(':');
        self.line.push_str(value);
        self.flush();
    }

    /// A property `NAME;TZID=zone:yyyyMMddTHHmmss`, or a UTC one ending in `Z`.
    pub fn time(&mut self, name: &str, zone: Option<&str>, stamp: impl std::fmt::Display) {
        self.line.clear();
        self.line.push_str(name);
        if let Some(zone) = zone {
            self.line.push_str(";TZID=");
            self.line.push_str(zone);
        }
        // Writing to a String cannot fail.
        let _ = write!(self.line, ":{stamp}");
        self.flush();
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// Moves the line being written to the output, folded: a fold is CRLF then one
    /// space, so each continuation holds at most 74 octets of the line.
    fn flush(&mut self) {
        let mut room = LINE_OCTETS;
        for ch in self.line.chars() {
            if ch.len_utf8() > room {
                self.out.push_str("\r\n ");
                room = LINE_OCTETS - 1;
            }
            self.out.push(ch);
            room -= ch.len_utf8();
        }
        self.out.push_str("\r\n");
    }
}

fn escape_text(out: &mut String, value: &str) {
    let mut chars = value.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                // CRLF, a lone CR and a lone LF are all one line break.
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// A parameter value (§3.2), in double quotes when it holds `:`, `;` or `,`. No value
/// may hold a `"` or a control character: a `"` becomes `'`, control characters go.
fn quote_param(out: &mut String, value: &str) {
    let quoted = value.contains([':', ';', ',']);
    if quoted {
        out.push('"');
    }
    for ch in value.chars() {
        match ch {
            '"' => out.push('\''),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    if quoted {
        out.push('"');
    }
}
