//! The catalogue is complete in both languages: the compiler holds each language's `match` to
//! every message; these tests hold the Chinese to being Chinese, and each sample to its message.

use super::Said;
use crate::lang::Lang;

/// One sample of each message.
fn samples() -> Vec<Said> {
    use Said::*;
    vec![
        Nothing,
        InputError(crate::error::both("q7", "q7")),
        RightValue { value: "q7".into() },
        RightAnswer { form: "q7".into(), value: "q7".into() },
        TooCoarse { digits: 2, required: 2, value: "q7".into() },
        LikelyMistake { right: Box::new(Said::SignFlipped), explanation: Box::new(Said::SignFlipped) },
        WithReason { right: Box::new(Said::SignFlipped), reason: Box::new(Said::SignFlipped) },
        NoAnswer { right: Box::new(Said::SignFlipped) },
        NotJudgedBecause { reason: Box::new(Said::SignFlipped) },
        WrittenTo { last: -2, digits: 2, at_rank: "q7".into(), fewer: Some((1, "2e3".into())) },
        NoValueAtPoint,
        EquivalentEverywhere { points: 2 },
        TooFewPoints { valid: 2, needed: 2 },
        EquivalentOneHot { given: "q7".into() },
        OneHotNote { given: "q7".into(), form: Some("y".into()), value: "q7".into() },
        ReadAsConstant { name: "q7".into(), euler: true },
        ReadAsConstant { name: "q7".into(), euler: false },
        CarriedName { target: "q7".into() },
        CarriedRounded { target: "q7".into(), value: "q7".into(), line: 2 },
        CarriedWrong { target: "q7".into(), line: 2 },
        SignFlipName,
        SignFlipped,
        NoLearningRateName,
        NoLearningRate { w: "q7".into(), step: "q7".into(), lr: "q7".into() },
        NoLearningRateNet,
        UpTheGradientName,
        UpTheGradient { w: "q7".into(), step: "q7".into() },
        UsedInsteadName { z: "q7".into(), a: "q7".into() },
        UsedValueInstead { z: "q7".into(), a: "q7".into(), f: "q7".into() },
        ForwardWentOnWith { z: "q7".into(), a: "q7".into(), f: "q7".into() },
        ChainFactorComputedWith { a: "q7".into(), f: "q7".into(), z: "q7".into() },
        DroppedConstantName { c: "q7".into() },
        ConstantMissing { c: "q7".into(), of: "q7".into() },
        PowerFactorMissing { n: "q7".into(), base: "q7".into(), power: "q7".into() },
        PowerFactorMissingEverywhere { n: "q7".into() },
        PowerAndCoefficientMissing { shown: "q7".into(), n: "q7".into(), c: "q7".into() },
        ConstantMissingEverywhere { c: "q7".into() },
        MeanMissing { samples: 2 },
        SqrtHalfMissing { z: "q7".into() },
        ForgottenPathName { through: "q7".into() },
        RepeatedFactor { x: "q7".into(), times: 2, user: "q7".into() },
        AlsoEntersDirectly { x: "q7".into(), root: "q7".into() },
        PathMissing { x: "q7".into(), users: vec!["u".into(), "v".into()], through: "q7".into() },
        DroppedChainFactorName { step: "q7".into() },
        ChainFactorMissing { step: "q7".into(), here: Some("y".into()) },
        FrozenName { v: "q7".into() },
        Frozen { v: "q7".into(), target: "q7".into() },
        TransposedName,
        TransposedIndices { root: "q7".into(), other: "q7".into(), w: "q7".into() },
        TransposedGoingBack,
        TransposedNet,
        TargetNotSubtractedName,
        TargetNotSubtracted { y: "q7".into() },
        SoftmaxTargetNotSubtracted,
        OwnValueFromInputName { prime: "q7".into() },
        OwnValueFromInput {
            prime: "q7".into(),
            z: "q7".into(),
            with_z: "q7".into(),
            with_a: "q7".into(),
            a: "q7".into(),
            f: "q7".into(),
        },
        AtOwnValueName { prime: "q7".into() },
        AtOwnValue { prime: "q7".into(), a: "q7".into(), z: "q7".into(), right: Some("y".into()), f: "q7".into() },
        SigmoidOneMinusInputName,
        SigmoidOneMinusInput { z: "q7".into(), zf: "q7".into(), af: "q7".into() },
        TanhNotSquaredName,
        TanhNotSquared { z: "q7".into(), af: "q7".into(), a: "q7".into() },
        PrimeForgottenName { prime: "q7".into() },
        PrimeMissing { prime: "q7".into(), z: "q7".into(), value: Some("y".into()) },
        ReluKinkName,
        ReluKink { z: "q7".into() },
        AbsKinkName,
        AbsKink { z: "q7".into(), side: "q7".into() },
        TieName { f: "q7".into() },
        Tie { x: "q7".into(), y: "q7".into(), f: "q7".into(), input: "q7".into() },
        HintForward { node: "q7".into(), definition: Some("y".into()), inputs: vec!["u".into(), "v".into()] },
        HintNoDependence { out: "q7".into(), x: "q7".into() },
        HintDirect { out: "q7".into(), x: "q7".into() },
        HintThrough { x: "q7".into(), out: "q7".into(), one: "q7".into(), step: "q7".into(), rule: "q7".into() },
        HintFeeds { x: "q7".into(), names: vec!["u".into(), "v".into()], out: "q7".into(), terms: "q7".into() },
        HintUpdate { x: "q7".into(), out: "q7".into(), lr: "q7".into() },
        HintNetLoss { output: "q7".into(), formula: "q7".into() },
        Formula("q7".into()),
        HintNetActivation { a: "q7".into(), f: "q7".into(), z: "q7".into() },
        HintNetFusedDelta { pair: "q7".into(), formula: "q7".into() },
        HintNetOutputDelta { formula: "q7".into() },
        HintNetHiddenDelta { formula: "q7".into() },
        HintNetGradient { formula: "q7".into(), rule: "BP4" },
        HintNetFindDelta,
        HintNetUpdate { p: "q7".into(), lr: "q7".into() },
        DeriveAt { point: "q7".into() },
        DeriveConstant,
        DeriveAnswers,
        DeriveWhere,
        DerivePointsTable,
        FiniteDifference { at_node: true, value: "q7".into(), disagrees: Some("y".into()) },
        FiniteDifference { at_node: false, value: "q7".into(), disagrees: Some("y".into()) },
        FiniteDifferenceAtKink { value: "q7".into(), kink: "q7".into() },
        NoFiniteDifference { why: crate::error::both("q7", "q7") },
        LossBefore { value: "q7".into() },
        LossAfter { value: "q7".into() },
        GradAt { point: "q7".into() },
        GradRounded { digits: 2 },
        GradNode,
        GradValue,
        GradLocals,
        GradAdjoint { output: "q7".into() },
        GradGradient { parts: "q7".into() },
        GradReverseCost { passes: 2, operations: 2 },
        GradForwardCost { passes: 2, operations: 2 },
        GradForwardNote,
        Training { name: "q7".into() },
        TrainEpoch,
        TrainLoss,
        TrainAccuracy,
        TrainSamples,
        TrainTime,
        TrainEvery { step: 2 },
        TestAccuracy { percent: "q7".into() },
        NotMarked { sheet: "q7".into() },
        SheetMarked { sheet: "q7".into(), variant: Some(7), right: 2, of: 2, marks: "q7".into(), out_of: "q7".into() },
        SheetsMarked { n: 2 },
        ClassMarks { mean: "q7".into(), out_of: "q7".into(), lo: "q7".into(), hi: "q7".into() },
        RightOf { right: 2, n: 2 },
        MostMade { mistake: "q7".into(), count: 2, n: 2 },
        GradebookAt { path: "q7".into() },
        Summary { right: 2, total: 2, wrong: 2, too_coarse: 2, not_judged: 2 },
        Marks { earned: "q7".into(), out_of: "q7".into() },
        CheckMarks { earned: "q7".into(), out_of: "q7".into() },
        Line { line: 2 },
        ExerciseAt { title: "q7".into(), line: 2 },
        NoAnswerShown,
        NotJudgedShown,
        NoteLabel,
        HintLabel,
        SheetLabel,
        NoExercise,
    ]
}

