//! The catalogue: which mistakes could change a quantity, each told in the student's words.
//!
//! Only mistakes on a path between the root and the asked-for node can change a derivative
//! (and only those inside a value's own computation can change a value), so only those are
//! tried; a budget keeps the work linear in the graph for any one check.

use super::mistakes::{Everywhere, Mistake, Problem, Quantity};
use crate::format::{format_number, superscript};
use crate::graph::number::Number;
use crate::graph::{NodeId, Op};
use crate::numeric;
use crate::said::Said;

/// A mistake with its value at the point, told in the student's words.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub mistake: Mistake,
    /// Among equally close candidates, the lowest wins (the likelier story).
    pub priority: u8,
    pub name: Said,
    pub explanation: Said,
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
        // A replay's vectors span the whole arena (derivatives included), not only the cone.
        let budget = std::cell::Cell::new(WORK_BUDGET / graph.len().max(order.len()).max(1));
        let spent = || budget.get() == 0;
        let point = self.values(&self.given);
        let mut push = |mistake: Mistake, priority: u8, name: Said, explanation: Said| {
            if budget.get() == 0 {
                return;
            }
            budget.set(budget.get() - 1);
            if let Some(value) = self.replay(quantity, &self.given, Some(mistake), None) {
                out.push(Candidate { mistake, priority, name, explanation, value });
            }
        };
        push(Mistake::Sign, 1, Said::SignFlipName, Said::SignFlipped);
        if let Quantity::Update { lr, node } = quantity {
            let (w, out) = (label(node), symbol(&label(root)));
            let step = format!("α·∂{out}/∂{}", symbol(&w));
            push(
                Mistake::NoLearningRate,
                1,
                Said::NoLearningRateName,
                Said::NoLearningRate { w: w.clone(), step: step.clone(), lr: format_number(lr) },
            );
            push(Mistake::UpTheGradient, 1, Said::UpTheGradientName, Said::UpTheGradient { w, step });
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
                            Said::UsedInsteadName { z: z.clone(), a: a.clone() },
                            Said::UsedValueInstead { z, a, f: f.name().to_string() },
                        );
                        let layer = self.layer(id);
                        if layer.len() > 1 && layer.iter().min() == Some(&id) {
                            let acts: Vec<String> = layer.iter().map(|&n| label(n)).collect();
                            let zs: Vec<String> = layer.iter().map(|&n| label(graph.inputs(n)[0])).collect();
                            let (a, z) = (layer_name(&acts), layer_name(&zs));
                            push(
                                Mistake::PreActivationLayer(id),
                                2,
                                Said::UsedInsteadName { z: z.clone(), a: a.clone() },
                                Said::ForwardWentOnWith { z, a, f: f.name().to_string() },
                            );
                        }
                    }
                    Op::Mul(xs) if xs.len() >= 2 && graph.as_const(xs[0]).is_some_and(|c| c.to_f64().abs() != 1.0) => {
                        let c = pretty(graph.as_const(xs[0]).expect("a coefficient"));
                        push(
                            Mistake::DropCoefficientForward(id),
                            3,
                            Said::DroppedConstantName { c: c.clone() },
                            Said::ConstantMissing { c, of: label(id) },
                        );
                    }
                    _ => {}
                }
            }
            return out;
        }
        let depends = graph.depends_on(&order, &[target]);
        let on_path: Vec<NodeId> = order.iter().copied().filter(|n| depends[n.index()] && *n != target).collect();
        let mut is_on_path = vec![false; graph.len()];
        on_path.iter().for_each(|n| is_on_path[n.index()] = true);
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
                    && act != target
                    && !is_on_path[act.index()]
                    && !activations.contains(&act)
                {
                    activations.push(act);
                    let (a, z) = (label(act), label(args[0]));
                    let name = Said::UsedInsteadName { z: z.clone(), a: a.clone() };
                    let story = Said::ChainFactorComputedWith { a, f: f.name().to_string(), z };
                    push(Mistake::PreActivationLocal(act), 2, name, story);
                }
            }
        }
        let mut exponents: Vec<(Number, usize)> = Vec::new();
        let mut coefficients: Vec<(Number, usize)> = Vec::new();
        for &user in on_path.iter().rev() {
            if spent() {
                break;
            }
            let op = graph.op(user);
            let inputs = graph.inputs(user);
            for (k, input) in inputs.iter().enumerate() {
                if !depends[input.index()] || fan_in_cone[input.index()] < 2 || graph.is_named(user) {
                    continue;
                }
                // A divisor is a reciprocal inside the graph: the student wrote the denominator.
                let x = match graph.op(*input) {
                    Op::Pow([b, e]) if graph.as_const(*e) == Some(Number::MINUS_ONE) && !graph.is_named(*input) => {
                        label(*b)
                    }
                    _ => label(*input),
                };
                let repeated = inputs.iter().filter(|i| *i == input).count();
                let explanation = if repeated > 1 {
                    Said::RepeatedFactor { x, times: repeated, user: label(user) }
                } else if user == root || graph.let_of(user) == Some(root) {
                    Said::AlsoEntersDirectly { x, root: label(root) }
                } else {
                    let users: Vec<String> = on_path
                        .iter()
                        .filter(|u| graph.inputs(**u).contains(input) && !graph.is_named(**u))
                        .map(|&u| label(u))
                        .collect();
                    Said::PathMissing { x, users, through: label(user) }
                };
                let name = Said::ForgottenPathName { through: label(user) };
                push(Mistake::ForgetPath(user, k), 2, name, explanation);
            }
            match op {
                Op::Call(f, args) if args.len() == 1 => self.function(&mut push, user, *f, args[0], point.as_ref()),
                Op::Call(f, args) => self.tie(&mut push, user, *f, args, point.as_ref()),
                Op::Mul(xs) if graph.as_const(xs[0]).is_some() => {
                    let c = graph.as_const(xs[0]).expect("a coefficient");
                    if c.to_f64().abs() != 1.0 {
                        count(&mut coefficients, c);
                        let shown = pretty(magnitude(c));
                        for k in (1..xs.len()).filter(|k| depends[xs[*k].index()]) {
                            push(
                                Mistake::Scale(user, k, 1.0 / c.to_f64().abs()),
                                3,
                                Said::DroppedConstantName { c: shown.clone() },
                                Said::ConstantMissing { c: shown.clone(), of: label(user) },
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
                        Said::DroppedConstantName { c: pretty(n) },
                        Said::PowerFactorMissing { n: pretty(n), base, power: exponent_minus_one(n) },
                    );
                }
                _ => {}
            }
            if let Op::Mul(_) | Op::Pow(_) = op {
                for (k, input) in inputs.iter().enumerate().filter(|(_, i)| depends[i.index()]) {
                    let step = format!("∂{}/∂{}", symbol(&label(user)), symbol(&label(*input)));
                    let here = self.local_at_point(user, k).map(format_number);
                    push(
                        Mistake::DropFactor(user, k),
                        4,
                        Said::DroppedChainFactorName { step: step.clone() },
                        Said::ChainFactorMissing { step, here },
                    );
                }
            }
        }
        // A named intermediate treated as a constant (batch norm's variance): only where another
        // path is left, else the story is the answer 0.
        for &n in on_path.iter().filter(|&&n| graph.is_named(n) && n != root && graph.let_of(n) != Some(root)) {
            let v = label(n);
            push(Mistake::Frozen(n), 3, Said::FrozenName { v: v.clone() }, Said::Frozen { v, target: label(target) });
        }
        // A weight's indices swapped: the transposed entry's derivative, or Wᵀ forgotten going back.
        if let Some(&partner) = self.partners.get(&target) {
            let (w, t) = (label(target), label(partner));
            push(
                Mistake::OtherTarget(partner),
                1,
                Said::TransposedName,
                Said::TransposedIndices { root: symbol(&label(root)), other: t, w },
            );
        }
        if on_path.iter().any(|&u| {
            matches!(graph.op(u), Op::Mul(_)) && graph.inputs(u).iter().any(|i| self.partners.contains_key(i))
        }) {
            push(Mistake::TransposedWeights, 2, Said::TransposedName, Said::TransposedGoingBack);
        }
        // The same constant left out in every term (the 2 of every square of a sum of squares).
        for &(n, uses) in &exponents {
            if uses > 1 {
                let shown = pretty(n);
                let explanation = Said::PowerFactorMissingEverywhere { n: shown.clone() };
                push(
                    Mistake::ScaleAll(Everywhere::PowerFactor(n)),
                    3,
                    Said::DroppedConstantName { c: shown },
                    explanation,
                );
            }
        }
        // The 2/n of a mean squared error: the power rule's 2 and the mean's 1/n, both left out.
        for &(n, _) in &exponents {
            for &(c, _) in &coefficients {
                let shown = pretty(n.times(magnitude(c)));
                if shown == "1" {
                    continue;
                }
                push(
                    Mistake::ScaleAll(Everywhere::PowerAndCoefficient(n, c)),
                    3,
                    Said::DroppedConstantName { c: shown.clone() },
                    Said::PowerAndCoefficientMissing { shown, n: pretty(n), c: pretty(magnitude(c)) },
                );
            }
        }
        for (c, uses) in coefficients {
            if uses > 1 {
                let shown = pretty(magnitude(c));
                let explanation = Said::ConstantMissingEverywhere { c: shown.clone() };
                push(
                    Mistake::ScaleAll(Everywhere::Coefficient(c)),
                    3,
                    Said::DroppedConstantName { c: shown },
                    explanation,
                );
            }
        }
        out.retain(|c| !matches!(c.mistake, Mistake::Frozen(_)) || c.value != 0.0);
        out
    }

    /// ∂user/∂(input k) at the point.
    pub(super) fn local_at_point(&self, user: NodeId, k: usize) -> Option<f64> {
        let values = self.values(&self.given)?;
        let mut wanted = vec![false; self.graph.inputs(user).len()];
        wanted[k] = true;
        numeric::local_values(self.graph, user, &values, &wanted).ok()?[k]
    }
}

/// A layer's units by their common name: `a1[0]`, `a1[1]` → `a1`; names without one, listed.
fn layer_name(labels: &[String]) -> String {
    let stem = |l: &str| l.strip_suffix(']').and_then(|l| l.rsplit_once('[')).map(|(s, _)| s.to_string());
    match labels.first().and_then(|l| stem(l)) {
        Some(s) if labels.iter().all(|l| stem(l).as_deref() == Some(&s)) => s,
        _ => labels.iter().take(4).cloned().collect::<Vec<_>>().join(", "),
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
pub(super) fn factor(label: &str) -> String {
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
