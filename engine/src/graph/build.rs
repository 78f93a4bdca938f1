//! AST → graph, with the checks that need meaning rather than syntax: function names and
//! arities, names defined twice or used before their definition.

use super::number::Number;
use super::{Func, Graph, NodeId, Op};
use crate::error::{Error, Phrase, Result, both};
use crate::syntax::{self, Comparison, Expr, ExprKind, Span};
use std::collections::HashMap;

/// A parsed program: its graph, its output and the names it defines.
#[derive(Clone, Debug)]
pub struct Function {
    pub graph: Graph,
    pub output: NodeId,
    /// `L` for `…; L = …`, else `f`.
    pub output_name: String,
    /// Free variables in order of first appearance.
    pub variables: Vec<(String, NodeId)>,
    /// Named intermediates in definition order (the output included when it is named).
    pub intermediates: Vec<(String, NodeId)>,
    /// Where each node first appears in the source, for errors that name a node.
    pub spans: Spans,
}

/// Where each node first appears in the source, by node index: nearly every node of a parsed
/// program has a place, so a vector, not a map (a 100,000-parameter loss notes 400,000).
#[derive(Clone, Debug, Default)]
pub struct Spans(Vec<Option<Span>>);

impl Spans {
    pub fn get(&self, node: &NodeId) -> Option<&Span> {
        self.0.get(node.index()).and_then(Option::as_ref)
    }

    /// Keeps the first place a node is met.
    fn note(&mut self, node: NodeId, span: &Span) {
        if self.0.len() <= node.index() {
            self.0.resize(node.index() + 1, None);
        }
        self.0[node.index()].get_or_insert_with(|| span.clone());
    }
}

impl Function {
    /// What is worth saying about how the expression was read, though it is not an error:
    /// `e` and `pi` are variables here, not constants.
    pub fn notes(&self) -> Vec<Phrase> {
        let one_letter: Vec<&str> =
            self.variables.iter().map(|(n, _)| n.as_str()).filter(|n| n.chars().count() == 1).collect();
        // `wx` in `sigmoid(wx + b)`: a product written without its `*` reads as one name. Said
        // when the expression writes one-letter names and this name is spelled from them (or
        // from the letters of weights, inputs and activations).
        let spelled = |name: &str| {
            let short = (2..=3).contains(&name.len()) && name.chars().all(|c| c.is_ascii_lowercase());
            let letters = name.chars().all(|c| {
                let mut b = [0; 4];
                one_letter.contains(&&*c.encode_utf8(&mut b)) || "wxah".contains(c)
            });
            short && letters && !one_letter.is_empty()
        };
        self.variables
            .iter()
            .filter_map(|(name, _)| match name.as_str() {
                "e" => Some(both(
                    "`e` is read as a variable, not Euler's number: write exp(x) for eˣ (and exp(1) for e)",
                    "`e` 被当作变量，而不是自然常数：eˣ 请写 exp(x)（e 请写 exp(1)）",
                )),
                "pi" | "π" => Some(both(
                    format!("`{name}` is read as a variable: for π write its value, 3.141592654"),
                    format!("`{name}` 被当作变量；若要表示 π，请直接写它的值 3.141592654"),
                )),
                n if spelled(n) => {
                    let product = n.chars().map(String::from).collect::<Vec<_>>().join("*");
                    Some(both(
                        format!("`{n}` is read as one name: for a product write {product}"),
                        format!("`{n}` 被当作一个名称；若要表示乘积，请写 {product}"),
                    ))
                }
                _ => None,
            })
            .collect()
    }

