//! The catalogue's mistakes in one function's derivative: f′ written with the pre-activation
//! (σ′ = z·(1 − z), tanh′ = 1 − z²), taken at the wrong node (1 − tanh(a)²), misremembered
//! (σ(z)·(1 − z), tanh′ = 1 − tanh), forgotten, sqrt′'s ½, z used for a — and the other side
//! of a kink (relu′(0) = 1, a tie of max), which is a convention rather than a slip, so its
//! story names the kink and the convention this tool uses.

use super::catalogue::factor;
use super::mistakes::{Misremembered, Mistake, Problem, output_form};
use crate::graph::{Func, NodeId};
use crate::numeric::Values;
use crate::said::Said;

/// Where a story is pushed: (mistake, priority, name, explanation).
pub type Push<'p> = dyn FnMut(Mistake, u8, Said, Said) + 'p;

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
            let story = Said::OwnValueFromInput {
                prime: prime.clone(),
                z: z.clone(),
                with_z,
                with_a,
                a: a.clone(),
                f: printed.to_string(),
            };
            push(Mistake::OwnValueFromInput(user), 2, Said::OwnValueFromInputName { prime: prime.clone() }, story);
        }
        let story = Said::AtOwnValue {
            prime: prime.clone(),
            a: a.clone(),
            z: z.clone(),
            right: with(&a),
            f: printed.to_string(),
        };
        push(Mistake::AtOwnValue(user), 2, Said::AtOwnValueName { prime: prime.clone() }, story);
        let af = factor(&a);
        match f {
            Func::Sigmoid => push(
                Mistake::Misremembered(user, Misremembered::SigmoidOneMinusInput),
                2,
                Said::SigmoidOneMinusInputName,
                Said::SigmoidOneMinusInput { z: z.clone(), zf: factor(&z), af: af.clone() },
            ),
            Func::Tanh => push(
                Mistake::Misremembered(user, Misremembered::TanhNotSquared),
                2,
                Said::TanhNotSquaredName,
                Said::TanhNotSquared { z: z.clone(), af: af.clone(), a: a.clone() },
            ),
            Func::Sqrt => push(
                Mistake::Scale(user, 0, 2.0),
                3,
                Said::DroppedConstantName { c: "½".into() },
                Said::SqrtHalfMissing { z: z.clone() },
            ),
            _ => {}
        }
        let forgotten = Said::PrimeMissing { prime: prime.clone(), z: z.clone(), value: with(&a) };
        push(
            Mistake::DropFactor(user, 0),
            if f == Func::Sigmoid { 2 } else { 3 },
            Said::PrimeForgottenName { prime: prime.clone() },
            forgotten,
        );
        if self.graph.let_of(user).is_some_and(|l| l != self.output) {
            let (name, f) = (Said::UsedInsteadName { z: z.clone(), a: a.clone() }, f.name().to_string());
            let everywhere = Said::UsedValueInstead { z: z.clone(), a: a.clone(), f: f.clone() };
            push(Mistake::PreActivation(user), 2, name.clone(), everywhere);
            let locally = Said::ChainFactorComputedWith { a: a.clone(), f, z: z.clone() };
            push(Mistake::PreActivationLocal(user), 2, name, locally);
        }
        // Exactly at a kink, the other one-sided derivative is a convention, not a slip.
        let at_kink = point.and_then(|p| p.get(arg)) == Some(0.0);
        match f {
            Func::Relu if at_kink => {
                push(Mistake::Replace(user, 0, 1.0), 0, Said::ReluKinkName, Said::ReluKink { z: z.clone() })
            }
            Func::Abs if at_kink => {
                for side in [1.0, -1.0] {
                    push(
                        Mistake::Replace(user, 0, side),
                        0,
                        Said::AbsKinkName,
                        Said::AbsKink { z: z.clone(), side: side.to_string() },
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
                Said::TieName { f: name.to_string() },
                Said::Tie {
                    x: (self.label)(*x),
                    y: (self.label)(*y),
                    f: name.to_string(),
                    input: (self.label)(*input),
                },
            );
        }
    }
}
