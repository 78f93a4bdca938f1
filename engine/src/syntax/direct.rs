//! The direct reader: plain ASCII programs read in one pass, into the very AST the grammar
//! (grammar/expr.pest) builds, spans included.
//!
//! Why a second reader: pest makes and walks a pair for every rule level — six for each name —
//! and tries `call` before `name`, so reading a 100,000-parameter loss took a third of
//! `derive`'s time. This reader handles what such inputs are made of (names, numbers, calls,
//! `+ − * / ^`, parentheses, assignments, `;` and new lines) and gives up, returning `None`,
//! at anything else — a comment, a `\r`, a superscript, an Iverson bracket, any character
//! outside ASCII, and every error. The grammar then reads the text again: it remains the one
//! definition of the language and the only thing that explains a mistake.
//!
//! Kept honest by `tests::the_direct_reader_agrees_with_the_grammar` (random programs, valid
//! and not: whenever this reader answers, the grammar gives the same AST).

use super::{Expr, ExprKind, Program, Statement};

/// The program, or `None` where the grammar must read it.
pub(super) fn program(text: &str) -> Option<Program> {
    let handled = |b: &u8| b.is_ascii() && !matches!(b, b'#' | b'\r' | b'[');
    if !text.as_bytes().iter().all(handled) {
        return None;
    }
    let mut reader = Reader { text, bytes: text.as_bytes(), at: 0 };
    let mut statements = Vec::new();
    loop {
        reader.skip_separators();
        if reader.at == reader.bytes.len() {
            return Some(Program { statements });
        }
        statements.push(reader.statement()?);
        reader.skip_spaces();
        match reader.peek() {
            None | Some(b';' | b'\n') => {}
            Some(_) => return None,
        }
    }
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// The grammar's WHITESPACE, less what the caller has ruled out (`\r`, U+00A0).
    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    fn skip_separators(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b';' | b'\n')) {
            self.at += 1;
        }
    }

    /// The operator byte from `ops` that comes next, consumed with the spaces after it.
    fn operator(&mut self, ops: &[u8]) -> Option<u8> {
        let op = self.peek().filter(|op| ops.contains(op))?;
        self.at += 1;
        self.skip_spaces();
        Some(op)
    }

    /// `name = expr` (not `name == …`) or an expression.
    fn statement(&mut self) -> Option<Statement> {
        let start = self.at;
        if let Some(end) = self.name_end() {
            let mut next = end;
            while matches!(self.bytes.get(next), Some(b' ' | b'\t')) {
                next += 1;
            }
            if self.bytes.get(next) == Some(&b'=') && self.bytes.get(next + 1) != Some(&b'=') {
                self.at = next + 1;
                self.skip_spaces();
                let expr = self.expr()?;
                return Some(Statement { name: Some((self.text[start..end].to_string(), start..end)), expr });
            }
        }
        Some(Statement { name: None, expr: self.expr()? })
    }

    /// `term (± term)*`: one term is itself, more are a `Sum`.
    fn expr(&mut self) -> Option<Expr> {
        self.chain(*b"+-", Self::term, ExprKind::Sum)
    }

    /// `unary ((* | /) unary)*`: one factor is itself, more are a `Product`.
    fn term(&mut self) -> Option<Expr> {
        self.chain(*b"*/", Self::unary, ExprKind::Product)
    }

    /// Operands joined by the operators `[plain, marked]`, flat as the grammar keeps them: each
    /// operand after the first carries whether the marked one (`−`, `/`) came before it.
    fn chain(
        &mut self,
        [plain, marked]: [u8; 2],
        operand: fn(&mut Self) -> Option<Expr>,
        kind: fn(Vec<(bool, Expr)>) -> ExprKind,
    ) -> Option<Expr> {
        let start = self.at;
        let first = operand(self)?;
        let mut parts = vec![(false, first)];
        while let Some(op) = self.operator(&[plain, marked]) {
            parts.push((op == marked, operand(self)?));
        }
        Some(if parts.len() == 1 {
            parts.pop().expect("one operand").1
        } else {
            Expr { kind: kind(parts), span: start..self.at }
        })
    }

    /// The minus signs in front of something, counted.
    fn minus_signs(&mut self) -> usize {
        let mut count = 0;
        while self.peek() == Some(b'-') {
            self.at += 1;
            self.skip_spaces();
            count += 1;
        }
        count
    }

    fn unary(&mut self) -> Option<Expr> {
        let start = self.at;
        let negs = self.minus_signs();
        let body = self.power()?;
        Some(if negs == 0 { body } else { Expr { kind: ExprKind::Neg(negs, Box::new(body)), span: start..self.at } })
    }

    /// `primary (^ −* primary)*`, flat as the grammar leaves it. The spaces after each primary
    /// belong to it, as in the grammar (`postfix = { primary ~ superscript? }` skips them
    /// looking for a superscript): the spans of sums, products, signs and powers end after them.
    fn power(&mut self) -> Option<Expr> {
        let start = self.at;
        let base = self.primary()?;
        self.skip_spaces();
        let mut exponents = Vec::new();
        while self.operator(b"^").is_some() {
            let negs = self.minus_signs();
            exponents.push((negs, self.primary()?));
            self.skip_spaces();
        }
        Some(if exponents.is_empty() {
            base
        } else {
            Expr { kind: ExprKind::Power(Box::new(base), exponents), span: start..self.at }
        })
    }

    fn primary(&mut self) -> Option<Expr> {
        let start = self.at;
        match self.peek()? {
            b'0'..=b'9' | b'.' => self.number(),
            b'(' => {
                self.at += 1;
                self.skip_spaces();
                let inner_start = self.at;
                let inner = self.expr()?;
                let span = inner_start..self.at;
                self.closing(b')')?;
                // The grammar's pair is the inner `expr`, from its start to the `)`.
                Some(Expr { kind: ExprKind::Paren(Box::new(inner)), span })
            }
            _ => {
                let end = self.name_end()?;
                self.at = end;
                let name = self.text[start..end].to_string();
                let after_name = self.at;
                self.skip_spaces();
                if self.peek() != Some(b'(') {
                    self.at = after_name;
                    return Some(Expr { kind: ExprKind::Name(name), span: start..end });
                }
                self.at += 1;
                self.skip_spaces();
                let mut args = Vec::new();
                if self.peek() != Some(b')') {
                    args.push(self.expr()?);
                    while self.operator(b",").is_some() {
                        args.push(self.expr()?);
                    }
                }
                self.closing(b')')?;
                Some(Expr { kind: ExprKind::Call { name, name_span: start..end, args }, span: start..self.at })
            }
        }
    }

    fn closing(&mut self, bracket: u8) -> Option<()> {
        (self.peek() == Some(bracket)).then(|| self.at += 1)
    }

    /// The end of the name starting here (`[A-Za-z][A-Za-z0-9_]*`), if one does.
    fn name_end(&self) -> Option<usize> {
        if !self.peek()?.is_ascii_alphabetic() {
            return None;
        }
        let rest = &self.bytes[self.at..];
        let length = rest.iter().position(|b| !(b.is_ascii_alphanumeric() || *b == b'_')).unwrap_or(rest.len());
        Some(self.at + length)
    }

    /// `12`, `1.`, `.5`, `2.5e-3`: digits with an optional fraction and exponent.
    fn number(&mut self) -> Option<Expr> {
        let start = self.at;
        let digits = |reader: &mut Self| {
            let from = reader.at;
            while reader.peek().is_some_and(|b| b.is_ascii_digit()) {
                reader.at += 1;
            }
            reader.at - from
        };
        let whole = digits(self);
        if self.peek() == Some(b'.') {
            self.at += 1;
            if digits(self) == 0 && whole == 0 {
                return None;
            }
        } else if whole == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            let mantissa_end = self.at;
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                self.at = mantissa_end;
            }
        }
        Some(Expr { kind: ExprKind::Number(self.text[start..self.at].to_string()), span: start..self.at })
    }
}

