//! `src/<group>.rs`: one thin `Client` method per operation. Each builds a
//! `panelkit_core::rest::Request` (method, filled-in path, query, headers,
//! body, the operation's own auth schemes, a path-level server), hands it to
//! the shared executor and decodes the answer.
//!
//! Arguments: path and required parameters positionally, then the body;
//! optional parameters as `Option`s, or, when there are more than two, in a
//! generated `<Operation>Options` struct (`Default`, public fields).
//!
//! Bodies: JSON (`&T`), `multipart/form-data` (a `Multipart` form), raw
//! uploads (content type + `StreamBody`). Answers: JSON, text (`text/*`),
//! streamed downloads (`*/*`, binary, zip → `Download`), nothing; an
//! operation whose answer has several 2xx statuses, a 202 or declared
//! headers gets an answer type exposing the status and typed headers; one
//! with JSON and text alternatives (CSV exports) gets an enum chosen by the
//! answer's `Content-Type`.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::names::{ident, snake, Scope};
use super::{doc_text, docs, parse_ty, Ctx, RuntimeSupport};
use crate::emit::{rust_file_with_doc, EmitError};
use crate::model::{HttpBody, HttpResponse, Operation, Param, Protocol};
use crate::schema_type::SchemaType;

/// How a request body is sent.
enum BodyKind<'a> {
    None,
    Json { ty: SchemaType, required: bool },
    Form { ty: SchemaType, required: bool },
    Multipart { body: &'a HttpBody },
    Raw { types: Vec<&'a str>, required: bool },
}

/// How the answer is read.
#[derive(Clone, Debug, PartialEq)]
enum AnswerBody {
    /// No body (or none worth reading).
    Empty,
    /// JSON of a type (`None`: untyped).
    Json(Option<SchemaType>),
    /// Text (plain, CSV, YAML).
    Text,
    /// JSON or text, by `Content-Type`.
    JsonOrText(Option<SchemaType>),
    /// Streamed bytes.
    Stream,
}

/// The HTTP facts of an operation.
struct Http<'a> {
    method: &'a str,
    path: &'a str,
    server: &'a Option<String>,
    security: &'a [String],
    bodies: &'a [HttpBody],
    responses: &'a [HttpResponse],
}

fn http(op: &Operation) -> Http<'_> {
    match &op.protocol {
        Protocol::Http {
            method,
            path,
            server,
            security,
            request_bodies,
            responses,
            ..
        } => Http {
            method,
            path,
            server,
            security,
            bodies: request_bodies,
            responses,
        },
        _ => unreachable!("checked in Ctx::new"),
    }
}

fn is_json(content_type: &str) -> bool {
    let base = content_type.split(';').next().unwrap_or_default().trim();
    base == "application/json" || base.ends_with("+json")
}

fn is_text(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/yaml")
        || content_type.starts_with("application/x-yaml")
}

fn successes(responses: &[HttpResponse]) -> Vec<&HttpResponse> {
    responses
        .iter()
        .filter(|r| r.status.starts_with('2'))
        .collect()
}

fn answer_body(op: &Operation) -> Result<AnswerBody, EmitError> {
    let responses = http(op).responses;
    let mut json: Option<Option<SchemaType>> = None;
    let mut text = false;
    let mut stream = false;
    for r in successes(responses) {
        for c in &r.content {
            let ty = c.ty.as_deref().map(|t| parse_ty(t, &op.name)).transpose()?;
            if ty.as_ref().is_some_and(SchemaType::is_binary)
                || !(is_json(&c.content_type) || is_text(&c.content_type))
            {
                stream = true;
            } else if is_json(&c.content_type) {
                match &json {
                    Some(existing) if *existing != ty => {
                        return Err(EmitError(format!(
                            "{}: 2xx answers of different JSON types are not supported yet",
                            op.name
                        )))
                    }
                    _ => json = Some(ty),
                }
            } else {
                text = true;
            }
        }
    }
    Ok(match (stream, json, text) {
        (true, None, false) => AnswerBody::Stream,
        (true, ..) => {
            return Err(EmitError(format!(
                "{}: a streamed answer mixed with JSON or text is not supported yet",
                op.name
            )))
        }
        (false, Some(ty), true) => AnswerBody::JsonOrText(ty),
        (false, Some(ty), false) => AnswerBody::Json(ty),
        (false, None, true) => AnswerBody::Text,
        (false, None, false) => AnswerBody::Empty,
    })
}

