//! `check`'s messages in 简体中文, with the book's terms (d2l-zh's): 链式法则, 学习率, 梯度下降,
//! 误差项 (δ), 激活值, 权重, 独热编码. Formulas, names and numbers are as in English.

use super::Said;

/// The rules' and losses' English names (from the function and loss tables) in Chinese; a
/// name not listed (a formula) is shown as it is.
pub(super) fn term(english: &str) -> String {
    let known = [
        ("sum rule", "加法法则"),
        ("product rule", "乘法法则"),
        ("quotient rule", "除法法则"),
        ("power rule", "幂法则"),
        ("exponential rule", "指数法则"),
        ("a leaf", "叶节点"),
        ("a named intermediate is its definition", "有名字的中间量等于它的定义"),
        ("max passes the gradient to the larger input", "max 把梯度传给较大的输入"),
        ("min passes the gradient to the smaller input", "min 把梯度传给较小的输入"),
        ("[u > 0] is constant on each side", "[u > 0] 在两侧各为常数"),
        // How an answer of `derive` was tidied (`Tidied::describe`).
        ("multiplied out; like terms collected and cancelled", "展开后合并同类项，消去相互抵消的项"),
        ("multiplied out and brought over a common denominator", "展开后通分"),
        ("multiplied out; the factors every term shares taken out", "展开后提取公因式"),
        ("sigmoid with binary cross-entropy", "sigmoid 输出层搭配二元交叉熵损失"),
        ("softmax with cross-entropy", "softmax 输出层搭配交叉熵损失"),
        // The notes of the loss table's formulas.
        ("mean over the k outputs and m samples", "对 k 个输出和 m 个样本取平均"),
        ("half the sum over outputs, mean over samples", "对各输出取平方和的一半，再对样本取平均"),
        ("p = softmax output, t one-hot", "p 为 softmax 的输出，t 为独热编码的目标"),
        ("t = ±1; 0/1 targets read as −1/+1", "t = ±1；0/1 目标按 −1/+1 处理"),
    ];
    for (en, zh) in known {
        if english == en {
            return zh.to_string();
        }
        if let Some(rest) = english.strip_prefix(en).and_then(|r| r.strip_prefix(':')) {
            return format!("{zh}：{}", rest.trim_start());
        }
    }
    english.to_string()
}

/// A loss formula with its note in Chinese: `E = …   (note)` → `E = …（注）`.
fn noted(formula: &str) -> String {
    match formula.split_once("   (") {
        Some((math, note)) => format!("{math}（{}）", term(note.trim_end_matches(')'))),
        None => formula.to_string(),
    }
}

/// The engine's name for a part that has none, in a label, in Chinese.
pub(super) fn unnamed(text: String) -> String {
    text.replace("an unnamed part of the expression", "表达式中一个未命名的部分")
        .replace("an unnamed part of the network", "网络中一个未命名的部分")
}

fn listed(items: &[String]) -> String {
    items.join("、")
}

