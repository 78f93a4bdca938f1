//! Text → AST with spans, for the expression language (grammar/expr.pest).
//!
//! The AST keeps operator chains flat (`Sum`, `Product`, `Power` hold lists), so its depth
//! grows only with parentheses and calls, whose nesting is checked before pest runs. A chain
//! of powers is flat here but nested in meaning (`a^b^c` is a^(b^c)), and the graph, the
//! derivative and the printer follow that nesting: so each `^` of a chain counts as a level
//! too (`check_power_nesting`), and no input can overflow the stack, natively or in the
//! browser's WebAssembly (whose stack is the JavaScript engine's, about 1 MB).
//!
//! Plain ASCII programs are read by `direct` (one pass, the same AST); pest reads the rest and
//! explains every error.

mod direct;
pub mod errors;
mod nesting;

use crate::error::{Error, Phrase, Result, both};
use crate::host::Host;
use nesting::{check_power_nesting, check_size_and_nesting};
use pest::Parser;
use pest::iterators::Pair;
use std::ops::Range;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/expr.pest"]
struct ExprParser;

pub type Span = Range<usize>;

/// Deepest nesting of parentheses, brackets and calls that the parser accepts.
pub const MAX_NESTING: usize = 256;
/// Largest expression text accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 16 << 20;

#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub statements: Vec<Statement>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// `name = …`, with the span of the name.
    pub name: Option<(String, Span)>,
    pub expr: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Greater,
    GreaterEqual,
    Less,
    LessEqual,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Number(String),
    Name(String),
    Call {
        name: String,
        name_span: Span,
        args: Vec<Expr>,
    },
    /// Terms with their signs (`true` for `−`).
    Sum(Vec<(bool, Expr)>),
    /// Factors, `true` for a divisor.
    Product(Vec<(bool, Expr)>),
    /// `−…−e`: the number of minus signs.
    Neg(usize, Box<Expr>),
    /// `a ^ b ^ c` (right associative); each exponent carries its own leading minus signs.
    Power(Box<Expr>, Vec<(usize, Expr)>),
    /// `x²`, `x⁻¹`: the exponent as an ASCII number (`2`, `-1`), read like any number literal
    /// (so one too large for f64 is the same error as `x^1e999`).
    Superscript(Box<Expr>, String),
    Paren(Box<Expr>),
    Iverson {
        lhs: Box<Expr>,
        comparison: Comparison,
        rhs: Box<Expr>,
    },
}

/// Parses a program: statements separated by `;` or new lines.
pub fn parse_program(text: &str) -> Result<Program> {
    check_size_and_nesting(text)?;
    let program = match direct::program(text) {
        Some(program) => program,
        None => grammar_program(text)?,
    };
    for statement in &program.statements {
        check_power_nesting(&statement.expr, 0)?;
    }
    Ok(program)
}

/// A program read by the grammar: whatever the direct reader leaves, and every error.
fn grammar_program(text: &str) -> Result<Program> {
    let mut pairs = ExprParser::parse(Rule::program, text).map_err(|e| syntax_error(text, e))?;
    let program = pairs.next().expect("the program rule always yields one pair");
    let mut statements = Vec::new();
    for pair in program.into_inner() {
        match pair.as_rule() {
            Rule::assignment => {
                let mut inner = pair.into_inner();
                let name = inner.next().expect("assignment has a name");
                let expr = build_expr(inner.next().expect("assignment has an expression"));
                let span = name.as_span();
                statements.push(Statement { name: Some((name.as_str().to_string(), span.start()..span.end())), expr });
            }
            Rule::expr => statements.push(Statement { name: None, expr: build_expr(pair) }),
            Rule::EOI => {}
            other => unreachable!("unexpected rule {other:?} in program"),
        }
    }
    Ok(Program { statements })
}

/// Parses one expression (an `--at` value, an exercise answer).
pub fn parse_expression(text: &str) -> Result<Expr> {
    check_size_and_nesting(text)?;
    let mut pairs = ExprParser::parse(Rule::expression_only, text).map_err(|e| syntax_error(text, e))?;
    let top = pairs.next().expect("expression_only yields one pair");
    let expr = build_expr(top.into_inner().find(|p| p.as_rule() == Rule::expr).expect("an expression"));
    check_power_nesting(&expr, 0)?;
    Ok(expr)
}

fn span_of(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    s.start()..s.end()
}

