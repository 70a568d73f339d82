//! ISPConfig over `remote/json.php`: the wire format of the JSON transport.
//!
//! The panel's JSON handler (3.2.12p1 `ISPConfigJSONHandler`) dispatches to
//! the same remote methods as the SOAP server, with three differences the
//! client has to make up for:
//!
//! - **Parameters travel by PHP parameter name** in a JSON object
//!   (`POST json.php?dns_a_add` with `{"session_id": …, "client_id": …}`),
//!   and a name that is missing arrives as `null`, *not* as the PHP default.
//!   So every parameter is sent, with the upstream default where the caller
//!   gave none: the generated crate hands the names and defaults of every
//!   method to the runtime ([`RemoteMethod`], installed by
//!   [`super::ClientBuilder::remote_methods`]).
//! - **Answers** are `{"code", "message", "response"}` with HTTP 200:
//!   `ok`, or `remote_fault` / `invalid_method` / `invalid_data` /
//!   `invalid_class`.
//! - **A `SoapFault` keeps only its message** (`remote_fault`): the code
//!   (`session_does_not_exist`, `permission_denied`, …) is gone. It is found
//!   again from the messages each method can raise ([`RemoteFault`],
//!   extracted from the panel's sources), so a JSON fault becomes the same
//!   [`crate::Error`] (same variant, same code) as its SOAP twin, and the
//!   session gate (re-login, lockout) works on both alike.

use super::faults;
use crate::soap::{DecodeLimits, Fault, Value};
use crate::{Error, Result};

/// One remote method as the JSON handler sees it: its PHP parameters, in
/// order, and the faults it raises. Generated from the inventory.
#[derive(Debug)]
pub struct RemoteMethod {
    /// The method's name.
    pub name: &'static str,
    /// Its parameters in declaration order, the session id first.
    pub params: &'static [RemoteParam],
    /// The faults its body (and what it calls on `$this`) can throw.
    pub faults: &'static [RemoteFault],
}

/// A PHP parameter of a remote method.
#[derive(Debug)]
pub struct RemoteParam {
    /// The PHP parameter name, the key of the JSON object.
    pub name: &'static str,
    /// The PHP default, sent when the caller gave nothing (the JSON handler
    /// would pass `null` instead). `None`: no default (sent as `null` when
    /// left out, as the panel would see it).
    pub default: Option<fn() -> Value>,
}

/// A fault a remote method throws: its code and its message pattern.
#[derive(Debug)]
pub struct RemoteFault {
    /// The fault code the SOAP transport would show.
    pub code: &'static str,
    /// The message: literal pieces and the places where PHP inserts a value.
    pub message: &'static [MessagePiece],
}

/// A piece of a fault message pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessagePiece {
    /// Literal text.
    Text(&'static str),
    /// A value PHP inserts at run time: any text, possibly empty.
    Value,
}

/// The request body for `method` called with `params` (positional, as the
/// session builds them: the session id first): every PHP parameter by name,
/// defaults filled in. A method `table` does not know gets only its
/// session id; a [`Error::Config`] when it is given more, or a known method
/// more arguments than it takes.
pub(crate) fn encode_call(
    table: &[RemoteMethod],
    method: &str,
    params: &[Value],
) -> Result<Vec<u8>> {
    // The names of a method spelled in another case are still its names
    // (the panel's method map is case-sensitive and refuses the call as
    // `invalid_method`, as over SOAP).
    let spec =
        find(table, method).or_else(|| table.iter().find(|m| m.name.eq_ignore_ascii_case(method)));
    let Some(spec) = spec else {
        // Every remote method calls its session id `session_id`; a method
        // this crate lacks can be called with that alone (and the panel
        // answers `invalid_method` if it lacks it too).
        return match params {
            [] => Ok(b"{}".to_vec()),
            [session_id] => {
                let mut body = br#"{"session_id":"#.to_vec();
                serde_json::to_writer(&mut body, session_id).map_err(encode_error)?;
                body.push(b'}');
                Ok(body)
            }
            _ => Err(Error::config(format!(
                "{method}: not a method this client knows the parameter names of; the JSON \
                 transport sends parameters by name (use the SOAP transport to pass \
                 arguments to methods this crate lacks)"
            ))),
        };
    };
    if params.len() > spec.params.len() {
        return Err(Error::config(format!(
            "{method} takes {} parameters (session id included), {} given",
            spec.params.len(),
            params.len()
        )));
    }
    let mut body = Vec::with_capacity(64 + 32 * spec.params.len());
    body.push(b'{');
    for (i, param) in spec.params.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        serde_json::to_writer(&mut body, param.name).map_err(encode_error)?;
        body.push(b':');
        let value = match (params.get(i), param.default) {
            (Some(value), _) => serde_json::to_writer(&mut body, value),
            (None, Some(default)) => serde_json::to_writer(&mut body, &default()),
            (None, None) => serde_json::to_writer(&mut body, &Value::Null),
        };
        value.map_err(encode_error)?;
    }
    body.push(b'}');
    Ok(body)
}