pub(super) fn said(s: &Said) -> String {
    use Said::*;
    match s {
        Nothing => String::new(),
        InputError(phrase) => phrase.zh.clone().unwrap_or_else(|| phrase.en.clone()),
        RightValue { value } => format!("正确的值是 {value}"),
        RightAnswer { form, value } => format!("正确答案是 {form} = {value}"),
        TooCoarse { digits, required, value } => {
            format!("保留 {digits} 位有效数字时是对的；请至少给出 {required} 位有效数字（{value}）")
        }
        LikelyMistake { right, explanation } => format!("{}；可能的错误：{}", said(right), said(explanation)),
        WithReason { right, reason } => format!("{}；{}", said(right), said(reason)),
        NoAnswer { right } => format!("未作答；{}", said(right)),
        NotJudgedBecause { reason } => format!("未评判：{}", said(reason)),
        WrittenTo { last, digits, at_rank, fewer } => {
            let rank = match *last {
                0 => "个位".to_string(),
                1 => "十位".to_string(),
                2 => "百位".to_string(),
                k if k < 0 => format!("小数点后第 {} 位", -k),
                3 => "千位".to_string(),
                4 => "万位".to_string(),
                k => format!(" 10^{k} 位"),
            };
            let mut text = format!("你的答案写到{rank}（{digits} 位有效数字），而正确值保留到这一位是 {at_rank}");
            if let Some((coarse, written)) = fewer {
                text.push_str(&format!("；若只给 {coarse} 位有效数字，请写成 {written}"));
            }
            text
        }
        NoValueAtPoint => "你的表达式在给定的点上没有定义".into(),
        EquivalentEverywhere { points } => format!("在给定的点和 {points} 个随机点上都与正确答案相等"),
        TooFewPoints { valid, needed } => {
            format!("未评判：两边都有定义的随机点只有 {valid} 个（需要 {needed} 个）")
        }
        EquivalentOneHot { given } => format!("对独热编码的目标 {given}，与正确答案相等"),
        OneHotNote { given, form, value } => {
            let any = match form {
                Some(form) => format!("一般形式是 {form} = {value}"),
                None => format!("其值是 {value}"),
            };
            format!("对本题独热编码的目标 {given} 是正确的；对任意目标，{any}")
        }
        ReadAsConstant { name, euler: true } => {
            format!("`{name}` 读作自然常数 e = 2.718281828（本题中没有名为 {name} 的量）")
        }
        ReadAsConstant { name, euler: false } => format!("`{name}` 读作 π = 3.141592654（本题中没有名为 {name} 的量）"),
        CarriedName { target } => format!("沿用了 {target} 的错误"),
        CarriedRounded { target, value, line } => {
            format!("与你把 {target} 舍入为 {value}（第 {line} 行）后的结果一致：计算过程中请多保留几位数字")
        }
        CarriedWrong { target, line } => {
            format!("与你的 {target}（第 {line} 行）一致：方法是对的，错在前面那个值")
        }
        SignFlipName => "符号弄反".into(),
        SignFlipped => "符号弄反了".into(),
        NoLearningRateName => "漏乘学习率".into(),
        NoLearningRate { w, step, lr } => format!("更新应为 {w} − {step}：漏乘了学习率 α = {lr}"),
        NoLearningRateNet => "更新应为 w − α·∂E/∂w：漏乘了学习率 α".into(),
        UpTheGradientName => "沿梯度上升".into(),
        UpTheGradient { w, step } => format!("梯度下降是从 {w} 中减去 {step}；这个答案却加上了它"),
        UsedInsteadName { z, a } => format!("在该用 {a} 的地方用了 {z}"),
        UsedValueInstead { z, a, f } => format!("该用 {a} = {f}({z}) 的地方用了 {z} 的值"),
        ForwardWentOnWith { z, a, f } => {
            format!("前向传播在需要激活值 {a} = {f}({z}) 的地方直接用了 {z}")
        }
        ChainFactorComputedWith { a, f, z } => {
            format!("链式法则中需要 {a} = {f}({z}) 的那个因子是用 {z} 算的")
        }
        DroppedConstantName { c } => format!("漏了常数因子 {c}"),
        ConstantMissing { c, of } => format!("漏了 {of} 中的常数因子 {c}"),
        PowerFactorMissing { n, base, power } => format!("幂法则给出 {n}·{base}{power}：漏了因子 {n}"),
        PowerFactorMissingEverywhere { n } => format!("每一项都漏了幂法则的因子 {n}"),
        PowerAndCoefficientMissing { shown, n, c } => {
            format!("漏了因子 {shown}（幂法则的 {n} 乘以 {c}）")
        }
        ConstantMissingEverywhere { c } => format!("每一项都漏了常数因子 {c}"),
        MeanMissing { samples } => format!("漏了对小批量 {samples} 个样本取平均（因子 1/{samples}）"),
        SqrtHalfMissing { z } => format!("sqrt′({z}) = 1/(2·sqrt({z}))：漏了因子 ½"),
        ForgottenPathName { through } => format!("漏了经过 {through} 的路径"),
        RepeatedFactor { x, times, user } => {
            format!("{x} 在 {user} 中出现了 {times} 次：乘法法则对每一次各给出一项，这里漏了一项")
        }
        AlsoEntersDirectly { x, root } => {
            format!("{x} 还直接进入 {root}，对各条路径求和时漏了这条路径")
        }
        PathMissing { x, users, through } => {
            format!("{x} 同时流向 {}；对各条路径求和时漏了经过 {through} 的路径", listed(users))
        }
        DroppedChainFactorName { step } => format!("漏了链式因子 {step}"),
        ChainFactorMissing { step, here } => match here {
            Some(value) => format!("漏了链式因子 {step}（此处等于 {value}）"),
            None => format!("漏了链式因子 {step}"),
        },
        FrozenName { v } => format!("把 {v} 当成了常数"),
        Frozen { v, target } => format!("{v} 也依赖于 {target}：漏了经过 {v} 的路径"),
        TransposedName => "权重下标颠倒".into(),
        TransposedIndices { root, other, w } => {
            format!("这是 ∂{root}/∂{other}：{w} 的两个下标颠倒了（第一个下标是它所连向的单元）")
        }
        TransposedGoingBack => "反向传播时权重的下标读反了：隐藏单元的误差项是对从它出发的权重求和，\
                                即 W[k][j]·δ[k]（Wᵀδ），而不是 W[j][k]·δ[k]"
            .into(),
        TransposedNet => "权重的行与列颠倒了：W[i][j] 是从输入 j 连到单元 i 的权重".into(),
        TargetNotSubtractedName => "误差项写成了 p 而不是 p − y".into(),
        TargetNotSubtracted { y } => format!("导数最后应减去 {y}：没有减去目标值 {y}"),
        SoftmaxTargetNotSubtracted => "softmax 与交叉熵搭配时，输出层的误差项是 p − y：没有减去目标值".into(),
        OwnValueFromInputName { prime } => format!("{prime} 误用了预激活值"),
        OwnValueFromInput { prime, z, with_z, with_a, a, f } => {
            format!("{prime}({z}) 被写成了 {with_z}；应为 {with_a}，其中 {a} = {f}({z})")
        }
        AtOwnValueName { prime } => format!("{prime} 在错误的节点上求值"),
        AtOwnValue { prime, a, z, right, f } => format!(
            "{prime} 是在 {a} 而不是在 {z} 上求的：应为 {prime}({z}){}，而不是 {prime}({a}) = {prime}({f}({z}))",
            right.as_ref().map(|w| format!(" = {w}")).unwrap_or_default()
        ),
        SigmoidOneMinusInputName => "把 σ′ 写成了 σ(z)(1 − z)".into(),
        SigmoidOneMinusInput { z, zf, af } => {
            format!("σ′({z}) 被写成了 σ({z})·(1 − {zf})；应为 σ({z})·(1 − σ({z})) = {af}·(1 − {af})")
        }
        TanhNotSquaredName => "把 tanh′ 写成了 1 − tanh（漏了平方）".into(),
        TanhNotSquared { z, af, a } => {
            format!("tanh′({z}) 被写成了 1 − {af}；应为 1 − {af}²，其中 {a} = tanh({z})")
        }
        PrimeForgottenName { prime } => format!("漏了 {prime}"),
        PrimeMissing { prime, z, value } => match value {
            Some(w) => format!("漏了因子 {prime}({z}) = {w}"),
            None => format!("漏了因子 {prime}({z})"),
        },
        ReluKinkName => "relu′ 在折点处的取值".into(),
        ReluKink { z } => format!(
            "{z} = 0 是 relu 的折点，那里没有导数：本工具取 relu′(0) = 0（PyTorch、TensorFlow 和 JAX 也这样取）；\
             这个答案取的是 relu′(0) = 1"
        ),
        AbsKinkName => "abs′ 在折点处的取值".into(),
        AbsKink { z, side } => format!(
            "{z} = 0 是 abs 的折点，那里没有导数：本工具取 abs′(0) = sign(0) = 0；这个答案取的是 abs′(0) = {side}"
        ),
        TieName { f } => format!("{f}′ 在两输入相等处的取值"),
        Tie { x, y, f, input } => format!(
            "{x} = {y}：{f} 在两个输入相等处没有导数，本工具不把梯度传给任何一个输入\
             （这样 {f}(0, z) 与 relu 一致，relu′(0) = 0）；这个答案把梯度传给了 {input}"
        ),
        HintForward { node, definition, inputs } => {
            let how = match definition {
                Some(definition) => format!("{node} = {definition}"),
                None => format!("{node} 按其定义计算"),
            };
            let first = if inputs.is_empty() {
                "先代入给定点的值".to_string()
            } else {
                format!("先求出 {} 的值", listed(inputs))
            };
            format!("向前计算：{how}；{first}")
        }
        HintNoDependence { out, x } => format!("{out} 不依赖于 {x}"),
        HintDirect { out, x } => format!("{out} 直接用到 {x}：把 {out} 的定义对 {x} 求导"),
        HintThrough { x, out, one, step, rule } => format!(
            "{x} 经过 {one} 进入 {out}：∂{out}/∂{x} = {step}（最后一个因子：{}）；先从 {out} 反向求到 {one}",
            term(rule)
        ),
        HintFeeds { x, names, out, terms } => format!(
            "{x} 流向 {} 个节点（{}）：每条路径一个链式法则乘积，相加得 ∂{out}/∂{x} = {terms}",
            names.len(),
            listed(names)
        ),
        HintUpdate { x, out, lr } => {
            format!("梯度下降的一步：新的 {x} = {x} − α·∂{out}/∂{x}，其中 α = {lr}；先求 ∂{out}/∂{x}")
        }
        HintNetLoss { output, formula } => format!("先做前向传播，算到输出 {output}，再算 {}", noted(formula)),
        Formula(formula) => formula.clone(),
        HintNetActivation { a, f, z } => format!("{a} = {f}({z})：先求 {z}"),
        HintNetFusedDelta { pair, formula } => match term(pair) {
            known if known != *pair => format!("{known}：{formula}"),
            _ => format!("输出层为 {pair}：{formula}"),
        },
        HintNetOutputDelta { formula } => format!("输出层（BP1）：{formula}"),
        HintNetHiddenDelta { formula } => format!("隐藏层（BP2）：{formula}"),
        HintNetGradient { formula, rule } => format!("{formula}（{rule}），对小批量取平均"),
        HintNetFindDelta => "先求该参数所在层的误差项 δ".into(),
        HintNetUpdate { p, lr } => format!("一步更新：新的 {p} = {p} − α·∂E/∂{p}，其中 α = {lr}；先求 ∂E/∂{p}"),
        Summary { right, total, wrong, too_coarse, not_judged } => {
            let mut text = format!("{total} 题中答对 {right} 题");
            if *wrong > 0 {
                text.push_str(&format!("，答错 {wrong} 题"));
                if *too_coarse > 0 {
                    text.push_str(&format!("（其中 {too_coarse} 题精度不够）"));
                }
            }
            if *not_judged > 0 {
                text.push_str(&format!("，{not_judged} 题未评判"));
            }
            text
        }
        Marks { earned, out_of } => format!("；得分 {earned}（满分 {out_of}）"),
        CheckMarks { earned, out_of } => format!("得 {earned} 分（满分 {out_of}）"),
        Line { line } => format!("第 {line} 行"),
        ExerciseAt { title, line } => format!("{title}（第 {line} 行）"),
        NoAnswerShown => "（未作答）".into(),
        NotJudgedShown => "（未评判）".into(),
        NoteLabel => "注".into(),
        HintLabel => "提示".into(),
        SheetLabel => "全卷".into(),
        NoExercise => "这份练习单里没有练习".into(),
        DeriveAt { point } => format!("在 {point} 处："),
        DeriveConstant => "（没有变量：这个表达式是常数）".into(),
        DeriveAnswers => "答案：".into(),
        DeriveWhere => "其中".into(),
        DerivePointsTable => "各点上的值（✓ 有限差分与之相符，✗ 不符，– 无法取差分或该点位于折点上）：".into(),
        FiniteDifference { at_node, value, disagrees } => {
            let at = if *at_node { "（在该节点处）" } else { "" };
            match disagrees {
                None => format!("有限差分{at} {value} ✓"),
                Some(r) => format!("有限差分{at} {value} ✗（相对误差 {r}：函数在此处可能不可导）"),
            }
        }
        FiniteDifferenceAtKink { value, kink } => {
            format!("有限差分 {value} –（位于 `{kink}` 的折点上：函数在此处可能不可导）")
        }
        NoFiniteDifference { why } => format!("无法取有限差分：{}", why.chinese()),
        LossBefore { value } => format!("更新前的损失：{value}"),
        LossAfter { value } => format!("更新后的损失：{value}   （同一批量）"),
        GradAt { point } => format!("在 {point} 处"),
        GradRounded { digits } => format!("（每个中间值都像手算时一样舍入到 {digits} 位有效数字）"),
        GradNode => "节点".into(),
        GradValue => "值".into(),
        GradLocals => "局部导数".into(),
        GradAdjoint { output } => format!("伴随值 ∂{output}/∂节点"),
        GradGradient { parts } => format!("梯度：{parts}"),
        GradReverseCost { passes, operations } => {
            format!("反向模式：{passes} 遍（前向、反向），{operations} 次运算")
        }
        GradForwardCost { passes, operations } => format!("前向模式：{passes} 遍（每个变量一遍），{operations} 次运算"),
        GradForwardNote => "（梯度以前向模式计算：每一列是把该变量的切向量设为 1 的一遍）".into(),
        Training { name } => format!("训练“{name}”"),
        TrainEpoch => "迭代周期".into(),
        TrainLoss => "损失".into(),
        TrainAccuracy => "准确率".into(),
        TrainSamples => "样本数".into(),
        TrainTime => "用时（毫秒）".into(),
        TrainEvery { step } => format!("（每 {step} 个迭代周期显示一行，最后一个也显示；用 --every N 选择）"),
        TestAccuracy { percent } => format!("留出测试集上的准确率：{percent}%"),
        NotMarked { sheet } => format!("{sheet}——未评分："),
        SheetMarked { sheet, variant, right, of, marks, out_of } => {
            let variant = variant.map(|v| format!("第 {v} 个版本")).unwrap_or_default();
            format!("{sheet}  {variant}  {of} 题中答对 {right} 题，得 {marks} 分（满分 {out_of}）")
        }
        SheetsMarked { n } => format!("共评阅 {n} 份练习单"),
        ClassMarks { mean, out_of, lo, hi } => {
            format!("：平均得分 {mean}（满分 {out_of}；最低 {lo}，最高 {hi}）\n\n每道题（答对人数；最常见的错误）：\n")
        }
        RightOf { right, n } => format!("答对 {right:>3}/{n}"),
        MostMade { mistake, count, n } => format!("{mistake}（{n} 人中有 {count} 人）"),
        GradebookAt { path } => format!("成绩册：{path}"),
    }
}
