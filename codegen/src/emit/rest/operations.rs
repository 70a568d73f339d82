//! `src/<group>.rs`: one thin `Client` method per operation. Each builds a
//! `panelkit_core::rest::Request` (method, filled-in path, query, headers,
//! body, the operation's own auth schemes, a path-level server), hands it to
//! the shared executor and decodes the answer.
//!
//! Signatures survive upstream additions: the method takes the required
//! parameters (path order, then upstream order) and a required body, and
//! returns a request builder (`<Operation>Call`); every optional
//! parameter (and an optional body) is a setter on it. Awaiting the builder
//! gives the body; `send_with_headers` gives an `rt::Answer` with the status
//! and headers too, so a header or status declared upstream later changes
//! nothing for callers.
//!
//! Bodies: JSON (`&T`), `multipart/form-data` (a `Multipart` form), raw
//! uploads (content type + `StreamBody`). Answers: JSON, text (`text/*`),
//! streamed downloads (`*/*`, binary, zip → `Download`), nothing; one with
//! JSON and text alternatives (CSV exports) gets an enum chosen by the
//! answer's `Content-Type`.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::names::{ident, snake, Scope};
use super::{doc_text, docs, param_type as declared_type, Ctx};
use crate::emit::{rust_file_with_doc, EmitError};
use crate::model::{
    HttpBody, HttpMethod, HttpResponse, Operation, Param, ParamLocation, Protocol, ResponseStatus,
};
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
    method: HttpMethod,
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
            method: *method,
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
    responses.iter().filter(|r| r.status.is_success()).collect()
}