#[cfg(test)]
mod tests {
    use super::super::grammar_program;
    use super::*;
    use proptest::prelude::*;

    /// Pieces that programs are made of, right and wrong, so that random strings of them are
    /// often valid and often not.
    const PIECES: [&str; 30] = [
        "x", "w1", "b_2", "sigmoid", "exp", "max", "2", "0.5", ".5", "1.", "3e2", "2E-3", "1e", "+", "-", "*", "/",
        "^", "(", ")", ",", "=", "==", ";", "\n", " ", "  ", "\t", "x1", "é",
    ];

    fn expression(depth: u32) -> BoxedStrategy<String> {
        let leaf = prop_oneof![
            "[a-z][a-z0-9_]{0,3}".prop_map(String::from),
            "[0-9]{1,3}(\\.[0-9]{0,2})?([eE][+-]?[0-9]{1,2})?".prop_map(String::from),
        ];
        if depth == 0 {
            return leaf.boxed();
        }
        let inner = expression(depth - 1);
        let space = || prop_oneof![Just(""), Just(" "), Just("\t"), Just("  ")];
        prop_oneof![
            leaf,
            (
                inner.clone(),
                space(),
                prop_oneof![Just("+"), Just("-"), Just("*"), Just("/"), Just("^")],
                space(),
                inner.clone()
            )
                .prop_map(|(a, s, op, t, b)| format!("{a}{s}{op}{t}{b}")),
            (prop_oneof![Just("-"), Just("- "), Just("--")], inner.clone()).prop_map(|(m, a)| format!("{m}{a}")),
            (space(), inner.clone(), space()).prop_map(|(s, a, t)| format!("({s}{a}{t})")),
            ("[a-z]{1,7}", space(), proptest::collection::vec(inner, 0..3))
                .prop_map(|(f, s, args)| format!("{f}{s}({})", args.join(", "))),
        ]
        .boxed()
    }