fn build_expr(pair: Pair<Rule>) -> Expr {
    debug_assert_eq!(pair.as_rule(), Rule::expr);
    let span = span_of(&pair);
    let mut terms = Vec::new();
    let mut negative = false;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::plus => negative = false,
            Rule::minus => negative = true,
            Rule::term => terms.push((negative, build_term(p))),
            other => unreachable!("unexpected {other:?} in expr"),
        }
    }
    if terms.len() == 1 { terms.pop().expect("one term").1 } else { Expr { kind: ExprKind::Sum(terms), span } }
}

fn build_term(pair: Pair<Rule>) -> Expr {
    let span = span_of(&pair);
    let mut factors = Vec::new();
    let mut divide = false;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::times => divide = false,
            Rule::divide => divide = true,
            Rule::unary => factors.push((divide, build_unary(p))),
            other => unreachable!("unexpected {other:?} in term"),
        }
    }
    if factors.len() == 1 {
        factors.pop().expect("one factor").1
    } else {
        Expr { kind: ExprKind::Product(factors), span }
    }
}

fn build_unary(pair: Pair<Rule>) -> Expr {
    let span = span_of(&pair);
    let mut negs = 0;
    let mut body = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::neg => negs += 1,
            Rule::power => body = Some(build_power(p)),
            other => unreachable!("unexpected {other:?} in unary"),
        }
    }
    let body = body.expect("unary has a power");
    if negs == 0 { body } else { Expr { kind: ExprKind::Neg(negs, Box::new(body)), span } }
}

fn build_power(pair: Pair<Rule>) -> Expr {
    let span = span_of(&pair);
    let mut base = None;
    let mut exponents = Vec::new();
    let mut negs = 0;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::neg => negs += 1,
            Rule::postfix if base.is_none() => base = Some(build_postfix(p)),
            Rule::postfix => {
                exponents.push((negs, build_postfix(p)));
                negs = 0;
            }
            other => unreachable!("unexpected {other:?} in power"),
        }
    }
    let base = base.expect("power has a base");
    if exponents.is_empty() { base } else { Expr { kind: ExprKind::Power(Box::new(base), exponents), span } }
}

fn build_postfix(pair: Pair<Rule>) -> Expr {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let primary = build_primary(inner.next().expect("postfix has a primary"));
    match inner.next() {
        Some(sup) => {
            let value = superscript_value(sup.as_str());
            Expr { kind: ExprKind::Superscript(Box::new(primary), value), span }
        }
        None => primary,
    }
}

fn superscript_value(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '⁻' => '-',
            '⁰' => '0',
            '¹' => '1',
            '²' => '2',
            '³' => '3',
            '⁴'..='⁹' => char::from(b'4' + (c as u32 - '⁴' as u32) as u8),
            _ => unreachable!("superscript rule admits only superscript digits"),
        })
        .collect()
}

fn build_primary(pair: Pair<Rule>) -> Expr {
    let span = span_of(&pair);
    let kind = match pair.as_rule() {
        Rule::number => ExprKind::Number(pair.as_str().to_string()),
        Rule::name => ExprKind::Name(pair.as_str().to_string()),
        Rule::call => {
            let mut inner = pair.into_inner();
            let name = inner.next().expect("call has a name");
            let name_span = span_of(&name);
            ExprKind::Call { name: name.as_str().to_string(), name_span, args: inner.map(build_expr).collect() }
        }
        Rule::iverson => {
            let mut inner = pair.into_inner();
            let lhs = build_expr(inner.next().expect("lhs"));
            let comparison = match inner.next().expect("comparison").as_str() {
                ">" => Comparison::Greater,
                ">=" | "≥" => Comparison::GreaterEqual,
                "<" => Comparison::Less,
                _ => Comparison::LessEqual,
            };
            let rhs = build_expr(inner.next().expect("rhs"));
            ExprKind::Iverson { lhs: Box::new(lhs), comparison, rhs: Box::new(rhs) }
        }
        Rule::expr => ExprKind::Paren(Box::new(build_expr(pair))),
        other => unreachable!("unexpected {other:?} as primary"),
    };
    Expr { kind, span }
}

/// Pest's error in plain words (`errors::plain`), with the expression grammar's words.
fn syntax_error(text: &str, error: pest::error::Error<Rule>) -> Error {
    let words = errors::Words { rule: &rule_word, end: ("input", "输入"), more: &open_bracket, foreign: &is_foreign };
    let plain = errors::plain(text, &error, &words);
    match (plain.span.clone(), plain.label.is_none()) {
        (Some(span), true) => match habit(&text[..span.start], &text[span.start..]) {
            Some(hint) => plain.with_label(hint),
            None => plain,
        },
        _ => plain,
    }
}

