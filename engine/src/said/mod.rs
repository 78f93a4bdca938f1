//! What `check` says to a student, as meanings rather than sentences: each `Said` is one
//! message with its values (names and formulas as the student wrote them, numbers already
//! formatted), written out in a language only when a report is rendered.
//!
//! Why an enum and not Fluent: the English and the Chinese are each one exhaustive `match`
//! (`en.rs`, `zh.rs`), so a message without its Chinese, or a Chinese without its English, does
//! not compile — the compiler lists what a new message still needs, before any test runs — and
//! no new dependency or runtime lookup reaches the browser's `.wasm`. The messages' values are
//! typed, so a number keeps the digits the tool formatted, in both languages.

mod en;
pub mod hand;
pub mod net;
pub mod picture;
pub mod steps;
mod zh;

use crate::lang::Lang;

/// One message of `check`.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Said {
    /// Nothing to say.
    #[default]
    Nothing,
    /// Bad input's message, as the code that found it says it (`error::both`).
    InputError(crate::error::Phrase),

    // Verdicts.
    RightValue {
        value: String,
    },
    RightAnswer {
        form: String,
        value: String,
    },
    TooCoarse {
        digits: u32,
        required: u32,
        value: String,
    },
    LikelyMistake {
        right: Box<Said>,
        explanation: Box<Said>,
    },
    WithReason {
        right: Box<Said>,
        reason: Box<Said>,
    },
    NoAnswer {
        right: Box<Said>,
    },
    NotJudgedBecause {
        reason: Box<Said>,
    },
    /// Written to the digit `last` (10^last) with `digits` significant digits, where the right
    /// value is `at_rank`; `fewer`: how to claim fewer digits of an integer with trailing zeros.
    WrittenTo {
        last: i32,
        digits: u32,
        at_rank: String,
        fewer: Option<(u32, String)>,
    },
    NoValueAtPoint,
    EquivalentEverywhere {
        points: usize,
    },
    TooFewPoints {
        valid: usize,
        needed: usize,
    },
    EquivalentOneHot {
        given: String,
    },
    OneHotNote {
        given: String,
        form: Option<String>,
        value: String,
    },
    /// `e` read as Euler's number (`euler`), else `pi` as π, where neither is a name of the exercise.
    ReadAsConstant {
        name: String,
        euler: bool,
    },

    // Errors carried forward.
    CarriedName {
        target: String,
    },
    CarriedRounded {
        target: String,
        value: String,
        line: usize,
    },
    CarriedWrong {
        target: String,
        line: usize,
    },

    // The catalogue of mistakes: a name, then its story.
    SignFlipName,
    SignFlipped,
    NoLearningRateName,
    NoLearningRate {
        w: String,
        step: String,
        lr: String,
    },
    NoLearningRateNet,
    UpTheGradientName,
    UpTheGradient {
        w: String,
        step: String,
    },
    UsedInsteadName {
        z: String,
        a: String,
    },
    UsedValueInstead {
        z: String,
        a: String,
        f: String,
    },
    ForwardWentOnWith {
        z: String,
        a: String,
        f: String,
    },
    ChainFactorComputedWith {
        a: String,
        f: String,
        z: String,
    },
    DroppedConstantName {
        c: String,
    },
    ConstantMissing {
        c: String,
        of: String,
    },
    PowerFactorMissing {
        n: String,
        base: String,
        power: String,
    },
    PowerFactorMissingEverywhere {
        n: String,
    },
    PowerAndCoefficientMissing {
        shown: String,
        n: String,
        c: String,
    },
    ConstantMissingEverywhere {
        c: String,
    },
    MeanMissing {
        samples: usize,
    },
    SqrtHalfMissing {
        z: String,
    },
    ForgottenPathName {
        through: String,
    },
    RepeatedFactor {
        x: String,
        times: usize,
        user: String,
    },
    AlsoEntersDirectly {
        x: String,
        root: String,
    },
    PathMissing {
        x: String,
        users: Vec<String>,
        through: String,
    },
    DroppedChainFactorName {
        step: String,
    },
    ChainFactorMissing {
        step: String,
        here: Option<String>,
    },
    FrozenName {
        v: String,
    },
    Frozen {
        v: String,
        target: String,
    },
    TransposedName,
    TransposedIndices {
        root: String,
        other: String,
        w: String,
    },
    TransposedGoingBack,
    TransposedNet,
    TargetNotSubtractedName,
    TargetNotSubtracted {
        y: String,
    },
    SoftmaxTargetNotSubtracted,
    OwnValueFromInputName {
        prime: String,
    },
    OwnValueFromInput {
        prime: String,
        z: String,
        with_z: String,
        with_a: String,
        a: String,
        f: String,
    },
    AtOwnValueName {
        prime: String,
    },
    AtOwnValue {
        prime: String,
        a: String,
        z: String,
        right: Option<String>,
        f: String,
    },
    SigmoidOneMinusInputName,
    SigmoidOneMinusInput {
        z: String,
        zf: String,
        af: String,
    },
    TanhNotSquaredName,
    TanhNotSquared {
        z: String,
        af: String,
        a: String,
    },
    PrimeForgottenName {
        prime: String,
    },
    PrimeMissing {
        prime: String,
        z: String,
        value: Option<String>,
    },
    ReluKinkName,
    ReluKink {
        z: String,
    },
    AbsKinkName,
    AbsKink {
        z: String,
        side: String,
    },
    TieName {
        f: String,
    },
    Tie {
        x: String,
        y: String,
        f: String,
        input: String,
    },

    // Hints: the first step of the right working.
    HintForward {
        node: String,
        definition: Option<String>,
        /// What to evaluate first (none: the point's values).
        inputs: Vec<String>,
    },
    HintNoDependence {
        out: String,
        x: String,
    },
    HintDirect {
        out: String,
        x: String,
    },
    HintThrough {
        x: String,
        out: String,
        one: String,
        step: String,
        rule: String,
    },
    HintFeeds {
        x: String,
        names: Vec<String>,
        out: String,
        terms: String,
    },
    HintUpdate {
        x: String,
        out: String,
        lr: String,
    },
    HintNetLoss {
        output: String,
        formula: String,
    },
    /// A formula with no words: the same in every language.
    Formula(String),
    HintNetActivation {
        a: String,
        f: String,
        z: String,
    },
    HintNetFusedDelta {
        pair: String,
        formula: String,
    },
    HintNetOutputDelta {
        formula: String,
    },
    HintNetHiddenDelta {
        formula: String,
    },
    HintNetGradient {
        formula: String,
        rule: &'static str,
    },
    HintNetFindDelta,
    HintNetUpdate {
        p: String,
        lr: String,
    },

    // `derive` and `net step`: their words around the formulas.
    DeriveAt {
        point: String,
    },
    DeriveConstant,
    DeriveAnswers,
    DeriveWhere,
    DerivePointsTable,
    /// A finite difference beside a partial; `disagrees`: the relative error when it does not agree.
    FiniteDifference {
        at_node: bool,
        value: String,
        disagrees: Option<String>,
    },
    FiniteDifferenceAtKink {
        value: String,
        kink: String,
    },
    /// No finite difference could be taken, and why (as the evaluator says it, in both languages).
    NoFiniteDifference {
        why: crate::error::Phrase,
    },
    LossBefore {
        value: String,
    },
    LossAfter {
        value: String,
    },

    // `grad`: the table's headings and the costs.
    GradAt {
        point: String,
    },
    GradRounded {
        digits: u32,
    },
    GradNode,
    GradValue,
    GradLocals,
    GradAdjoint {
        output: String,
    },
    GradGradient {
        parts: String,
    },
    GradReverseCost {
        passes: usize,
        operations: usize,
    },
    GradForwardCost {
        passes: usize,
        operations: usize,
    },
    GradForwardNote,

    // `net … train`: the table's headings and notes.
    Training {
        name: String,
    },
    TrainEpoch,
    TrainLoss,
    TrainAccuracy,
    TrainSamples,
    TrainTime,
    TrainEvery {
        step: usize,
    },
    TestAccuracy {
        percent: String,
    },

    // `check --class`: the summary for the teacher.
    NotMarked {
        sheet: String,
    },
    SheetMarked {
        sheet: String,
        variant: Option<usize>,
        right: usize,
        of: usize,
        marks: String,
        out_of: String,
    },
    SheetsMarked {
        n: usize,
    },
    ClassMarks {
        mean: String,
        out_of: String,
        lo: String,
        hi: String,
    },
    RightOf {
        right: usize,
        n: usize,
    },
    MostMade {
        mistake: String,
        count: usize,
        n: usize,
    },
    GradebookAt {
        path: String,
    },

    // The report's own words.
    Summary {
        right: usize,
        total: usize,
        wrong: usize,
        too_coarse: usize,
        not_judged: usize,
    },
    Marks {
        earned: String,
        out_of: String,
    },
    CheckMarks {
        earned: String,
        out_of: String,
    },
    Line {
        line: usize,
    },
    ExerciseAt {
        title: String,
        line: usize,
    },
    NoAnswerShown,
    NotJudgedShown,
    NoteLabel,
    HintLabel,
    SheetLabel,
    NoExercise,
}

impl Said {
    /// The message in `lang`.
    pub fn to(&self, lang: Lang) -> String {
        match lang {
            Lang::En => en::said(self),
            Lang::Zh => zh::unnamed(zh::said(self)),
        }
    }

    /// In English (tests and the default).
    pub fn english(&self) -> String {
        self.to(Lang::En)
    }

    pub fn is_nothing(&self) -> bool {
        matches!(self, Said::Nothing)
    }

    pub fn boxed(self) -> Box<Said> {
        Box::new(self)
    }
}

/// Whether a text has Chinese characters: what every catalogue test asks of a Chinese message
/// (and of its English, that it has none).
#[cfg(test)]
pub(crate) fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[cfg(test)]
mod tests;
