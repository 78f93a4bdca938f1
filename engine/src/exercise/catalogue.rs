//! The catalogue: which mistakes could change a quantity, each told in the student's words.
//!
//! Only mistakes on a path between the root and the asked-for node can change a derivative
//! (and only those inside a value's own computation can change a value), so only those are
//! tried; a budget keeps the work linear in the graph for any one check.

use super::mistakes::{Everywhere, Mistake, Problem, Quantity};
use crate::format::{format_number, superscript};
use crate::graph::number::Number;
use crate::graph::{Func, NodeId, Op};
use crate::numeric;

/// A mistake with its value at the point, told in the student's words.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub mistake: Mistake,
    /// Among equally close candidates, the lowest wins (the likelier story).
    pub priority: u8,
    pub name: String,
    pub explanation: String,
    pub value: f64,
}

/// Most node visits the replays of one check may cost.
const WORK_BUDGET: usize = 4_000_000;

impl Problem<'_> {
    /// Every catalogued mistake that could change `quantity`, with its value at the point.
    pub fn candidates(&self, quantity: Quantity) -> Vec<Candidate> {
        let mut out = Vec::new();
        let graph = self.graph;
        let label = self.label;
        let root = self.output;
        let target = quantity.node();
        let order = graph.topological_order(&[root]);
        let mut budget = WORK_BUDGET / order.len().max(1);
        let mut push = |mistake: Mistake, priority: u8, name: String, explanation: String| {
            if budget == 0 {
                return;
            }
            budget -= 1;
            if let Some(value) = self.replay(quantity, &self.given, Some(mistake), None) {
                out.push(Candidate { mistake, priority, name, explanation, value });
            }
        };
        push(Mistake::Sign, 1, "sign flip".into(), "the sign is flipped".into());
        if let Quantity::Update { lr, .. } = quantity {
            push(
                Mistake::NoLearningRate,
                1,
                "forgot the learning rate".into(),
                format!("the update is w − α·∂E/∂w: the learning rate α = {lr} is missing"),
            );
            push(
                Mistake::UpTheGradient,
                1,
                "moved up the gradient".into(),
                "gradient descent subtracts α·∂E/∂w".into(),
            );
        }
        if let Quantity::Value(node) = quantity {
            // A value goes wrong inside its own computation.
            for id in graph.topological_order(&[node]) {
                match graph.op(id) {
                    Op::Call(f, args) if args.len() == 1 && id != node => {
                        let (a, z) = (label(id), label(args[0]));
                        push(
                            Mistake::PreActivation(id),
                            2,
                            format!("used {z} where {a} was needed"),
                            format!("the value of {z} was used where {a} = {}({z}) was needed", f.name()),
                        );
                    }
                    Op::Mul(xs) if xs.len() >= 2 && graph.as_const(xs[0]).is_some_and(|c| c.to_f64().abs() != 1.0) => {
                        let c = pretty(graph.as_const(xs[0]).expect("a coefficient"));
                        push(
                            Mistake::DropCoefficientForward(id),
                            3,
                            format!("dropped constant factor {c}"),
                            format!("the constant factor {c} of {} is missing", label(id)),
                        );
                    }
                    _ => {}
                }
            }
            return out;
        }
        let depends = graph.depends_on(&order, &[target]);
        let on_path: Vec<NodeId> = order.iter().copied().filter(|n| depends[n.index()] && *n != target).collect();
        // How many edges from the path lead into each node: more than one is a fan-out.
        let mut fan_in_cone = vec![0usize; graph.len()];
        for &u in &on_path {
            for i in graph.inputs(u) {
                if depends[i.index()] {
                    fan_in_cone[i.index()] += 1;
                }
            }
        }
        // z used where a = f(z) was needed, in the step that uses a (BP4: ∂E/∂W = δ·z).
        let mut activations: Vec<NodeId> = Vec::new();
        for &user in &on_path {
            for &input in graph.inputs(user) {
                let act = graph.definition(input);
                if let Op::Call(f, args) = graph.op(act)
                    && args.len() == 1
                    && !activations.contains(&act)
                    && act != target
                    && !on_path.contains(&act)
                {
                    activations.push(act);
                    let (a, z) = (label(act), label(args[0]));
                    let story = format!("the chain factor that needs {a} = {}({z}) was computed with {z}", f.name());
                    push(Mistake::PreActivationLocal(act), 2, format!("used {z} where {a} was needed"), story);
                }
            }
        }
        let mut exponents: Vec<(Number, usize)> = Vec::new();
        let mut coefficients: Vec<(Number, usize)> = Vec::new();
        for &user in on_path.iter().rev() {
            let op = graph.op(user);
            let inputs = graph.inputs(user);
            for (k, input) in inputs.iter().enumerate() {
                if !depends[input.index()] || fan_in_cone[input.index()] < 2 || graph.is_named(user) {
                    continue;
                }
                let x = label(*input);
                let repeated = inputs.iter().filter(|i| *i == input).count();
                let explanation = if repeated > 1 {
                    format!(
                        "{x} appears {repeated} times in {}: the product rule gives a term for each, and one is missing",
                        label(user)
                    )
                } else if user == root || graph.let_of(user) == Some(root) {
                    format!(
                        "{x} also enters {} directly, and that path is missing from the sum over paths",
                        label(root)
                    )
                } else {
                    let users: Vec<String> = on_path
                        .iter()
                        .filter(|u| graph.inputs(**u).contains(input) && !graph.is_named(**u))
                        .map(|&u| label(u))
                        .collect();
                    format!(
                        "{x} feeds {}; the path through {} is missing from the sum over paths",
                        users.join(" and "),
                        label(user)
                    )
                };
                push(Mistake::ForgetPath(user, k), 2, format!("forgotten path through {}", label(user)), explanation);
            }
            match op {
                Op::Call(f, args) if args.len() == 1 => self.function(&mut push, user, *f, args[0]),
                Op::Mul(xs) if graph.as_const(xs[0]).is_some() => {
                    let c = graph.as_const(xs[0]).expect("a coefficient");
                    if c.to_f64().abs() != 1.0 {
                        count(&mut coefficients, c);
                        let shown = pretty(magnitude(c));
                        for k in (1..xs.len()).filter(|k| depends[xs[*k].index()]) {
                            push(
                                Mistake::Scale(user, k, 1.0 / c.to_f64().abs()),
                                3,
                                format!("dropped constant factor {shown}"),
                                format!("the constant factor {shown} of {} is missing", label(user)),
                            );
                        }
                    }
                }
                Op::Pow([b, e])
                    if depends[b.index()] && graph.as_const(*e).is_some_and(|n| !n.is_one() && !n.is_zero()) =>
                {
                    let n = graph.as_const(*e).expect("a constant exponent");
                    count(&mut exponents, n);
                    let base = factor(&label(*b));
                    push(
                        Mistake::Scale(user, 0, 1.0 / n.to_f64()),
                        3,
                        format!("dropped constant factor {}", pretty(n)),
                        format!(
                            "the power rule gives {}·{base}{}: the factor {} is missing",
                            pretty(n),
                            exponent_minus_one(n),
                            pretty(n)
                        ),
                    );
                }
                _ => {}
            }
            if let Op::Mul(_) | Op::Pow(_) = op {
                for (k, input) in inputs.iter().enumerate().filter(|(_, i)| depends[i.index()]) {
                    let step = format!("∂{}/∂{}", symbol(&label(user)), symbol(&label(*input)));
                    let at = self
                        .local_at_point(user, k)
                        .map(|d| format!(" (= {} here)", format_number(d)))
                        .unwrap_or_default();
                    push(
                        Mistake::DropFactor(user, k),
                        4,
                        format!("dropped chain factor {step}"),
                        format!("the chain factor {step}{at} is missing"),
                    );
                }
            }
        }
        // The same constant left out in every term (the 2 of every square of a sum of squares).
        for (n, uses) in exponents {
            if uses > 1 {
                let shown = pretty(n);
                let explanation = format!("the factor {shown} of the power rule is missing in every term");
                push(
                    Mistake::ScaleAll(Everywhere::PowerFactor(n)),
                    3,
                    format!("dropped constant factor {shown}"),
                    explanation,
                );
            }
        }
        for (c, uses) in coefficients {
            if uses > 1 {
                let shown = pretty(magnitude(c));
                let explanation = format!("the constant factor {shown} is missing in every term");
                push(
                    Mistake::ScaleAll(Everywhere::Coefficient(c)),
                    3,
                    format!("dropped constant factor {shown}"),
                    explanation,
                );
            }
        }
        out
    }

    /// The mistakes of a function's derivative: σ′ written wrongly, f′ forgotten, sqrt′'s ½,
    /// and z used for a.
    fn function(&self, push: &mut impl FnMut(Mistake, u8, String, String), user: NodeId, f: Func, arg: NodeId) {
        let label = self.label;
        let (a, z) = (label(user), label(arg));
        let (af, zf) = (factor(&a), factor(&z));
        match f {
            Func::Sigmoid => {
                let with_z =
                    format!("σ′({z}) was written as {zf}·(1 − {zf}); it is {af}·(1 − {af}), with {a} = σ({z})");
                push(Mistake::SigmoidOfInput(user), 2, "σ′ written with the pre-activation".into(), with_z);
                let one_minus =
                    format!("σ′({z}) was written as σ({z})·(1 − {zf}); it is σ({z})·(1 − σ({z})) = {af}·(1 − {af})");
                push(Mistake::SigmoidOneMinusInput(user), 2, "σ′ written as σ(z)(1 − z)".into(), one_minus);
                let wrong_node =
                    format!("σ′ was taken at {a} instead of at {z}: use {af}·(1 − {af}), not σ({a})·(1 − σ({a}))");
                push(Mistake::SigmoidAtOutput(user), 2, "σ′ taken at the wrong node".into(), wrong_node);
                let forgotten = format!("the factor σ′({z}) = {af}·(1 − {af}) is missing");
                push(Mistake::DropFactor(user, 0), 2, "σ′ forgotten".into(), forgotten);
            }
            Func::Sqrt => {
                let half = format!("sqrt′({z}) = 1/(2·sqrt({z})): the factor ½ is missing");
                push(Mistake::Scale(user, 0, 2.0), 3, "dropped constant factor ½".into(), half);
                push(
                    Mistake::DropFactor(user, 0),
                    3,
                    "sqrt′ forgotten".into(),
                    format!("the factor sqrt′({z}) is missing"),
                );
            }
            _ => {
                let name = f.name();
                push(
                    Mistake::DropFactor(user, 0),
                    3,
                    format!("{name}′ forgotten"),
                    format!("the factor {name}′({z}) is missing"),
                );
            }
        }
        if self.graph.let_of(user).is_some_and(|l| l != self.output) {
            let name = f.name();
            let everywhere = format!("the value of {z} was used where {a} = {name}({z}) was needed");
            push(Mistake::PreActivation(user), 2, format!("used {z} where {a} was needed"), everywhere);
            let locally = format!("the chain factor that needs {a} = {name}({z}) was computed with {z}");
            push(Mistake::PreActivationLocal(user), 2, format!("used {z} where {a} was needed"), locally);
        }
    }

    /// ∂user/∂(input k) at the point.
    fn local_at_point(&self, user: NodeId, k: usize) -> Option<f64> {
        let values = self.values(&self.given)?;
        let mut wanted = vec![false; self.graph.inputs(user).len()];
        wanted[k] = true;
        numeric::local_values(self.graph, user, &values, &wanted).ok()?[k]
    }
}

