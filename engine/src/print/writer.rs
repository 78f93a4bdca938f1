//! The one precedence-aware walker behind both notations: it places exactly the parentheses
//! that reading the text back needs.

use super::names::latex_name;
use super::{Level, Printer, Style};
use crate::format::superscript;
use crate::graph::func::LatexForm;
use crate::graph::number::{Number, finite_decimal};
use crate::graph::{Func, Graph, NodeId, Op};
use std::fmt::Write;

pub(super) struct Writer<'a, 'g> {
    pub(super) printer: &'a Printer<'g>,
    pub(super) style: Style,
    pub(super) out: &'a mut String,
    /// A named node to print as its definition rather than its name.
    pub(super) expand: Option<NodeId>,
}

impl<'g> Writer<'_, 'g> {
    /// The graph, borrowed for as long as the printer (not the writer): operations are read in
    /// place while the writer writes.
    fn graph(&self) -> &'g Graph {
        self.printer.graph
    }

    /// A node's name, in LaTeX through the printer's cache (many formulas name the same nodes).
    fn write_name(&mut self, id: NodeId, name: &str) {
        if self.latex() {
            let mut cache = self.printer.latex_names.borrow_mut();
            self.out.push_str(cache.entry(id).or_insert_with(|| latex_name(name)));
        } else {
            self.out.push_str(name);
        }
    }

    fn latex(&self) -> bool {
        self.style == Style::Latex
    }

    fn minus(&self) -> &'static str {
        if self.latex() { "-" } else { "−" }
    }

    /// The precedence at which a node prints (names are atoms).
    fn level(&self, id: NodeId) -> Level {
        if self.printer.name(id).is_some() && self.expand != Some(id) {
            return Level::Atom;
        }
        self.op_level(id)
    }

    /// The precedence of a node's own operation, whatever its name.
    fn op_level(&self, id: NodeId) -> Level {
        match self.graph().op(id) {
            Op::Const(c) => number_level(*c),
            Op::Var(_) | Op::Call(..) | Op::Step { .. } => Level::Atom,
            // A named intermediate printed as its definition (its name is handled above).
            Op::Let(_, [d]) => self.op_level(*d),
            Op::Pow([_, e]) if self.graph().as_const(*e).is_some_and(Number::is_negative) => {
                if self.latex() {
                    Level::Atom
                } else {
                    Level::Product
                }
            }
            Op::Pow(_) => Level::Power,
            Op::Mul(xs) => {
                let (c, rest) = self.graph().coefficient_and_factors(xs);
                let has_denominator =
                    c.as_ratio().is_some_and(|r| *r.denom() != 1) || rest.iter().any(|&f| self.is_divisor(f));
                if self.latex() && has_denominator && !c.is_negative() && rest.iter().all(|&f| self.is_divisor(f)) {
                    Level::Atom
                } else {
                    Level::Product
                }
            }
            Op::Add(_) => Level::Sum,
        }
    }

    fn is_divisor(&self, f: NodeId) -> bool {
        matches!(self.graph().op(f), Op::Pow([_, e]) if self.graph().as_const(*e).is_some_and(Number::is_negative))
    }

    /// Writes `id`, in parentheses when it binds looser than `at_least`.
    pub(super) fn node(&mut self, id: NodeId, at_least: Level) {
        if self.level(id) < at_least {
            self.out.push('(');
            self.bare(id);
            self.out.push(')');
        } else {
            self.bare(id);
        }
    }

    fn bare(&mut self, id: NodeId) {
        if self.expand != Some(id)
            && let Some(name) = self.printer.name(id)
        {
            self.write_name(id, name);
            return;
        }
        let graph = self.graph();
        match graph.op(id) {
            &Op::Const(c) => self.number(c),
            &Op::Var(i) => self.write_name(id, graph.variable_name(i)),
            Op::Add(terms) => self.sum(terms),
            Op::Mul(factors) => {
                let (c, rest) = graph.coefficient_and_factors(factors);
                self.product(c, rest);
            }
            &Op::Pow([base, exponent]) => {
                if let Some(e) = graph.as_const(exponent).filter(|e| e.is_negative()) {
                    self.fraction(Number::ONE, &[], &[(base, e.negated())]);
                } else {
                    self.power(base, exponent);
                }
            }
            // Printed as its definition (the name is written above): the definition's own
            // operation, even where the definition has a name of its own in this printer.
            &Op::Let(_, [d]) => {
                let saved = self.expand.replace(d);
                self.bare(d);
                self.expand = saved;
            }
            Op::Call(f, args) => self.call(*f, args),
            &Op::Step { arg: [u], strict } => self.step(u, strict),
        }
    }

    fn number(&mut self, c: Number) {
        if c.is_negative() {
            self.out.push_str(self.minus());
            self.number(c.negated());
            return;
        }
        match (self.style, c.as_ratio()) {
            (Style::Latex, Some(r)) if *r.denom() != 1 && finite_decimal(r).is_none() => {
                let _ = write!(self.out, "\\frac{{{}}}{{{}}}", r.numer(), r.denom());
            }
            (Style::Latex, None) => {
                let text = c.to_string();
                match text.split_once('e') {
                    Some((m, e)) => {
                        let _ = write!(self.out, "{m} \\times 10^{{{e}}}");
                    }
                    None => self.out.push_str(&text),
                }
            }
            _ => {
                let _ = write!(self.out, "{c}");
            }
        }
    }

    fn sum(&mut self, terms: &[NodeId]) {
        for (i, &t) in terms.iter().enumerate() {
            let negative = match self.graph().op(t) {
                Op::Const(c) => c.is_negative(),
                Op::Mul(xs) => self.graph().as_const(xs[0]).is_some_and(Number::is_negative),
                _ => false,
            } && self.printer.name(t).is_none();
            if i == 0 {
                self.node(t, Level::Product);
                continue;
            }
            if !negative {
                self.out.push_str(" + ");
                self.node(t, Level::Product);
                continue;
            }
            let _ = write!(self.out, " {} ", self.minus());
            match self.graph().op(t) {
                Op::Const(c) => self.number(c.negated()),
                Op::Mul(xs) => {
                    let (c, rest) = self.graph().coefficient_and_factors(xs);
                    self.product(c.negated(), rest);
                }
                _ => unreachable!("only constants and products are negative terms"),
            }
        }
    }

    /// `coefficient · factors`, with divisors written as a fraction.
    fn product(&mut self, coefficient: Number, factors: &[NodeId]) {
        let divisor = |f: NodeId| match self.graph().op(f) {
            Op::Pow([b, e]) if self.printer.name(f).is_none() => {
                self.graph().as_const(*e).filter(|e| e.is_negative()).map(|e| (*b, e.negated()))
            }
            _ => None,
        };
        // Most products have no divisor: their factors are the numerator as they stand.
        let (numerator, denominator): (std::borrow::Cow<[NodeId]>, Vec<(NodeId, Number)>) =
            if factors.iter().all(|&f| divisor(f).is_none()) {
                (factors.into(), Vec::new())
            } else {
                let (mut numerator, mut denominator) = (Vec::new(), Vec::new());
                for &f in factors {
                    match divisor(f) {
                        Some(d) => denominator.push(d),
                        None => numerator.push(f),
                    }
                }
                (numerator.into(), denominator)
            };
        let split = coefficient.as_ratio().filter(|r| *r.denom() != 1 && finite_decimal(*r).is_none());
        // A fraction times one sum reads as the textbook writes a mean's gradient: 2/3·(a + b).
        if let (Some(r), [sum]) = (split, &*numerator)
            && denominator.is_empty()
            && !self.latex()
            && matches!(self.graph().op(*sum), Op::Add(_))
            && self.printer.name(*sum).is_none()
        {
            if *r.numer() < 0 {
                self.out.push_str(self.minus());
            }
            let _ = write!(self.out, "{}/{}·", r.numer().abs(), r.denom());
            self.node(*sum, Level::Atom);
            return;
        }
        if split.is_some() || !denominator.is_empty() {
            self.fraction(coefficient, &numerator, &denominator);
            return;
        }
        if coefficient.is_negative() {
            self.out.push_str(self.minus());
        }
        let magnitude = if coefficient.is_negative() { coefficient.negated() } else { coefficient };
        let mut first = true;
        if !magnitude.is_one() {
            self.number(magnitude);
            first = false;
        }
        for &f in numerator.iter() {
            if !first {
                self.times(f);
            }
            self.node(f, Level::Power);
            first = false;
        }
        if first {
            self.out.push('1');
        }
    }

    fn times(&mut self, next: NodeId) {
        if !self.latex() {
            self.out.push('·');
        } else if matches!(self.graph().op(next), Op::Const(_)) {
            self.out.push_str(" \\cdot ");
        } else {
            self.out.push(' ');
        }
    }

    /// `−p·num / (q·den)`
    fn fraction(&mut self, coefficient: Number, numerator: &[NodeId], denominator: &[(NodeId, Number)]) {
        let (p, q) = match coefficient.as_ratio() {
            Some(r) => (Number::int(*r.numer()), Number::int(*r.denom())),
            None => (coefficient, Number::ONE),
        };
        if p.is_negative() {
            self.out.push_str(self.minus());
        }
        let p = if p.is_negative() { p.negated() } else { p };
        let latex = self.latex();
        if latex {
            self.out.push_str("\\frac{");
        }
        let num_items = usize::from(!p.is_one()) + numerator.len();
        if num_items == 0 {
            self.out.push('1');
        } else {
            let mut first = true;
            if !p.is_one() {
                self.number(p);
                first = false;
            }
            for &f in numerator {
                if !first {
                    self.times(f);
                }
                self.node(f, Level::Power);
                first = false;
            }
        }
        self.out.push_str(if latex { "}{" } else { "/" });
        let den_items = usize::from(!q.is_one()) + denominator.len();
        let group = !latex
            && (den_items > 1 || (den_items == 1 && q.is_one() && self.denominator_needs_parens(denominator[0])));
        if group {
            self.out.push('(');
        }
        let mut first = true;
        if !q.is_one() {
            self.number(q);
            first = false;
        }
        for &(base, e) in denominator {
            if !first {
                self.times(base);
            }
            first = false;
            if e.is_one() {
                // A lone divisor inside the group's parentheses needs none of its own.
                self.node(base, if group && den_items == 1 { Level::Sum } else { Level::Power });
            } else {
                self.power_with(
                    base,
                    |w| {
                        if !w.latex() && number_level(e) < Level::Power {
                            w.out.push('(');
                            w.number(e);
                            w.out.push(')');
                        } else {
                            w.number(e);
                        }
                    },
                    Some(e),
                );
            }
        }
        if group {
            self.out.push(')');
        }
        if latex {
            self.out.push('}');
        }
    }

    fn denominator_needs_parens(&self, (base, e): (NodeId, Number)) -> bool {
        e.is_one() && self.level(base) < Level::Power
    }

    fn power(&mut self, base: NodeId, exponent: NodeId) {
        let e = self.graph().as_const(exponent);
        self.power_with(base, |w| w.exponent(exponent), e);
    }

    fn power_with(&mut self, base: NodeId, write_exponent: impl FnOnce(&mut Self), constant: Option<Number>) {
        // A power's base is an atom: `(a − y)²`, `(x^a)^b`, `(−2)^x`. In LaTeX, `exp(z)` is
        // written `e^{z}`, which cannot take a second superscript: `\left(e^{z}\right)^{2}`.
        if self.latex() && self.printed_as_exponential(base) {
            self.out.push_str("\\left(");
            self.node(base, Level::Atom);
            self.out.push_str("\\right)");
        } else {
            self.node(base, Level::Atom);
        }
        if self.latex() {
            self.out.push_str("^{");
            write_exponent(self);
            self.out.push('}');
            return;
        }
        match constant.and_then(Number::as_integer) {
            Some(k) if k >= 0 => self.out.push_str(&superscript(k)),
            _ => {
                self.out.push('^');
                write_exponent(self);
            }
        }
    }

    /// Whether the node prints as `e^{…}` in LaTeX (an unnamed `exp` call).
    fn printed_as_exponential(&self, id: NodeId) -> bool {
        if self.printer.name(id).is_some() {
            return false;
        }
        match self.graph().op(id) {
            Op::Call(f, _) => matches!(f.info().latex, LatexForm::Power),
            Op::Let(_, [d]) => self.printed_as_exponential(*d),
            _ => false,
        }
    }

    fn exponent(&mut self, e: NodeId) {
        if self.latex() {
            self.node(e, Level::Sum);
        } else {
            // Right associative: `x^y^z` needs no parentheses, `x^(y·z)` does.
            self.node(e, Level::Power);
        }
    }

    fn call(&mut self, f: Func, args: &[NodeId]) {
        let info = f.info();
        let name = match (self.style, info.latex) {
            (Style::Text, _) => info.printed,
            (Style::Latex, LatexForm::Root) => {
                self.out.push_str("\\sqrt{");
                self.node(args[0], Level::Sum);
                self.out.push('}');
                return;
            }
            (Style::Latex, LatexForm::Bars) => {
                self.out.push_str("\\left|");
                self.node(args[0], Level::Sum);
                self.out.push_str("\\right|");
                return;
            }
            (Style::Latex, LatexForm::Power) => {
                self.out.push_str("e^{");
                self.node(args[0], Level::Sum);
                self.out.push('}');
                return;
            }
            (Style::Latex, LatexForm::Command(command)) => command,
        };
        self.out.push_str(name);
        self.out.push('(');
        for (i, &a) in args.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.node(a, Level::Sum);
        }
        self.out.push(')');
    }

    /// `[a > b]` for Step(a − b), else `[u > 0]`.
    fn step(&mut self, u: NodeId, strict: bool) {
        let relation = match (strict, self.style) {
            (true, _) => " > ",
            (false, Style::Text) => " ≥ ",
            (false, Style::Latex) => " \\geq ",
        };
        self.out.push('[');
        let split = match self.graph().op(u) {
            Op::Add(terms) if terms.len() == 2 && self.printer.name(u).is_none() => match self.graph().op(terms[1]) {
                Op::Mul(xs) => {
                    self.graph().as_const(xs[0]).filter(|c| c.is_negative()).map(|c| (terms[0], c, xs[1..].to_vec()))
                }
                _ => None,
            },
            _ => None,
        };
        match split {
            Some((big, c, rest)) => {
                self.node(big, Level::Product);
                self.out.push_str(relation);
                self.product(c.negated(), &rest);
            }
            None => {
                self.node(u, Level::Sum);
                self.out.push_str(relation);
                self.out.push('0');
            }
        }
        self.out.push(']');
    }
}

fn number_level(c: Number) -> Level {
    if c.is_negative() {
        return Level::Product;
    }
    match c.as_ratio() {
        Some(r) if *r.denom() != 1 && finite_decimal(r).is_none() => Level::Product,
        _ => Level::Atom,
    }
}
