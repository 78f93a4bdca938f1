//! `check`'s messages in English.

use super::Said;

fn plural(n: impl Into<u64>) -> &'static str {
    if n.into() == 1 { "" } else { "s" }
}

/// `2` → `2nd`, `5` → `5th`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

pub(super) fn said(s: &Said) -> String {
    use Said::*;
    match s {
        Nothing => String::new(),
        InputError(phrase) => phrase.en.clone(),
        RightValue { value } => format!("the right value is {value}"),
        RightAnswer { form, value } => format!("the right answer is {form} = {value}"),
        TooCoarse { digits, required, value } => {
            format!("right to {digits} digit{}; give at least {required} significant digits ({value})", plural(*digits))
        }
        LikelyMistake { right, explanation } => format!("{}; likely mistake: {}", said(right), said(explanation)),
        WithReason { right, reason } => format!("{}; {}", said(right), said(reason)),
        NoAnswer { right } => format!("no answer; {}", said(right)),
        NotJudgedBecause { reason } => format!("not judged: {}", said(reason)),
        WrittenTo { last, digits, at_rank, fewer } => {
            let rank = match *last {
                0 => "the units".to_string(),
                1 => "the tens".to_string(),
                2 => "the hundreds".to_string(),
                k if k < 0 => format!("{} decimal place{}", -k, plural(k.unsigned_abs())),
                k => format!("the 10^{k} place"),
            };
            let mut text = format!(
                "your answer is written to {rank} ({digits} significant digit{}), where the right value is {at_rank}",
                plural(*digits)
            );
            if let Some((coarse, written)) = fewer {
                text.push_str(&format!(
                    "; to give {coarse} significant digit{}, write it as {written}",
                    plural(*coarse)
                ));
            }
            text
        }
        NoValueAtPoint => "your expression has no value at the given point".into(),
        EquivalentEverywhere { points } => {
            format!("equivalent to the right answer at the point and at {points} random points")
        }
        TooFewPoints { valid, needed } => {
            format!("not judged: only {valid} random points where both sides are defined ({needed} are needed)")
        }
        EquivalentOneHot { given } => format!("equivalent to the right answer for the one-hot target {given}"),
        OneHotNote { given, form, value } => {
            let any = match form {
                Some(form) => format!("the form is {form} = {value}"),
                None => format!("the value is {value}"),
            };
            format!("right for the one-hot target {given} of this exercise; for any target, {any}")
        }
        ReadAsConstant { name, euler: true } => {
            format!("`{name}` is read as Euler's number e = 2.718281828 (it is not a name of this exercise)")
        }
        ReadAsConstant { name, euler: false } => {
            format!("`{name}` is read as π = 3.141592654 (it is not a name of this exercise)")
        }
        CarriedName { target } => format!("error carried forward from {target}"),
        CarriedRounded { target, value, line } => format!(
            "consistent with your {target} rounded to {value} (line {line}): carry more digits through the calculation"
        ),
        CarriedWrong { target, line } => {
            format!("consistent with your {target} (line {line}): the method is right, the earlier value was not")
        }
        SignFlipName => "sign flip".into(),
        SignFlipped => "the sign is flipped".into(),
        NoLearningRateName => "forgot the learning rate".into(),
        NoLearningRate { w, step, lr } => {
            format!("the update is {w} − {step}: the learning rate α = {lr} is missing")
        }
        NoLearningRateNet => "the update is w − α·∂E/∂w: the learning rate α is missing".into(),
        UpTheGradientName => "moved up the gradient".into(),
        UpTheGradient { w, step } => format!("gradient descent subtracts {step} from {w}; this answer adds it"),
        UsedInsteadName { z, a } => format!("used {z} where {a} was needed"),
        UsedValueInstead { z, a, f } => format!("the value of {z} was used where {a} = {f}({z}) was needed"),
        ForwardWentOnWith { z, a, f } => {
            format!("the forward pass went on with {z} where the activations {a} = {f}({z}) were needed")
        }
        ChainFactorComputedWith { a, f, z } => {
            format!("the chain factor that needs {a} = {f}({z}) was computed with {z}")
        }
        DroppedConstantName { c } => format!("dropped constant factor {c}"),
        ConstantMissing { c, of } => format!("the constant factor {c} of {of} is missing"),
        PowerFactorMissing { n, base, power } => {
            format!("the power rule gives {n}·{base}{power}: the factor {n} is missing")
        }
        PowerFactorMissingEverywhere { n } => format!("the factor {n} of the power rule is missing in every term"),
        PowerAndCoefficientMissing { shown, n, c } => {
            format!("the factor {shown} (the power rule's {n} times {c}) is missing")
        }
        ConstantMissingEverywhere { c } => format!("the constant factor {c} is missing in every term"),
        MeanMissing { samples } => {
            format!("the mean over the batch's {samples} samples (a factor 1/{samples}) is missing")
        }
        SqrtHalfMissing { z } => format!("sqrt′({z}) = 1/(2·sqrt({z})): the factor ½ is missing"),
        ForgottenPathName { through } => format!("forgotten path through {through}"),
        RepeatedFactor { x, times, user } => {
            format!("{x} appears {times} times in {user}: the product rule gives a term for each, and one is missing")
        }
        AlsoEntersDirectly { x, root } => {
            format!("{x} also enters {root} directly, and that path is missing from the sum over paths")
        }
        PathMissing { x, users, through } => {
            format!("{x} feeds {}; the path through {through} is missing from the sum over paths", users.join(" and "))
        }
        DroppedChainFactorName { step } => format!("dropped chain factor {step}"),
        ChainFactorMissing { step, here } => match here {
            Some(value) => format!("the chain factor {step} (= {value} here) is missing"),
            None => format!("the chain factor {step} is missing"),
        },
        FrozenName { v } => format!("treated {v} as a constant"),
        Frozen { v, target } => format!("{v} depends on {target} too: the path through {v} is missing"),
        TransposedName => "transposed weight index".into(),
        TransposedIndices { root, other, w } => {
            format!("this is ∂{root}/∂{other}: the indices of {w} are swapped (the first index is the unit it feeds)")
        }
        TransposedGoingBack => "going back, the weights were read with their indices swapped: a hidden unit's δ sums \
                                over the weights leaving it, W[k][j]·δ[k] (Wᵀδ), not W[j][k]·δ[k]"
            .into(),
        TransposedNet => "the row and column of the weight are swapped: W[i][j] connects input j to unit i".into(),
        TargetNotSubtractedName => "δ = p instead of p − y".into(),
        TargetNotSubtracted { y } => format!("the derivative ends in − {y}: the target {y} is not subtracted"),
        SoftmaxTargetNotSubtracted => {
            "with softmax and cross-entropy the output δ is p − y: the target is not subtracted".into()
        }
        OwnValueFromInputName { prime } => format!("{prime} written with the pre-activation"),
        OwnValueFromInput { prime, z, with_z, with_a, a, f } => {
            format!("{prime}({z}) was written as {with_z}; it is {with_a}, with {a} = {f}({z})")
        }
        AtOwnValueName { prime } => format!("{prime} taken at the wrong node"),
        AtOwnValue { prime, a, z, right, f } => format!(
            "{prime} was taken at {a} instead of at {z}: use {prime}({z}){}, not {prime}({a}) = {prime}({f}({z}))",
            right.as_ref().map(|w| format!(" = {w}")).unwrap_or_default()
        ),
        SigmoidOneMinusInputName => "σ′ written as σ(z)(1 − z)".into(),
        SigmoidOneMinusInput { z, zf, af } => {
            format!("σ′({z}) was written as σ({z})·(1 − {zf}); it is σ({z})·(1 − σ({z})) = {af}·(1 − {af})")
        }
        TanhNotSquaredName => "tanh′ written as 1 − tanh (not squared)".into(),
        TanhNotSquared { z, af, a } => {
            format!("tanh′({z}) was written as 1 − {af}; it is 1 − {af}², with {a} = tanh({z})")
        }
        PrimeForgottenName { prime } => format!("{prime} forgotten"),
        PrimeMissing { prime, z, value } => match value {
            Some(w) => format!("the factor {prime}({z}) = {w} is missing"),
            None => format!("the factor {prime}({z}) is missing"),
        },
        ReluKinkName => "relu′ at the kink".into(),
        ReluKink { z } => format!(
            "{z} = 0 is relu's kink, where it has no derivative: this tool takes relu′(0) = 0 (as PyTorch, \
             TensorFlow and JAX do); this answer takes relu′(0) = 1"
        ),
        AbsKinkName => "abs′ at the kink".into(),
        AbsKink { z, side } => format!(
            "{z} = 0 is abs's kink, where it has no derivative: this tool takes abs′(0) = sign(0) = 0; \
             this answer takes abs′(0) = {side}"
        ),
        TieName { f } => format!("{f}′ at a tie"),
        Tie { x, y, f, input } => format!(
            "{x} = {y}: {f} has no derivative at a tie, and this tool passes the gradient to neither input \
             (so {f}(0, z) agrees with relu, relu′(0) = 0); this answer passes it to {input}"
        ),
        HintForward { node, definition, inputs } => format!(
            "work forward: {node} = {}; evaluate {} first",
            definition.as_deref().unwrap_or("its definition"),
            if inputs.is_empty() { "the point".to_string() } else { inputs.join(", ") }
        ),
        HintNoDependence { out, x } => format!("{out} does not depend on {x}"),
        HintDirect { out, x } => {
            format!("{out} uses {x} directly: differentiate {out}'s definition with respect to {x}")
        }
        HintThrough { x, out, one, step, rule } => format!(
            "{x} enters {out} through {one}: ∂{out}/∂{x} = {step} ({rule} for the last factor); go back from {out} to {one} first"
        ),
        HintFeeds { x, names, out, terms } => format!(
            "{x} feeds {} nodes ({}): add one chain-rule product per path, ∂{out}/∂{x} = {terms}",
            names.len(),
            names.join(", ")
        ),
        HintUpdate { x, out, lr } => {
            format!("one step of gradient descent: new {x} = {x} − α·∂{out}/∂{x} with α = {lr}; find ∂{out}/∂{x} first")
        }
        HintNetLoss { output, formula } => format!("run the forward pass to the output {output}, then {formula}"),
        Formula(formula) => formula.clone(),
        HintNetActivation { a, f, z } => format!("{a} = {f}({z}): find {z} first"),
        HintNetFusedDelta { pair, formula } => format!("{pair}: {formula}"),
        HintNetOutputDelta { formula } => format!("the output layer (BP1): {formula}"),
        HintNetHiddenDelta { formula } => format!("a hidden layer (BP2): {formula}"),
        HintNetGradient { formula, rule } => format!("{formula} ({rule}), averaged over the batch"),
        HintNetFindDelta => "find the δ of the parameter's layer first".into(),
        HintNetUpdate { p, lr } => format!("one step: new {p} = {p} − α·∂E/∂{p} with α = {lr}; find ∂E/∂{p} first"),
        Summary { right, total, wrong, too_coarse, not_judged } => {
            let mut text = format!("{right} of {total} right");
            if *wrong > 0 {
                text.push_str(&format!(", {wrong} wrong"));
                if *too_coarse > 0 {
                    text.push_str(&format!(" ({too_coarse} too coarse)"));
                }
            }
            if *not_judged > 0 {
                text.push_str(&format!(", {not_judged} not judged"));
            }
            text
        }
        Marks { earned, out_of } => format!("; {earned} of {out_of} marks"),
        CheckMarks { earned, out_of } => format!("{earned} of {out_of}"),
        Line { line } => format!("line {line}"),
        ExerciseAt { title, line } => format!("{title} (line {line})"),
        NoAnswerShown => "(no answer)".into(),
        NotJudgedShown => "(not judged)".into(),
        NoteLabel => "note".into(),
        HintLabel => "hint".into(),
        SheetLabel => "sheet".into(),
        NoExercise => "this sheet has no exercise".into(),
        DeriveAt { point } => format!("at {point}:"),
        DeriveConstant => "(no variables: the expression is a constant)".into(),
        DeriveAnswers => "answers:".into(),
        DeriveWhere => "where".into(),
        DerivePointsTable => "at each point (✓ a finite difference agrees, ✗ it does not, – none can be taken or the point is on a kink):".into(),
        FiniteDifference { at_node, value, disagrees } => {
            let at = if *at_node { " at the node" } else { "" };
            match disagrees {
                None => format!("finite difference{at} {value} ✓"),
                Some(r) => format!(
                    "finite difference{at} {value} ✗ (relative error {r}: the function may not be differentiable here)"
                ),
            }
        }
        FiniteDifferenceAtKink { value, kink } => {
            format!("finite difference {value} – (at the kink of `{kink}`: the function may not be differentiable here)")
        }
        NoFiniteDifference { why } => format!("no finite difference: {}", why.en),
        LossBefore { value } => format!("loss before: {value}"),
        LossAfter { value } => format!("loss after:  {value}   (same batch)"),
        GradAt { point } => format!("at {point}"),
        GradRounded { digits } => format!("(every intermediate rounded to {digits} significant digits, as by hand)"),
        GradNode => "node".into(),
        GradValue => "value".into(),
        GradLocals => "local derivatives".into(),
        GradAdjoint { output } => format!("adjoint ∂{output}/∂node"),
        GradGradient { parts } => format!("gradient: {parts}"),
        GradReverseCost { passes, operations } => {
            format!("reverse mode: {passes} passes (forward, backward), {operations} operations")
        }
        GradForwardCost { passes, operations } => format!(
            "forward mode: {passes} pass{} (one per variable), {operations} operations",
            if *passes == 1 { "" } else { "es" }
        ),
        GradForwardNote => {
            "(gradient computed in forward mode: each column is one pass with that variable's tangent set to 1)".into()
        }
        Training { name } => format!("training \"{name}\""),
        TrainEpoch => "epoch".into(),
        TrainLoss => "loss".into(),
        TrainAccuracy => "accuracy".into(),
        TrainSamples => "samples".into(),
        TrainTime => "time (ms)".into(),
        TrainEvery { step } => format!("(every {} epoch shown, the last too; --every N to choose)", ordinal(*step)),
        TestAccuracy { percent } => format!("held-out test accuracy: {percent}%"),
        NotMarked { sheet } => format!("{sheet} — not marked:"),
        SheetMarked { sheet, variant, right, of, marks, out_of } => {
            let variant = variant.map(|v| format!("variant {v}")).unwrap_or_default();
            format!("{sheet}  {variant}  {right} of {of} right, {marks} of {out_of} marks")
        }
        SheetsMarked { n } => format!("{n} sheets marked"),
        ClassMarks { mean, out_of, lo, hi } => format!(
            ": marks {mean} on average of {out_of} (from {lo} to {hi})\n\nper check (right answers; the mistake most made):\n"
        ),
        RightOf { right, n } => format!("{right:>3} of {n}"),
        MostMade { mistake, count, n } => format!("{mistake} ({count} of {n})"),
        GradebookAt { path } => format!("gradebook: {path}"),
    }
}
