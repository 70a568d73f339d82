//! The COREmanager frontend (ISPmanager, BILLmanager, ...): `mgrctl -i` output
//! and the vendor's generated API reference → inventory.
//!
//! Two inputs, one model:
//! - the function list, `mgrctl -m <mgr> -i`: a name column, a description
//!   that may wrap onto indented lines ("Description is not available" when
//!   there is none) and a `Function type: …` line;
//! - function descriptions, `mgrctl -m <mgr> -i FUNC`, in the layout of the
//!   vendor's generated API reference (one or more `Function: NAME` blocks
//!   with `Access level:`, `Result:`, `Parameters:` and bullet lists of
//!   `name - description`), which is also how the reference pages read.
//!
//! A third input, saved `out=json` answers of list functions ([`parse_answer`]),
//! adds what a real panel says about its lists: columns, key, and the
//! functions its toolbar leads to.
//!
//! The text parsers are line-based and total: unknown function types, odd
//! wrapping and truncated input are kept or skipped, never a panic.

mod answer;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::model::{
    Column, Extractor, FunctionType, Inventory, Operation, Param, Protocol, Source, FORMAT_VERSION,
};

/// Extractor name recorded in inventories.
pub const EXTRACTOR_NAME: &str = "coremanager-mgrctl";

/// Bumped when the extractor's output for the same input changes.
pub const EXTRACTOR_VERSION: &str = "1";

/// One entry of the function list (`mgrctl -m <mgr> -i`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedFunction {
    /// Function name.
    pub name: String,
    /// Description, wrapped lines joined; `None` when "Description is not available".
    pub summary: Option<String>,
    /// The stated function type, if any.
    pub function_type: Option<FunctionType>,
    /// 1-based line of the name in the dump.
    pub line: usize,
}

/// One function description (`mgrctl -m <mgr> -i FUNC`, or a reference block).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionDetail {
    /// Function name.
    pub name: String,
    /// Title or description.
    pub summary: Option<String>,
    /// Type, stated or inferred from `Result:` and the form sentence.
    pub function_type: Option<FunctionType>,
    /// Access levels.
    pub access: Vec<String>,
    /// Parameters with their descriptions, in order (`sok` left out: the
    /// client adds it when applying a form).
    pub params: Vec<(String, String)>,
    /// List columns.
    pub columns: Vec<Column>,
    /// `list:column` that `elid` refers to.
    pub elid_of: Option<String>,
    /// `list:column` that `plid` refers to.
    pub plid_of: Option<String>,
    /// `elid` takes several ids joined with `", "`.
    pub multiple_elids: bool,
    /// 1-based line of `Function:` in its input.
    pub line: usize,
}

fn is_function_name(token: &str) -> bool {
    !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && token.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
}

/// Parses the function list. Lines that start in the first column begin an
/// entry (name, then description); indented lines continue the description or
/// state the function type. Lines that do not start with a function name
/// (headers, separators) end the current entry and are skipped.
pub fn parse_function_list(text: &str) -> Vec<ListedFunction> {
    let mut out: Vec<ListedFunction> = Vec::new();
    let mut open = false;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        let trimmed = line.trim();
        if !indented {
            let (first, rest) = split_first_word(trimmed);
            if is_function_name(first) {
                out.push(ListedFunction {
                    name: first.to_owned(),
                    summary: None,
                    function_type: None,
                    line: index + 1,
                });
                open = true;
                add_list_text(out.last_mut().expect("just pushed"), rest);
            } else {
                open = false;
            }
            continue;
        }
        if let (true, Some(current)) = (open, out.last_mut()) {
            add_list_text(current, trimmed);
        }
    }
    out
}

fn add_list_text(entry: &mut ListedFunction, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if let Some(kind) = strip_key(text, "function type") {
        if !kind.is_empty() {
            entry.function_type = Some(FunctionType::from(kind.to_owned()));
        }
        return;
    }
    if text.eq_ignore_ascii_case("description is not available")
        || text.eq_ignore_ascii_case("description is not available.")
    {
        return;
    }
    match &mut entry.summary {
        Some(summary) => {
            summary.push(' ');
            summary.push_str(text);
        }
        None => entry.summary = Some(text.to_owned()),
    }
}

fn split_first_word(text: &str) -> (&str, &str) {
    match text.find(char::is_whitespace) {
        Some(at) => (&text[..at], text[at..].trim_start()),
        None => (text, ""),
    }
}

