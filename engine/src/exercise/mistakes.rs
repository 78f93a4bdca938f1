//! Anticipated mistakes as changes to the one reverse pass (or the forward pass), shared by
//! function and network exercises (a network exercise is judged on its network unrolled into
//! the same kind of graph). Replaying the pass with a change gives the number a student making
//! that mistake would write; `catalogue` lists which changes to try and tells each story.

use crate::graph::number::Number;
use crate::graph::rules::local_derivatives;
use crate::graph::{Func, Graph, NodeId, Op};
use crate::numeric::{self, Numbers, NumericBackward, Values};
use crate::reverse;
use std::collections::HashMap;

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

/// Which constant a student drops everywhere it appears.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Everywhere {
    /// The factor n of the power rule, in every power with exponent n.
    PowerFactor(Number),
    /// The magnitude of a coefficient c, in every product led by c (a mean's 1/m in every term).
    Coefficient(Number),
    /// Both: the 2/n of a mean squared error's derivative.
    PowerAndCoefficient(Number, Number),
}

/// A function's derivative remembered in a wrong form.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Misremembered {
    /// σ′(z) written as σ(z)·(1 − z).
    SigmoidOneMinusInput,
    /// tanh′ written as 1 − tanh (not squared).
    TanhNotSquared,
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
    /// A local derivative times a factor: a constant of it left out (the power rule's n,
    /// sqrt′'s ½, a coefficient's magnitude).
    Scale(NodeId, usize, f64),
    /// A local derivative replaced by another value (the other side of a kink: relu′(0) = 1).
    Replace(NodeId, usize, f64),
    /// A constant left out everywhere it appears.
    ScaleAll(Everywhere),
    /// f′ written in the output's letter but with the input's value: σ′ = z·(1 − z), tanh′ = 1 − z².
    OwnValueFromInput(NodeId),
    /// f′ taken at the node's own value instead of its input: σ(a)·(1 − σ(a)), 1 − tanh(a)².
    AtOwnValue(NodeId),
    /// f′ remembered in a wrong form.
    Misremembered(NodeId, Misremembered),
    /// The pre-activation z used where the activation a = f(z) was needed, from there on.
    PreActivation(NodeId),
    /// The same for every activation of the node's layer (same function, same depth): z2 = W2·z1.
    PreActivationLayer(NodeId),
    /// z used where a was needed in the local derivatives that use a (∂(w·a)/∂w = z).
    PreActivationLocal(NodeId),
    /// A node's value taken as given where its users' local derivatives use it (a student's
    /// earlier value, used in the next step but not carried through the forward pass).
    ValueInLocals(NodeId, f64),
    /// A value computed without a product's constant coefficient (the loss's ½).
    DropCoefficientForward(NodeId),
    /// A named intermediate treated as a constant: no path through it (batch norm's variance).
    Frozen(NodeId),
    /// The derivative with respect to another node (the transposed weight: ∂E/∂W21 for ∂E/∂W12).
    OtherTarget(NodeId),
    /// Going back, every weight read with its indices swapped (Wᵀ forgotten in a hidden δ).
    TransposedWeights,
    /// The target not subtracted: p for p − y (softmax or σ with cross-entropy).
    TargetNotSubtracted(NodeId),
    /// An update without the learning rate: w − ∂E/∂w.
    NoLearningRate,
    /// An update up the gradient: w + α·∂E/∂w.
    UpTheGradient,
}

/// A graph at a point, with the names a student knows its nodes by.
pub struct Problem<'a> {
    pub graph: &'a Graph,
    /// The root the quantities are derivatives of (the output, or a named intermediate).
    pub output: NodeId,
    pub given: Vec<(NodeId, f64)>,
    /// A node in the student's words: their names, else the expression.
    pub label: &'a dyn Fn(NodeId) -> String,
    /// Each matrix entry's transposed partner (`W2_0_1` ↔ `W2_1_0`, `W12` ↔ `W21`).
    pub partners: HashMap<NodeId, NodeId>,
    /// Each node's activation depth: how many one-argument functions lie below it on the
    /// longest path (a network's layer, for its activations).
    depth: Vec<u32>,
}