    /// Whenever the direct reader answers, the grammar answers the same.
    fn agrees(text: &str) -> Result<bool, TestCaseError> {
        let Some(direct) = program(text) else { return Ok(false) };
        match grammar_program(text) {
            Ok(grammar) => prop_assert_eq!(direct, grammar, "{:?}", text),
            Err(e) => prop_assert!(false, "the direct reader accepted {:?}; the grammar says {}", text, e.message),
        }
        Ok(true)
    }

    proptest! {
        #[test]
        fn the_direct_reader_agrees_with_the_grammar(pieces in proptest::collection::vec(0..PIECES.len(), 1..24)) {
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            agrees(&text)?;
        }

        #[test]
        fn the_direct_reader_reads_well_formed_programs(
            statements in proptest::collection::vec(("([a-z][a-z0-9]{0,2} ?= ?)?", expression(3)), 1..4),
            separator in prop_oneof![Just(";"), Just("\n"), Just(" ; "), Just("\n\n")],
        ) {
            let text = statements.iter().map(|(name, e)| format!("{name}{e}")).collect::<Vec<_>>().join(separator);
            // Every generated program is valid unless a name is a function (`exp = 2`) or a
            // call's name is not one: the AST does not know functions, so both are read.
            if grammar_program(&text).is_ok() {
                prop_assert!(agrees(&text)?, "the direct reader gave up on {:?}", text);
            }
        }
    }

    #[test]
    fn spans_are_the_grammars() {
        for text in ["-x^-2", "( a + b )*c", "f ( x , y )", "L = (a - y)^2/2; z = .5e3 * x", "\n\n x;;y\n"] {
            assert!(agrees(text).unwrap(), "{text:?}");
        }
        for text in ["x # note", "x\r\ny", "[x > 0]", "x²", "σ(x)", "2x", "x +", "f(x", "a == b", "1e+"] {
            assert!(program(text).is_none(), "{text:?}");
        }
    }
}
