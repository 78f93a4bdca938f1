//! The catalogue's mistakes in one function's derivative: f′ written with the pre-activation
//! (σ′ = z·(1 − z), tanh′ = 1 − z²), taken at the wrong node (1 − tanh(a)²), misremembered
//! (σ(z)·(1 − z), tanh′ = 1 − tanh), forgotten, sqrt′'s ½, z used for a — and the other side
//! of a kink (relu′(0) = 1, a tie of max), which is a convention rather than a slip, so its
//! story names the kink and the convention this tool uses.

use super::catalogue::factor;
use super::mistakes::{Misremembered, Mistake, Problem, output_form};
use crate::graph::{Func, NodeId};
use crate::numeric::Values;

/// Where a story is pushed: (mistake, priority, name, explanation).
pub type Push<'p> = dyn FnMut(Mistake, u8, String, String) + 'p;

impl Problem<'_> {
    /// The mistakes of a one-argument function's derivative at `user` = f(`arg`).
    pub(super) fn function(&self, push: &mut Push, user: NodeId, f: Func, arg: NodeId, point: Option<&Values>) {
        let label = self.label;
        let (a, z) = (label(user), label(arg));
        let printed = f.info().printed;
        let prime = format!("{printed}′");
        let form = output_form(f);
        let with = |v: &str| form.map(|form| form.replace("{a}", &factor(v)));
        if let (Some(with_z), Some(with_a)) = (with(&z), with(&a)) {
            push(
                Mistake::OwnValueFromInput(user),
                2,
                format!("{prime} written with the pre-activation"),
                format!("{prime}({z}) was written as {with_z}; it is {with_a}, with {a} = {printed}({z})"),
            );
        }
        let right = with(&a).map(|w| format!(" = {w}")).unwrap_or_default();
        push(
            Mistake::AtOwnValue(user),
            2,
            format!("{prime} taken at the wrong node"),
            format!(
                "{prime} was taken at {a} instead of at {z}: use {prime}({z}){right}, not {prime}({a}) = {prime}({printed}({z}))"
            ),
        );
        let af = factor(&a);
        match f {
            Func::Sigmoid => push(
                Mistake::Misremembered(user, Misremembered::SigmoidOneMinusInput),
                2,
                "σ′ written as σ(z)(1 − z)".into(),
                format!(
                    "σ′({z}) was written as σ({z})·(1 − {}); it is σ({z})·(1 − σ({z})) = {af}·(1 − {af})",
                    factor(&z)
                ),
            ),
            Func::Tanh => push(
                Mistake::Misremembered(user, Misremembered::TanhNotSquared),
                2,
                "tanh′ written as 1 − tanh (not squared)".into(),
                format!("tanh′({z}) was written as 1 − {af}; it is 1 − {af}², with {a} = tanh({z})"),
            ),
            Func::Sqrt => push(
                Mistake::Scale(user, 0, 2.0),
                3,
                "dropped constant factor ½".into(),
                format!("sqrt′({z}) = 1/(2·sqrt({z})): the factor ½ is missing"),
            ),
            _ => {}
        }
        let forgotten = match with(&a) {
            Some(w) => format!("the factor {prime}({z}) = {w} is missing"),
            None => format!("the factor {prime}({z}) is missing"),
        };
        push(
            Mistake::DropFactor(user, 0),
            if f == Func::Sigmoid { 2 } else { 3 },
            format!("{prime} forgotten"),
            forgotten,
        );
        if self.graph.let_of(user).is_some_and(|l| l != self.output) {
            let name = f.name();
            let everywhere = format!("the value of {z} was used where {a} = {name}({z}) was needed");
            push(Mistake::PreActivation(user), 2, format!("used {z} where {a} was needed"), everywhere);
            let locally = format!("the chain factor that needs {a} = {name}({z}) was computed with {z}");
            push(Mistake::PreActivationLocal(user), 2, format!("used {z} where {a} was needed"), locally);
        }
        // Exactly at a kink, the other one-sided derivative is a convention, not a slip.
        let at_kink = point.and_then(|p| p.get(arg)) == Some(0.0);
        match f {
            Func::Relu if at_kink => push(
                Mistake::Replace(user, 0, 1.0),
                0,
                "relu′ at the kink".into(),
                format!(
                    "{z} = 0 is relu's kink, where it has no derivative: this tool takes relu′(0) = 0 (as PyTorch, \
                     TensorFlow and JAX do); this answer takes relu′(0) = 1"
                ),
            ),
            Func::Abs if at_kink => {
                for side in [1.0, -1.0] {
                    push(
                        Mistake::Replace(user, 0, side),
                        0,
                        "abs′ at the kink".into(),
                        format!(
                            "{z} = 0 is abs's kink, where it has no derivative: this tool takes abs′(0) = sign(0) = 0; \
                             this answer takes abs′(0) = {side}"
                        ),
                    );
                }
            }
            _ => {}
        }
    }

    /// max and min at a tie: this tool passes the gradient to neither input.
    pub(super) fn tie(&self, push: &mut Push, user: NodeId, f: Func, args: &[NodeId], point: Option<&Values>) {
        let (Some(p), [x, y]) = (point, args) else { return };
        if !matches!(f, Func::Max | Func::Min) || p.get(*x).is_none() || p.get(*x) != p.get(*y) {
            return;
        }
        let name = f.name();
        for (k, input) in args.iter().enumerate() {
            push(
                Mistake::Replace(user, k, 1.0),
                0,
                format!("{name}′ at a tie"),
                format!(
                    "{} = {}: {name} has no derivative at a tie, and this tool passes the gradient to neither input \
                     (so {name}(0, z) agrees with relu, relu′(0) = 0); this answer passes it to {}",
                    (self.label)(*x),
                    (self.label)(*y),
                    (self.label)(*input)
                ),
            );
        }
    }
}
