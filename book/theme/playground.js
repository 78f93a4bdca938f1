// The network playground (the page with a `.backprop-playground` element): pick or edit a
// network in the network language and a data set, then train it live in the page — loss curve,
// decision regions and each layer's gradient norm redrawn as it trains — or pause and step one
// update at a time, with the δ of every layer and one weight's update in numbers. The training
// is the engine's own loop (the same as `backprop net FILE train`, seeded), run in live.js's
// worker, so a run here is the run the terminal prints for the same file.
'use strict';

(function () {
  // The page's words, in its language (the Chinese edition is <html lang="zh-Hans">), as in
  // live.js. Names (of networks, data sets, files, optimizers), numbers, formulas and what the
  // engine says are the same in both; Chinese has no plurals.
  const chinese = (document.documentElement.lang || '').startsWith('zh');
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const WORDS = chinese ? {
    needsBuild: '网络实验场需要由 `backprop book build` 构建的本书（预设网络随页面一起提供）。',
    csvComment: '# 把数据粘贴到下面（x1、x2 两列，再加一列取 0 或 1 的标签，第一行是表头）。',
    dataSet: '数据集', pastedCsv: '粘贴的 CSV', networkFile: '网络文件', follow: '跟踪', weightToFollow: '要跟踪的权重',
    buttons: { train: '训练', pause: '暂停', step: '单步', reset: '还原' },
    save: '保存 playground.net',
    figures: { regions: '决策区域', loss: '每个迭代周期的损失（对数坐标）', norms: '每一层的 ‖∂E/∂W‖（最后一个迭代周期）' },
    stepHelp: '单步：执行一次更新，并显示每一层的 δ 和上面所填权重的更新',
    started: (info) => `${info.samples} 个样本，每个迭代周期 ${info.updates_per_epoch} 次更新，共 ${info.epochs} 个迭代周期（${info.optimizer}，α = ${info.learning_rate}）`,
    progress: (epoch, epochs, updates) => `迭代周期 ${epoch}/${epochs}，${updates} 次更新`,
    loss: (loss) => `，损失 ${loss}`,
    accuracy: (percent) => `，准确率 ${percent}%`,
    diverged: (why) => `——发散：${why}`,
    finished: '——训练完成（与 `backprop net playground.net train` 的运行完全相同）',
    regionsAfter: (n) => `训练 ${n} 个迭代周期后的决策区域：每个类别的区域涂成该类别的颜色，数据画成圆点`,
    regionsRight: (percent) => `；${percent}% 的点落在其所属类别的区域内`,
    lossCurve: (first, last, n) => `每个迭代周期的损失（对数坐标）：第 1 个迭代周期为 ${first}，第 ${n} 个为 ${last}`,
    lossNone: '每个迭代周期的损失：还没有完成任何一个迭代周期',
    norms: (list) => `最后一个迭代周期中每一层的梯度范数：${list.join('、')}`,
    normsNone: '每一层的梯度范数：还没有完成任何一个迭代周期',
    explainedHead: (epoch, step, loss) => `第 ${epoch} 个迭代周期第 ${step} 步：该小批量的损失 ${loss}`,
    deltas: '每一层的 δ = ∂Eₙ/∂z，取小批量中的第一个样本，按该样本自身的损失计算（梯度是整个小批量上的平均）：',
    zeroHinge: '所有 δ 都为 0：使用合页损失时，位于间隔之外的样本（t·y ≥ 1）对损失没有贡献，因此没有梯度从它反向传回',
    zeroRelu: '所有 δ 都为 0：没有梯度从这个样本反向传回（未激活的 relu 单元不传递梯度）',
    over: '本次训练已结束：按“还原”重新开始',
    explainedBelow: (epoch, step) => `第 ${epoch} 个迭代周期第 ${step} 步的详细过程见下方`,
    tooLong: '已停止：正在进行的更新耗时过长；按“训练”或“单步”重新开始',
    axisEpoch: (n) => `迭代周期 ${n}`,
  } : {
    needsBuild: 'The playground needs the book built by `backprop book build` (its presets come with the page).',
    csvComment: '# Paste the data below (columns x1, x2 and a label 0 or 1, with a header line).',
    dataSet: 'data set', pastedCsv: 'a CSV pasted in', networkFile: 'network file', follow: 'follow', weightToFollow: 'weight to follow',
    buttons: { train: 'train', pause: 'pause', step: 'step', reset: 'reset' },
    save: 'save playground.net',
    figures: { regions: 'decision regions', loss: 'loss per epoch (log scale)', norms: '‖∂E/∂W‖ per layer, last epoch' },
    stepHelp: 'step: one update, with the δ of every layer and the update of the weight named above',
    started: (info) => `${plural(info.samples, 'sample')}, ${plural(info.updates_per_epoch, 'update')} per epoch, ${plural(info.epochs, 'epoch')} (${info.optimizer}, α = ${info.learning_rate})`,
    progress: (epoch, epochs, updates) => `epoch ${epoch}/${epochs}, ${plural(updates, 'update')}`,
    loss: (loss) => `, loss ${loss}`,
    accuracy: (percent) => `, accuracy ${percent}%`,
    diverged: (why) => ` — diverged: ${why}`,
    finished: ' — done (the same run as `backprop net playground.net train`)',
    regionsAfter: (n) => `decision regions after ${plural(n, 'epoch')}: each class's region in its colour, the data as dots`,
    regionsRight: (percent) => `; ${percent}% of the points are on their class's side`,
    lossCurve: (first, last, n) => `loss per epoch, on a log scale: ${first} at epoch 1, ${last} at epoch ${n}`,
    lossNone: 'loss per epoch: no epoch yet',
    norms: (list) => `gradient norm of each layer in the last epoch: ${list.join(', ')}`,
    normsNone: 'gradient norm per layer: no epoch yet',
    explainedHead: (epoch, step, loss) => `epoch ${epoch}, step ${step}: batch loss ${loss}`,
    deltas: 'δ = ∂Eₙ/∂z of every layer for the batch\'s first sample, of that sample\'s own loss (the gradient is the mean over the batch):',
    zeroHinge: 'every δ is 0: with the hinge loss, a sample beyond the margin (t·y ≥ 1) adds nothing to the loss, so nothing flows back from it',
    zeroRelu: 'every δ is 0: nothing flows back from this sample (a relu unit that is off passes no gradient)',
    over: 'the run is over: reset to start again',
    explainedBelow: (epoch, step) => `step ${step} of epoch ${epoch} explained below`,
    tooLong: 'stopped: the update under way took too long; train or step starts again',
    axisEpoch: (n) => `epoch ${n}`,
  };

  // The presets; the first, moons, is examples/networks/playground-moons.net, which the book
  // build hands to the page (the element's data-networks) rather than this file copying it.
  const MOONS = 'examples/networks/playground-moons.net';
  const NETWORKS = {
    moons: null,
    xor: `network "playground"
input 2
dense 4 tanh
dense 1 sigmoid
loss bce
data xor
init xavier seed 1
train sgd lr 0.5 epochs 500 seed 1
`,
    circles: `network "playground"
input 2
dense 8 tanh
dense 1 sigmoid
loss bce
data circles 200 noise 0.1 seed 1
init xavier seed 1
train adam lr 0.05 epochs 100 batch 20 seed 1
`,
    spirals: `network "playground"
input 2
dense 32 relu
dense 32 relu
dense 3 softmax
loss cross_entropy
data spirals 100 classes 3 seed 1
init he seed 1
train adam lr 0.01 epochs 300 batch 50 seed 1
`,
    csv: `${WORDS.csvComment}
network "playground"
input 2
dense 8 tanh
dense 1 sigmoid
loss bce
data file "data.csv" target last
init xavier seed 1
train adam lr 0.05 epochs 200 seed 1
`,
  };
  const CSV = 'x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0.1,0.1,0\n0.9,0.1,1\n0.1,0.9,1\n0.9,0.9,0\n';

  function element(tag, attributes = {}, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function playground(root, engine) {
    const given = root.dataset.networks ? JSON.parse(root.dataset.networks) : {};
    if (!(MOONS in given)) {
      root.textContent = WORDS.needsBuild;
      return;
    }
    NETWORKS.moons = given[MOONS];
    const choose = element('select', { 'aria-label': WORDS.dataSet });
    for (const name of Object.keys(NETWORKS)) choose.append(element('option', { value: name }, name === 'csv' ? WORDS.pastedCsv : name));
    const text = element('textarea', { class: 'backprop-live-sheet', rows: '11', spellcheck: 'false', 'aria-label': WORDS.networkFile });
    const csv = element('textarea', { class: 'backprop-live-sheet', rows: '6', spellcheck: 'false', 'aria-label': 'data.csv', hidden: '' });
    const buttons = Object.fromEntries(['train', 'pause', 'step', 'reset'].map((b) => [b, element('button', { type: 'button' }, WORDS.buttons[b])]));
    // The status line changes every epoch: a screen reader hears only what `announce` says (a
    // run started, finished, stopped, or one step explained), not every epoch.
    const status = element('p', { class: 'backprop-playground-status' });
    const announcer = element('p', { class: 'backprop-visually-hidden', role: 'status' });
    const weight = element('input', { class: 'backprop-playground-weight', value: 'W1[0][0]', 'aria-label': WORDS.weightToFollow });
    const figures = element('div', { class: 'backprop-playground-figures' });
    const canvases = {};
    for (const [name, title] of Object.entries(WORDS.figures)) {
      const figure = element('figure');
      // A text alternative that says what the figure shows, in words, kept up to date by draw().
      canvases[name] = element('canvas', { width: '320', height: '240', role: 'img', 'aria-label': title });
      figure.append(canvases[name], element('figcaption', {}, title));
      figures.append(figure);
    }
    const explained = element('pre', { class: 'backprop-playground-explained', tabindex: '0' });
    explained.append(element('code', { class: 'hljs language-text' }, WORDS.stepHelp));
    const controls = element('div', { class: 'backprop-live-editor' });
    const label = element('label', {}, `${WORDS.dataSet} `);
    label.append(choose);
    const follow = element('label', {}, ` ${WORDS.follow} `);
    follow.append(weight);
    // Save the files, to run the same training in the terminal: `backprop net playground.net train`.
    const save = element('a', { href: '#', class: 'backprop-playground-save' }, WORDS.save);
    save.onclick = (e) => {
      e.preventDefault();
      for (const [name, content] of Object.entries(files())) {
        const link = element('a', { download: name });
        link.href = URL.createObjectURL(new Blob([content], { type: 'text/plain' }));
        link.click();
      }
    };
    controls.append(label, text, csv, buttons.train, buttons.pause, buttons.step, buttons.reset, follow, save, status, announcer);
    root.replaceChildren(controls, figures, explained);

    // One run at a time: every start (reset, a new data set, an edit) takes a new token, and an
    // answer for an older token is dropped. The session lives in the engine's worker: if the
    // worker was restarted (stopped), the session is gone and a new one is started.
    let started = null; // {token, generation, info, losses, accuracies, norms}
    let token = 0;
    let running = false;
    let busy = false; // a training call is under way in the worker
    const current = (run) => started === run && run.token === token;

    function files() {
      const given = { 'playground.net': text.value };
      if (!csv.hidden) given['data.csv'] = csv.value;
      return given;
    }
    function say(message) {
      status.textContent = message;
    }
    function announce(message) {
      say(message);
      announcer.textContent = message;
    }
    async function start() {
      const mine = ++token;
      running = false;
      started = null;
      const answer = await engine.session('start', 'playground.net', files());
      if (mine !== token) return null;
      if (answer.stderr) {
        say(answer.stderr.trim());
        return null;
      }
      const run = { token: mine, generation: engine.generation, info: answer.info, losses: [], accuracies: [], norms: [] };
      started = run;
      announce(WORDS.started(answer.info));
      await draw(run);
      return current(run) ? run : null;
    }
    // The run to continue: the current one if its worker is still the engine's, else a new one.
    async function session() {
      if (started && started.generation === engine.generation) return started;
      return start();
    }
    function record(run, state) {
      if (state.stderr) {
        announce(state.stderr.trim());
        running = false;
        return;
      }
      for (const e of state.epochs) {
        run.losses.push(e.loss);
        run.accuracies.push(e.accuracy);
        run.norms = e.norms;
      }
      const last = run.accuracies[run.accuracies.length - 1];
      const epoch = run.losses.length;
      let line = WORDS.progress(epoch, run.info.epochs, state.updates);
      if (epoch) line += WORDS.loss(run.losses[epoch - 1].toPrecision(4));
      if (last !== null && last !== undefined) line += WORDS.accuracy((100 * last).toFixed(1));
      if (state.diverged) line += WORDS.diverged(state.diverged);
      else if (state.finished) line += WORDS.finished;
      if (state.diverged || state.finished) announce(line);
      else say(line);
      root.dataset.epoch = String(epoch);
      root.dataset.accuracy = last === null || last === undefined ? '' : String(last);
      if (state.finished) running = false;
    }
    async function draw(run) {
      const regions = await engine.session('regions', 48);
      if (!current(run)) return;
      drawRegions(canvases.regions, regions);
      drawLoss(canvases.loss, run.losses);
      drawNorms(canvases.norms, run.norms);
      describe(run);
      root.dataset.drawn = String(Number(root.dataset.drawn || 0) + 1);
    }
    // The figures in words, for a reader who cannot see them.
    function describe(run) {
      const n = run.losses.length;
      const accuracy = run.accuracies[n - 1];
      canvases.regions.setAttribute('aria-label', WORDS.regionsAfter(n) +
        (accuracy === null || accuracy === undefined ? '' : WORDS.regionsRight((100 * accuracy).toFixed(1))));
      canvases.loss.setAttribute('aria-label', n ? WORDS.lossCurve(run.losses[0].toPrecision(3), run.losses[n - 1].toPrecision(3), n) : WORDS.lossNone);
      canvases.norms.setAttribute('aria-label', run.norms.length ? WORDS.norms(run.norms.map((v, i) => `W${i + 1} ${v.toPrecision(2)}`)) : WORDS.normsNone);
    }
    async function train() {
      if (running) return; // one loop at a time
      const run = await session();
      if (!run) return;
      running = true;
      while (running && current(run)) {
        busy = true;
        const state = await engine.session('step', run.info.updates_per_epoch);
        busy = false;
        if (!current(run)) break;
        record(run, state);
        await draw(run);
        await new Promise((r) => requestAnimationFrame(() => r()));
      }
    }
    async function step() {
      running = false;
      if (busy) return; // the loop's update under way finishes first
      const run = await session();
      if (!run) return;
      const m = weight.value.match(/^\s*W(\d+)\[(\d+)\]\[(\d+)\]\s*$/);
      const [layer, row, column] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [1, 0, 0];
      busy = true;
      const state = await engine.session('explain', layer, row, column);
      busy = false;
      if (!current(run)) return;
      record(run, state);
      const x = state.explained;
      // Every δ 0: nothing flows back from this sample, and the reader is told why.
      const zero = x && x.deltas.every((d) => (d.text.split('=').slice(1).join('=').match(/[-−]?\d+(\.\d+)?(e[-+]?\d+)?/g) || []).every((v) => Number(v.replace('−', '-')) === 0));
      const why = !zero ? [] : /^\s*loss\s+hinge/m.test(text.value)
        ? [WORDS.zeroHinge]
        : [WORDS.zeroRelu];
      explained.firstChild.textContent = x
        ? [WORDS.explainedHead(x.epoch, x.step, x.batch_loss.toPrecision(6)), WORDS.deltas,
          ...x.deltas.map((d) => '  ' + d.text), ...why, x.gradient_text, x.rule].join('\n')
        : WORDS.over;
      if (x) announcer.textContent = WORDS.explainedBelow(x.epoch, x.step);
      await draw(run);
    }
    function choice() {
      text.value = NETWORKS[choose.value];
      csv.hidden = choose.value !== 'csv';
      if (!csv.value) csv.value = CSV;
      reset();
    }
    function reset() {
      explained.firstChild.textContent = WORDS.stepHelp;
      start();
    }
    choose.onchange = choice;
    buttons.train.onclick = train;
    // Pause ends the run after the update under way; one that has not returned within half a
    // second (a network too large for the page) is stopped by ending the worker (the next
    // train or step starts the run again).
    buttons.pause.onclick = () => {
      running = false;
      const run = started;
      setTimeout(() => {
        if (busy && started === run) {
          engine.stop();
          started = null;
          busy = false;
          announce(WORDS.tooLong);
        }
      }, 500);
    };
    buttons.step.onclick = step;
    buttons.reset.onclick = reset;
    text.onchange = reset;
    csv.onchange = reset;
    choose.value = 'moons';
    choice();
  }

  // Decision regions: each cell in its class's colour (blue, orange, green, …, as the book's
  // static figures), paler where the network is less sure; the data as dots in their classes'
  // colours.
  const CLASS_COLOURS = [[31, 119, 180], [204, 85, 0], [44, 160, 44], [214, 39, 40], [148, 103, 189]];
  function drawRegions(canvas, r) {
    const g = canvas.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    if (!r || !r.class) return;
    const [x0, x1, y0, y1] = r.bounds;
    const cw = canvas.width / r.n, ch = canvas.height / r.n;
    r.class.forEach((c, k) => {
      const [cr, cg, cb] = CLASS_COLOURS[c % CLASS_COLOURS.length];
      const a = 0.12 + 0.33 * r.confidence[k];
      const mix = (v) => Math.round(255 + (v - 255) * a);
      const i = Math.floor(k / r.n), j = k % r.n;
      g.fillStyle = `rgb(${mix(cr)}, ${mix(cg)}, ${mix(cb)})`;
      g.fillRect(j * cw, i * ch, cw + 1, ch + 1);
    });
    for (const [x, y, c] of r.points) {
      g.beginPath();
      g.arc(((x - x0) / (x1 - x0)) * canvas.width, ((y1 - y) / (y1 - y0)) * canvas.height, 3, 0, 2 * Math.PI);
      g.fillStyle = `rgb(${CLASS_COLOURS[c % CLASS_COLOURS.length].join(', ')})`;
      g.fill();
    }
  }

  function axes(g, canvas) {
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.strokeStyle = '#888';
    g.beginPath();
    g.moveTo(40, 10);
    g.lineTo(40, canvas.height - 25);
    g.lineTo(canvas.width - 10, canvas.height - 25);
    g.stroke();
    g.fillStyle = '#333';
    g.font = '12px sans-serif';
  }

  function drawLoss(canvas, losses) {
    const g = canvas.getContext('2d');
    axes(g, canvas);
    const values = losses.filter((v) => v > 0 && Number.isFinite(v)).map(Math.log10);
    if (values.length < 1) return;
    // A loop, not Math.min(...values): spreading a list into arguments throws past about
    // 150,000 epochs (the engine's argument limit).
    let lo = Infinity, hi = -Infinity;
    for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
    hi += 1e-9;
    const w = canvas.width - 50, h = canvas.height - 40;
    // The axis's ends as numbers (the curve is drawn on a log scale).
    g.fillText(Number((10 ** hi).toPrecision(2)).toString(), 2, 16);
    g.fillText(Number((10 ** lo).toPrecision(2)).toString(), 2, canvas.height - 28);
    g.fillText(WORDS.axisEpoch(losses.length), canvas.width - 70, canvas.height - 8);
    g.strokeStyle = '#1f77b4';
    g.lineWidth = 2;
    g.beginPath();
    values.forEach((v, i) => {
      const x = 40 + (values.length === 1 ? 0 : (i / (values.length - 1)) * w);
      const y = 10 + ((hi - v) / (hi - lo || 1)) * h;
      if (i) g.lineTo(x, y); else g.moveTo(x, y);
    });
    g.stroke();
    g.lineWidth = 1;
  }

  function drawNorms(canvas, norms) {
    const g = canvas.getContext('2d');
    axes(g, canvas);
    if (!norms || !norms.length) return;
    const top = norms.reduce((a, v) => Math.max(a, v), 1e-12);
    const w = (canvas.width - 60) / norms.length;
    norms.forEach((v, i) => {
      const h = (v / top) * (canvas.height - 45);
      g.fillStyle = '#ff7f0e';
      g.fillRect(45 + i * w, canvas.height - 25 - h, w * 0.7, h);
      g.fillStyle = '#333';
      g.fillText(`W${i + 1}`, 45 + i * w, canvas.height - 10);
      g.fillText(v.toPrecision(2), 45 + i * w, canvas.height - 30 - h);
    });
  }

  window.backpropPlayground = playground;
})();