fn null() -> Value {
    Value::Null
}

fn encode_error(e: serde_json::Error) -> Error {
    Error::config(format!("cannot encode the call as JSON: {e}"))
}

fn find<'t>(table: &'t [RemoteMethod], method: &str) -> Option<&'t RemoteMethod> {
    table
        .binary_search_by(|m| m.name.cmp(method))
        .ok()
        .map(|i| &table[i])
        .or_else(|| table.iter().find(|m| m.name == method))
}

/// The handler's answer envelope.
#[derive(serde::Deserialize)]
struct Answer {
    code: String,
    #[serde(default)]
    message: Option<Value>,
    #[serde(default = "null")]
    response: Value,
}

/// Decodes an answer of `json.php` to `method`: the response, or the fault
/// classified as its SOAP twin would be (`table`: the method table, as
/// [`super::ClientBuilder::remote_methods`] takes it). Bounded by `limits`;
/// anything not of the handler's shape is [`Error::UnexpectedResponse`]. `client_login`: the login was a panel
/// client's (the panel words both failures alike; only the code differs).
pub fn decode_response(
    table: &[RemoteMethod],
    method: &str,
    client_login: bool,
    status: u16,
    body: &[u8],
    limits: &DecodeLimits,
) -> Result<Value> {
    if body.len() > limits.max_bytes {
        return Err(Error::unexpected(
            Some(status),
            format!("answer larger than {} bytes", limits.max_bytes),
            &[],
        ));
    }
    let answer: Answer = serde_json::from_slice(body).map_err(|e| {
        Error::unexpected(
            Some(status),
            format!("not a JSON answer of the panel's shape: {e}"),
            body,
        )
    })?;
    if depth(&answer.response) > limits.max_depth {
        return Err(Error::unexpected(
            Some(status),
            format!("answer nested deeper than {} levels", limits.max_depth),
            &[],
        ));
    }
    let message = match answer.message {
        Some(Value::String(text)) => text,
        Some(Value::Null) | None => String::new(),
        Some(other) => format!("{other:?}"),
    };
    let code = match answer.code.as_str() {
        "ok" => return Ok(answer.response),
        "remote_fault" => {
            fault_code(table, method, &message, client_login).unwrap_or("remote_fault")
        }
        // The handler's own refusals; the SOAP server says `invalid_method`
        // in the same words for an unknown method.
        other => other,
    };
    Err(faults::classify(Fault {
        code: code.to_owned(),
        message,
        detail: None,
    }))
}

/// Nesting depth of a value (a scalar is 0), without recursion.
fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((value, level)) = stack.pop() {
        deepest = deepest.max(level);
        match value {
            Value::List(items) => stack.extend(items.iter().map(|v| (v, level + 1))),
            Value::Map(entries) => stack.extend(entries.iter().map(|(_, v)| (v, level + 1))),
            _ => {}
        }
    }
    deepest
}