/// What other notations write that this one does not, found where the parser stopped.
fn habit(before: &str, after: &str) -> Option<Phrase> {
    let last = before.chars().last();
    let next = after.chars().next();
    let word_before = last_name(before);
    if last == Some('*') && next == Some('*') {
        return Some(both("`**` is written `^` here: x^2", "这里的乘方写作 `^`：x^2"));
    }
    if last.is_some_and(|c| c.is_ascii_digit() || c == '.') && next.is_some_and(char::is_alphabetic) {
        return Some(both(
            "a number and a name side by side are not multiplied: write 2*x",
            "数字和名称并排不表示相乘：请写 2*x",
        ));
    }
    if last == Some(')') && next == Some('(') {
        return Some(both(
            "brackets side by side are not multiplied: write (a)*(b)",
            "括号并排不表示相乘：请写 (a)*(b)",
        ));
    }
    if next == Some('|') {
        return Some(both("write abs(x) for |x|", "|x| 请写作 abs(x)"));
    }
    if let (Some(module), Some('.')) = (word_before, next)
        && let Some(function) = first_name(&after[1..])
    {
        return Some(both(
            format!("drop `{module}.`: functions are written without a module, {function}(…)"),
            format!("去掉 `{module}.`：函数直接写名字，如 {function}(…)"),
        ));
    }
    // `w x`, `sin x`: names side by side (the graph layer knows which names are functions).
    if let Some(first) = word_before.filter(|_| before.ends_with(char::is_whitespace))
        && let Some(second) = first_name(after)
    {
        return Some(both(
            format!("names side by side are not multiplied: write {first}*{second}"),
            format!("名称并排不表示相乘：请写 {first}*{second}"),
        ));
    }
    None
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The name that starts `text`, if any.
pub fn first_name(text: &str) -> Option<&str> {
    let name = &text[..text.len() - text.trim_start_matches(is_name_char).len()];
    name.chars().next().filter(|c| c.is_alphabetic() || *c == '_').map(|_| name)
}

/// The name that ends `text` (spaces after it allowed), if any.
pub fn last_name(text: &str) -> Option<&str> {
    let t = text.trim_end();
    let start = t.trim_end_matches(is_name_char).len();
    let name = &t[start..];
    name.chars().next().filter(|c| c.is_alphabetic() || *c == '_').map(|_| name)
}

/// What each rule of the expression grammar stands for in a message.
fn rule_word(rule: Rule) -> Option<errors::Named> {
    Some(match rule {
        Rule::plus | Rule::minus | Rule::times | Rule::divide | Rule::superscript => ("an operator", "运算符"),
        Rule::comparison => ("a comparison (`>`, `<`, `≥` or `≤`)", "比较符号（`>`、`<`、`≥` 或 `≤`）"),
        Rule::EOI => ("the end of the input", "输入结尾"),
        Rule::assignment => ("a statement", "语句"),
        Rule::program
        | Rule::expression_only
        | Rule::expr
        | Rule::term
        | Rule::unary
        | Rule::power
        | Rule::postfix
        | Rule::call
        | Rule::iverson
        | Rule::number
        | Rule::name
        | Rule::neg => ("a number, a name or `(`", "数字、名称或 `(`"),
        // Silent rules never reach an error.
        Rule::WHITESPACE
        | Rule::COMMENT
        | Rule::separator
        | Rule::statement
        | Rule::add_op
        | Rule::mul_op
        | Rule::pow_op
        | Rule::primary
        | Rule::name_start => return None,
    })
}

/// Which bracket is still open, where an operator could come: pest reports only rules, not
/// the literal tokens that would close it.
fn open_bracket(before: &str, expected: &[errors::Named]) -> Vec<errors::Named> {
    if !expected.iter().any(|w| w.0 == "an operator") {
        return Vec::new();
    }
    match innermost_open_bracket(before) {
        Some('(') => vec![("`,`", "`,`"), ("`)`", "`)`")],
        Some('[') => vec![("`]`", "`]`")],
        _ => Vec::new(),
    }
}

fn innermost_open_bracket(before: &str) -> Option<char> {
    let mut stack = Vec::new();
    for c in before.chars() {
        match c {
            '(' | '[' => stack.push(c),
            ')' | ']' => {
                stack.pop();
            }
            '\n' | ';' if stack.is_empty() => {}
            _ => {}
        }
    }
    stack.pop()
}

/// Characters that have no meaning anywhere in the language.
fn is_foreign(c: char) -> bool {
    !(c.is_alphanumeric() || c.is_whitespace() || "+-−*·×⋅/÷^()[],;=<>≥≤.#_⁰¹²³⁴⁵⁶⁷⁸⁹⁻₀₁₂₃₄₅₆₇₈₉".contains(c))
}

/// The text of a file a command names, read through the host: an unreadable file, one over
/// `MAX_INPUT_BYTES` or one that is not UTF-8 is an error (the last at the invalid byte's line
/// and column).
pub fn read_text(host: &dyn Host, path: &str, name: &str) -> Result<String> {
    let bytes = host
        .read(path)
        .map_err(|e| Error::new(both(format!("cannot read `{name}`: {e}"), format!("无法读取 `{name}`：{e}"))))?;
    decode(bytes, name)
}

/// Bytes as UTF-8 text, or an error at the first byte that is not.
pub fn decode(bytes: Vec<u8>, name: &str) -> Result<String> {
    if bytes.len() > MAX_INPUT_BYTES {
        let mib = MAX_INPUT_BYTES >> 20;
        return Err(Error::new(both(
            format!("cannot read `{name}`: it is larger than {mib} MiB"),
            format!("无法读取 `{name}`：文件超过 {mib} MiB"),
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let byte = e.as_bytes()[at];
        // Shown with the invalid bytes replaced: the text before the first one is unchanged.
        let shown = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let message = both(
            format!("`{name}` is not UTF-8 text: byte 0x{byte:02X} cannot start a character here"),
            format!("`{name}` 不是 UTF-8 文本：字节 0x{byte:02X} 不能在此处开始一个字符"),
        );
        Error::at(message, at..at + 3)
            .with_label(both("save the file as UTF-8", "请把文件存为 UTF-8 编码"))
            .in_source(name, &shown)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_at(text: &str) -> (String, usize) {
        let e = parse_program(text).unwrap_err();
        (e.message, e.span.unwrap().start)
    }

    #[test]
    fn operators_and_chains_stay_flat() {
        let p = parse_program("a - b + c*d/e").unwrap();
        let ExprKind::Sum(terms) = &p.statements[0].expr.kind else { panic!() };
        assert_eq!(terms.iter().map(|t| t.0).collect::<Vec<_>>(), [false, true, false]);
        assert!(matches!(terms[2].1.kind, ExprKind::Product(ref f) if f.len() == 3 && f[2].0));
    }

    #[test]
    fn statements_split_on_semicolons_and_newlines() {
        let p = parse_program("z = w*x + b; a = sigmoid(z)\n# comment\nL = (a - y)^2/2\n").unwrap();
        let names: Vec<_> = p.statements.iter().map(|s| s.name.as_ref().unwrap().0.as_str()).collect();
        assert_eq!(names, ["z", "a", "L"]);
    }

    #[test]
    fn syntax_errors_speak_plainly() {
        assert_eq!(error_at("sigmoid(w*x+b"), ("unexpected end of input; expected an operator, `,` or `)`".into(), 13));
        assert_eq!(error_at("x + * y"), ("unexpected `*`; expected a number, a name or `(`".into(), 4));
        assert_eq!(error_at("x $ y"), ("unexpected character `$`".into(), 2));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
        let (message, at) = error_at(&text);
        assert!(message.contains("nest too deeply"), "{message}");
        assert_eq!(at, MAX_NESTING);
    }

    #[test]
    fn power_chains_nest_as_they_mean() {
        // 256 levels of powers are read (flat in the AST); the 257th exponent is the error,
        // with the levels of the parentheses around the chain counted too.
        let text = vec!["x"; MAX_NESTING + 1].join("^");
        let p = parse_program(&text).unwrap();
        assert!(matches!(&p.statements[0].expr.kind, ExprKind::Power(_, e) if e.len() == MAX_NESTING));
        let (message, at) = error_at(&format!("{text}^y"));
        assert!(message.contains("powers nest too deeply"), "{message}");
        assert_eq!(at, text.len() + 1);
        let inside = format!("(({}))", vec!["x"; MAX_NESTING].join("^"));
        assert_eq!(error_at(&inside).1, 2 + 2 * (MAX_NESTING - 1));
        assert!(parse_expression(&vec!["y"; 50_000].join("^")).is_err());
    }
}