    /// Parses and builds a program into a fresh graph.
    pub fn parse(text: &str) -> Result<Function> {
        let program = syntax::parse_program(text).map_err(|e| function_habit(text, e))?;
        if program.statements.is_empty() {
            return Err(Error::new(both(
                "empty input: there is no expression to differentiate",
                "输入为空：没有可求导的表达式",
            ))
            .with_label(both(
                "write an expression such as sigmoid(w*x + b)",
                "请写一个表达式，例如 sigmoid(w*x + b)",
            )));
        }
        let mut graph = Graph::new();
        // About one node per eight bytes of text (`v1*sigmoid(w1_1*x1 + …)` writes one per five).
        graph.reserve(text.len() / 8);
        let mut builder = Builder { graph, symbols: HashMap::new(), spans: Spans::default() };
        let mut intermediates = Vec::new();
        let last = program.statements.len() - 1;
        let mut output = None;
        for (i, statement) in program.statements.iter().enumerate() {
            let mut node = builder.expr(&statement.expr)?;
            match &statement.name {
                Some((name, span)) => {
                    node = builder.define(name, span, node)?;
                    intermediates.push((name.clone(), node));
                }
                None if i != last => {
                    let message = both(
                        "only the last statement can be a bare expression",
                        "只有最后一条语句可以是不带名字的表达式",
                    );
                    return Err(Error::at(message, statement.expr.span.clone())
                        .with_label(both("give it a name (`u = …`) or remove it", "请给它命名（`u = …`）或删去它")));
                }
                None => {}
            }
            output = Some(node);
        }
        let output = output.expect("at least one statement");
        let output_name = match &program.statements[last].name {
            Some((name, _)) => name.clone(),
            None => "f".to_string(),
        };
        let graph = builder.graph;
        let variables = graph.variables().map(|(name, node)| (name.to_string(), node)).collect();
        Ok(Function { graph, output, output_name, variables, intermediates, spans: builder.spans })
    }

    /// What `derive` differentiates with respect to by default: the variables; in a program
    /// without free variables (micrograd's `a = -4; b = 2; …`), its named constants, the leaves
    /// it starts from.
    pub fn default_targets(&self) -> Vec<(String, NodeId)> {
        if !self.variables.is_empty() {
            return self.variables.clone();
        }
        self.intermediates
            .iter()
            .filter(|(_, id)| self.graph.as_const(self.graph.definition(*id)).is_some() && *id != self.output)
            .cloned()
            .collect()
    }

    /// The node of a variable or named intermediate.
    pub fn lookup(&self, name: &str) -> Option<NodeId> {
        self.graph.find_variable(name).or_else(|| self.intermediates.iter().find(|(n, _)| n == name).map(|(_, id)| *id))
    }
}

/// Parses one expression into an existing graph, resolving names against its variables and
/// intermediates (used to read printed output back, and for exercise answers).
pub fn parse_into(graph: &mut Graph, names: &HashMap<String, NodeId>, text: &str) -> Result<NodeId> {
    let expr = syntax::parse_expression(text).map_err(|e| function_habit(text, e))?;
    let mut builder = Builder { graph: std::mem::take(graph), symbols: names.clone(), spans: Spans::default() };
    let result = builder.expr(&expr);
    *graph = builder.graph;
    result
}

/// `sin x`: a function's name followed by its argument without brackets (the syntax layer
/// stops at `x` but cannot know that `sin` is a function).
fn function_habit(text: &str, e: Error) -> Error {
    let Some(span) = e.span.clone() else { return e };
    let before = &text[..span.start.min(text.len())];
    let function = syntax::last_name(before).filter(|f| Func::from_name(f).is_some());
    match (function, syntax::first_name(&text[span.start.min(text.len())..])) {
        (Some(f), Some(x)) if before.ends_with(char::is_whitespace) => e.with_label(both(
            format!("a function's argument goes in brackets: write {f}({x})"),
            format!("函数的参数要写在括号里：请写 {f}({x})"),
        )),
        _ => e,
    }
}

struct Builder {
    graph: Graph,
    symbols: HashMap<String, NodeId>,
    spans: Spans,
}

/// A number literal's value, or an error at it when f64 cannot hold it: too large (1e309), or
/// so small that it would silently become 0 (1e-400).
fn number(text: &str, span: &Span) -> Result<Number> {
    Number::parse_decimal(text).ok_or_else(|| {
        if text.parse::<f64>().is_ok_and(|v| v == 0.0) {
            Error::at(both("number too small", "数字太小"), span.clone()).with_label(both(
                "it would round to 0; positive numbers must be above about 4.9e-324",
                "它会被舍入为 0；正数须大于约 4.9e-324",
            ))
        } else {
            Error::at(both("number too large", "数字太大"), span.clone())
                .with_label(both("numbers must be below about 1.8e308", "数字须小于约 1.8e308"))
        }
    })
}