fn count(seen: &mut Vec<(Number, usize)>, n: Number) {
    match seen.iter_mut().find(|(m, _)| *m == n) {
        Some((_, uses)) => *uses += 1,
        None => seen.push((n, 1)),
    }
}

fn magnitude(c: Number) -> Number {
    if c.is_negative() { c.negated() } else { c }
}

/// A label as a factor of a product: parenthesized when it is more than one term.
fn factor(label: &str) -> String {
    if label.contains(' ') { format!("({label})") } else { label.to_string() }
}

/// A label in ∂-notation: a name as it is, an expression in parentheses (`∂(w·x)/∂w`).
pub fn symbol(label: &str) -> String {
    let plain = label.chars().all(|c| c.is_alphanumeric() || c == '_' || ('₀'..='₉').contains(&c) || "[]".contains(c));
    if plain { label.to_string() } else { format!("({label})") }
}

/// Common fractions as a reader writes them (½, ⅓, ¼); others as they print.
pub fn pretty(n: Number) -> String {
    let glyph = n.as_ratio().and_then(|r| match (*r.numer(), *r.denom()) {
        (1, 2) => Some("½"),
        (1, 3) => Some("⅓"),
        (2, 3) => Some("⅔"),
        (1, 4) => Some("¼"),
        (3, 4) => Some("¾"),
        _ => None,
    });
    glyph.map_or_else(|| n.text(), str::to_string)
}

fn exponent_minus_one(n: Number) -> String {
    let m = n.plus(Number::MINUS_ONE);
    match m.as_integer() {
        Some(1) => String::new(),
        Some(k) => superscript(k),
        None => format!("^({m})"),
    }
}