/// `Key: value` with a case-insensitive key → the value.
fn strip_key<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let (head, value) = line.split_once(':')?;
    head.trim().eq_ignore_ascii_case(key).then(|| value.trim())
}

/// A bullet item `• name - description` (also `*`, `-`, `·` bullets and
/// `—`/`–` dashes) → name and description.
fn bullet(line: &str) -> Option<(&str, &str)> {
    let body = line
        .trim_start()
        .trim_start_matches(['•', '*', '·', '●', '◦'])
        .trim_start();
    let body = body.strip_prefix("- ").unwrap_or(body);
    for dash in [" - ", " — ", " – "] {
        if let Some((name, desc)) = body.split_once(dash) {
            let name = name.trim();
            if is_function_name(name) {
                return Some((name, desc.trim()));
            }
        }
    }
    None
}

fn is_bullet_line(line: &str) -> bool {
    line.trim_start().starts_with(['•', '*', '·', '●', '◦'])
}

/// `(name element of webdomain function)` → `webdomain:name`.
fn element_of(description: &str) -> Option<String> {
    let lower = description.to_ascii_lowercase();
    let at = lower.find(" element of ")?;
    let column = description[..at]
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()?
        .trim();
    let rest = &description[at + " element of ".len()..];
    let func = rest
        .split_whitespace()
        .next()?
        .trim_end_matches([',', '.', ')']);
    (is_function_name(column) && is_function_name(func)).then(|| format!("{func}:{column}"))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Bullets here are list columns.
    Top,
    /// Bullets here are parameters.
    Params,
}

/// Parses one or more `Function: NAME` blocks. A short plain line right
/// before `Function:` is that function's title.
pub fn parse_function_details(text: &str) -> Vec<FunctionDetail> {
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            strip_key(l.trim(), "function").is_some_and(|v| is_function_name(first_word(v)))
        })
        .map(|(i, _)| i)
        .collect();
    let mut out = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        let mut body: Vec<&str> = lines[start + 1..end].to_vec();
        // The next function's title sits at the end of this block.
        if n + 1 < starts.len() {
            while body.last().is_some_and(|l| l.trim().is_empty()) {
                body.pop();
            }
            if body.last().is_some_and(|l| is_title(l)) {
                body.pop();
            }
        }
        let title = title_before(&lines, start, starts.get(n.wrapping_sub(1)).copied());
        let name = first_word(strip_key(lines[start].trim(), "function").unwrap_or_default());
        out.push(parse_block(name, title, &body, start + 1));
    }
    out
}

fn first_word(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or_default()
}

/// A heading line: not a bullet, not a `Key: value`, short.
fn is_title(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && !is_bullet_line(line)
        && !t.contains(':')
        && t.chars().count() <= 80
        && !t.ends_with('.')
}

fn title_before(lines: &[&str], start: usize, previous: Option<usize>) -> Option<String> {
    let floor = previous.map_or(0, |p| p + 1);
    let mut i = start;
    while i > floor {
        i -= 1;
        let line = lines[i];
        if line.trim().is_empty() {
            continue;
        }
        return is_title(line).then(|| line.trim().to_owned());
    }
    None
}