impl Builder {
    fn define(&mut self, name: &str, span: &Span, node: NodeId) -> Result<NodeId> {
        if Func::from_name(name).is_some() {
            return Err(Error::at(
                both(format!("`{name}` is a function and cannot be assigned"), format!("`{name}` 是函数，不能被赋值")),
                span.clone(),
            ));
        }
        if self.symbols.contains_key(name) {
            return Err(Error::at(
                both(format!("`{name}` is defined twice"), format!("`{name}` 被定义了两次")),
                span.clone(),
            )
            .with_label(both("each name can be assigned once", "每个名称只能赋值一次")));
        }
        // A name the statements before have used as a variable.
        if self.graph.find_variable(name).is_some() {
            let message = both(
                format!("`{name}` is used as a variable before this definition"),
                format!("`{name}` 在这条定义之前已被当作变量使用"),
            );
            return Err(Error::at(message, span.clone()).with_label(both(
                "define a name before the statements that use it",
                "请先定义名称，再在后面的语句中使用",
            )));
        }
        let named = self.graph.define(name, node);
        self.spans.note(named, span);
        self.symbols.insert(name.to_string(), named);
        Ok(named)
    }

    fn note(&mut self, node: NodeId, span: &Span) -> NodeId {
        self.spans.note(node, span);
        node
    }

    fn expr(&mut self, e: &Expr) -> Result<NodeId> {
        let node = match &e.kind {
            ExprKind::Number(text) => {
                let n = number(text, &e.span)?;
                self.graph.constant(n)
            }
            ExprKind::Name(name) => self.name(name, &e.span)?,
            ExprKind::Call { name, name_span, args } => self.call(name, name_span, args, &e.span)?,
            ExprKind::Sum(terms) => {
                let mut nodes = Vec::with_capacity(terms.len());
                for (negative, term) in terms {
                    let t = self.expr(term)?;
                    let grouped = matches!(term.kind, ExprKind::Paren(_));
                    nodes.push(if *negative { self.graph.written_neg(t, grouped) } else { t });
                }
                self.graph.written_sum(nodes)
            }
            ExprKind::Product(factors) => {
                let mut nodes = Vec::with_capacity(factors.len());
                for (divide, factor) in factors {
                    let f = self.expr(factor)?;
                    // `a·−b/2` is one product; only parentheses make a nested one.
                    let unparenthesized_product =
                        !matches!(factor.kind, ExprKind::Paren(_)) && matches!(self.graph.op(f), Op::Mul(_));
                    if unparenthesized_product && !*divide {
                        nodes.extend(self.graph.op(f).inputs().to_vec());
                    } else if *divide {
                        if self.graph.as_const(f).is_some_and(Number::is_zero) {
                            return Err(Error::at(both("division by zero", "除以零"), factor.span.clone())
                                .with_label(both("the divisor is the constant 0", "除数是常数 0")));
                        }
                        nodes.extend(self.graph.written_reciprocal(f));
                    } else {
                        nodes.push(f);
                    }
                }
                self.graph.written_product(nodes)
            }
            ExprKind::Neg(count, body) => {
                let node = self.expr(body)?;
                self.negate(node, *count, matches!(body.kind, ExprKind::Paren(_)))
            }
            ExprKind::Power(base, exponents) => {
                // Build left to right (so variables keep their order of appearance), then fold
                // from the right: `a^b^c` is `a^(b^c)`, and each base keeps its minus signs.
                let base = self.expr(base)?;
                let mut parts = Vec::with_capacity(exponents.len());
                for (negs, e) in exponents {
                    parts.push((*negs, self.expr(e)?));
                }
                let (last_negs, last) = parts.pop().expect("a power has an exponent");
                let mut acc = self.negate(last, last_negs, false);
                while let Some((negs, b)) = parts.pop() {
                    let p = self.power(b, acc, &e.span)?;
                    acc = self.negate(p, negs, false);
                }
                self.power(base, acc, &e.span)?
            }
            ExprKind::Superscript(base, k) => {
                let base = self.expr(base)?;
                let k = number(k, &e.span)?;
                let k = self.graph.constant(k);
                self.power(base, k, &e.span)?
            }
            ExprKind::Paren(inner) => self.expr(inner)?,
            ExprKind::Iverson { lhs, comparison, rhs } => {
                let l = self.expr(lhs)?;
                let r = self.expr(rhs)?;
                let (big, small, strict) = match comparison {
                    Comparison::Greater => (l, r, true),
                    Comparison::GreaterEqual => (l, r, false),
                    Comparison::Less => (r, l, true),
                    Comparison::LessEqual => (r, l, false),
                };
                let arg = if self.graph.as_const(small).is_some_and(Number::is_zero) {
                    big
                } else {
                    let minus_small = self.graph.written_neg(small, matches!(rhs.kind, ExprKind::Paren(_)));
                    self.graph.written_sum(vec![big, minus_small])
                };
                self.graph.intern(Op::Step { arg: [arg], strict })
            }
        };
        Ok(self.note(node, &e.span))
    }