fn answer_body(op: &Operation) -> Result<AnswerBody, EmitError> {
    let responses = http(op).responses;
    let mut json: Option<Option<SchemaType>> = None;
    let mut text = false;
    let mut stream = false;
    for r in successes(responses) {
        for c in &r.content {
            let ty = c.ty.clone();
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

/// Whether an operation gets an answer enum: JSON-or-text answers (CSV
/// exports). Every other answer is its body; status and headers come from
/// the builder's `send_with_headers`.
pub(super) fn needs_answer_type(op: &Operation) -> Result<bool, EmitError> {
    Ok(matches!(answer_body(op)?, AnswerBody::JsonOrText(_)))
}

fn body_kind<'a>(op: &'a Operation) -> Result<BodyKind<'a>, EmitError> {
    let bodies = http(op).bodies;
    if bodies.is_empty() {
        return Ok(BodyKind::None);
    }
    if let Some(b) = bodies.iter().find(|b| is_json(&b.content_type)) {
        let ty = b.ty.clone().unwrap_or(SchemaType::Any);
        return Ok(BodyKind::Json {
            ty,
            required: b.required,
        });
    }
    if let Some(b) = bodies
        .iter()
        .find(|b| b.content_type == "application/x-www-form-urlencoded")
    {
        let ty = b.ty.clone().unwrap_or(SchemaType::Any);
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
        b.ty.as_ref().is_some_and(SchemaType::is_binary)
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

/// The argument type of a required path, query or header parameter; `'a`
/// is the lifetime of the request builder that keeps it.
fn param_type(
    ctx: &Ctx,
    op: &Operation,
    p: &Param,
    ty: &SchemaType,
) -> Result<TokenStream, EmitError> {
    Ok(match ty {
        SchemaType::String(_) => quote! { &'a str },
        SchemaType::Array(inner) => {
            let inner = owned_param_type(ctx, op, p, inner)?;
            quote! { &'a [#inner] }
        }
        other => owned_param_type(ctx, op, p, other)?,
    })
}

/// The owned type of a parameter, for an optional one's builder field.
fn owned_param_type(
    ctx: &Ctx,
    op: &Operation,
    p: &Param,
    ty: &SchemaType,
) -> Result<TokenStream, EmitError> {
    let unfit = || {
        EmitError(format!(
            "{}: parameter {} of type {ty} cannot travel in a URL or header",
            op.name, p.name
        ))
    };
    Ok(match ty {
        SchemaType::String(_) => quote! { String },
        SchemaType::Array(inner) => {
            let inner = owned_param_type(ctx, op, p, inner)?;
            quote! { Vec<#inner> }
        }
        SchemaType::Ref(name) => match ctx.inv.types.get(name) {
            Some(crate::model::TypeDef::Enum { .. } | crate::model::TypeDef::Alias { .. }) => {
                ctx.rust_type(ty)?
            }
            _ => return Err(unfit()),
        },
        SchemaType::Map(_) | SchemaType::Any => return Err(unfit()),
        other => ctx.rust_type(other)?,
    })
}

/// What the stages of [`operation`] contribute to the method, its request
/// builder, its docs and its conformance call.
#[derive(Default)]
struct Pieces {
    /// Names taken in the method and the builder (arguments, fields,
    /// setters, the builder's own methods and the locals of `send`).
    scope: Scope,
    /// Arguments of the `Client` method (`name: Type`).
    args: Vec<TokenStream>,
    /// Fields of the builder (`name: Type,`).
    fields: Vec<TokenStream>,
    /// The field names, in order (for `send`).
    names: Vec<Ident>,
    /// The required ones (the method's arguments, for the builder literal).
    required_names: Vec<Ident>,
    /// Initializers of the optional fields (`name: None,`).
    unset: Vec<TokenStream>,
    /// Setter methods of the builder.
    setters: Vec<TokenStream>,
    /// Statements that put the fields on `request`.
    build: Vec<TokenStream>,
    /// Path parameters: wire name and field.
    path_args: Vec<(String, Ident)>,
    /// Minimal valid arguments, in order, and setter calls (for the
    /// conformance calls).
    samples: Vec<TokenStream>,
    sample_setters: Vec<TokenStream>,
    /// `# Arguments` entries and optional-parameter entries of the docs.
    arg_docs: Vec<String>,
    option_docs: Vec<String>,
    /// What the docs say about the body's encoding.
    body_doc: Option<String>,
}

impl Pieces {
    fn new() -> Self {
        Pieces {
            scope: Scope::with(&[
                "self",
                "client",
                "request",
                "response",
                "download",
                "value",
                "send",
                "send_with_headers",
                "into_future",
            ]),
            ..Default::default()
        }
    }

    /// A required argument, kept in the builder as passed.
    fn required(&mut self, name: &Ident, ty: TokenStream, sample: TokenStream, doc: String) {
        self.args.push(quote! { #name: #ty });
        self.fields.push(quote! { #name: #ty, });
        self.names.push(name.clone());
        self.required_names.push(name.clone());
        self.samples.push(sample);
        self.arg_docs.push(doc);
    }

    /// An optional parameter: an `Option` field, `None` until its setter runs.
    fn optional(&mut self, name: &Ident, field_ty: TokenStream, setter: TokenStream, doc: String) {
        self.fields.push(quote! { #name: Option<#field_ty>, });
        self.names.push(name.clone());
        self.unset.push(quote! { #name: None, });
        self.setters.push(setter);
        self.option_docs.push(doc);
    }
}

/// One `# Arguments` or optional-parameter entry: the name, where it
/// travels, the upstream description.
fn param_doc(
    display: &str,
    name: &Ident,
    wire: &str,
    location: &str,
    summary: Option<&str>,
) -> String {
    let place = if *name == wire {
        location.to_owned()
    } else {
        format!("{location} `{wire}`")
    };
    match summary {
        Some(s) => format!(" - {display} ({place}): {}", doc_text(s)),
        None => format!(" - {display} ({place})."),
    }
}

/// Stage 1: path, query and header parameters. Required ones (path order,
/// then upstream order) become arguments, optional ones builder setters;
/// client defaults are left to the runtime.
fn parameters(
    ctx: &Ctx,
    op: &Operation,
    builder: &Ident,
    pieces: &mut Pieces,
    used: &mut BTreeSet<String>,
) -> Result<(), EmitError> {
    let support = &ctx.target.support;
    let mut ordered: Vec<&Param> = op.params.iter().filter(|p| is_required(p)).collect();
    ordered.extend(
        op.params
            .iter()
            .filter(|p| !is_required(p) && !support.is_client_default(&p.name)),
    );
    for p in ordered {
        let ty = declared_type(op, p)?.unwrap_or(SchemaType::String(None));
        note_types(ctx, &ty, used)?;
        let wire = &p.name;
        let place = p.location.unwrap_or(ParamLocation::Query);
        let location = place.as_str();
        let required = is_required(p);
        let name = ident(&pieces.scope.claim(snake(&p.name)));
        if required {
            let doc = param_doc(
                &format!("`{name}`"),
                &name,
                wire,
                location,
                p.summary.as_deref(),
            );
            let sample = sample_param(ctx, &ty)?;
            pieces.required(&name, param_type(ctx, op, p, &ty)?, sample, doc);
        } else {
            let owned = owned_param_type(ctx, op, p, &ty)?;
            let sdoc = match &p.summary {
                Some(summary) => format!(" {} (`{wire}`, {location}).", doc_text(summary)),
                None => format!(" Sets `{wire}` ({location})."),
            };
            // Strings take anything that becomes one; other types are
            // taken as they are, so integer literals need no suffix.
            let setter = if matches!(ty, SchemaType::String(_)) {
                quote! {
                    #[doc = #sdoc]
                    pub fn #name(mut self, value: impl Into<String>) -> Self {
                        self.#name = Some(value.into());
                        self
                    }
                }
            } else {
                quote! {
                    #[doc = #sdoc]
                    pub fn #name(mut self, value: #owned) -> Self {
                        self.#name = Some(value);
                        self
                    }
                }
            };
            // rustdoc cannot link a raw identifier (`r#where`).
            let display = if name.to_string().starts_with("r#") {
                format!("`{name}`")
            } else {
                format!("[`{name}`]({builder}::{name})")
            };
            let doc = param_doc(&display, &name, wire, location, p.summary.as_deref());
            pieces.optional(&name, owned, setter, doc);
        }
        let add = match place {
            ParamLocation::Path => {
                pieces.path_args.push((p.name.clone(), name));
                continue;
            }
            ParamLocation::Query => quote! { query },
            ParamLocation::Header => quote! { header },
            ParamLocation::Cookie => {
                return Err(EmitError(format!(
                    "{}: cookie parameter {} is not supported yet",
                    op.name, p.name
                )))
            }
        };
        // `v` is the value: the field itself, or the `Some` of it.
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
        pieces.build.push(if required {
            stmt
        } else {
            quote! { if let Some(v) = #name { #stmt } }
        });
    }

    // A 206 answer means the server honours `Range`; offer it when the spec
    // does not declare the header itself.
    let partial = successes(http(op).responses)
        .iter()
        .any(|r| r.status == ResponseStatus::Code(206));
    let declares_range = op
        .params
        .iter()
        .any(|p| p.location == Some(ParamLocation::Header) && p.name.eq_ignore_ascii_case("range"));
    if partial && !declares_range {
        let name = ident(&pieces.scope.claim("range".to_owned()));
        let setter = quote! {
            /// Asks for part of the file: sent as the `Range` header
            /// (`bytes=0-1023`); the server then answers 206.
            pub fn #name(mut self, value: impl Into<String>) -> Self {
                self.#name = Some(value.into());
                self
            }
        };
        let doc = format!(
            " - [`{name}`]({builder}::{name}) (header `Range`): part of the file (`bytes=0-1023`); the server then answers 206."
        );
        pieces.optional(&name, quote! { String }, setter, doc);
        pieces
            .build
            .push(quote! { if let Some(v) = #name { request = request.header("Range", v); } });
    }
    Ok(())
}

/// Stage 2: the request body. A required one is the last argument; an
/// optional one is set with the builder's `body` setter.
fn request_body(
    ctx: &Ctx,
    op: &Operation,
    builder: &Ident,
    pieces: &mut Pieces,
    used: &mut BTreeSet<String>,
) -> Result<(), EmitError> {
    match body_kind(op)? {
        BodyKind::None => {}
        BodyKind::Json { ty, required } | BodyKind::Form { ty, required } => {
            let json = matches!(body_kind(op)?, BodyKind::Json { .. });
            note_types(ctx, &ty, used)?;
            let name = ident(&pieces.scope.claim("body".to_owned()));
            let (arg_ty, sample) = match &ty {
                SchemaType::Array(inner) if json => {
                    let inner = ctx.rust_type(inner)?;
                    (quote! { &'a [#inner] }, quote! { &[] })
                }
                other => {
                    let t = ctx.rust_type(other)?;
                    let sample = match sample_body(ctx, other, 0)? {
                        Some(value) => quote! { &#value },
                        None => quote! { &Default::default() },
                    };
                    (quote! { &'a #t }, sample)
                }
            };
            let encode = if json {
                quote! { json }
            } else {
                pieces.body_doc = Some(
                    " The body is sent as an `application/x-www-form-urlencoded` form.".to_owned(),
                );
                quote! { form }
            };
            let what = match &ty {
                SchemaType::Ref(r) => format!("a `{}`", ctx.rust_type_name(r)?),
                SchemaType::Array(_) => "a list".to_owned(),
                _ => "a value".to_owned(),
            };
            if required {
                let doc = format!(" - `{name}`: the request body, {what}.");
                pieces.required(&name, arg_ty, sample, doc);
                pieces
                    .build
                    .push(quote! { request = request.#encode(#name)?; });
            } else {
                let setter = quote! {
                    /// The request body (optional upstream).
                    pub fn #name(mut self, value: #arg_ty) -> Self {
                        self.#name = Some(value);
                        self
                    }
                };
                let doc = format!(" - [`{name}`]({builder}::{name}): the request body, {what}.");
                pieces.optional(&name, arg_ty, setter, doc);
                pieces.sample_setters.push(quote! { .#name(#sample) });
                pieces
                    .build
                    .push(quote! { if let Some(b) = #name { request = request.#encode(b)?; } });
            }
        }
        BodyKind::Multipart { body } => {
            let name = ident(&pieces.scope.claim("form".to_owned()));
            let field = multipart_file_field(ctx, body);
            pieces.required(
                &name,
                quote! { Multipart },
                quote! {
                    Multipart::new().file(#field, "conformance.txt", StreamBody::from_bytes("x"))
                },
                format!(" - `{name}`: the `multipart/form-data` body."),
            );
            pieces
                .build
                .push(quote! { request = request.multipart(#name); });
            pieces.body_doc = Some(multipart_doc(ctx, body));
        }
        BodyKind::Raw { types, required } => {
            let sample_type = concrete_type(types.first().copied().unwrap_or("application/*"));
            let accepted = types
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ");
            pieces.body_doc = Some(format!(
                " The body is streamed, with one of the accepted content types: {accepted}."
            ));
            if required {
                let ct = ident(&pieces.scope.claim("content_type".to_owned()));
                let name = ident(&pieces.scope.claim("body".to_owned()));
                pieces.required(
                    &ct,
                    quote! { &'a str },
                    quote! { #sample_type },
                    format!(" - `{ct}`: the body's content type ({accepted})."),
                );
                pieces.required(
                    &name,
                    quote! { StreamBody },
                    quote! { StreamBody::from_bytes("x") },
                    format!(" - `{name}`: the streamed body."),
                );
                pieces
                    .build
                    .push(quote! { request = request.stream_body(#ct, #name); });
            } else {
                let name = ident(&pieces.scope.claim("body".to_owned()));
                let setter = quote! {
                    /// The streamed body and its content type (optional upstream).
                    pub fn #name(mut self, content_type: &'a str, value: StreamBody) -> Self {
                        self.#name = Some((content_type, value));
                        self
                    }
                };
                pieces.optional(
                    &name,
                    quote! { (&'a str, StreamBody) },
                    setter,
                    format!(
                        " - [`{name}`]({builder}::{name}): the streamed body and its content type ({accepted})."
                    ),
                );
                pieces
                    .sample_setters
                    .push(quote! { .#name(#sample_type, StreamBody::from_bytes("x")) });
                pieces.build.push(
                    quote! { if let Some((ct, b)) = #name { request = request.stream_body(ct, b); } },
                );
            }
        }
    }
    Ok(())
}

/// What stage 3 decided: the body type callers get, the expression that
/// sends `request` (a `Result<rt::Request>`) through `client` and resolves
/// to an `rt::Answer` of it, and an answer enum.
struct Answer {
    ty: TokenStream,
    call: TokenStream,
    item: Option<TokenStream>,
}

/// Stage 3: the answer. One shape per operation: the body (a runtime
/// wrapper for tracked `202 Accepted` answers, an enum for JSON-or-text
/// answers); status and headers come with every `send_with_headers`.
/// The decoding is a capture-free closure handed to the runtime's one
/// executor, so no operation has a future of its own.
fn answer(ctx: &Ctx, op: &Operation, used: &mut BTreeSet<String>) -> Result<Answer, EmitError> {
    let body = answer_body(op)?;
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
    let ok = successes(http(op).responses);
    let accepted = ctx
        .target
        .support
        .accepted
        .as_deref()
        .filter(|_| ok.iter().any(|r| r.status == ResponseStatus::Code(202)))
        .map(|path| {
            syn::parse_str::<syn::Path>(path)
                .map_err(|e| EmitError(format!("accepted type {path:?}: {e}")))
        })
        .transpose()?;
    // The body as an expression inside a decoding closure that has
    // `response` (for a tracked answer's wrapper), and the closure that
    // decodes it alone.
    let (decode, closure) = match &body {
        AnswerBody::Empty => (quote! { () }, quote! { |_, _| Ok(()) }),
        AnswerBody::Json(_) => (
            quote! { response.json()? },
            quote! { |_, response| response.json() },
        ),
        AnswerBody::Text => (
            quote! { response.text()? },
            quote! { |_, response| response.text() },
        ),
        AnswerBody::JsonOrText(_) => {
            let enum_ident = format_ident!(
                "{}",
                ctx.answers
                    .get(op.name.as_str())
                    .ok_or_else(|| EmitError(format!("{}: no answer enum", op.name)))?
            );
            if accepted.is_some() {
                return Err(EmitError(format!(
                    "{}: a 202 answer that is JSON or text is not supported yet",
                    op.name
                )));
            }
            let item = answer_enum(op, &enum_ident, &body_ty);
            return Ok(Answer {
                ty: quote! { #enum_ident },
                call: quote! {
                    client.rest.call(request, |_, response| {
                        Ok(if response.header("content-type").is_some_and(|t| t.trim_start().starts_with("text/")) {
                            #enum_ident::Text(response.text()?)
                        } else {
                            #enum_ident::Json(response.json()?)
                        })
                    })
                },
                item: Some(item),
            });
        }
        AnswerBody::Stream => {
            return Ok(Answer {
                ty: body_ty,
                call: quote! { client.rest.call_streaming(request) },
                item: None,
            })
        }
    };
    let (ty, call) = match accepted {
        Some(wrapper) => (
            quote! { #wrapper<#body_ty> },
            quote! {
                client.rest.call(request, |rest, response| {
                    Ok(#wrapper::from_response(rest, response, #decode))
                })
            },
        ),
        None => (body_ty, quote! { client.rest.call(request, #closure) }),
    };
    Ok(Answer {
        ty,
        call,
        item: None,
    })
}

/// The method's docs: summary, HTTP method, path and success statuses,
/// arguments, optional parameters, the upstream source.
fn method_doc(ctx: &Ctx, op: &Operation, builder: &Ident, pieces: &Pieces) -> Vec<String> {
    let Http {
        method,
        path,
        responses,
        ..
    } = http(op);
    let mut lines = vec![format!(
        " {}",
        op.summary
            .as_deref()
            .map(doc_text)
            .unwrap_or_else(|| format!("Calls `{}`.", op.name))
    )];
    lines.push(String::new());
    let statuses: Vec<String> = successes(responses)
        .iter()
        .map(|r| r.status.to_string())
        .collect();
    let success = if statuses.is_empty() {
        String::new()
    } else {
        format!("; success: HTTP {}", statuses.join(", "))
    };
    lines.push(format!(
        " `{method} {}{path}`{success}.",
        ctx.target.api_prefix
    ));
    if let Protocol::Http {
        deprecated: true, ..
    } = &op.protocol
    {
        lines.push(String::new());
        lines.push(" Deprecated upstream.".to_owned());
    }
    if let Some(d) = &pieces.body_doc {
        lines.push(String::new());
        lines.push(d.clone());
    }
    if !pieces.arg_docs.is_empty() {
        lines.push(String::new());
        lines.push(" # Arguments".to_owned());
        lines.push(String::new());
        lines.extend(pieces.arg_docs.iter().cloned());
    }
    lines.push(String::new());
    if pieces.option_docs.is_empty() {
        lines.push(format!(
            " Await the returned [`{builder}`] for the body, or call its \
             [`send_with_headers`]({builder}::send_with_headers) for the status and headers too."
        ));
    } else {
        lines.push(" # Optional parameters".to_owned());
        lines.push(String::new());
        lines.push(format!(
            " Set on the returned [`{builder}`] before awaiting it (its \
             [`send_with_headers`]({builder}::send_with_headers) also gives the status and headers):"
        ));
        lines.push(String::new());
        lines.extend(pieces.option_docs.iter().cloned());
    }
    lines.push(String::new());
    lines.push(ctx.source_doc(op));
    if op.name != snake(&op.name) || op.source_location.is_empty() {
        lines.push(format!(" Upstream operation id: `{}`.", op.name));
    }
    lines
}

pub(super) fn operation(
    ctx: &Ctx,
    op: &Operation,
    used: &mut BTreeSet<String>,
) -> Result<Emitted, EmitError> {
    let builder = format_ident!(
        "{}",
        ctx.requests
            .get(op.name.as_str())
            .ok_or_else(|| EmitError(format!("{}: no request type name", op.name)))?
    );
    let mut pieces = Pieces::new();
    parameters(ctx, op, &builder, &mut pieces, used)?;
    request_body(ctx, op, &builder, &mut pieces, used)?;
    let Answer {
        ty: answer_ty,
        call,
        item: answer_item,
    } = answer(ctx, op, used)?;

    let Http {
        method,
        path,
        server,
        security,
        ..
    } = http(op);
    let method_ident = format_ident!("{}", method.as_str());
    // The path, with its parameters percent-encoded as single segments.
    let path_expr = path_expression(op, path, &pieces.path_args)?;
    let op_name = &op.name;
    let auth = (!security.is_empty()).then(|| quote! { .auth(&[#(#security),*]) });
    let defaulted: Vec<&str> = op
        .params
        .iter()
        .filter(|p| !is_required(p) && ctx.target.support.is_client_default(&p.name))
        .map(|p| p.name.as_str())
        .collect();
    let defaults = (!defaulted.is_empty()).then(|| quote! { .defaults(&[#(#defaulted),*]) });
    let server = server.as_deref().map(|s| quote! { .server(#s) });
    let mutable = (!pieces.build.is_empty()).then(|| quote! { mut });

    let doc = docs(&method_doc(ctx, op, &builder, &pieces));
    let fn_name = ident(&snake(&op.name));
    let Pieces {
        args,
        fields,
        names,
        required_names,
        unset,
        setters,
        build,
        samples,
        sample_setters,
        ..
    } = pieces;
    let method = quote! {
        #doc
        pub fn #fn_name<'a>(&'a self #(, #args)*) -> #builder<'a> {
            #builder { client: self, #(#required_names,)* #(#unset)* }
        }
    };
    let bdoc = format!(
        " A [`Client::{fn_name}`] call: set its optional parameters, then `.await` it for \
         the body, or call [`send_with_headers`](Self::send_with_headers) for the status and \
         headers too."
    );
    let item = quote! {
        #[doc = #bdoc]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields)*
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            /// Sends the request: the body, with the answer's status and headers.
            pub fn send_with_headers(self) -> rt::AnswerFuture<'a, #answer_ty> {
                let client = self.client;
                let request = self.into_request();
                #call
            }

            /// Sends the request: the body (what `.await` does).
            pub fn send(self) -> rt::BodyFuture<'a, #answer_ty> {
                rt::BodyFuture::new(self.send_with_headers())
            }

            /// The request this call sends.
            fn into_request(self) -> Result<rt::Request> {
                let #builder { client: _ #(, #names)* } = self;
                let #mutable request = rt::Request::new(#op_name, rt::Method::#method_ident, #path_expr) #auth #defaults #server;
                #(#build)*
                Ok(request)
            }
        }

        impl<'a> std::future::IntoFuture for #builder<'a> {
            type Output = Result<#answer_ty>;
            type IntoFuture = rt::BodyFuture<'a, #answer_ty>;

            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
    let mut items = vec![item];
    items.extend(answer_item);
    let call = quote! { client.#fn_name(#(#samples),*) #(#sample_setters)* .await.map(|_| ()) };
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
    /// Its request builder and answer enum.
    pub(super) items: Vec<TokenStream>,
    /// A call with minimal valid arguments on `client`, as `Result<()>`.
    pub(super) call: TokenStream,
}

/// A minimal valid body of type `ty` for the conformance calls. A record
/// with required fields is built with its `new`: a secret gets `"x"`, an
/// enum its first value (its default is `Unknown("")`), a record the same
/// treatment recursively, anything else its type's default. `None`: the
/// type's default is already valid.
fn sample_body(ctx: &Ctx, ty: &SchemaType, depth: usize) -> Result<Option<TokenStream>, EmitError> {
    let SchemaType::Ref(name) = ty else {
        return Ok(None);
    };
    Ok(match ctx.inv.types.get(name) {
        Some(crate::model::TypeDef::Enum { .. } | crate::model::TypeDef::Alias { .. }) => {
            Some(sample_param(ctx, ty)?)
        }
        Some(crate::model::TypeDef::Record { fields, .. })
            if super::types::has_required(fields) =>
        {
            if depth >= 8 {
                return Err(EmitError(format!(
                    "#{name}: required fields nest too deep for a conformance sample"
                )));
            }
            let rust = format_ident!("{}", ctx.rust_type_name(name)?);
            let mut args = Vec::new();
            for (wire, field) in fields.iter().filter(|(_, f)| f.required) {
                let shape = super::types::field_shape(ctx, name, wire, field)?;
                let value = match &shape.ty {
                    SchemaType::String(Some(f)) if f == "password" => {
                        quote! { panelkit_core::Secret::from("x") }
                    }
                    other if ctx.is_one_of(other) => {
                        return Err(EmitError(format!(
                            "#{name}.{wire}: a required union has no conformance sample yet"
                        )))
                    }
                    other => sample_body(ctx, other, depth + 1)?
                        .unwrap_or_else(|| quote! { Default::default() }),
                };
                args.push(if field.nullable {
                    quote! { Some(#value) }
                } else {
                    value
                });
            }
            Some(quote! { #rust::new(#(#args),*) })
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
                None => sample_param(ctx, ty)?,
            },
            _ => quote! { Default::default() },
        },
        _ => quote! { Default::default() },
    })
}

/// The first file field of a multipart body (`file` when none is declared).
fn multipart_file_field(ctx: &Ctx, body: &HttpBody) -> String {
    let Some(SchemaType::Ref(name)) = &body.ty else {
        return "file".to_owned();
    };
    match ctx.inv.types.get(name) {
        Some(crate::model::TypeDef::Record { fields, .. }) => fields
            .iter()
            .find(|(_, f)| match &f.ty {
                SchemaType::Array(inner) => inner.is_binary(),
                t => t.is_binary(),
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
    p.required || p.location == Some(ParamLocation::Path)
}

fn multipart_doc(ctx: &Ctx, body: &HttpBody) -> String {
    let fields = match &body.ty {
        Some(SchemaType::Ref(name)) => match ctx.inv.types.get(name) {
            Some(crate::model::TypeDef::Record { fields, .. }) => fields
                .iter()
                .map(|(n, f)| {
                    let kind = match &f.ty {
                        t if t.is_binary() => "file",
                        SchemaType::Array(inner) if inner.is_binary() => "files",
                        _ => "text",
                    };
                    format!("`{n}` ({kind})")
                })
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    if fields.is_empty() {
        " The body is a `multipart/form-data` form.".to_owned()
    } else {
        format!(
            " The body is a `multipart/form-data` form with the fields {}.",
            fields.join(", ")
        )
    }
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

/// The answer enum of a JSON-or-text operation (CSV exports).
fn answer_enum(op: &Operation, name: &Ident, body_ty: &TokenStream) -> TokenStream {
    let doc = format!(" The answer of [`Client::{}`].", snake(&op.name));
    quote! {
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
    }
}