/// The fault code of a `remote_fault` message: the best match among the
/// faults `method` raises, else among every method's (a fault thrown by code
/// the extractor could not follow). The best match is the pattern with the
/// most literal text; on a tie, a login's failure is `client_login_failed`
/// for a client login and `login_failed` otherwise (the panel words both
/// alike), else the first in source order.
pub fn fault_code(
    table: &[RemoteMethod],
    method: &str,
    message: &str,
    client_login: bool,
) -> Option<&'static str> {
    let own = find(table, method).map(|m| m.faults).unwrap_or_default();
    best(own.iter(), message, client_login)
        .or_else(|| best(table.iter().flat_map(|m| m.faults), message, client_login))
}

fn best<'f>(
    candidates: impl Iterator<Item = &'f RemoteFault>,
    message: &str,
    client_login: bool,
) -> Option<&'static str> {
    let mut chosen: Option<(usize, &'static str)> = None;
    for fault in candidates {
        if !matches(fault.message, message) {
            continue;
        }
        let score = fault
            .message
            .iter()
            .map(|p| match p {
                MessagePiece::Text(t) => t.len(),
                MessagePiece::Value => 0,
            })
            .sum::<usize>();
        let better = match chosen {
            None => true,
            Some((best, _)) if score > best => true,
            Some((best, code)) if score == best => {
                fault.code.starts_with("client_") == client_login
                    && code.starts_with("client_") != client_login
            }
            Some(_) => false,
        };
        if better {
            chosen = Some((score, fault.code));
        }
    }
    chosen.map(|(_, code)| code)
}