fn parse_block(name: &str, title: Option<String>, body: &[&str], line: usize) -> FunctionDetail {
    let mut detail = FunctionDetail {
        name: name.to_owned(),
        summary: title,
        line,
        ..FunctionDetail::default()
    };
    let mut section = Section::Top;
    let mut is_form = false;
    let mut result: Option<String> = None;
    let mut last: Option<(Section, usize)> = None;
    for raw in body {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(kind) = strip_key(trimmed, "function type") {
            if !kind.is_empty() {
                detail.function_type = Some(FunctionType::from(kind.to_owned()));
            }
            last = None;
            continue;
        }
        if let Some(levels) = strip_key(trimmed, "access level") {
            detail.access = levels.split_whitespace().map(str::to_owned).collect();
            detail.access.sort();
            detail.access.dedup();
            last = None;
            continue;
        }
        let unbulleted = trimmed.trim_start_matches(['•', '*', '·', '●', '◦']).trim();
        if let Some(value) = strip_key(unbulleted, "result") {
            if result.is_none() && !value.is_empty() {
                result = Some(value.to_ascii_lowercase());
            }
            last = None;
            continue;
        }
        let lower = unbulleted.to_ascii_lowercase();
        if lower.starts_with("the function is simultaneously used to view") {
            is_form = true;
            continue;
        }
        if lower.ends_with(':')
            && (lower.contains("parameters")
                || lower.starts_with("create an object")
                || lower.starts_with("change an object")
                || lower.starts_with("view object"))
        {
            section = if lower.contains("parameters") {
                Section::Params
            } else {
                section
            };
            last = None;
            continue;
        }
        if let Some((pname, desc)) = bullet(raw) {
            if section == Section::Params || is_form {
                add_param(&mut detail, pname, desc);
                last = detail
                    .params
                    .iter()
                    .position(|(n, _)| n == pname)
                    .map(|i| (Section::Params, i));
            } else {
                if !detail.columns.iter().any(|c| c.name == pname) {
                    detail.columns.push(Column {
                        name: pname.to_owned(),
                        summary: (!desc.is_empty()).then(|| desc.to_owned()),
                    });
                }
                last = Some((Section::Top, detail.columns.len() - 1));
            }
            continue;
        }
        if is_bullet_line(raw) {
            // "additional query parameters ..." and other bullets without a name
            last = None;
            continue;
        }
        // A wrapped continuation of the previous bullet.
        if raw.starts_with([' ', '\t']) {
            if let Some((which, index)) = last {
                match which {
                    Section::Params => {
                        let updated = detail.params.get_mut(index).map(|(pname, desc)| {
                            push_words(desc, trimmed);
                            (pname.clone(), desc.clone())
                        });
                        if let Some((pname, desc)) = updated {
                            if pname == "elid" || pname == "plid" {
                                note_reference(&mut detail, &pname, &desc);
                            }
                        }
                    }
                    Section::Top => {
                        if let Some(column) = detail.columns.get_mut(index) {
                            let summary = column.summary.get_or_insert_with(String::new);
                            push_words(summary, trimmed);
                        }
                    }
                }
                continue;
            }
        }
        // A description line.
        if detail.summary.is_none() && !trimmed.eq_ignore_ascii_case("description is not available")
        {
            detail.summary = Some(trimmed.to_owned());
        }
    }
    if detail.function_type.is_none() {
        detail.function_type = if is_form {
            Some(FunctionType::Form)
        } else {
            match result.as_deref() {
                Some(r) if r.contains("list of elements") => Some(FunctionType::List),
                Some(r) if r.contains("report") => Some(FunctionType::Report),
                Some(r) if r.contains("successful operation") => Some(if detail.multiple_elids {
                    FunctionType::Group
                } else {
                    FunctionType::Action
                }),
                Some(r) if r.contains("object parameters") => Some(FunctionType::Form),
                _ => None,
            }
        };
    }
    detail
}

fn push_words(text: &mut String, more: &str) {
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(more);
}

fn add_param(detail: &mut FunctionDetail, name: &str, desc: &str) {
    if name == "sok" {
        return;
    }
    if name == "elid" || name == "plid" {
        note_reference(detail, name, desc);
    }
    if !detail.params.iter().any(|(n, _)| n == name) {
        detail.params.push((name.to_owned(), desc.to_owned()));
    }
}

fn note_reference(detail: &mut FunctionDetail, name: &str, desc: &str) {
    let lower = desc.to_ascii_lowercase();
    if name == "elid" && (lower.contains("one or more") || lower.contains("comma-delimited")) {
        detail.multiple_elids = true;
    }
    let target = element_of(desc);
    match name {
        "elid" if detail.elid_of.is_none() => detail.elid_of = target,
        "plid" if detail.plid_of.is_none() => detail.plid_of = target,
        _ => {}
    }
}

/// Facts the caller knows about the input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DumpMeta {
    /// Manager name (`ispmgr`).
    pub manager: String,
    /// Panel name for the inventory (`ispmanager`).
    pub panel: String,
    /// Panel version, e.g. `6.x`.
    pub upstream_version: String,
}

/// Why extraction failed.
#[derive(Debug)]
pub enum ExtractError {
    /// A file could not be read.
    Io(PathBuf, std::io::Error),
    /// The input holds no function at all.
    Empty(String),
    /// Running `mgrctl` failed.
    Mgrctl(String),
    /// A saved answer could not be read (its name, why).
    Answer(String, String),
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtractError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            ExtractError::Empty(what) => write!(f, "{what}: no functions found"),
            ExtractError::Mgrctl(m) => write!(f, "mgrctl: {m}"),
            ExtractError::Answer(name, why) => write!(f, "{name}: {why}"),
        }
    }
}

impl std::error::Error for ExtractError {}

