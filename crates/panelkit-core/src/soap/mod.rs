//! PHP-`SoapServer`-style SOAP RPC codec (SOAP 1.1, rpc/encoded, non-WSDL).
//!
//! - [`encode_call`]: positional `param0..N` arguments, the way PHP's
//!   `SoapClient` sends them.
//! - [`decode_response`]: the answer or the fault, found by namespace URI (never
//!   by prefix), decoded straight from XML events into a [`Value`] with an
//!   explicit stack: no DOM, no recursion, bounded depth and size, DOCTYPE
//!   refused.
//! - [`from_value`] / [`to_value`]: serde between [`Value`] and your types (or
//!   `serde_json::Value`).

mod de;
mod decode;
mod encode;
mod names;
mod scan;
mod scopes;
mod value;

pub use de::{from_value, to_value};
pub use decode::{decode_response, DecodeLimits, Fault, Response};
pub use encode::encode_call;
pub use value::Value;