    /// A power as written, rejecting a literal zero to a negative power (a division by zero).
    fn power(&mut self, base: NodeId, exponent: NodeId, span: &Span) -> Result<NodeId> {
        if self.graph.as_const(base).is_some_and(Number::is_zero)
            && self.graph.as_const(exponent).is_some_and(Number::is_negative)
        {
            return Err(Error::at(
                both("zero to a negative power (a division by zero)", "零的负数次幂（即除以零）"),
                span.clone(),
            ));
        }
        Ok(self.graph.written_power(base, exponent))
    }

    fn negate(&mut self, node: NodeId, count: usize, grouped: bool) -> NodeId {
        (0..count).fold(node, |n, _| self.graph.written_neg(n, grouped))
    }

    fn name(&mut self, name: &str, span: &Span) -> Result<NodeId> {
        if let Some(node) = self.symbols.get(name).copied().or_else(|| self.graph.find_variable(name)) {
            return Ok(node);
        }
        // A name met for the first time.
        if Func::from_name(name).is_some() {
            return Err(Error::at(both(format!("`{name}` is a function"), format!("`{name}` 是函数")), span.clone())
                .with_label(both(
                    format!("call it with an argument: {name}(…)"),
                    format!("调用时请给出参数：{name}(…)"),
                )));
        }
        Ok(self.graph.variable(name))
    }

    fn call(&mut self, name: &str, name_span: &Span, args: &[Expr], span: &Span) -> Result<NodeId> {
        let Some(func) = Func::from_name(name) else {
            let list = Func::list();
            let label = match (meaning(name), closest_function(name)) {
                (Some((how, zh)), _) => both(format!("{how}; functions: {list}"), format!("{zh}；可用的函数：{list}")),
                (None, Some(best)) => both(
                    format!("did you mean `{best}`? functions: {list}"),
                    format!("是不是想写 `{best}`？可用的函数：{list}"),
                ),
                (None, None) => both(format!("functions: {list}"), format!("可用的函数：{list}")),
            };
            let message = both(format!("unknown function `{name}`"), format!("未知函数 `{name}`"));
            return Err(Error::at(message, name_span.clone()).with_label(label));
        };
        let arity = func.arity();
        if args.len() != arity {
            let usage = if arity == 2 { format!("{name}(a, b)") } else { format!("{name}(u)") };
            let plural = if arity == 1 { "" } else { "s" };
            let found = args.len();
            let message = both(
                format!("`{name}` takes {arity} argument{plural}, found {found}"),
                format!("`{name}` 需要 {arity} 个参数，却给了 {found} 个"),
            );
            return Err(
                Error::at(message, span.clone()).with_label(both(format!("write {usage}"), format!("请写 {usage}")))
            );
        }
        let mut nodes = Vec::with_capacity(arity);
        for a in args {
            nodes.push(self.expr(a)?);
        }
        Ok(self.graph.intern(Op::Call(func, nodes.into())))
    }
}

