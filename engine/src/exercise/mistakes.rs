//! Anticipated mistakes as changes to the one reverse pass (or the forward pass), shared by
//! function and network exercises (a network exercise is judged on its network unrolled into
//! the same kind of graph). Replaying the pass with a change gives the number a student making
//! that mistake would write; `catalogue` lists which changes to try and tells each story.

use crate::graph::number::Number;
use crate::graph::rules::local_derivatives;
use crate::graph::{Func, Graph, NodeId, Op};
use crate::numeric::{self, Numbers, NumericBackward, Values};
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

/// Which constant a student drops everywhere it appears.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Everywhere {
    /// The factor n of the power rule, in every power with exponent n.
    PowerFactor(Number),
    /// The magnitude of a coefficient c, in every product led by c (a mean's 1/m in every term).
    Coefficient(Number),
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
    /// A constant left out everywhere it appears.
    ScaleAll(Everywhere),
    /// σ′(z) written with the pre-activation: z·(1 − z).
    SigmoidOfInput(NodeId),
    /// σ′(z) written as σ(z)·(1 − z).
    SigmoidOneMinusInput(NodeId),
    /// σ′ taken at the output: σ(a)·(1 − σ(a)) where a = σ(z).
    SigmoidAtOutput(NodeId),
    /// The pre-activation z used where the activation a = f(z) was needed, from there on.
    PreActivation(NodeId),
    /// z used where a was needed in the local derivatives that use a (∂(w·a)/∂w = z).
    PreActivationLocal(NodeId),
    /// A node's value taken as given where its users' local derivatives use it (a student's
    /// earlier value, used in the next step but not carried through the forward pass).
    ValueInLocals(NodeId, f64),
    /// A value computed without a product's constant coefficient (the loss's ½).
    DropCoefficientForward(NodeId),
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
}

impl Problem<'_> {
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
        let shifted = |node: NodeId, value: f64| {
            let mut moved: Vec<(NodeId, f64)> = given.to_vec();
            moved.extend(self.hold(node, value));
            self.values(&moved)
        };
        // Mistakes in the forward pass: values from the mistaken one on.
        let (values, keep) = match mistake {
            Some(Mistake::PreActivation(act)) => {
                let z = self.graph.inputs(act)[0];
                let own = numeric::local_values(self.graph, act, &true_values, &[true]).ok()?[0]?;
                (shifted(act, true_values[z])?, Some((act, own)))
            }
            Some(Mistake::DropCoefficientForward(product)) => {
                let c = self.graph.as_const(self.graph.inputs(product)[0])?.to_f64();
                (shifted(product, true_values[product] / c)?, None)
            }
            _ => (true_values.clone(), None),
        };
        let base = match quantity {
            Quantity::Value(n) => return Some(sign(mistake) * values.get(n)?),
            Quantity::Adjoint { node, .. } | Quantity::Update { node, .. } => node,
        };
        let mutate = |node: NodeId, k: usize, d: f64| self.mutated(mistake, keep, &values, node, k, d);
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
        let op = self.graph.op(node);
        let input = || values[self.graph.inputs(node)[0]];
        match mistake {
            Some(Mistake::DropFactor(n, i)) if n == node && i == k => 1.0,
            Some(Mistake::ForgetPath(n, i)) if n == node && i == k => 0.0,
            Some(Mistake::Scale(n, i, f)) if n == node && i == k => d * f,
            Some(Mistake::ScaleAll(Everywhere::PowerFactor(n))) => match op {
                Op::Pow([_, e]) if k == 0 && self.graph.as_const(*e) == Some(n) => d / n.to_f64(),
                _ => d,
            },
            Some(Mistake::ScaleAll(Everywhere::Coefficient(c))) => match op {
                Op::Mul(xs) if k > 0 && self.graph.as_const(xs[0]) == Some(c) => d / c.to_f64().abs(),
                _ => d,
            },
            Some(Mistake::SigmoidOfInput(n)) if n == node => input() * (1.0 - input()),
            Some(Mistake::SigmoidOneMinusInput(n)) if n == node => values[node] * (1.0 - input()),
            Some(Mistake::SigmoidAtOutput(n)) if n == node => {
                let s = Func::Sigmoid.value(&[values[node]]);
                s * (1.0 - s)
            }
            Some(Mistake::PreActivationLocal(act)) => {
                let z = values[self.graph.inputs(act)[0]];
                self.with_input_value(act, z, values, node, k).unwrap_or(d)
            }
            Some(Mistake::ValueInLocals(held, value)) => {
                self.with_input_value(held, value, values, node, k).unwrap_or(d)
            }
            _ => d,
        }
    }

    /// ∂node/∂(input k) with `held` (or its name, or its definition) read as `value` wherever
    /// node uses it as an input; `None` where node does not use it (or k is that input).
    fn with_input_value(&self, held: NodeId, value: f64, values: &Values, node: NodeId, k: usize) -> Option<f64> {
        let named = self.graph.let_of(held).unwrap_or(held);
        let definition = self.graph.definition(held);
        let is_held = |i: NodeId| i == held || i == named || i == definition;
        let inputs = self.graph.inputs(node);
        if !inputs.iter().any(|i| is_held(*i)) || is_held(inputs[k]) {
            return None;
        }
        let shifted: Vec<f64> = inputs.iter().map(|&i| if is_held(i) { value } else { values[i] }).collect();
        let mut wanted = vec![false; inputs.len()];
        wanted[k] = true;
        local_derivatives(&mut Numbers, self.graph.op(node), &shifted, values[node], &wanted)[k]
    }
}

fn sign(mistake: Option<Mistake>) -> f64 {
    if mistake == Some(Mistake::Sign) { -1.0 } else { 1.0 }
}