/// Whether an operation gets its own answer type: several 2xx statuses, a
/// 202, declared headers, or JSON-or-text answers. Streamed answers are a
/// `Download`, which has status and headers already. With a runtime that
/// tracks accepted requests, a 202 is that runtime's wrapper instead, and
/// headers the runtime exposes itself do not count.
pub(super) fn needs_answer_type(
    op: &Operation,
    support: &RuntimeSupport,
) -> Result<bool, EmitError> {
    let body = answer_body(op)?;
    if body == AnswerBody::Stream {
        return Ok(false);
    }
    let ok = successes(http(op).responses);
    let tracked = support.accepted.is_some() && ok.iter().any(|r| r.status == "202");
    if tracked {
        return Ok(false);
    }
    let has_headers = ok
        .iter()
        .any(|r| r.headers.iter().any(|h| !support.skips_header(&h.name)));
    Ok(matches!(body, AnswerBody::JsonOrText(_))
        || ok.len() > 1
        || ok.iter().any(|r| r.status == "202")
        || has_headers)
}

fn body_kind<'a>(op: &'a Operation) -> Result<BodyKind<'a>, EmitError> {
    let bodies = http(op).bodies;
    if bodies.is_empty() {
        return Ok(BodyKind::None);
    }
    if let Some(b) = bodies.iter().find(|b| is_json(&b.content_type)) {
        let ty = match &b.ty {
            Some(t) => parse_ty(t, &op.name)?,
            None => SchemaType::Any,
        };
        return Ok(BodyKind::Json {
            ty,
            required: b.required,
        });
    }
    if let Some(b) = bodies
        .iter()
        .find(|b| b.content_type == "application/x-www-form-urlencoded")
    {
        let ty = match &b.ty {
            Some(t) => parse_ty(t, &op.name)?,
            None => SchemaType::Any,
        };
        return Ok(BodyKind::Form {
            ty,
            required: b.required,
        });
    }
    if let Some(b) = bodies
        .iter()
        .find(|b| b.content_type == "multipart/form-data")
    {
        return Ok(BodyKind::Multipart { body: b });
    }
    let raw = bodies.iter().all(|b| {
        b.ty.as_deref()
            .and_then(SchemaType::parse)
            .is_some_and(|t| t.is_binary())
            || b.content_type.ends_with("/*")
            || b.content_type == "application/octet-stream"
    });
    if raw {
        return Ok(BodyKind::Raw {
            types: bodies.iter().map(|b| b.content_type.as_str()).collect(),
            required: bodies.iter().any(|b| b.required),
        });
    }
    Err(EmitError(format!(
        "{}: request body content types {:?} are not supported yet (add a fixup or teach the REST emitter)",
        op.name,
        bodies.iter().map(|b| &b.content_type).collect::<Vec<_>>()
    )))
}