/// Which message a sample is: a `match` without a `_` arm, so a new message must be listed here
/// (and then given a sample, or `every_message_has_a_sample` fails).
fn index(said: &Said) -> usize {
    use Said::*;
    match said {
        Nothing => 0,
        InputError(_) => 1,
        RightValue { .. } => 2,
        RightAnswer { .. } => 3,
        TooCoarse { .. } => 4,
        LikelyMistake { .. } => 5,
        WithReason { .. } => 6,
        NoAnswer { .. } => 7,
        NotJudgedBecause { .. } => 8,
        WrittenTo { .. } => 9,
        NoValueAtPoint => 10,
        EquivalentEverywhere { .. } => 11,
        TooFewPoints { .. } => 12,
        EquivalentOneHot { .. } => 13,
        OneHotNote { .. } => 14,
        ReadAsConstant { .. } => 15,
        CarriedName { .. } => 16,
        CarriedRounded { .. } => 17,
        CarriedWrong { .. } => 18,
        SignFlipName => 19,
        SignFlipped => 20,
        NoLearningRateName => 21,
        NoLearningRate { .. } => 22,
        NoLearningRateNet => 23,
        UpTheGradientName => 24,
        UpTheGradient { .. } => 25,
        UsedInsteadName { .. } => 26,
        UsedValueInstead { .. } => 27,
        ForwardWentOnWith { .. } => 28,
        ChainFactorComputedWith { .. } => 29,
        DroppedConstantName { .. } => 30,
        ConstantMissing { .. } => 31,
        PowerFactorMissing { .. } => 32,
        PowerFactorMissingEverywhere { .. } => 33,
        PowerAndCoefficientMissing { .. } => 34,
        ConstantMissingEverywhere { .. } => 35,
        MeanMissing { .. } => 36,
        SqrtHalfMissing { .. } => 37,
        ForgottenPathName { .. } => 38,
        RepeatedFactor { .. } => 39,
        AlsoEntersDirectly { .. } => 40,
        PathMissing { .. } => 41,
        DroppedChainFactorName { .. } => 42,
        ChainFactorMissing { .. } => 43,
        FrozenName { .. } => 44,
        Frozen { .. } => 45,
        TransposedName => 46,
        TransposedIndices { .. } => 47,
        TransposedGoingBack => 48,
        TransposedNet => 49,
        TargetNotSubtractedName => 50,
        TargetNotSubtracted { .. } => 51,
        SoftmaxTargetNotSubtracted => 52,
        OwnValueFromInputName { .. } => 53,
        OwnValueFromInput { .. } => 54,
        AtOwnValueName { .. } => 55,
        AtOwnValue { .. } => 56,
        SigmoidOneMinusInputName => 57,
        SigmoidOneMinusInput { .. } => 58,
        TanhNotSquaredName => 59,
        TanhNotSquared { .. } => 60,
        PrimeForgottenName { .. } => 61,
        PrimeMissing { .. } => 62,
        ReluKinkName => 63,
        ReluKink { .. } => 64,
        AbsKinkName => 65,
        AbsKink { .. } => 66,
        TieName { .. } => 67,
        Tie { .. } => 68,
        HintForward { .. } => 69,
        HintNoDependence { .. } => 70,
        HintDirect { .. } => 71,
        HintThrough { .. } => 72,
        HintFeeds { .. } => 73,
        HintUpdate { .. } => 74,
        HintNetLoss { .. } => 75,
        Formula(_) => 76,
        HintNetActivation { .. } => 77,
        HintNetFusedDelta { .. } => 78,
        HintNetOutputDelta { .. } => 79,
        HintNetHiddenDelta { .. } => 80,
        HintNetGradient { .. } => 81,
        HintNetFindDelta => 82,
        HintNetUpdate { .. } => 83,
        DeriveAt { .. } => 84,
        DeriveConstant => 85,
        DeriveAnswers => 86,
        DeriveWhere => 87,
        DerivePointsTable => 88,
        FiniteDifference { .. } => 89,
        FiniteDifferenceAtKink { .. } => 90,
        NoFiniteDifference { .. } => 91,
        LossBefore { .. } => 92,
        LossAfter { .. } => 93,
        GradAt { .. } => 94,
        GradRounded { .. } => 95,
        GradNode => 96,
        GradValue => 97,
        GradLocals => 98,
        GradAdjoint { .. } => 99,
        GradGradient { .. } => 100,
        GradReverseCost { .. } => 101,
        GradForwardCost { .. } => 102,
        GradForwardNote => 103,
        Training { .. } => 104,
        TrainEpoch => 105,
        TrainLoss => 106,
        TrainAccuracy => 107,
        TrainSamples => 108,
        TrainTime => 109,
        TrainEvery { .. } => 110,
        TestAccuracy { .. } => 111,
        NotMarked { .. } => 112,
        SheetMarked { .. } => 113,
        SheetsMarked { .. } => 114,
        ClassMarks { .. } => 115,
        RightOf { .. } => 116,
        MostMade { .. } => 117,
        GradebookAt { .. } => 118,
        Summary { .. } => 119,
        Marks { .. } => 120,
        CheckMarks { .. } => 121,
        Line { .. } => 122,
        ExerciseAt { .. } => 123,
        NoAnswerShown => 124,
        NotJudgedShown => 125,
        NoteLabel => 126,
        HintLabel => 127,
        SheetLabel => 128,
        NoExercise => 129,
    }
}

