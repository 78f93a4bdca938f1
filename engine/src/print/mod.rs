//! Printing a graph as Unicode text or LaTeX.
//!
//! One walker serves both styles, so they place parentheses alike. The text form uses as few
//! parentheses as parsing back to the *same node* allows: `parse(print(e)) == e`.
//!
//! Named intermediates print as their names. `Printer::share` gives large subexpressions that
//! several printed formulas use a number (`t₁ = …`), so output grows linearly with the graph.

pub use crate::format::{subscript, superscript};
use crate::graph::func::LatexForm;
use crate::graph::number::{Number, finite_decimal};
use crate::graph::{Func, Graph, NodeId, Op};
use std::collections::HashMap;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Text,
    Latex,
}

/// Precedence levels, loosest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Sum,
    Product,
    Power,
    Atom,
}

/// A subexpression gets a number (`t₁`) when printing it once saves this much:
/// (size − 1)·(uses − 1) ≥ SHARE_SAVING, with size in operations and names. `σ(w·x + b)`
/// used six times stays inline; a hidden layer's sum used by every partial does not.
/// Anything smaller is at most SHARE_SAVING + 1 long per use, so output stays linear.
const SHARE_SAVING: usize = 40;
/// Never number anything smaller than this.
const SHARE_MIN_SIZE: usize = 8;

pub struct Printer<'g> {
    graph: &'g Graph,
    names: HashMap<NodeId, String>,
}

impl<'g> Printer<'g> {
    pub fn new(graph: &'g Graph) -> Printer<'g> {
        Printer { graph, names: HashMap::new() }
    }

    /// Extra names to print instead of expressions (let-names `u₁`, the output's name).
    pub fn add_names(&mut self, names: &HashMap<NodeId, String>) {
        for (id, name) in names {
            self.names.entry(*id).or_insert_with(|| name.clone());
        }
    }

    fn name(&self, id: NodeId) -> Option<&str> {
        self.names.get(&id).map(String::as_str).or_else(|| self.graph.name_of(id))
    }

    /// Numbers the large subexpressions that `roots` share, and returns them in an order in
    /// which each definition only uses earlier ones.
    pub fn share(&mut self, roots: &[NodeId]) -> Vec<(String, NodeId)> {
        let order = self.printed_order(roots);
        let mut uses: HashMap<NodeId, usize> = HashMap::new();
        for &r in roots {
            *uses.entry(r).or_default() += 1;
        }
        for &id in &order {
            if !self.graph.is_named(id) {
                for &c in self.graph.inputs(id) {
                    *uses.entry(c).or_default() += 1;
                }
            }
        }
        let taken: std::collections::HashSet<&str> = self.graph.variable_names().iter().map(String::as_str).collect();
        let mut size: HashMap<NodeId, usize> = HashMap::new();
        let mut shared = Vec::new();
        let mut counter = 0;
        for &id in &order {
            let own = if self.graph.is_named(id) || self.graph.inputs(id).is_empty() {
                1
            } else {
                1 + self.graph.inputs(id).iter().map(|c| size[c]).sum::<usize>()
            };
            let count = uses.get(&id).copied().unwrap_or(0);
            let worth_naming = own >= SHARE_MIN_SIZE
                && count >= 2
                && (own - 1) * (count - 1) >= SHARE_SAVING
                && !self.graph.is_named(id);
            if worth_naming {
                let name = loop {
                    counter += 1;
                    let candidate = format!("t{}", subscript(counter));
                    if !taken.contains(&candidate.as_str()) {
                        break candidate;
                    }
                };
                self.names.insert(id, name.clone());
                shared.push((name, id));
                size.insert(id, 1);
            } else {
                size.insert(id, own);
            }
        }
        shared
    }

    /// Post-order of the nodes printed for `roots`, not descending into named nodes.
    fn printed_order(&self, roots: &[NodeId]) -> Vec<NodeId> {
        let is_root: std::collections::HashSet<NodeId> = roots.iter().copied().collect();
        let mut seen = std::collections::HashSet::new();
        let mut order = Vec::new();
        let mut stack: Vec<(NodeId, bool)> = roots.iter().rev().map(|&r| (r, false)).collect();
        while let Some((id, done)) = stack.pop() {
            if done {
                order.push(id);
                continue;
            }
            if !seen.insert(id) {
                continue;
            }
            stack.push((id, true));
            if !self.graph.is_named(id) || is_root.contains(&id) {
                for &c in self.graph.inputs(id).iter().rev() {
                    stack.push((c, false));
                }
            }
        }
        order
    }

    /// The expression, using names for named nodes (the root included).
    pub fn text(&self, id: NodeId) -> String {
        self.render(id, Style::Text, false)
    }

    pub fn latex(&self, id: NodeId) -> String {
        self.render(id, Style::Latex, false)
    }

    /// The definition of a named node: its expression, not its name.
    pub fn definition(&self, id: NodeId, style: Style) -> String {
        self.render(id, style, true)
    }

    fn render(&self, id: NodeId, style: Style, expand_root: bool) -> String {
        let mut out = String::new();
        Writer { printer: self, style, out: &mut out, expand: expand_root.then_some(id) }.node(id, Level::Sum);
        out
    }
}

struct Writer<'a, 'g> {
    printer: &'a Printer<'g>,
    style: Style,
    out: &'a mut String,
    /// A named node to print as its definition rather than its name.
    expand: Option<NodeId>,
}

impl Writer<'_, '_> {
    fn graph(&self) -> &Graph {
        self.printer.graph
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
                let (c, rest) = self.graph().split_coefficient(xs);
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
    fn node(&mut self, id: NodeId, at_least: Level) {
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
            let name = if self.latex() { latex_name(name) } else { name.to_string() };
            self.out.push_str(&name);
            return;
        }
        let op = self.graph().op(id).clone();
        match op {
            Op::Const(c) => self.number(c),
            Op::Var(i) => {
                let name = self.graph().variable_name(i).to_string();
                let name = if self.latex() { latex_name(&name) } else { name };
                self.out.push_str(&name);
            }
            Op::Add(terms) => self.sum(&terms),
            Op::Mul(factors) => {
                let (c, rest) = self.graph().split_coefficient(&factors);
                self.product(c, &rest);
            }
            Op::Pow([base, exponent]) => {
                if let Some(e) = self.graph().as_const(exponent).filter(|e| e.is_negative()) {
                    self.fraction(Number::ONE, &[], &[(base, e.negated())]);
                } else {
                    self.power(base, exponent);
                }
            }
            // Printed as its definition (the name is written above): the definition's own
            // operation, even where the definition has a name of its own in this printer.
            Op::Let(_, [d]) => {
                let saved = self.expand.replace(d);
                self.bare(d);
                self.expand = saved;
            }
            Op::Call(f, args) => self.call(f, &args),
            Op::Step { arg: [u], strict } => self.step(u, strict),
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
            match self.graph().op(t).clone() {
                Op::Const(c) => self.number(c.negated()),
                Op::Mul(xs) => {
                    let (c, rest) = self.graph().split_coefficient(&xs);
                    self.product(c.negated(), &rest);
                }
                _ => unreachable!("only constants and products are negative terms"),
            }
        }
    }