impl<'a> Problem<'a> {
    pub fn new(
        graph: &'a Graph,
        output: NodeId,
        given: Vec<(NodeId, f64)>,
        label: &'a dyn Fn(NodeId) -> String,
    ) -> Problem<'a> {
        let mut partners = HashMap::new();
        for (name, node) in graph.variables() {
            if let Some(partner) = transposed_name(name).and_then(|p| graph.find_variable(&p))
                && partner != node
            {
                partners.insert(node, partner);
            }
        }
        let mut depth = vec![0u32; graph.len()];
        for id in graph.topological_order(&[output]) {
            let below = graph.inputs(id).iter().map(|i| depth[i.index()]).max().unwrap_or(0);
            depth[id.index()] = below + u32::from(matches!(graph.op(id), Op::Call(_, args) if args.len() == 1));
        }
        Problem { graph, output, given, label, partners, depth }
    }

    pub fn values(&self, given: &[(NodeId, f64)]) -> Option<Values> {
        numeric::evaluate(self.graph, &[self.output], given).ok()
    }

    /// A node held at a value, with its definition too when it is a named intermediate (so a
    /// rule that reuses the node's value, σ′ = a·(1 − a), sees the held value).
    pub fn hold(&self, node: NodeId, value: f64) -> Vec<(NodeId, f64)> {
        let mut out = vec![(node, value)];
        if self.graph.is_named(node) {
            out.push((self.graph.definition(node), value));
        }
        out
    }

    /// The activations of `node`'s layer: one-argument calls of the same function at the same depth.
    pub fn layer(&self, node: NodeId) -> Vec<NodeId> {
        let Op::Call(f, _) = self.graph.op(node) else { return vec![node] };
        let depth = self.depth[node.index()];
        (0..self.graph.len())
            .map(|i| NodeId(i as u32))
            .filter(|&n| {
                self.depth.get(n.index()) == Some(&depth)
                    && matches!(self.graph.op(n), Op::Call(g, args) if g == f && args.len() == 1)
            })
            .collect()
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
        let target = quantity.node();
        // The output's cone, and the asked-for node's (a named value the output does not use).
        let evaluate = |given: &[(NodeId, f64)]| numeric::evaluate(self.graph, &[self.output, target], given).ok();
        let true_values = evaluate(given)?;
        let shifted = |held: &[NodeId]| {
            let mut moved: Vec<(NodeId, f64)> = given.to_vec();
            for &act in held {
                moved.extend(self.hold(act, true_values.get(self.graph.inputs(act)[0])?));
            }
            evaluate(&moved)
        };
        // Mistakes in the forward pass: values from the mistaken one on.
        let (values, keep) = match mistake {
            Some(Mistake::PreActivation(act)) => {
                let own = numeric::local_values(self.graph, act, &true_values, &[true]).ok()?[0]?;
                (shifted(&[act])?, Some((act, own)))
            }
            Some(Mistake::PreActivationLayer(act)) => (shifted(&self.layer(act))?, None),
            Some(Mistake::DropCoefficientForward(product)) => {
                let c = self.graph.as_const(self.graph.inputs(product)[0])?.to_f64();
                let mut moved: Vec<(NodeId, f64)> = given.to_vec();
                moved.extend(self.hold(product, true_values[product] / c));
                (evaluate(&moved)?, None)
            }
            _ => (true_values.clone(), None),
        };
        if let Quantity::Value(n) = quantity {
            return Some(sign(mistake) * values.get(n)?);
        }
        let base = match mistake {
            Some(Mistake::OtherTarget(other)) => other,
            _ => target,
        };
        let mutate = |node: NodeId, k: usize, d: f64| self.mutated(mistake, keep, &values, node, k, d);
        let mut pass = NumericBackward::new(self.graph, &values);
        pass.mutation = Some(&mutate);
        pass.forced = forced;
        let adjoints = reverse::backward(&mut pass, self.output, &[base]).ok()?;
        let mut g = adjoints.or(base, 0.0);
        if let Some(Mistake::TargetNotSubtracted(y)) = mistake {
            g += values.get(y)?;
        }
        Some(match quantity {
            Quantity::Value(_) => unreachable!("values returned above"),
            Quantity::Adjoint { scale, .. } => sign(mistake) * scale * g,
            Quantity::Update { lr, .. } => {
                let w = true_values[target];
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
        let op = self.graph.op(node);
        let input = || values[self.graph.inputs(node)[0]];
        match mistake {
            Some(Mistake::DropFactor(n, i)) if n == node && i == k => 1.0,
            Some(Mistake::ForgetPath(n, i)) if n == node && i == k => 0.0,
            Some(Mistake::Frozen(n)) if n == node => 0.0,
            Some(Mistake::Scale(n, i, f)) if n == node && i == k => d * f,
            Some(Mistake::Replace(n, i, v)) if n == node && i == k => v,
            Some(Mistake::ScaleAll(everywhere)) => d / self.dropped(everywhere, op, k),
            Some(Mistake::OwnValueFromInput(n)) if n == node => self.local(op, &[input()], input()).unwrap_or(d),
            Some(Mistake::AtOwnValue(n)) if n == node => match op {
                Op::Call(f, _) => self.local(op, &[values[node]], f.value(&[values[node]])).unwrap_or(d),
                _ => d,
            },
            Some(Mistake::Misremembered(n, form)) if n == node => match form {
                Misremembered::SigmoidOneMinusInput => values[node] * (1.0 - input()),
                Misremembered::TanhNotSquared => 1.0 - values[node],
            },
            Some(Mistake::PreActivationLocal(act)) => {
                let z = values[self.graph.inputs(act)[0]];
                self.with_input_values(&|i| self.is_held(act, i).then_some(z), values, node, k).unwrap_or(d)
            }
            Some(Mistake::ValueInLocals(held, value)) => {
                self.with_input_values(&|i| self.is_held(held, i).then_some(value), values, node, k).unwrap_or(d)
            }
            Some(Mistake::TransposedWeights) if matches!(op, Op::Mul(_)) => {
                let swapped = |i: NodeId| self.partners.get(&i).map(|p| values[*p]);
                self.with_input_values(&swapped, values, node, k).unwrap_or(d)
            }
            _ => d,
        }
    }

    /// How much of a local derivative a constant dropped everywhere takes away (1: none).
    fn dropped(&self, everywhere: Everywhere, op: &Op, k: usize) -> f64 {
        let power = |n: Number| match op {
            Op::Pow([_, e]) if k == 0 && self.graph.as_const(*e) == Some(n) => n.to_f64(),
            _ => 1.0,
        };
        let coefficient = |c: Number| match op {
            Op::Mul(xs) if k > 0 && self.graph.as_const(xs[0]) == Some(c) => c.to_f64().abs(),
            _ => 1.0,
        };
        match everywhere {
            Everywhere::PowerFactor(n) => power(n),
            Everywhere::Coefficient(c) => coefficient(c),
            Everywhere::PowerAndCoefficient(n, c) => power(n) * coefficient(c),
        }
    }

    /// f′ by the rule table at the given input and output values.
    fn local(&self, op: &Op, inputs: &[f64], output: f64) -> Option<f64> {
        local_derivatives(&mut Numbers, op, inputs, output, &[true])[0]
    }

    /// Whether `i` is `held`, its name, or its definition.
    fn is_held(&self, held: NodeId, i: NodeId) -> bool {
        i == held || Some(i) == self.graph.let_of(held) || i == self.graph.definition(held)
    }

    /// ∂node/∂(input k) with some inputs read at other values (`replace`); `None` where node
    /// uses none of them, or where input k is one of them.
    fn with_input_values(
        &self,
        replace: &dyn Fn(NodeId) -> Option<f64>,
        values: &Values,
        node: NodeId,
        k: usize,
    ) -> Option<f64> {
        let inputs = self.graph.inputs(node);
        if !inputs.iter().any(|i| replace(*i).is_some()) || replace(inputs[k]).is_some() {
            return None;
        }
        let shifted: Vec<f64> = inputs.iter().map(|&i| replace(i).unwrap_or(values[i])).collect();
        let mut wanted = vec![false; inputs.len()];
        wanted[k] = true;
        local_derivatives(&mut Numbers, self.graph.op(node), &shifted, values[node], &wanted)[k]
    }
}

/// The name of a matrix entry's transpose: `W2_0_1` → `W2_1_0`, `w_1_2` → `w_2_1`, `w_12` →
/// `w_21`, `W12` → `W21`. `None` for names that are not two-index entries, or diagonal ones.
pub fn transposed_name(name: &str) -> Option<String> {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = name.split('_').collect();
    let swapped = match parts.as_slice() {
        [stem @ .., i, j] if !stem.is_empty() && digits(i) && digits(j) => {
            format!("{}_{j}_{i}", stem.join("_"))
        }
        [stem, ij] if ij.len() == 2 && digits(ij) => format!("{stem}_{}{}", &ij[1..], &ij[..1]),
        [whole] => {
            let stem = whole.trim_end_matches(|c: char| c.is_ascii_digit());
            let ij = &whole[stem.len()..];
            if stem.is_empty() || ij.len() != 2 || !stem.ends_with(|c: char| c.is_alphabetic()) {
                return None;
            }
            format!("{stem}{}{}", &ij[1..], &ij[..1])
        }
        _ => return None,
    };
    (swapped != name).then_some(swapped)
}

fn sign(mistake: Option<Mistake>) -> f64 {
    if mistake == Some(Mistake::Sign) { -1.0 } else { 1.0 }
}

/// The functions whose derivative the rule table writes with the node's own value, with that
/// form (`{a}` the output): a student may write it with the input instead, or misremember it.
pub fn output_form(f: Func) -> Option<&'static str> {
    match f {
        Func::Sigmoid => Some("{a}·(1 − {a})"),
        Func::Tanh => Some("1 − {a}²"),
        Func::Exp => Some("{a}"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::transposed_name;

    #[test]
    fn matrix_entries_have_transposes() {
        assert_eq!(transposed_name("W2_0_1").as_deref(), Some("W2_1_0"));
        assert_eq!(transposed_name("w_1_2").as_deref(), Some("w_2_1"));
        assert_eq!(transposed_name("w_12").as_deref(), Some("w_21"));
        assert_eq!(transposed_name("W12").as_deref(), Some("W21"));
        assert_eq!(transposed_name("W11"), None);
        assert_eq!(transposed_name("x1"), None);
        assert_eq!(transposed_name("z1_0_s0"), None);
        assert_eq!(transposed_name("b1_0"), None);
    }
}