const MESSAGES: usize = 130;

#[test]
fn every_message_has_a_sample() {
    let mut seen = [false; MESSAGES];
    for s in samples() {
        seen[index(&s)] = true;
    }
    let missing: Vec<usize> = seen.iter().enumerate().filter(|(_, s)| !**s).map(|(i, _)| i).collect();
    assert!(missing.is_empty(), "messages without a sample: {missing:?}");
}

/// Every message with words is Chinese in Chinese (CJK letters, and not the English), and keeps
/// the values it was given.
#[test]
fn every_message_is_written_in_both_languages() {
    let cjk = super::has_chinese;
    for s in samples() {
        let (en, zh) = (s.to(Lang::En), s.to(Lang::Zh));
        match s {
            Said::Nothing | Said::InputError(_) | Said::Formula(_) => assert_eq!(en, zh),
            _ => {
                assert!(!en.is_empty() && !cjk(&en), "{s:?} in English: {en}");
                assert!(cjk(&zh) && zh != en, "{s:?} in Chinese: {zh}");
                for value in ["q7"] {
                    if en.contains(value) {
                        assert!(zh.contains(value), "{s:?}: {zh} lost {value}");
                    }
                }
            }
        }
    }
}

/// A second reader's findings, kept: a list never breaks a formula's commas, a place past the
/// hundreds has its name, a note of a loss formula is Chinese, a nameless part is named in Chinese.
#[test]
fn chinese_keeps_formulas_whole() {
    let hint = Said::HintForward {
        node: "f".into(),
        definition: Some("max(x, y)·z".into()),
        inputs: vec!["max(x, y)".into(), "z".into()],
    };
    assert_eq!(hint.to(Lang::Zh), "向前计算：f = max(x, y)·z；先求出 max(x, y)、z 的值");
    let thousands = Said::WrittenTo { last: 3, digits: 2, at_rank: "12000".into(), fewer: None };
    assert!(thousands.to(Lang::Zh).starts_with("你的答案写到千位（2 位有效数字）"), "{}", thousands.to(Lang::Zh));
    let loss = Said::HintNetLoss {
        output: "a2".into(),
        formula: "E = ½ Σᵢ (aᵢ − tᵢ)²   (half the sum over outputs, mean over samples)".into(),
    };
    assert!(
        loss.to(Lang::Zh).ends_with("E = ½ Σᵢ (aᵢ − tᵢ)²（对各输出取平方和的一半，再对样本取平均）"),
        "{}",
        loss.to(Lang::Zh)
    );
    let nameless = Said::HintDirect { out: "f".into(), x: "an unnamed part of the expression".into() };
    assert!(nameless.to(Lang::Zh).contains("表达式中一个未命名的部分"), "{}", nameless.to(Lang::Zh));
}