pub(super) fn group_rs(ctx: &Ctx, group: &str, ops: &[&Operation]) -> Result<String, EmitError> {
    let mut used = BTreeSet::new();
    let mut methods = Vec::new();
    let mut answers = Vec::new();
    for op in ops {
        let emitted = operation(ctx, op, &mut used)?;
        methods.push(emitted.method);
        answers.extend(emitted.items);
    }
    let imports: Vec<Ident> = used.iter().map(|n| format_ident!("{}", n)).collect();
    let types_use = (!imports.is_empty()).then(|| quote! { use crate::types::{#(#imports),*}; });
    let tokens = quote! {
        // The executor's names under a short path: spec types may be called
        // `Request` or `Method` (IONOS has a `Request` schema) and are
        // imported bare. The body and answer types keep their names
        // (reserved in the type namespace).
        use panelkit_core::rest as rt;
        #[allow(unused_imports)]
        use panelkit_core::rest::{Download, Multipart, StreamBody};
        #types_use
        use crate::{Client, Result};

        impl Client {
            #(#methods)*
        }

        #(#answers)*
    };
    let doc = format!(
        "Operations tagged `{group}` in the {} spec (feature `{}`).",
        ctx.target.title,
        super::feature_name(group)
    );
    rust_file_with_doc(&ctx.target.inventory_path, &doc, tokens)
}

/// Records the Rust names of the named types `ty` mentions.
fn note_types(ctx: &Ctx, ty: &SchemaType, used: &mut BTreeSet<String>) -> Result<(), EmitError> {
    for r in ty.refs() {
        used.insert(ctx.rust_type_name(r)?.to_owned());
    }
    Ok(())
}

/// The argument type of a path, query or header parameter.
fn param_type(
    ctx: &Ctx,
    op: &Operation,
    p: &Param,
    ty: &SchemaType,
) -> Result<TokenStream, EmitError> {
    Ok(match ty {
        SchemaType::String(_) => quote! { &str },
        SchemaType::Array(inner) => {
            let inner = param_type(ctx, op, p, inner)?;
            quote! { &[#inner] }
        }
        SchemaType::Ref(name) => match ctx.inv.types.get(name) {
            Some(crate::model::TypeDef::Enum { .. } | crate::model::TypeDef::Alias { .. }) => {
                ctx.rust_type(ty)?
            }
            _ => {
                return Err(EmitError(format!(
                    "{}: parameter {} of type {ty} cannot travel in a URL or header",
                    op.name, p.name
                )))
            }
        },
        SchemaType::Map(_) | SchemaType::Any => {
            return Err(EmitError(format!(
                "{}: parameter {} of type {ty} cannot travel in a URL or header",
                op.name, p.name
            )))
        }
        other => ctx.rust_type(other)?,
    })
}

pub(super) fn operation(
    ctx: &Ctx,
    op: &Operation,
    used: &mut BTreeSet<String>,
) -> Result<Emitted, EmitError> {
    let Http {
        method,
        path,
        server,
        security,
        responses,
        ..
    } = http(op);
    let method_ident = format_ident!("{}", method);
    let mut scope = Scope::with(&["self", "request", "response"]);
    let mut args = Vec::new();
    // Minimal valid arguments, in the same order (for the conformance calls).
    let mut samples: Vec<TokenStream> = Vec::new();
    let mut build = Vec::new();
    let mut path_args: Vec<(String, Ident)> = Vec::new();

    // Required parameters first (path order, then the rest in upstream
    // order), optional ones after.
    let support = &ctx.target.support;
    let defaulted: Vec<&str> = op
        .params
        .iter()
        .filter(|p| !is_required(p) && support.is_client_default(&p.name))
        .map(|p| p.name.as_str())
        .collect();
    let mut ordered: Vec<&Param> = op.params.iter().filter(|p| is_required(p)).collect();
    ordered.extend(
        op.params
            .iter()
            .filter(|p| !is_required(p) && !defaulted.contains(&p.name.as_str())),
    );
    // Many optional parameters travel in an options struct instead.
    let options = ctx
        .options
        .get(op.name.as_str())
        .map(|n| format_ident!("{}", n));
    let options_arg = options
        .as_ref()
        .map(|_| ident(&scope.claim("options".to_owned())));
    let mut option_fields = Vec::new();
    let mut option_scope = Scope::default();
    for p in ordered {
        let ty = parse_ty(p.ty.as_deref().unwrap_or("string"), &op.name)?;
        note_types(ctx, &ty, used)?;
        let wire = &p.name;
        let location = p.location.as_deref().unwrap_or("query");
        let required = is_required(p);
        let in_options = !required && options.is_some();
        let name = if in_options {
            ident(&option_scope.claim(snake(&p.name)))
        } else {
            ident(&scope.claim(snake(&p.name)))
        };
        let arg_ty = param_type(ctx, op, p, &ty)?;
        if in_options {
            let owned = owned_param_type(ctx, &ty)?;
            let fdoc = match &p.summary {
                Some(summary) => format!(" {} (`{wire}`, {location})", doc_text(summary)),
                None => format!(" `{wire}` ({location})."),
            };
            option_fields.push(quote! { #[doc = #fdoc] pub #name: Option<#owned>, });
        } else if required {
            args.push(quote! { #name: #arg_ty });
            samples.push(sample_param(ctx, &ty)?);
        } else {
            args.push(quote! { #name: Option<#arg_ty> });
            samples.push(quote! { None });
        }
        let source = match &options_arg {
            Some(o) if in_options => quote! { &#o.#name },
            _ => quote! { #name },
        };
        match location {
            "path" => path_args.push((p.name.clone(), name)),
            "query" | "header" => {
                let add = if location == "query" {
                    quote! { query }
                } else {
                    quote! { header }
                };
                // `v` is the value: the argument itself, or the `Some` of it.
                let v = if required {
                    quote! { #name }
                } else {
                    quote! { v }
                };
                let stmt = match (&ty, p.explode) {
                    (SchemaType::Array(_), Some(true)) => quote! {
                        for x in #v.iter() {
                            request = request.#add(#wire, x);
                        }
                    },
                    (SchemaType::Array(_), _) => quote! {
                        request = request.#add(
                            #wire,
                            #v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(","),
                        );
                    },
                    _ => quote! { request = request.#add(#wire, #v); },
                };
                build.push(if required {
                    stmt
                } else {
                    quote! { if let Some(v) = #source { #stmt } }
                });
            }
            other => {
                return Err(EmitError(format!(
                    "{}: {other} parameter {} is not supported yet",
                    op.name, p.name
                )))
            }
        }
    }

    let options_item = match (&options, &options_arg) {
        (Some(options), Some(arg)) => {
            let odoc = format!(" Optional parameters of [`Client::{}`].", snake(&op.name));
            Some((
                quote! {
                    #[doc = #odoc]
                    #[derive(Clone, Debug, Default)]
                    pub struct #options {
                        #(#option_fields)*
                    }
                },
                quote! { #arg: &#options },
            ))
        }
        _ => None,
    };

    // A 206 answer means the server honours `Range`; offer it when the spec
    // does not declare the header itself.
    let partial = successes(responses).iter().any(|r| r.status == "206");
    let declares_range = op
        .params
        .iter()
        .any(|p| p.location.as_deref() == Some("header") && p.name.eq_ignore_ascii_case("range"));
    if partial && !declares_range {
        let name = ident(&scope.claim("range".to_owned()));
        args.push(quote! { #name: Option<&str> });
        samples.push(quote! { None });
        build.push(quote! { if let Some(v) = #name { request = request.header("Range", v); } });
    }

    // The body.
    let mut body_doc = None;
    match body_kind(op)? {
        BodyKind::None => {}
        BodyKind::Json { ty, required } => {
            note_types(ctx, &ty, used)?;
            let name = ident(&scope.claim("body".to_owned()));
            let arg_ty = match &ty {
                SchemaType::Array(inner) => {
                    let inner = ctx.rust_type(inner)?;
                    quote! { &[#inner] }
                }
                other => {
                    let t = ctx.rust_type(other)?;
                    quote! { &#t }
                }
            };
            let sample = match &ty {
                SchemaType::Array(_) => quote! { &[] },
                other => match sample_body(ctx, other, 0)? {
                    Some(value) => quote! { &#value },
                    None => quote! { &Default::default() },
                },
            };
            if required {
                args.push(quote! { #name: #arg_ty });
                samples.push(sample);
                build.push(quote! { request = request.json(#name)?; });
            } else {
                args.push(quote! { #name: Option<#arg_ty> });
                samples.push(quote! { Some(#sample) });
                build.push(quote! { if let Some(b) = #name { request = request.json(b)?; } });
            }
        }
        BodyKind::Form { ty, required } => {
            note_types(ctx, &ty, used)?;
            let name = ident(&scope.claim("body".to_owned()));
            let t = ctx.rust_type(&ty)?;
            let sample = match sample_body(ctx, &ty, 0)? {
                Some(value) => quote! { &#value },
                None => quote! { &Default::default() },
            };
            if required {
                args.push(quote! { #name: &#t });
                samples.push(sample);
                build.push(quote! { request = request.form(#name)?; });
            } else {
                args.push(quote! { #name: Option<&#t> });
                samples.push(quote! { Some(#sample) });
                build.push(quote! { if let Some(b) = #name { request = request.form(b)?; } });
            }
            body_doc = Some(
                " The body is sent as an `application/x-www-form-urlencoded` form.".to_owned(),
            );
        }
        BodyKind::Multipart { body } => {
            let name = ident(&scope.claim("form".to_owned()));
            args.push(quote! { #name: Multipart });
            let field = multipart_file_field(ctx, body);
            samples.push(quote! {
                Multipart::new().file(#field, "conformance.txt", StreamBody::from_bytes("x"))
            });
            build.push(quote! { request = request.multipart(#name); });
            body_doc = Some(multipart_doc(ctx, body)?);
        }
        BodyKind::Raw { types, required } => {
            let sample_type = concrete_type(types.first().copied().unwrap_or("application/*"));
            samples.push(quote! { #sample_type });
            if required {
                samples.push(quote! { StreamBody::from_bytes("x") });
            } else {
                samples.push(quote! { Some(StreamBody::from_bytes("x")) });
            }
            let ct = ident(&scope.claim("content_type".to_owned()));
            let name = ident(&scope.claim("body".to_owned()));
            if required {
                args.push(quote! { #ct: &str, #name: StreamBody });
                build.push(quote! { request = request.stream_body(#ct, #name); });
            } else {
                args.push(quote! { #ct: &str, #name: Option<StreamBody> });
                build.push(
                    quote! { if let Some(b) = #name { request = request.stream_body(#ct, b); } },
                );
            }
            body_doc = Some(format!(
                " The body is streamed; `{ct}` is one of the accepted types: {}.",
                types
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }

    let mut items: Vec<TokenStream> = Vec::new();
    if let Some((item, arg)) = options_item {
        args.push(arg);
        samples.push(quote! { &Default::default() });
        items.push(item);
    }

    // The path, with its parameters percent-encoded as single segments.
    let path_expr = path_expression(op, path, &path_args)?;
    let op_name = &op.name;
    let auth = (!security.is_empty()).then(|| quote! { .auth(&[#(#security),*]) });
    let defaults = (!defaulted.is_empty()).then(|| quote! { .defaults(&[#(#defaulted),*]) });
    let server = server.as_deref().map(|s| quote! { .server(#s) });
    let mutable = (!build.is_empty()).then(|| quote! { mut });

    // The answer.
    let body = answer_body(op)?;
    let answer_name = ctx.answers.get(op.name.as_str());
    let body_ty = match &body {
        AnswerBody::Empty => quote! { () },
        AnswerBody::Json(Some(ty)) | AnswerBody::JsonOrText(Some(ty)) => {
            note_types(ctx, ty, used)?;
            ctx.rust_type(ty)?
        }
        AnswerBody::Json(None) | AnswerBody::JsonOrText(None) => quote! { serde_json::Value },
        AnswerBody::Text => quote! { String },
        AnswerBody::Stream => quote! { Download },
    };
    let decode_body = match &body {
        AnswerBody::Empty => quote! { () },
        AnswerBody::Json(_) => quote! { response.json()? },
        AnswerBody::Text => quote! { response.text()? },
        AnswerBody::JsonOrText(_) | AnswerBody::Stream => quote! {},
    };
    let ok = successes(responses);
    let accepted = support
        .accepted
        .as_deref()
        .filter(|_| ok.iter().any(|r| r.status == "202"))
        .map(|path| {
            syn::parse_str::<syn::Path>(path)
                .map_err(|e| EmitError(format!("accepted type {path:?}: {e}")))
        })
        .transpose()?;
    let (ret, send, answer_item) = match (&body, answer_name) {
        (AnswerBody::Stream, _) => (
            quote! { Download },
            quote! { self.rest.send_streaming(request).await },
            None,
        ),
        (AnswerBody::JsonOrText(_), _) if accepted.is_some() => {
            return Err(EmitError(format!(
                "{}: a 202 answer that is JSON or text is not supported yet",
                op.name
            )))
        }
        (_, None) if accepted.is_some() => {
            let wrapper = accepted.as_ref().expect("checked");
            (
                quote! { #wrapper<#body_ty> },
                quote! {
                    let response = self.rest.send(request).await?;
                    let body = #decode_body;
                    Ok(#wrapper::from_response(&self.rest, &response, body))
                },
                None,
            )
        }
        (_, None) => {
            let send = match body {
                AnswerBody::Empty => quote! { self.rest.send(request).await?; Ok(()) },
                AnswerBody::Text => quote! { self.rest.send(request).await?.text() },
                _ => quote! { self.rest.send(request).await?.json() },
            };
            (body_ty.clone(), send, None)
        }
        (_, Some(answer)) => {
            let answer_ident = format_ident!("{}", answer);
            let (item, construct) = answer_type(ctx, op, &answer_ident, &body, &body_ty, &ok)?;
            let construct = match &body {
                AnswerBody::JsonOrText(_) => construct,
                _ => {
                    let decode = decode_body.clone();
                    quote! { { let body = #decode; #construct } }
                }
            };
            (
                quote! { #answer_ident },
                quote! { let response = self.rest.send(request).await?; Ok(#construct) },
                Some(item),
            )
        }
    };

    let mut lines = vec![format!(
        " {}",
        op.summary
            .as_deref()
            .map(doc_text)
            .unwrap_or_else(|| format!("Calls `{}`.", op.name))
    )];
    lines.push(String::new());
    lines.push(ctx.source_doc(op));
    if op.name != snake(&op.name) || op.source_location.is_empty() {
        lines.push(format!(" Upstream operation id: `{}`.", op.name));
    }
    if let Protocol::Http {
        deprecated: true, ..
    } = &op.protocol
    {
        lines.push(" Deprecated upstream.".to_owned());
    }
    if let Some(d) = body_doc {
        lines.push(String::new());
        lines.push(d);
    }
    let statuses: Vec<String> = ok.iter().map(|r| r.status.clone()).collect();
    if !statuses.is_empty() {
        lines.push(String::new());
        lines.push(format!(" Success: HTTP {}.", statuses.join(", ")));
    }
    if partial && !declares_range {
        lines.push(
            " `range` is sent as the `Range` header (`bytes=0-1023`); the server then answers 206."
                .to_owned(),
        );
    }
    let doc = docs(&lines);
    let fn_name = ident(&snake(&op.name));
    let method = quote! {
        #doc
        pub async fn #fn_name(&self #(, #args)*) -> Result<#ret> {
            let #mutable request = rt::Request::new(#op_name, rt::Method::#method_ident, #path_expr) #auth #defaults #server;
            #(#build)*
            #send
        }
    };
    items.extend(answer_item);
    let call = quote! { client.#fn_name(#(#samples),*).await.map(|_| ()) };
    Ok(Emitted {
        method,
        items,
        call,
    })
}

/// One operation's generated pieces.
pub(super) struct Emitted {
    /// The `Client` method.
    pub(super) method: TokenStream,
    /// Its options and answer types.
    pub(super) items: Vec<TokenStream>,
    /// A call with minimal valid arguments on `client`, as `Result<()>`.
    pub(super) call: TokenStream,
}

/// A minimal valid body of type `ty` for the conformance calls: its
/// default, with every required field whose default the spec would refuse
/// filled in — an enum gets its first value (the default is `Unknown("")`),
/// a secret `"x"`, a record the same treatment recursively. `None`: the
/// default is already valid.
fn sample_body(ctx: &Ctx, ty: &SchemaType, depth: usize) -> Result<Option<TokenStream>, EmitError> {
    let SchemaType::Ref(name) = ty else {
        return Ok(None);
    };
    Ok(match ctx.inv.types.get(name) {
        Some(crate::model::TypeDef::Enum { .. } | crate::model::TypeDef::Alias { .. }) => {
            Some(sample_param(ctx, ty)?)
        }
        Some(crate::model::TypeDef::Record { fields, .. }) if depth < 8 => {
            let rust = format_ident!("{}", ctx.rust_type_name(name)?);
            // The same names the record's fields get in types.rs.
            let mut scope = Scope::default();
            let mut inits = Vec::new();
            for (wire, field) in fields {
                let field_ident = ident(&scope.claim(snake(wire)));
                if !field.required {
                    continue;
                }
                let shape = super::types::field_shape(ctx, name, wire, field)?;
                let value = match &shape.ty {
                    SchemaType::String(Some(f)) if f == "password" => {
                        Some(quote! { panelkit_core::Secret::from("x") })
                    }
                    SchemaType::String(_) if !shape.plain => Some(quote! { "x".to_owned() }),
                    other => sample_body(ctx, other, depth + 1)?,
                };
                let Some(mut value) = value else {
                    continue;
                };
                if shape.boxed {
                    value = quote! { Box::new(#value) };
                }
                if !shape.plain {
                    value = quote! { Some(#value) };
                }
                inits.push(quote! { #field_ident: #value, });
            }
            // `..Default::default()` only when some fields are left out
            // (clippy's needless_update would flag it otherwise).
            let rest = (inits.len() < fields.len()).then(|| quote! { ..Default::default() });
            (!inits.is_empty()).then(|| quote! { #rust { #(#inits)* #rest } })
        }
        _ => None,
    })
}

/// A minimal valid value of a required parameter.
fn sample_param(ctx: &Ctx, ty: &SchemaType) -> Result<TokenStream, EmitError> {
    Ok(match ty {
        SchemaType::String(_) => quote! { "x" },
        SchemaType::Integer(_) | SchemaType::Number(_) => quote! { 1 },
        SchemaType::Boolean => quote! { false },
        SchemaType::Array(_) => quote! { &[] },
        SchemaType::Ref(name) => match ctx.inv.types.get(name) {
            Some(crate::model::TypeDef::Enum { values, .. }) => {
                let t = format_ident!("{}", ctx.rust_type_name(name)?);
                let first = values.first().cloned().unwrap_or_default();
                quote! { #t::from_wire(#first) }
            }
            Some(crate::model::TypeDef::Alias { values, ty, .. }) => match values.first() {
                Some(v) => {
                    let lit: TokenStream = v.parse().map_err(|_| {
                        EmitError(format!("#{name}: value {v} is not a Rust literal"))
                    })?;
                    lit
                }
                None => sample_param(ctx, &parse_ty(ty, name)?)?,
            },
            _ => quote! { Default::default() },
        },
        _ => quote! { Default::default() },
    })
}

/// The first file field of a multipart body (`file` when none is declared).
fn multipart_file_field(ctx: &Ctx, body: &HttpBody) -> String {
    let Some(SchemaType::Ref(name)) = body.ty.as_deref().and_then(SchemaType::parse) else {
        return "file".to_owned();
    };
    match ctx.inv.types.get(&name) {
        Some(crate::model::TypeDef::Record { fields, .. }) => fields
            .iter()
            .find(|(_, f)| match SchemaType::parse(&f.ty) {
                Some(SchemaType::Array(inner)) => inner.is_binary(),
                Some(t) => t.is_binary(),
                None => false,
            })
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| "file".to_owned()),
        _ => "file".to_owned(),
    }
}

/// A concrete content type for a pattern (`application/*` →
/// `application/octet-stream`).
fn concrete_type(pattern: &str) -> String {
    match pattern.strip_suffix("/*") {
        Some("application") => "application/octet-stream".to_owned(),
        Some("text") => "text/plain".to_owned(),
        Some("image") => "image/png".to_owned(),
        Some("audio") => "audio/mpeg".to_owned(),
        Some("video") => "video/mp4".to_owned(),
        Some(other) => format!("{other}/octet-stream"),
        None => pattern.to_owned(),
    }
}

/// Path parameters are always required, whatever the spec says.
fn is_required(p: &Param) -> bool {
    p.required || p.location.as_deref() == Some("path")
}

/// How many optional parameters make an options struct.
const OPTIONS_THRESHOLD: usize = 2;

/// Whether an operation's optional parameters (those not filled from client
/// defaults) travel in an options struct.
pub(super) fn needs_options(op: &Operation, support: &RuntimeSupport) -> bool {
    op.params
        .iter()
        .filter(|p| !is_required(p) && !support.is_client_default(&p.name))
        .count()
        > OPTIONS_THRESHOLD
}

/// The owned form of a parameter type, for an options struct field.
fn owned_param_type(ctx: &Ctx, ty: &SchemaType) -> Result<TokenStream, EmitError> {
    Ok(match ty {
        SchemaType::String(_) => quote! { String },
        SchemaType::Array(inner) => {
            let inner = owned_param_type(ctx, inner)?;
            quote! { Vec<#inner> }
        }
        other => ctx.rust_type(other)?,
    })
}

fn multipart_doc(ctx: &Ctx, body: &HttpBody) -> Result<String, EmitError> {
    let fields = match body
        .ty
        .as_deref()
        .map(|t| parse_ty(t, "multipart"))
        .transpose()?
    {
        Some(SchemaType::Ref(name)) => match ctx.inv.types.get(&name) {
            Some(crate::model::TypeDef::Record { fields, .. }) => fields
                .iter()
                .map(|(n, f)| {
                    let kind = match SchemaType::parse(&f.ty) {
                        Some(t) if t.is_binary() => "file",
                        Some(SchemaType::Array(inner)) if inner.is_binary() => "files",
                        _ => "text",
                    };
                    format!("`{n}` ({kind})")
                })
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    Ok(if fields.is_empty() {
        " The body is a `multipart/form-data` form.".to_owned()
    } else {
        format!(
            " The body is a `multipart/form-data` form with the fields {}.",
            fields.join(", ")
        )
    })
}

fn path_expression(
    op: &Operation,
    path: &str,
    args: &[(String, Ident)],
) -> Result<TokenStream, EmitError> {
    if args.is_empty() {
        return Ok(quote! { #path });
    }
    let mut template = String::new();
    let mut values = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .map(|e| start + e)
            .ok_or_else(|| EmitError(format!("{}: unclosed {{ in {path}", op.name)))?;
        template.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        template.push_str("{}");
        let name = &rest[start + 1..end];
        let (_, arg) = args.iter().find(|(n, _)| n == name).ok_or_else(|| {
            EmitError(format!(
                "{}: path parameter {name} is not declared",
                op.name
            ))
        })?;
        values.push(quote! { rt::path_segment(#arg) });
        rest = &rest[end + 1..];
    }
    template.push_str(rest);
    Ok(quote! { format!(#template, #(#values),*) })
}

/// The answer type of an operation and the expression that builds it from
/// `response` (and `body`, the decoded body, except for JSON-or-text).
fn answer_type(
    ctx: &Ctx,
    op: &Operation,
    name: &Ident,
    body: &AnswerBody,
    body_ty: &TokenStream,
    ok: &[&HttpResponse],
) -> Result<(TokenStream, TokenStream), EmitError> {
    let statuses: Vec<&str> = ok.iter().map(|r| r.status.as_str()).collect();
    let doc = format!(" The answer of [`Client::{}`].", snake(&op.name));
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut seen = BTreeSet::new();
    let mut scope = Scope::with(&["status", "body"]);
    for r in ok {
        for h in &r.headers {
            if ctx.target.support.skips_header(&h.name) || !seen.insert(h.name.to_ascii_lowercase())
            {
                continue;
            }
            let field = ident(&scope.claim(snake(&h.name)));
            let wire = &h.name;
            let ty = parse_ty(&h.ty, &op.name)?;
            let hdoc = format!(
                " `{wire}` header{}",
                h.summary
                    .as_deref()
                    .map(|s| format!(": {}", doc_text(s)))
                    .unwrap_or_else(|| ".".to_owned())
            );
            let (fty, init) = match ty {
                SchemaType::Integer(_) => (
                    quote! { Option<i64> },
                    quote! { response.header(#wire).and_then(|v| v.trim().parse().ok()) },
                ),
                _ => (
                    quote! { Option<String> },
                    quote! { response.header(#wire).map(str::to_owned) },
                ),
            };
            fields.push(quote! { #[doc = #hdoc] pub #field: #fty, });
            inits.push(quote! { #field: #init, });
        }
    }
    let status_doc = format!(" HTTP status ({}).", statuses.join(", "));
    if let AnswerBody::JsonOrText(_) = body {
        let item = quote! {
            #[doc = #doc]
            ///
            /// JSON, or text when the request asked for an export (`Content-Type: text/...`).
            #[derive(Clone, Debug)]
            pub enum #name {
                /// The JSON answer.
                Json(#body_ty),
                /// The text answer (CSV, plain text).
                Text(String),
            }
        };
        let construct = quote! {
            if response.header("content-type").is_some_and(|t| t.trim_start().starts_with("text/")) {
                #name::Text(response.text()?)
            } else {
                #name::Json(response.json()?)
            }
        };
        if !fields.is_empty() {
            return Err(EmitError(format!(
                "{}: headers on a JSON-or-text answer are not supported yet",
                op.name
            )));
        }
        return Ok((item, construct));
    }
    let item = quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            #[doc = #status_doc]
            pub status: u16,
            #(#fields)*
            /// The decoded body.
            pub body: #body_ty,
        }
    };
    let construct = quote! {
        #name {
            status: response.status,
            #(#inits)*
            body,
        }
    };
    Ok((item, construct))
}
