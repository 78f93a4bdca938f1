//! The catalogue of anticipated mistakes, shared by function and network exercises (a network
//! exercise is judged on its network unrolled into the same kind of graph).
//!
//! A mistake is a change to the one reverse pass — a local derivative dropped (taken as 1), a
//! path forgotten (taken as 0), σ′ written wrongly, the power rule's factor forgotten — or to
//! the forward pass (z used where a = f(z) was needed). Replaying the pass with the change gives
//! the value a student making that mistake would write. Only mistakes whose node lies on a path
//! from the output to the asked-for node can change the answer, so only those are tried, and
//! a budget keeps the work linear in the graph for any one check.

use crate::graph::{Func, Graph, NodeId, Op};
use crate::numeric::{self, NumericBackward, Values};
use crate::reverse;

/// What a check asks for, on the problem's graph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Quantity {
    /// The forward value of a node.
    Value(NodeId),
    /// ∂output/∂node, times `scale` (a network's per-sample δ is m times the batch mean's).
    Adjoint { node: NodeId, scale: f64 },
    /// A parameter after one gradient-descent step: node − lr·∂output/∂node.
    Update { node: NodeId, lr: f64 },
}

impl Quantity {
    pub fn node(self) -> NodeId {
        match self {
            Quantity::Value(n) | Quantity::Adjoint { node: n, .. } | Quantity::Update { node: n, .. } => n,
        }
    }
}

/// One deliberate change to the forward or backward pass.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mistake {
    /// The whole answer's sign.
    Sign,
    /// A local derivative forgotten (taken as 1): (operation, input).
    DropFactor(NodeId, usize),
    /// One path of a fan-out forgotten (its local derivative taken as 0).
    ForgetPath(NodeId, usize),
    /// σ′(z) written with the pre-activation: z·(1 − z).
    SigmoidOfInput(NodeId),
    /// σ′(z) written as σ(z)·(1 − z).
    SigmoidOneMinusInput(NodeId),
    /// σ′ taken at the output: σ(a)·(1 − σ(a)) where a = σ(z).
    SigmoidAtOutput(NodeId),
    /// The power rule without its factor: u^(n−1) instead of n·u^(n−1).
    PowerFactor(NodeId),
    /// The pre-activation z used where the activation a = f(z) was needed.
    PreActivation(NodeId),
    /// An update without the learning rate: w − ∂E/∂w.
    NoLearningRate,
    /// An update up the gradient: w + α·∂E/∂w.
    UpTheGradient,
}

/// A mistake that fits an answer, told in the student's words.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub mistake: Mistake,
    /// Among equally close candidates, the lowest wins (the likelier story).
    pub priority: u8,
    pub name: String,
    pub explanation: String,
    pub value: f64,
}

/// A graph at a point, with the names a student knows its nodes by.
pub struct Problem<'a> {
    pub graph: &'a Graph,
    pub output: NodeId,
    pub given: Vec<(NodeId, f64)>,
    /// A node in the student's words: their names, else the expression.
    pub label: &'a dyn Fn(NodeId) -> String,
}

/// Most candidate replays one check may cost, in node visits.
const WORK_BUDGET: usize = 4_000_000;

