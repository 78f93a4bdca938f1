//! The nesting limit, checked before anything recurses: parentheses, brackets and calls in the
//! text (before pest runs), and each `^` of a power chain in the AST (`a^b^c` is a^(b^c)).

use super::{Expr, ExprKind, MAX_INPUT_BYTES, MAX_NESTING};
use crate::error::{Error, Phrase, Result, both};

fn flatten() -> Phrase {
    both("name an inner part (`u = …`) to flatten the expression", "给内层的一部分起个名字（`u = …`），以减少嵌套层数")
}

/// Rejects oversized input and nesting deeper than `MAX_NESTING` before pest recurses into it.
pub(super) fn check_size_and_nesting(text: &str) -> Result<()> {
    if text.len() > MAX_INPUT_BYTES {
        let (bytes, mib) = (text.len(), MAX_INPUT_BYTES >> 20);
        return Err(Error::new(both(
            format!("input too large: {bytes} bytes (at most {mib} MiB)"),
            format!("输入过大：{bytes} 字节（至多 {mib} MiB）"),
        )));
    }
    let mut depth = 0usize;
    let mut in_comment = false;
    for (i, c) in text.char_indices() {
        match c {
            '#' => in_comment = true,
            '\n' => in_comment = false,
            '(' | '[' if !in_comment => {
                depth += 1;
                if depth > MAX_NESTING {
                    let message = both(
                        format!("parentheses nest too deeply (more than {MAX_NESTING} levels)"),
                        format!("括号嵌套过深（超过 {MAX_NESTING} 层）"),
                    );
                    return Err(Error::at(message, i..i + 1).with_label(flatten()));
                }
            }
            ')' | ']' if !in_comment => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Rejects an expression nested deeper than `MAX_NESTING` levels, counting what the lexical
/// check counts (parentheses, brackets, calls) and, in a chain `a^b^c^…`, one more level per
/// exponent. `outer` is the levels around `expr`. Recurses only as deep as the levels it
/// allows, since chains of terms and factors are lists.
pub(super) fn check_power_nesting(expr: &Expr, outer: usize) -> Result<()> {
    match &expr.kind {
        ExprKind::Number(_) | ExprKind::Name(_) => Ok(()),
        ExprKind::Call { args, .. } => args.iter().try_for_each(|a| check_power_nesting(a, outer + 1)),
        ExprKind::Sum(items) | ExprKind::Product(items) => {
            items.iter().try_for_each(|(_, e)| check_power_nesting(e, outer))
        }
        ExprKind::Neg(_, inner) | ExprKind::Superscript(inner, _) => check_power_nesting(inner, outer),
        ExprKind::Paren(inner) => check_power_nesting(inner, outer + 1),
        ExprKind::Iverson { lhs, rhs, .. } => {
            check_power_nesting(lhs, outer + 1)?;
            check_power_nesting(rhs, outer + 1)
        }
        ExprKind::Power(base, exponents) => {
            check_power_nesting(base, outer)?;
            for (i, (_, exponent)) in exponents.iter().enumerate() {
                let level = outer + i + 1;
                if level > MAX_NESTING {
                    let message = both(
                        format!(
                            "powers nest too deeply (more than {MAX_NESTING} levels): a^b^c is a^(b^c), so each ^ of a chain nests"
                        ),
                        format!(
                            "乘方嵌套过深（超过 {MAX_NESTING} 层）：a^b^c 即 a^(b^c)，乘方链中的每个 ^ 都多嵌套一层"
                        ),
                    );
                    let at = exponent.span.start;
                    return Err(Error::at(message, at..at + 1).with_label(flatten()));
                }
                check_power_nesting(exponent, level)?;
            }
            Ok(())
        }
    }
}