    /// `coefficient · factors`, with divisors written as a fraction.
    fn product(&mut self, coefficient: Number, factors: &[NodeId]) {
        let mut numerator = Vec::new();
        let mut denominator = Vec::new();
        for &f in factors {
            match self.graph().op(f) {
                Op::Pow([b, e]) if self.printer.name(f).is_none() => match self.graph().as_const(*e) {
                    Some(e) if e.is_negative() => denominator.push((*b, e.negated())),
                    _ => numerator.push(f),
                },
                _ => numerator.push(f),
            }
        }
        let split = coefficient.as_ratio().filter(|r| *r.denom() != 1 && finite_decimal(*r).is_none());
        // A fraction times one sum reads as the textbook writes a mean's gradient: 2/3·(a + b).
        if let (Some(r), [sum]) = (split, numerator.as_slice())
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
        for &f in &numerator {
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
        // A power's base is an atom: `(a − y)²`, `(x^a)^b`, `(−2)^x`.
        self.node(base, Level::Atom);
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

/// A name in LaTeX: `w1` → `w_{1}`, `x_0` → `x_{0}`, `θ` → `\theta`, `t₁` → `t_{1}`,
/// `lambda` → `\lambda`, `loss` → `\mathrm{loss}`.
pub fn latex_name(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| match c {
            '₀'..='₉' => char::from(b'0' + (c as u32 - '₀' as u32) as u8),
            other => other,
        })
        .collect();
    let (stem, sub) = match plain.split_once('_') {
        Some((s, sub)) => (s.to_string(), Some(sub.to_string())),
        None => {
            let digits_at = plain.find(|c: char| c.is_ascii_digit());
            match digits_at {
                Some(i) if i > 0 && plain[i..].chars().all(|c| c.is_ascii_digit()) => {
                    (plain[..i].to_string(), Some(plain[i..].to_string()))
                }
                _ => (plain, None),
            }
        }
    };
    let stem = greek(&stem)
        .map(String::from)
        .unwrap_or_else(|| if stem.chars().count() > 1 { format!("\\mathrm{{{stem}}}") } else { stem.clone() });
    match sub {
        Some(sub) => format!("{stem}_{{{sub}}}"),
        None => stem,
    }
}

fn greek(name: &str) -> Option<&'static str> {
    const TABLE: [(&str, char, &str); 24] = [
        ("alpha", 'α', "\\alpha"),
        ("beta", 'β', "\\beta"),
        ("gamma", 'γ', "\\gamma"),
        ("delta", 'δ', "\\delta"),
        ("epsilon", 'ε', "\\epsilon"),
        ("zeta", 'ζ', "\\zeta"),
        ("eta", 'η', "\\eta"),
        ("theta", 'θ', "\\theta"),
        ("iota", 'ι', "\\iota"),
        ("kappa", 'κ', "\\kappa"),
        ("lambda", 'λ', "\\lambda"),
        ("mu", 'μ', "\\mu"),
        ("nu", 'ν', "\\nu"),
        ("xi", 'ξ', "\\xi"),
        ("omicron", 'ο', "o"),
        ("pi", 'π', "\\pi"),
        ("rho", 'ρ', "\\rho"),
        ("sigma", 'σ', "\\sigma"),
        ("tau", 'τ', "\\tau"),
        ("upsilon", 'υ', "\\upsilon"),
        ("phi", 'φ', "\\phi"),
        ("chi", 'χ', "\\chi"),
        ("psi", 'ψ', "\\psi"),
        ("omega", 'ω', "\\omega"),
    ];
    TABLE.iter().find(|(word, letter, _)| *word == name || name.chars().eq(std::iter::once(*letter))).map(|t| t.2)
}