impl Problem<'_> {
    pub fn values(&self, given: &[(NodeId, f64)]) -> Option<Values> {
        numeric::evaluate(self.graph, &[self.output], given).ok()
    }

    /// The quantity at a point (given values), with a mistake, a forced adjoint or an
    /// overridden value replayed. `None` where the function has no value.
    pub fn replay(
        &self,
        quantity: Quantity,
        given: &[(NodeId, f64)],
        mistake: Option<Mistake>,
        forced: Option<(NodeId, f64)>,
    ) -> Option<f64> {
        let true_values = self.values(given)?;
        // "z used where a = f(z) was needed": above the activation, values come from z.
        let (values, keep) = match mistake {
            Some(Mistake::PreActivation(act)) => {
                let z = self.graph.inputs(act)[0];
                let mut shifted: Vec<(NodeId, f64)> = given.to_vec();
                shifted.push((act, true_values[z]));
                let shifted = self.values(&shifted)?;
                let own = numeric::local_values(self.graph, act, &true_values, &[true]).ok()?[0];
                (shifted, Some((act, own?)))
            }
            _ => (true_values.clone(), None),
        };
        let base = match quantity {
            Quantity::Value(n) => return Some(sign(mistake) * values.get(n)?),
            Quantity::Adjoint { node, .. } | Quantity::Update { node, .. } => node,
        };
        let mutate = |node: NodeId, k: usize, d: f64| -> f64 { self.mutated(mistake, keep, &true_values, node, k, d) };
        let mut pass = NumericBackward::new(self.graph, &values);
        pass.mutation = Some(&mutate);
        pass.forced = forced;
        let adjoints = reverse::backward(&mut pass, self.output, &[base]).ok()?;
        let g = adjoints.or(base, 0.0);
        Some(match quantity {
            Quantity::Value(_) => unreachable!("values returned above"),
            Quantity::Adjoint { scale, .. } => sign(mistake) * scale * g,
            Quantity::Update { lr, .. } => {
                let w = true_values[base];
                match mistake {
                    Some(Mistake::NoLearningRate) => w - g,
                    Some(Mistake::UpTheGradient) => w + lr * g,
                    _ => w - lr * g,
                }
            }
        })
    }

    /// A local derivative as a student making `mistake` computes it.
    fn mutated(
        &self,
        mistake: Option<Mistake>,
        keep: Option<(NodeId, f64)>,
        values: &Values,
        node: NodeId,
        k: usize,
        d: f64,
    ) -> f64 {
        if let Some((act, own)) = keep
            && act == node
        {
            return own;
        }
        let input = || values[self.graph.inputs(node)[0]];
        match mistake {
            Some(Mistake::DropFactor(n, i)) if n == node && i == k => 1.0,
            Some(Mistake::ForgetPath(n, i)) if n == node && i == k => 0.0,
            Some(Mistake::SigmoidOfInput(n)) if n == node => input() * (1.0 - input()),
            Some(Mistake::SigmoidOneMinusInput(n)) if n == node => values[node] * (1.0 - input()),
            Some(Mistake::SigmoidAtOutput(n)) if n == node => {
                let s = Func::Sigmoid.value(&[values[node]]);
                s * (1.0 - s)
            }
            Some(Mistake::PowerFactor(n)) if n == node && k == 0 => {
                let exponent = values[self.graph.inputs(node)[1]];
                if exponent != 0.0 { d / exponent } else { d }
            }
            _ => d,
        }
    }

    /// ∂user/∂(input k) at the point.
    fn local_at_point(&self, user: NodeId, k: usize) -> Option<f64> {
        let values = self.values(&self.given)?;
        let mut wanted = vec![false; self.graph.inputs(user).len()];
        wanted[k] = true;
        numeric::local_values(self.graph, user, &values, &wanted).ok()?[k]
    }

    /// Every catalogued mistake that could change `quantity`, with its value at the point.
    pub fn candidates(&self, quantity: Quantity, fan_out: &dyn Fn(NodeId) -> usize) -> Vec<Candidate> {
        let mut out = Vec::new();
        let mut push = |mistake: Mistake, priority: u8, name: String, explanation: String| {
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
        let target = quantity.node();
        let order = self.graph.topological_order(&[self.output]);
        let depends = self.graph.depends_on(&order, &[target]);
        let label = self.label;
        // Operations between the output and the target, nearest the target first.
        let on_path: Vec<NodeId> = order.iter().copied().filter(|n| depends[n.index()] && *n != target).collect();
        let mut budget = WORK_BUDGET / order.len().max(1);
        for &user in &on_path {
            if let Quantity::Value(_) = quantity
                && !matches!(self.graph.op(user), Op::Call(..))
            {
                continue;
            }
            if budget == 0 {
                break;
            }
            let op = self.graph.op(user);
            // A path forgotten where an input feeds several nodes (any kind of node).
            if !matches!(quantity, Quantity::Value(_)) {
                for (k, input) in self.graph.inputs(user).iter().enumerate() {
                    if depends[input.index()] && fan_out(*input) > 1 && !self.graph.is_named(user) {
                        budget = budget.saturating_sub(1);
                        let users: Vec<String> = on_path
                            .iter()
                            .filter(|u| self.graph.inputs(**u).contains(input) && !self.graph.is_named(**u))
                            .map(|&u| label(u))
                            .collect();
                        push(
                            Mistake::ForgetPath(user, k),
                            2,
                            format!("forgotten path through {}", label(user)),
                            format!(
                                "{} feeds {}; the path through {} is missing from the sum over paths",
                                label(*input),
                                users.join(" and "),
                                label(user)
                            ),
                        );
                    }
                }
            }
            if let Op::Call(f, args) = op {
                let (a, z) = (label(user), label(args[0]));
                let (af, zf) = (factor(&a), factor(&z));
                if *f == Func::Sigmoid && !matches!(quantity, Quantity::Value(_)) {
                    push(
                        Mistake::SigmoidOfInput(user),
                        2,
                        "σ′ written with the pre-activation".into(),
                        format!("σ′({z}) was written as {zf}·(1 − {zf}); it is {af}·(1 − {af}), with {a} = σ({z})"),
                    );
                    push(
                        Mistake::SigmoidOneMinusInput(user),
                        2,
                        "σ′ written as σ(z)(1 − z)".into(),
                        format!(
                            "σ′({z}) was written as σ({z})·(1 − {zf}); it is σ({z})·(1 − σ({z})) = {af}·(1 − {af})"
                        ),
                    );
                    push(
                        Mistake::SigmoidAtOutput(user),
                        2,
                        "σ′ taken at the wrong node".into(),
                        format!("σ′ was taken at {a} instead of at {z}: use {af}·(1 − {af}), not σ({a})·(1 − σ({a}))"),
                    );
                    push(
                        Mistake::DropFactor(user, 0),
                        2,
                        "σ′ forgotten".into(),
                        format!("the factor σ′({z}) = {af}·(1 − {af}) is missing"),
                    );
                    budget = budget.saturating_sub(4);
                } else if args.len() == 1 && !matches!(quantity, Quantity::Value(_)) {
                    let name = f.name();
                    push(
                        Mistake::DropFactor(user, 0),
                        3,
                        format!("{name}′ forgotten"),
                        format!("the factor {name}′({z}) is missing"),
                    );
                    budget = budget.saturating_sub(1);
                }
                if args.len() == 1 && self.graph.let_of(user).is_some_and(|l| l != self.output) {
                    push(
                        Mistake::PreActivation(user),
                        2,
                        format!("used {z} where {a} was needed"),
                        format!("the value of {z} was used where {a} = {}({z}) was needed", f.name()),
                    );
                    budget = budget.saturating_sub(1);
                }
                continue;
            }
            if let Quantity::Value(_) = quantity {
                continue;
            }
            for (k, input) in self.graph.inputs(user).iter().enumerate() {
                if !depends[input.index()] || budget == 0 {
                    continue;
                }
                budget -= 1;
                match op {
                    Op::Mul(xs) if xs.len() == 2 && self.graph.as_const(xs[0]).is_some() && k == 1 => {
                        let c = pretty(self.graph.as_const(xs[0]).expect("a coefficient"));
                        push(
                            Mistake::DropFactor(user, k),
                            3,
                            format!("dropped constant factor {c}"),
                            format!("the constant factor {c} of {} is missing", label(user)),
                        );
                    }
                    Op::Pow([_, e]) if k == 0 && self.graph.as_const(*e).is_some() => {
                        let n = self.graph.as_const(*e).expect("a constant exponent");
                        let (n, shown) = (n, pretty(n));
                        push(
                            Mistake::PowerFactor(user),
                            3,
                            format!("dropped constant factor {shown}"),
                            format!(
                                "the power rule gives {shown}·u{}: the factor {shown} is missing",
                                exponent_minus_one(n)
                            ),
                        );
                    }
                    Op::Mul(_) | Op::Pow(_) => {
                        let step = format!("∂{}/∂{}", symbol(&label(user)), symbol(&label(*input)));
                        let at = self
                            .local_at_point(user, k)
                            .map(|d| format!(" (= {} here)", crate::format::format_number(d)))
                            .unwrap_or_default();
                        push(
                            Mistake::DropFactor(user, k),
                            4,
                            format!("dropped chain factor {step}"),
                            format!("the chain factor {step}{at} is missing"),
                        )
                    }
                    _ => {}
                }
            }
        }
        out
    }
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
pub fn pretty(n: crate::graph::number::Number) -> String {
    let glyph = n.as_ratio().and_then(|r| match (*r.numer(), *r.denom()) {
        (1, 2) => Some("½"),
        (1, 3) => Some("⅓"),
        (2, 3) => Some("⅔"),
        (1, 4) => Some("¼"),
        (3, 4) => Some("¾"),
        _ => None,
    });
    glyph.map_or_else(|| n.to_string().replace('-', "−"), str::to_string)
}

fn sign(mistake: Option<Mistake>) -> f64 {
    if mistake == Some(Mistake::Sign) { -1.0 } else { 1.0 }
}

fn exponent_minus_one(n: crate::graph::number::Number) -> String {
    let m = n.plus(crate::graph::number::Number::MINUS_ONE);
    match m.as_integer() {
        Some(k) => crate::format::superscript(k),
        None => format!("^({m})"),
    }
}