/// One input: a name for provenance and its text.
#[derive(Clone, Debug)]
pub struct Input {
    /// File name, `mgrctl -m ispmgr -i FUNC`, or the `https://` URL of a
    /// reference page (functions are then located as `URL#FUNC`).
    pub name: String,
    /// Its text.
    pub text: String,
}

pub use answer::parse_answer;

/// Builds an inventory from a function list, function descriptions and saved
/// list answers (see [`build`]; answers add facts where the others are silent).
/// An answer that is not a COREmanager JSON document is an error naming it.
pub fn build_with_answers(
    list: Option<&Input>,
    details: &[Input],
    answers: &[Input],
    meta: &DumpMeta,
) -> Result<Inventory, ExtractError> {
    let mut inventory = build(list, details, meta);
    let mut ops: BTreeMap<String, Operation> = inventory
        .operations
        .drain(..)
        .map(|op| (op.name.clone(), op))
        .collect();
    for input in answers {
        let found = parse_answer(&input.text)
            .map_err(|why| ExtractError::Answer(input.name.clone(), why))?;
        let list_name = found.first().map(|d| d.name.clone()).unwrap_or_default();
        for d in found {
            let location = if d.name == list_name {
                format!("{} (metadata)", input.name)
            } else {
                format!("{} (toolbar of {list_name})", input.name)
            };
            let op = ops.entry(d.name.clone()).or_insert_with(|| Operation {
                name: d.name.clone(),
                summary: None,
                source_location: location.clone(),
                group: group_of(&d.name),
                params: Vec::new(),
                returns: None,
                protocol: protocol(meta, FunctionType::Other("unknown".into())),
            });
            merge(op, &d, &location);
        }
    }
    inventory.operations = ops.into_values().collect();
    let mut files = inventory.source.files.clone();
    files.extend(answers.iter().map(|a| a.name.clone()));
    files.sort();
    let mut all: Vec<&Input> = list.into_iter().chain(details).chain(answers).collect();
    all.sort_by(|a, b| a.name.cmp(&b.name));
    inventory.source.sha256 = digest(&all);
    inventory.source.files = files;
    Ok(inventory)
}

fn digest(files: &[&Input]) -> String {
    let mut hasher = Sha256::new();
    for f in files {
        hasher.update(f.name.as_bytes());
        hasher.update([0]);
        hasher.update(f.text.as_bytes());
        hasher.update([0]);
    }
    hex(&hasher.finalize())
}

