//! Which form a remote method reads or writes its records through.
//!
//! A method passes a form file to the base class's `insertQuery`,
//! `updateQuery`, `deleteQuery`, `klientadd` (and their `*Prepare` halves) or
//! to `$app->remoting_lib->loadFormDef` before `getDataRecord`. The path is a
//! literal, a concatenation with a variable (`'../dns/form/dns_' . $rr_type .
//! '.tform.php'`, where `$rr_type` is a parameter of a private helper that the
//! public method calls with `'A'`, lower-cased first), or a ternary choosing
//! between two forms. This module follows exactly those shapes: variables
//! assigned in the body, helper calls on `$this` (a few levels deep),
//! `strtolower`/`strtoupper`; anything else is reported, not guessed.

use std::collections::HashMap;

use crate::extract::php::value::{AssignOp, Expr, Source, Stmt};
use crate::extract::php::Class;
use crate::model::FormAccess;

/// How deep helper calls are followed.
const MAX_HELPER_DEPTH: usize = 4;

/// At most this many alternative paths per expression.
const MAX_ALTERNATIVES: usize = 8;

/// The directory form paths are relative to: the remote API's entry point
/// is `interface/web/remote/index.php`.
const REMOTE_DIR: &str = "interface/web/remote";

/// One possible value of a path expression and the condition choosing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Alt {
    pub(super) text: String,
    pub(super) when: Option<String>,
}

type Vals = Result<Vec<Alt>, String>;

/// One form call.
#[derive(Debug)]
pub(super) struct Use {
    pub(super) access: FormAccess,
    pub(super) alts: Vec<Alt>,
    /// `(inside a block, helper depth)`: the method's main form is the one
    /// used unconditionally and most directly — `dns_a_add` inserts through
    /// `dns_a` and, only `if ($update_serial)`, two helpers down, updates
    /// the zone through `dns_soa`.
    pub(super) rank: (bool, usize),
}

/// What a method does through forms.
#[derive(Debug, Default)]
pub(super) struct Uses {
    /// Form calls in the order found.
    pub(super) uses: Vec<Use>,
    /// Form paths that could not be worked out.
    pub(super) unresolved: Vec<String>,
    /// What the method's `return` hands back when it is a form read.
    returns_read: Option<Vec<Alt>>,
}

/// A method and where it is, for following helper calls.
#[derive(Clone, Copy)]
pub(super) struct MethodRef<'a> {
    pub(super) class: &'a Class,
    pub(super) method: &'a crate::extract::php::Method,
    pub(super) rel: &'a str,
}

/// Everything the linker needs to see: classes by lower-case name and each
/// file's tokens.
pub(super) struct World<'a> {
    pub(super) classes: HashMap<String, (&'a Class, &'a str)>,
    pub(super) sources: HashMap<&'a str, Source<'a>>,
}

impl<'a> World<'a> {
    /// Form uses of `m`, a public method.
    pub(super) fn uses(&self, m: MethodRef<'a>) -> Uses {
        let mut out = Uses::default();
        let ctx = Ctx {
            conditional: false,
            depth: 0,
        };
        self.walk(m, HashMap::new(), ctx, &mut out);
        if let Some(read) = out.returns_read.take() {
            out.uses.push(Use {
                access: FormAccess::Read,
                alts: read,
                rank: (false, 0),
            });
        }
        out
    }

    fn walk(&self, m: MethodRef<'a>, mut env: HashMap<String, Vals>, ctx: Ctx, out: &mut Uses) {
        let (Some(body), Some(source)) = (&m.method.body, self.sources.get(m.rel)) else {
            return;
        };
        let mut state = State {
            loaded: None,
            read_vars: HashMap::new(),
        };
        for stmt in source.body(body) {
            let ctx = Ctx {
                conditional: ctx.conditional || stmt.conditional,
                depth: ctx.depth,
            };
            self.statement(m, &stmt, &mut env, &mut state, ctx, out);
        }
    }

    fn statement(
        &self,
        m: MethodRef<'a>,
        stmt: &Stmt,
        env: &mut HashMap<String, Vals>,
        state: &mut State,
        ctx: Ctx,
        out: &mut Uses,
    ) {
        let read = self.calls(m, &stmt.expr, env, state, ctx, out);
        if let Expr::Assign {
            target,
            op: AssignOp::Set,
            value,
        } = &stmt.expr
        {
            if let Expr::Var(v) = target.as_ref() {
                env.insert(v.clone(), eval(value, env));
                match &read {
                    Some(form) => {
                        state.read_vars.insert(v.clone(), form.clone());
                    }
                    None => {
                        state.read_vars.remove(v);
                    }
                }
            }
        }
        if stmt.is_return {
            let returned = match &stmt.expr {
                Expr::Var(v) => state.read_vars.get(v).cloned(),
                _ => read,
            };
            if let Some(form) = returned {
                out.returns_read.get_or_insert(form);
            }
        }
    }