/// How to write what a function name from another language means, where the expression
/// language has no such function: by meaning first, since spelling would suggest `log` for
/// `pow` and `sin` for `sum`.
fn meaning(name: &str) -> Option<crate::syntax::errors::Named> {
    Some(match name.to_lowercase().as_str() {
        "pow" | "power" => ("write a^b for a to the power b", "a 的 b 次幂请写 a^b"),
        "square" | "sqr" => ("write x^2 (or x²)", "请写 x^2（或 x²）"),
        "cube" => ("write x^3", "请写 x^3"),
        "sum" | "add" | "plus" => ("write a + b + …", "请写 a + b + …"),
        "mean" | "avg" | "average" => ("write (a + b)/2", "请写 (a + b)/2"),
        "prod" | "product" | "mul" | "times" | "multiply" => ("write a*b", "请写 a*b"),
        "div" | "divide" => ("write a/b", "请写 a/b"),
        "sub" | "minus" | "subtract" => ("write a - b", "请写 a - b"),
        "neg" | "negate" => ("write -x", "请写 -x"),
        "log10" => ("write log(x)/log(10)", "请写 log(x)/log(10)"),
        "log2" => ("write log(x)/log(2)", "请写 log(x)/log(2)"),
        "exp2" => ("write 2^x", "请写 2^x"),
        "tan" => ("write sin(x)/cos(x)", "请写 sin(x)/cos(x)"),
        "logistic" | "expit" => ("the logistic function is sigmoid(x)", "logistic 函数即 sigmoid(x)"),
        "softmax" => {
            ("write exp(z1)/(exp(z1) + exp(z2) + …) for each output", "对每个输出写 exp(z1)/(exp(z1) + exp(z2) + …)")
        }
        "leaky_relu" | "lrelu" | "leakyrelu" => ("write max(0.01*x, x)", "请写 max(0.01*x, x)"),
        "swish" | "silu" => ("write x*sigmoid(x)", "请写 x*sigmoid(x)"),
        "hardtanh" | "clip" | "clamp" => ("write max(-1, min(1, x))", "请写 max(-1, min(1, x))"),
        "mse" => ("write (y_hat - y)^2, or a mean over samples", "请写 (y_hat - y)^2，或对样本求平均"),
        _ => return None,
    })
}

/// The known function name closest to a misspelt one, if any is close.
fn closest_function(name: &str) -> Option<&'static str> {
    Func::ALL
        .iter()
        .flat_map(|f| std::iter::once(f.name()).chain(f.info().aliases.iter().copied()))
        .map(|n| (strsim::damerau_levenshtein(&name.to_lowercase(), n), n))
        .filter(|&(d, n)| d <= 2.max(n.chars().count() / 3))
        .min_by_key(|&(d, _)| d)
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Error {
        Function::parse(text).unwrap_err()
    }

    #[test]
    fn equal_subexpressions_are_one_node() {
        let f = Function::parse("sigmoid(w*x+b) * (1 - sigmoid(w*x+b))").unwrap();
        let Op::Mul(factors) = f.graph.op(f.output) else { panic!() };
        let Op::Add(terms) = f.graph.op(factors[1]) else { panic!() };
        let Op::Mul(neg) = f.graph.op(terms[1]) else { panic!() };
        assert_eq!(neg[1], factors[0]);
    }

    #[test]
    fn named_intermediates_are_nodes_and_variables_are_free_names() {
        let f = Function::parse("z = w*x + b; a = sigmoid(z); L = (a - y)^2/2").unwrap();
        let names: Vec<_> = f.variables.iter().map(|v| v.0.as_str()).collect();
        assert_eq!(names, ["w", "x", "b", "y"]);
        assert_eq!(f.output_name, "L");
        assert_eq!(f.graph.name_of(f.lookup("a").unwrap()), Some("a"));
    }

    #[test]
    fn precedence_and_associativity() {
        let f = Function::parse("-x^2").unwrap();
        assert!(matches!(f.graph.op(f.output), Op::Mul(xs) if xs.len() == 2));
        let f = Function::parse("a^b^c").unwrap();
        let Op::Pow([a, rest]) = f.graph.op(f.output) else { panic!() };
        assert!(matches!(f.graph.op(*a), Op::Var(0)));
        assert!(matches!(f.graph.op(*rest), Op::Pow(_)));
    }

    #[test]
    fn semantic_errors_point_at_the_place() {
        let e = err("sigmod(w*x+b)");
        assert_eq!(e.message, "unknown function `sigmod`");
        assert!(e.label.unwrap().starts_with("did you mean `sigmoid`?"));
        assert_eq!(e.span, Some(0..6));
        assert_eq!(err("max(x)").message, "`max` takes 2 arguments, found 1");
        assert_eq!(err("tanh(x, y)").message, "`tanh` takes 1 argument, found 2");
        assert_eq!(err("a = 1; a = 2").message, "`a` is defined twice");
        assert_eq!(err("y = 2*z; z = 3").message, "`z` is used as a variable before this definition");
        assert_eq!(err("x + 1; y").message, "only the last statement can be a bare expression");
        assert_eq!(err("  # nothing\n").message, "empty input: there is no expression to differentiate");
        assert_eq!(err("2*1e999").span, Some(2..7));
    }
}