/// Whether `message` fits `pattern` (`Value` pieces match any text).
fn matches(pattern: &[MessagePiece], message: &str) -> bool {
    match pattern.split_first() {
        None => message.is_empty(),
        Some((MessagePiece::Text(text), rest)) => message
            .strip_prefix(text)
            .is_some_and(|tail| matches(rest, tail)),
        Some((MessagePiece::Value, rest)) => {
            // Patterns have a handful of pieces; try each place the next
            // literal could start (or the end, for a trailing value).
            match rest.first() {
                None => true,
                Some(MessagePiece::Value) => matches(rest, message),
                Some(MessagePiece::Text(next)) => message
                    .match_indices(next)
                    .any(|(at, _)| matches(rest, &message[at..])),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MessagePiece::{Text, Value as Hole};

    static TABLE: &[RemoteMethod] = &[
        RemoteMethod {
            name: "client_get",
            params: &[
                RemoteParam {
                    name: "session_id",
                    default: None,
                },
                RemoteParam {
                    name: "client_id",
                    default: None,
                },
            ],
            faults: &[
                RemoteFault {
                    code: "no_client_found",
                    message: &[Text("No client with ID "), Hole, Text(".")],
                },
                RemoteFault {
                    code: "database_error",
                    message: &[Hole, Text(" "), Hole],
                },
                RemoteFault {
                    code: "data_processing_error",
                    message: &[Hole, Text("\r\n")],
                },
            ],
        },
        RemoteMethod {
            name: "dns_a_add",
            params: &[
                RemoteParam {
                    name: "session_id",
                    default: None,
                },
                RemoteParam {
                    name: "client_id",
                    default: None,
                },
                RemoteParam {
                    name: "params",
                    default: None,
                },
                RemoteParam {
                    name: "update_serial",
                    default: Some(|| Value::Bool(false)),
                },
            ],
            faults: &[],
        },
        RemoteMethod {
            name: "login",
            params: &[],
            faults: &[
                RemoteFault {
                    code: "client_login_failed",
                    message: &[Text("The login failed. Username or password wrong.")],
                },
                RemoteFault {
                    code: "login_failed",
                    message: &[Text("The login failed. Username or password wrong.")],
                },
            ],
        },
    ];

    #[test]
    fn every_parameter_is_sent_by_name_with_defaults() {
        let body = encode_call(
            TABLE,
            "dns_a_add",
            &[Value::from("sid"), Value::Int(1), Value::Map(vec![])],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"session_id":"sid","client_id":1,"params":{},"update_serial":false}"#
        );
        let body = encode_call(TABLE, "client_get", &[Value::from("sid")]).unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"session_id":"sid","client_id":null}"#
        );
        assert!(matches!(
            encode_call(TABLE, "nope", &[Value::from("sid"), Value::Int(1)]),
            Err(Error::Config { .. })
        ));
        assert_eq!(
            encode_call(TABLE, "nope", &[Value::from("sid")]).unwrap(),
            br#"{"session_id":"sid"}"#
        );
        assert_eq!(
            encode_call(TABLE, "CLIENT_GET", &[Value::from("sid"), Value::Int(2)]).unwrap(),
            br#"{"session_id":"sid","client_id":2}"#
        );
        assert!(encode_call(
            TABLE,
            "client_get",
            &[Value::Null, Value::Null, Value::Null]
        )
        .is_err());
    }

    #[test]
    fn faults_are_found_by_their_message() {
        let code = |m: &str| fault_code(TABLE, "client_get", m, false);
        assert_eq!(code("No client with ID 7."), Some("no_client_found"));
        assert_eq!(code("Duplicate entry INSERT x"), Some("database_error"));
        assert_eq!(code("name_error_empty\r\n"), Some("data_processing_error"));
        assert_eq!(
            code("The domain is taken.\r\n"),
            Some("data_processing_error"),
            "the longer literal wins"
        );
        assert_eq!(code("unknown"), None);
        let login = "The login failed. Username or password wrong.";
        assert_eq!(
            fault_code(TABLE, "login", login, false),
            Some("login_failed")
        );
        assert_eq!(
            fault_code(TABLE, "login", login, true),
            Some("client_login_failed")
        );
        // Another method's fault is still found.
        assert_eq!(
            fault_code(TABLE, "dns_a_add", "No client with ID 3.", false),
            Some("no_client_found")
        );
    }

    #[test]
    fn answers_and_faults_decode() {
        let limits = DecodeLimits::default();
        let ok = br#"{"code":"ok","message":"","response":[{"id":"1"}]}"#;
        let value = decode_response(TABLE, "client_get", false, 200, ok, &limits).unwrap();
        assert_eq!(
            value,
            Value::List(vec![Value::Map(vec![("id".into(), Value::from("1"))])])
        );
        let fault = br#"{"code":"remote_fault","message":"No client with ID 7.","response":false}"#;
        let e = decode_response(TABLE, "client_get", false, 200, fault, &limits).unwrap_err();
        assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
        assert_eq!(e.code(), Some("no_client_found"));
        let unknown = br#"{"code":"remote_fault","message":"huh","response":false}"#;
        let e = decode_response(TABLE, "client_get", false, 200, unknown, &limits).unwrap_err();
        assert_eq!(e.code(), Some("remote_fault"));
        let invalid =
            br#"{"code":"invalid_method","message":"Method x does not exist","response":false}"#;
        let e = decode_response(TABLE, "x", false, 200, invalid, &limits).unwrap_err();
        assert_eq!(e.code(), Some("invalid_method"));
        for broken in [
            &b"<html>"[..],
            b"",
            b"{\"code\":1}",
            b"[[[[",
            b"{\"code\":\"ok\",\"response\":[1,",
        ] {
            assert!(matches!(
                decode_response(TABLE, "x", false, 200, broken, &limits),
                Err(Error::UnexpectedResponse { .. })
            ));
        }
        let deep = format!(
            "{{\"code\":\"ok\",\"response\":{}1{}}}",
            "[".repeat(20),
            "]".repeat(20)
        );
        let shallow = DecodeLimits {
            max_depth: 10,
            ..DecodeLimits::default()
        };
        assert!(decode_response(TABLE, "x", false, 200, deep.as_bytes(), &shallow).is_err());
        let very_deep = format!("{{\"code\":\"ok\",\"response\":{}}}", "[".repeat(200_000));
        assert!(decode_response(TABLE, "x", false, 200, very_deep.as_bytes(), &limits).is_err());
    }
}