/// Builds an inventory from a function list and function descriptions. The
/// list decides which functions exist; a description adds parameters,
/// columns, access and a type where the list has none. Descriptions of
/// functions the list lacks are kept too (the list may be partial).
pub fn build(list: Option<&Input>, details: &[Input], meta: &DumpMeta) -> Inventory {
    let mut ops: BTreeMap<String, Operation> = BTreeMap::new();
    if let Some(list) = list {
        for f in parse_function_list(&list.text) {
            ops.entry(f.name.clone()).or_insert_with(|| Operation {
                name: f.name.clone(),
                summary: f.summary.clone(),
                source_location: format!("{}:{}", list.name, f.line),
                group: group_of(&f.name),
                params: Vec::new(),
                returns: None,
                protocol: protocol(
                    meta,
                    f.function_type
                        .clone()
                        .unwrap_or(FunctionType::Other("unknown".into())),
                ),
            });
        }
    }
    for input in details {
        for d in parse_function_details(&input.text) {
            // A reference page is cited by URL and anchor, a file by line.
            let location = if input.name.starts_with("https://") {
                format!("{}#{}", input.name, d.name)
            } else {
                format!("{}:{}", input.name, d.line)
            };
            let op = ops.entry(d.name.clone()).or_insert_with(|| Operation {
                name: d.name.clone(),
                summary: None,
                source_location: location.clone(),
                group: group_of(&d.name),
                params: Vec::new(),
                returns: None,
                protocol: protocol(meta, FunctionType::Other("unknown".into())),
            });
            merge(op, &d, &location);
        }
    }
    let mut files: Vec<&Input> = list.into_iter().chain(details).collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Inventory {
        format: FORMAT_VERSION,
        panel: meta.panel.clone(),
        upstream_version: meta.upstream_version.clone(),
        source: Source {
            repository: None,
            tag: None,
            commit: None,
            root: list.map_or_else(|| "function descriptions".to_owned(), |l| l.name.clone()),
            sha256: digest(&files),
            files: files.iter().map(|f| f.name.clone()).collect(),
        },
        extractor: Extractor {
            name: EXTRACTOR_NAME.to_owned(),
            version: EXTRACTOR_VERSION.to_owned(),
        },
        operations: ops.into_values().collect(),
        types: BTreeMap::new(),
        forms: BTreeMap::new(),
        answer_secrets: BTreeMap::new(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn protocol(meta: &DumpMeta, function_type: FunctionType) -> Protocol {
    Protocol::Coremanager {
        manager: meta.manager.clone(),
        function_type,
        access: Vec::new(),
        columns: Vec::new(),
        elid_of: None,
        plid_of: None,
    }
}

fn merge(op: &mut Operation, d: &FunctionDetail, location: &str) {
    if op.summary.is_none() {
        op.summary = d.summary.clone();
    }
    if op.params.is_empty() {
        op.params = d
            .params
            .iter()
            .map(|(name, _)| Param {
                name: name.clone(),
                ty: None,
                required: name == "plid"
                    || (name == "elid"
                        && matches!(
                            d.function_type,
                            Some(FunctionType::Action | FunctionType::Group)
                        )),
                default: None,
                by_ref: false,
                ..Param::default()
            })
            .collect();
    }
    if let Protocol::Coremanager {
        function_type,
        access,
        columns,
        elid_of,
        plid_of,
        ..
    } = &mut op.protocol
    {
        if let (FunctionType::Other(unknown), Some(t)) = (&*function_type, &d.function_type) {
            if unknown == "unknown" {
                *function_type = t.clone();
            }
        }
        if access.is_empty() {
            access.clone_from(&d.access);
        }
        if columns.is_empty() {
            columns.clone_from(&d.columns);
        }
        if elid_of.is_none() {
            elid_of.clone_from(&d.elid_of);
        }
        if plid_of.is_none() {
            plid_of.clone_from(&d.plid_of);
        }
    }
    if !op.source_location.contains(location) && op.source_location != location {
        // The list names the function; the description adds facts: keep both.
        if !op.source_location.starts_with(location) {
            op.source_location = format!("{}; {location}", op.source_location);
        }
    }
}

/// API area of a function: its first dotted component (`webdomain.edit` →
/// `webdomain`), which is how the panel groups its modules.
pub fn group_of(name: &str) -> String {
    name.split('.').next().unwrap_or(name).replace('-', "_")
}

/// Reads a dump file and, optionally, every file in a directory of
/// per-function descriptions (sorted by name).
pub fn read_inputs(
    dump: &Path,
    functions: Option<&Path>,
) -> Result<(Input, Vec<Input>), ExtractError> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| ExtractError::Io(p.to_owned(), e));
    let list = Input {
        name: file_name(dump),
        text: String::from_utf8_lossy(&read(dump)?).into_owned(),
    };
    let mut details = Vec::new();
    if let Some(dir) = functions {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| ExtractError::Io(dir.to_owned(), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        for path in paths {
            details.push(Input {
                name: format!("{}/{}", file_name(dir), file_name(&path)),
                text: String::from_utf8_lossy(&read(&path)?).into_owned(),
            });
        }
    }
    Ok((list, details))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Runs `mgrctl -m <manager> -i`, then `mgrctl -m <manager> -i FUNC` for every
/// function, on the panel host (the operator's exact installation).
pub fn run_mgrctl(program: &Path, meta: &DumpMeta) -> Result<Inventory, ExtractError> {
    let run = |args: &[&str]| -> Result<String, ExtractError> {
        let output = std::process::Command::new(program)
            .args(args)
            .output()
            .map_err(|e| ExtractError::Mgrctl(format!("cannot run {}: {e}", program.display())))?;
        if !output.status.success() {
            return Err(ExtractError::Mgrctl(format!(
                "{} {} exited with {}: {}",
                program.display(),
                args.join(" "),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let listing = run(&["-m", &meta.manager, "-i"])?;
    let functions = parse_function_list(&listing);
    if functions.is_empty() {
        return Err(ExtractError::Empty(format!(
            "mgrctl -m {} -i",
            meta.manager
        )));
    }
    let list = Input {
        name: format!("mgrctl -m {} -i", meta.manager),
        text: listing,
    };
    let mut details = Vec::new();
    for f in &functions {
        let text = run(&["-m", &meta.manager, "-i", &f.name])?;
        details.push(Input {
            name: format!("mgrctl -m {} -i {}", meta.manager, f.name),
            text,
        });
    }
    Ok(build(Some(&list), &details, meta))
}
