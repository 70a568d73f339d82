//! The faults a remote method raises: every `new SoapFault(code, message)`
//! and `$this->server->fault(code, message)` in a method body, with the
//! message split into literal text and the PHP expressions put into it.
//!
//! Over SOAP the client reads the code from the fault; over JSON
//! (`remote/json.php`) the panel sends only the message, so the generated
//! client keeps each method's (code, message) pairs to find the code again.
//! Comments and the insides of string literals are skipped, so a
//! commented-out `// throw new SoapFault('debug', $sql);` is no fault.

use crate::model::{FaultThrow, MessagePart};

/// The faults thrown in `body` (a method body's text), in source order, each
/// once. A `SoapFault` built with one argument is left out: PHP refuses it
/// (`ArgumentCountError`) before anything is thrown as a fault.
pub(super) fn thrown(body: &str) -> Vec<FaultThrow> {
    let mut out: Vec<FaultThrow> = Vec::new();
    for args in calls(body) {
        let [code, message] = args.as_slice() else {
            continue;
        };
        let Some(code) = single_literal(code) else {
            continue;
        };
        let fault = FaultThrow {
            code,
            message: message_parts(message),
        };
        if !out.contains(&fault) {
            out.push(fault);
        }
    }
    out
}

/// The methods a body calls on the form library (`$app->remoting_lib->getDataRecord(`),
/// in order, each once.
pub(super) fn lib_calls(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in body.split("remoting_lib->").skip(1) {
        let name: String = piece
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let called = piece[name.len()..].trim_start().starts_with('(');
        if called && !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The argument texts of each `new SoapFault(...)` / `->fault(...)` call
/// outside comments and strings.
fn calls(body: &str) -> Vec<Vec<&str>> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(next) = skip_comment_or_string(bytes, i) {
            i = next;
            continue;
        }
        let rest = &body[i..];
        let opener = ["new SoapFault(", "->fault("]
            .into_iter()
            .find(|o| starts_with_ignore_case(rest, o));
        if let Some(opener) = opener {
            let open = i + opener.len();
            if let Some((args, end)) = arguments(body, open) {
                out.push(args);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Where a comment or string literal starting at `i` ends, if one starts there.
fn skip_comment_or_string(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes[i] {
        b'\'' | b'"' => Some(string_end(bytes, i)),
        b'#' => Some(line_end(bytes, i)),
        b'/' if bytes.get(i + 1) == Some(&b'/') => Some(line_end(bytes, i)),
        b'/' if bytes.get(i + 1) == Some(&b'*') => Some(
            find(bytes, i + 2, b"*/")
                .map(|e| e + 2)
                .unwrap_or(bytes.len()),
        ),
        _ => None,
    }
}

fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| i + p)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// The index just past the string literal opened by the quote at `start`
/// (the end of the text when it is unterminated).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The top-level arguments of a call whose `(` ends just before `open`, and
/// the index past its `)`; `None` when the parentheses never close.
fn arguments(text: &str, open: usize) -> Option<(Vec<&str>, usize)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut args = Vec::new();
    let mut start = open;
    let mut i = open;
    while i < bytes.len() {
        if let Some(next) = skip_comment_or_string(bytes, i) {
            i = next;
            continue;
        }
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth > 0 => depth -= 1,
            b')' => {
                let last = text[start..i].trim();
                if !last.is_empty() {
                    args.push(last);
                }
                return Some((args, i + 1));
            }
            b',' if depth == 0 => {
                args.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The value of an expression that is one plain string literal.
fn single_literal(expr: &str) -> Option<String> {
    match message_parts(expr).as_slice() {
        [MessagePart::Text(text)] => Some(text.clone()),
        _ => None,
    }
}

/// An expression split at its top-level `.` concatenations into literal
/// text and expressions; double-quoted strings contribute their
/// interpolated variables as expressions. Adjacent texts are joined.
fn message_parts(expr: &str) -> Vec<MessagePart> {
    let mut parts = Vec::new();
    for operand in concatenated(expr) {
        let bytes = operand.as_bytes();
        let is_whole_string = matches!(bytes.first(), Some(b'\'' | b'"'))
            && string_end(bytes, 0) == bytes.len()
            && bytes.len() >= 2;
        if !is_whole_string {
            push(&mut parts, MessagePart::Expr(operand.to_owned()));
        } else if bytes[0] == b'\'' {
            push(
                &mut parts,
                MessagePart::Text(single_quoted(&operand[1..operand.len() - 1])),
            );
        } else {
            for part in double_quoted(&operand[1..operand.len() - 1]) {
                push(&mut parts, part);
            }
        }
    }
    parts
}

fn push(parts: &mut Vec<MessagePart>, part: MessagePart) {
    match (parts.last_mut(), part) {
        (_, MessagePart::Text(t)) if t.is_empty() => {}
        (Some(MessagePart::Text(last)), MessagePart::Text(t)) => last.push_str(&t),
        (_, part) => parts.push(part),
    }
}

/// The operands of top-level `.` in `expr` (a `.` inside a number, a string,
/// parentheses or brackets does not count).
fn concatenated(expr: &str) -> Vec<&str> {
    let bytes = expr.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(next) = skip_comment_or_string(bytes, i) {
            i = next;
            continue;
        }
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'.' if depth == 0
                && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                && !(i > 0 && bytes[i - 1].is_ascii_digit()) =>
            {
                out.push(expr[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(expr[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// The value of a single-quoted literal's body (`\'` and `\\` unescaped).
fn single_quoted(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('\'' | '\\')) => out.push(e),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

/// A double-quoted literal's body: text with the usual escapes, and
/// `$name`, `$name->prop`, `$name[...]` and `{$...}` interpolations.
fn double_quoted(body: &str) -> Vec<MessagePart> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let bytes = body.as_bytes();
    let mut i = 0;
    let flush = |parts: &mut Vec<MessagePart>, text: &mut String| {
        push(parts, MessagePart::Text(std::mem::take(text)));
    };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if i + 1 < bytes.len() => {
                let escaped = match bytes[i + 1] {
                    b'n' => Some('\n'),
                    b'r' => Some('\r'),
                    b't' => Some('\t'),
                    b'\\' => Some('\\'),
                    b'"' => Some('"'),
                    b'$' => Some('$'),
                    _ => None,
                };
                match escaped {
                    Some(c) => {
                        text.push(c);
                        i += 2;
                    }
                    None => {
                        text.push('\\');
                        i += 1;
                    }
                }
            }
            b'{' if bytes.get(i + 1) == Some(&b'$') => {
                let end = body[i..].find('}').map_or(body.len(), |e| i + e + 1);
                flush(&mut parts, &mut text);
                push(
                    &mut parts,
                    MessagePart::Expr(body[i + 1..end.saturating_sub(1).max(i + 1)].to_owned()),
                );
                i = end;
            }
            b'$' if bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') =>
            {
                let mut end = i + 1;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                {
                    end += 1;
                }
                // `$a->b` and `$a[..]` are part of the simple syntax.
                if body[end..].starts_with("->")
                    && bytes
                        .get(end + 2)
                        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
                {
                    end += 2;
                    while end < bytes.len()
                        && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                    {
                        end += 1;
                    }
                } else if bytes.get(end) == Some(&b'[') {
                    end = body[end..].find(']').map_or(body.len(), |e| end + e + 1);
                }
                flush(&mut parts, &mut text);
                push(&mut parts, MessagePart::Expr(body[i..end].to_owned()));
                i = end;
            }
            _ => {
                let c = body[i..].chars().next().unwrap_or_default();
                text.push(c);
                i += c.len_utf8().max(1);
            }
        }
    }
    flush(&mut parts, &mut text);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> MessagePart {
        MessagePart::Text(s.to_owned())
    }
    fn expr(s: &str) -> MessagePart {
        MessagePart::Expr(s.to_owned())
    }

    #[test]
    fn literal_concatenated_and_interpolated_messages() {
        let body = r#"{
            throw new SoapFault('permission_denied', 'You do not have the permissions to access this function.');
            // throw new SoapFault('debug', $sql);
            /* throw new SoapFault('x', 'y'); */
            $this->server->fault('no_client_found', 'No client with ID '.$id . '.');
            throw new SoapFault('invalid_backup_id', "Invalid or non existant backup_id $primary_id");
            throw new SoapFault('database_error', $app->db->errorMessage . ' '.$sql);
            throw new SoapFault('Invalid client');
            throw new SoapFault('a', "x {$p['k']} y\r\n");
            throw new SoapFault('permission_denied', 'You do not have the permissions to access this function.');
        }"#;
        let faults = thrown(body);
        let pairs: Vec<(&str, &[MessagePart])> = faults
            .iter()
            .map(|f| (f.code.as_str(), f.message.as_slice()))
            .collect();
        assert_eq!(
            pairs,
            [
                (
                    "permission_denied",
                    &[text(
                        "You do not have the permissions to access this function."
                    )][..]
                ),
                (
                    "no_client_found",
                    &[text("No client with ID "), expr("$id"), text(".")][..]
                ),
                (
                    "invalid_backup_id",
                    &[
                        text("Invalid or non existant backup_id "),
                        expr("$primary_id")
                    ][..]
                ),
                (
                    "database_error",
                    &[expr("$app->db->errorMessage"), text(" "), expr("$sql")][..]
                ),
                ("a", &[text("x "), expr("$p['k']"), text(" y\r\n")][..]),
            ]
        );
    }

    #[test]
    fn broken_text_does_not_panic() {
        for body in [
            "new SoapFault(",
            "new SoapFault('a', 'b",
            "->fault('a', \"x {$",
            "'",
        ] {
            let _ = thrown(body);
        }
        assert!(thrown("new SoapFault($code, 'x')").is_empty());
    }
}