    /// Notes every form call in `expr`; answers the form whose read `expr`
    /// evaluates to, if it is one (`getDataRecord`, or a helper returning one).
    fn calls(
        &self,
        m: MethodRef<'a>,
        expr: &Expr,
        env: &HashMap<String, Vals>,
        state: &mut State,
        ctx: Ctx,
        out: &mut Uses,
    ) -> Option<Vec<Alt>> {
        match expr {
            Expr::Assign { value, .. } => self.calls(m, value, env, state, ctx, out),
            Expr::Concat(parts) => {
                for p in parts {
                    self.calls(m, p, env, state, ctx, out);
                }
                None
            }
            Expr::Ternary {
                then, otherwise, ..
            } => {
                self.calls(m, then, env, state, ctx, out);
                self.calls(m, otherwise, env, state, ctx, out);
                None
            }
            Expr::Array(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.calls(m, k, env, state, ctx, out);
                    }
                    self.calls(m, v, env, state, ctx, out);
                }
                None
            }
            Expr::Index(base, index) => {
                self.calls(m, base, env, state, ctx, out);
                if let Some(i) = index {
                    self.calls(m, i, env, state, ctx, out);
                }
                None
            }
            Expr::Prop(base, _) => {
                self.calls(m, base, env, state, ctx, out);
                None
            }
            Expr::Call { target, name, args } => {
                for a in args {
                    self.calls(m, a, env, state, ctx, out);
                }
                let access = match name.as_str() {
                    "insertQuery" | "insertQueryPrepare" | "klientadd" => Some(FormAccess::Insert),
                    "updateQuery" | "updateQueryPrepare" => Some(FormAccess::Update),
                    "deleteQuery" => Some(FormAccess::Delete),
                    _ => None,
                };
                if let Some(access) = access {
                    match args.first().map(|a| eval(a, env)) {
                        Some(Ok(alts)) => out.uses.push(Use {
                            access,
                            alts,
                            rank: (ctx.conditional, ctx.depth),
                        }),
                        Some(Err(e)) => out.unresolved.push(format!("{name}: {e}")),
                        None => out
                            .unresolved
                            .push(format!("{name} without a form argument")),
                    }
                    return None;
                }
                match name.as_str() {
                    "loadFormDef" => {
                        match args.first().map(|a| eval(a, env)) {
                            Some(Ok(alts)) => state.loaded = Some(alts),
                            Some(Err(e)) => {
                                state.loaded = None;
                                out.unresolved.push(format!("loadFormDef: {e}"));
                            }
                            None => state.loaded = None,
                        }
                        None
                    }
                    "getDataRecord" => state.loaded.clone(),
                    _ if is_this(target.as_deref()) => self.helper(m, name, args, env, ctx, out),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Follows `$this->name(args)` into a method of the class (or a parent).
    fn helper(
        &self,
        m: MethodRef<'a>,
        name: &str,
        args: &[Expr],
        env: &HashMap<String, Vals>,
        ctx: Ctx,
        out: &mut Uses,
    ) -> Option<Vec<Alt>> {
        if ctx.depth >= MAX_HELPER_DEPTH {
            return None;
        }
        let callee = self.find_method(m.class, name)?;
        let mut inner_env = HashMap::new();
        for (i, p) in callee.method.params.iter().enumerate() {
            let value = match args.get(i) {
                Some(a) => eval(a, env),
                None => match &p.default {
                    Some(d) => default_value(d),
                    None => Err(format!("${} not passed", p.name)),
                },
            };
            inner_env.insert(p.name.clone(), value);
        }
        let mut inner = Uses::default();
        let inner_ctx = Ctx {
            conditional: ctx.conditional,
            depth: ctx.depth + 1,
        };
        self.walk(callee, inner_env, inner_ctx, &mut inner);
        out.uses.extend(inner.uses);
        out.unresolved.extend(inner.unresolved);
        inner.returns_read
    }

    fn find_method(&self, class: &'a Class, name: &str) -> Option<MethodRef<'a>> {
        let mut at = Some(class);
        for _ in 0..16 {
            let c = at?;
            let (found, rel) = self.classes.get(&c.name.to_ascii_lowercase())?;
            if let Some(method) = found
                .methods
                .iter()
                .find(|x| x.name.eq_ignore_ascii_case(name))
            {
                return Some(MethodRef {
                    class: found,
                    method,
                    rel,
                });
            }
            at = c
                .extends
                .as_deref()
                .and_then(|p| self.classes.get(&p.to_ascii_lowercase()))
                .map(|(c, _)| *c);
        }
        None
    }
}

/// Where a statement runs: inside a block, how many helpers down.
#[derive(Clone, Copy)]
struct Ctx {
    conditional: bool,
    depth: usize,
}

struct State {
    /// The form `loadFormDef` loaded last.
    loaded: Option<Vec<Alt>>,
    /// Variables holding what `getDataRecord` returned, and its form.
    read_vars: HashMap<String, Vec<Alt>>,
}

fn is_this(target: Option<&Expr>) -> bool {
    matches!(target, Some(Expr::Var(v)) if v == "this")
}

/// A parameter default as written (`'A'`, `false`) as a value.
fn default_value(text: &str) -> Vals {
    let src = format!("<?php {text};");
    let source = Source::new(&src).map_err(|e| e.to_string())?;
    let stmt = source.top_level().into_iter().next();
    match stmt.and_then(|s| s.expr.literal_string()) {
        Some(t) => Ok(vec![Alt {
            text: t,
            when: None,
        }]),
        None => Err(format!("default `{text}` is not a literal")),
    }
}

/// The possible string values of a path expression.
fn eval(expr: &Expr, env: &HashMap<String, Vals>) -> Vals {
    match expr {
        Expr::Var(v) => env
            .get(v)
            .cloned()
            .unwrap_or_else(|| Err(format!("${v} has no known value"))),
        Expr::Concat(parts) => {
            let mut acc = vec![Alt {
                text: String::new(),
                when: None,
            }];
            for p in parts {
                let vals = eval(p, env)?;
                let mut next = Vec::new();
                for a in &acc {
                    for v in &vals {
                        next.push(Alt {
                            text: format!("{}{}", a.text, v.text),
                            when: join_when(&a.when, &v.when),
                        });
                    }
                }
                if next.len() > MAX_ALTERNATIVES {
                    return Err("too many alternatives".to_owned());
                }
                acc = next;
            }
            Ok(acc)
        }
        Expr::Ternary {
            cond,
            then,
            otherwise,
        } => {
            let mut out: Vec<Alt> = eval(otherwise, env)?;
            for mut a in eval(then, env)? {
                a.when = join_when(&Some(cond.clone()), &a.when);
                out.push(a);
            }
            Ok(out)
        }
        Expr::Call {
            target: None,
            name,
            args,
        } if args.len() == 1
            && (name.eq_ignore_ascii_case("strtolower")
                || name.eq_ignore_ascii_case("strtoupper")) =>
        {
            let lower = name.eq_ignore_ascii_case("strtolower");
            Ok(eval(&args[0], env)?
                .into_iter()
                .map(|a| Alt {
                    text: if lower {
                        a.text.to_ascii_lowercase()
                    } else {
                        a.text.to_ascii_uppercase()
                    },
                    when: a.when,
                })
                .collect())
        }
        other => match other.literal_string() {
            Some(text) => Ok(vec![Alt { text, when: None }]),
            None => Err("the form path is not built from literals and known variables".to_owned()),
        },
    }
}

fn join_when(a: &Option<String>, b: &Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("({a}) && ({b})")),
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        (None, None) => None,
    }
}

/// A form path as the remote code passes it → relative to the checkout root
/// (`../dns/form/dns_a.tform.php` → `interface/web/dns/form/dns_a.tform.php`);
/// `None` when it leaves the tree or is not a `.tform.php` file.
pub(super) fn checkout_path(path: &str) -> Option<String> {
    if !path.ends_with(".tform.php") {
        return None;
    }
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        REMOTE_DIR.split('/').collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    joined.starts_with("interface/web/").then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_remote_directory() {
        assert_eq!(
            checkout_path("../dns/form/dns_a.tform.php").as_deref(),
            Some("interface/web/dns/form/dns_a.tform.php")
        );
        assert_eq!(checkout_path("../../../etc/passwd.tform.php"), None);
        assert_eq!(checkout_path("../dns/lib/x.php"), None);
    }

    #[test]
    fn ternaries_give_alternatives_with_their_condition() {
        let src = "<?php '../c/form/' . ($x ? 'r' : 'c') . '.tform.php';";
        let source = Source::new(src).unwrap();
        let expr = source.top_level().remove(0).expr;
        let alts = eval(&expr, &HashMap::new()).unwrap();
        assert_eq!(alts[0].text, "../c/form/c.tform.php");
        assert_eq!(alts[0].when, None);
        assert_eq!(alts[1].text, "../c/form/r.tform.php");
        assert_eq!(alts[1].when.as_deref(), Some("$x"));
    }
}
