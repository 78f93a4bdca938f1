// The live book: every computed block can be edited and run again in the page, and every
// exercise answered, by the engine the command line uses (backprop.js, in a worker so that the
// page never freezes and a long command can be stopped). Without JavaScript the page still
// shows every computed example; this only adds to it.
'use strict';

(function () {
  const root = typeof path_to_root === 'string' ? path_to_root : '';
  // The page's words, in its language (the Chinese edition is <html lang="zh-Hans">); what the
  // engine says comes in that language from the engine itself.
  const chinese = (document.documentElement.lang || '').startsWith('zh');
  const WORDS = chinese ? {
    running: '运行中…', stopped: '已停止', done: (ms) => `完成，用时 ${ms} 毫秒`, math: '用数学记号表示',
    command: '命令', sheet: '练习单', run: '运行', stop: '停止', reset: '还原', edit: '编辑',
    answer: '自己作答', placeholder: '一个数或一个表达式', submit: '检查我的答案', picture: '在页面中算出的图',
  } : {
    running: 'running…', stopped: 'stopped', done: (ms) => `done in ${ms} ms`, math: 'The same in mathematical notation',
    command: 'command', sheet: 'the exercise sheet', run: 'run', stop: 'stop', reset: 'reset', edit: 'edit',
    answer: 'answer it yourself', placeholder: 'a number or an expression', submit: 'check my answers',
    picture: 'a picture computed in the page',
  };
  // The worker under its content-hashed name (the build writes it into each page), so that the
  // engine can be cached for good; a book built by a plain `mdbook build` has the plain name.
  const workerMeta = document.querySelector('meta[name="backprop-worker"]');
  const workerPath = workerMeta ? workerMeta.getAttribute('content') : 'playground/worker.js';

  // An engine in a worker of its own; `stop` terminates it and the next request starts a fresh
  // one (`generation` counts the workers, so a caller with state in the old one can tell).
  // The page's blocks share one engine; the playground has its own, so stopping a block never
  // ends a training run, and the reverse.
  function makeEngine() {
    return {
      worker: null,
      pending: new Map(),
      next: 1,
      generation: 0,
      start() {
        this.generation++;
        this.worker = new Worker(root + workerPath, { type: 'module' });
        this.worker.onmessage = (event) => {
          const { id, answer } = event.data;
          const resolve = this.pending.get(id);
          if (resolve) {
            this.pending.delete(id);
            resolve(answer);
          }
        };
        this.worker.onerror = (event) => {
          this.fail(`error: the engine could not start here (${event.message || 'the browser refused the worker'}); ` +
            'open the book from a web server, for example `backprop book serve`\n');
        };
      },
      // The page's language is the engine's: a Chinese page's verdicts and hints are Chinese.
      run(command, files) {
        return this.send({ command, files, lang: document.documentElement.lang || 'en' });
      },
      // LaTeX → MathML, as the book renders it.
      mathml(latex) {
        return this.send({ latex });
      },
      // What the worker fetched (the engine), once it has loaded it: for the book's tests.
      resources() {
        return this.send({ resources: true });
      },
      // The playground's training session (see playground/backprop.js).
      session(name, ...args) {
        return this.send({ session: name, args });
      },
      send(message) {
        if (!this.worker) this.start();
        const id = this.next++;
        return new Promise((resolve) => {
          this.pending.set(id, resolve);
          this.worker.postMessage({ id, ...message });
        });
      },
      fail(message) {
        for (const resolve of this.pending.values()) resolve({ stdout: '', stderr: message, status: 2, files: {} });
        this.pending.clear();
        if (this.worker) this.worker.terminate();
        this.worker = null;
      },
      stop() {
        this.fail('stopped\n');
      },
    };
  }
  const engine = makeEngine();
  window.backpropEngine = engine;

  function element(tag, attributes = {}, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // An SVG from the engine, shown as an image: nothing in it can run.
  function picture(svg) {
    const img = element('img', { class: 'backprop-live-picture', alt: WORDS.picture });
    img.src = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    return img;
  }

  // Text as the book shows a block's output: a code block (scrolls sideways on a phone).
  // `columns`: set Chinese characters two cells wide (for tables); a wrapped verdict is prose.
  function code(text, className, columns = true) {
    // Reachable from the keyboard, so that a wide output can be scrolled without a mouse.
    const pre = element('pre', className ? { class: className, tabindex: '0' } : { tabindex: '0' });
    pre.append(element('code', { class: 'hljs language-text' }, text));
    if (chinese && columns) alignWide(pre);
    return pre;
  }

  // What the terminal would show: the command, its output, its notes or its error.
  function render(command, answer) {
    const out = element('div', { class: 'backprop-live-output' });
    const svg = answer.stdout.startsWith('<svg');
    if (svg) {
      out.append(picture(answer.stdout));
    } else if (answer.stdout) {
      const notes = answer.status === 0 ? answer.stderr : '';
      out.append(code(`$ backprop ${command}\n${answer.stdout}${notes}`));
    }
    // Notes beside a picture or a written file (`note: …`), as the terminal prints them.
    if (answer.status === 0 && answer.stderr && (svg || !answer.stdout)) {
      out.append(code(`$ backprop ${command}\n${answer.stderr}`));
    }
    if (answer.status !== 0 && answer.stderr) {
      out.append(code(`$ backprop ${command}\n${answer.stderr}`, 'backprop-error'));
    }
    for (const [name, text] of Object.entries(answer.files || {})) {
      if (text.startsWith('<svg')) out.append(picture(text));
      else out.append(code(`${name}:\n${text}`));
    }
    return out;
  }

  // A verdict as a reader wants it under the question: no command line, no sheet header or
  // summary, no line numbers of the rebuilt sheet, and a hint only under a wrong answer. Its
  // lines wrap, so that the diagnosis stays on a phone's screen.
  function verdict(answer) {
    const box = element('div', { class: 'backprop-live-verdict', role: 'status' });
    if (answer.status >= 2 && !/[✓✗]/.test(answer.stdout)) {
      box.append(code(answer.stderr || answer.stdout, 'backprop-error'));
      return box;
    }
    const lines = answer.stdout.split('\n');
    const kept = [];
    let wrong = false;
    for (const line of lines.slice(1)) {
      // The report's words in either language: `sheet:`/`全卷：`, `(line 2)`/`（第 2 行）`, `hint:`/`提示：`.
      if (/^\s*(sheet:|全卷：)/.test(line) || /^\s{2}\S.*(\(line \d+\)|（第 \d+ 行）)$/.test(line) || !line.trim()) continue;
      const mark = line.match(/^(\s*)([✓✗?~!])\s+(?:line \d+|第 \d+ 行)\s+(.*)$/);
      if (mark) {
        wrong = mark[2] !== '✓';
        kept.push(`${mark[2]} ${mark[3]}`);
      } else if (/^\s*(hint:|提示：)/.test(line)) {
        if (wrong) kept.push(`  ${line.trim()}`);
      } else {
        kept.push(line.replace(/^\s{4}/, ''));
      }
    }
    const pre = code(kept.join('\n'), undefined, false);
    pre.classList.add('backprop-live-wrap');
    box.append(pre);
    return box;
  }

  // A Chinese character in the tool's output is two columns wide, as in a terminal: each is set in
  // a box of two monospace cells, so a table's columns line up on the page too.
  const WIDE = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/;
  function alignWide(pre) {
    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) if (WIDE.test(walker.currentNode.data)) texts.push(walker.currentNode);
    for (const node of texts) {
      const fragment = document.createDocumentFragment();
      for (const part of node.data.split(new RegExp(`(${WIDE.source})`))) {
        if (part) fragment.append(WIDE.test(part) ? element('span', { class: 'backprop-wide' }, part) : part);
      }
      node.replaceWith(fragment);
    }
  }

  function enhance(block) {
    const command = block.dataset.command;
    const files = JSON.parse(block.dataset.files || '{}');
    const original = [...block.childNodes];
    const bar = element('div', { class: 'backprop-live-bar' });
    const panel = element('div', { class: 'backprop-live-panel', hidden: '' });
    const status = element('span', { class: 'backprop-live-status', role: 'status' });
    let output = null;
    let exerciseSlot = null; // where an exercise's verdict goes: under its form

    // An edited command's output replaces the original; an exercise's verdict goes under its
    // form, so the question stays in view.
    function show(node, keepOriginal) {
      for (const n of original) if (n.nodeType === 1 && !n.contains(exerciseSlot)) n.hidden = !keepOriginal;
      if (output) output.remove();
      output = node;
      if (keepOriginal && exerciseSlot) exerciseSlot.after(output);
      else if (keepOriginal) block.append(output);
      else panel.after(output);
    }
    function reset() {
      latest++; // an answer still on its way is not shown
      for (const n of original) if (n.nodeType === 1) n.hidden = false;
      if (output) output.remove();
      output = null;
      status.textContent = '';
    }
    // A block whose math the book folded under its text gets its math again.
    const hasMath = !!block.querySelector('.backprop-math');
    // Only the latest request of a block is shown: an older one that answers later is dropped.
    let latest = 0;
    async function go(line, given, keepOriginal = false) {
      const request = ++latest;
      status.textContent = WORDS.running;
      const started = performance.now();
      const answer = await engine.run(line, given);
      if (request !== latest) return;
      status.textContent = answer.stderr === 'stopped\n' ? WORDS.stopped : WORDS.done(Math.round(performance.now() - started));
      const shown = keepOriginal ? verdict(answer) : render(line, answer);
      // The same in LaTeX, where the command prints it (a command that already names a format,
      // or has no LaTeX form, answers this with a usage error, and nothing is added).
      if (!keepOriginal && hasMath && answer.status === 0) {
        const latex = await engine.run(`${line} --format latex`, given);
        const math = latex.status === 0 ? await engine.mathml(latex.stdout) : null;
        if (request !== latest) return;
        if (math && math.mathml) {
          const details = element('details', { class: 'backprop-math' });
          details.append(element('summary', {}, WORDS.math));
          const holder = element('div');
          holder.innerHTML = math.mathml; // MathML made by the engine from its own LaTeX
          details.append(holder);
          shown.append(details);
        }
      }
      show(shown, keepOriginal);
    }

    // Edit: the command line, an inline sheet and the network files it reads, run again in place.
    const input = element('input', { class: 'backprop-live-command', spellcheck: 'false', 'aria-label': WORDS.command });
    input.value = command;
    const editable = Object.keys(files).filter((name) => name === '-' || name.endsWith('.net'));
    const areas = editable.map((name) => {
      const label = element('label', { class: 'backprop-live-file' }, name === '-' ? WORDS.sheet : name);
      const area = element('textarea', { class: 'backprop-live-sheet', spellcheck: 'false', rows: String(Math.min(16, files[name].split('\n').length + 1)) });
      area.value = files[name];
      label.append(area);
      return { name, label, area };
    });
    const runButton = element('button', { type: 'button' }, WORDS.run);
    const stopButton = element('button', { type: 'button' }, WORDS.stop);
    const resetButton = element('button', { type: 'button' }, WORDS.reset);
    const editor = element('div', { class: 'backprop-live-editor', hidden: '' });
    editor.id = `backprop-editor-${++editors}`;
    const prompt = element('label', { class: 'backprop-live-prompt' }, '$ backprop ');
    prompt.append(input);
    editor.append(prompt);
    for (const a of areas) editor.append(a.label);
    editor.append(runButton, stopButton, resetButton, status);
    const edited = () => Object.fromEntries(Object.entries(files).map(([name, text]) => [name, (areas.find((a) => a.name === name) || {}).area?.value ?? text]));
    const run = () => go(input.value, edited());
    runButton.onclick = run;
    input.onkeydown = (e) => { if (e.key === 'Enter') run(); };
    stopButton.onclick = () => engine.stop();
    resetButton.onclick = () => {
      input.value = command;
      for (const a of areas) a.area.value = files[a.name];
      reset();
    };

    const editToggle = element('button', { type: 'button', class: 'backprop-live-edit', 'aria-expanded': 'false', 'aria-controls': editor.id }, WORDS.edit);
    editToggle.onclick = () => {
      editor.hidden = !editor.hidden;
      editToggle.setAttribute('aria-expanded', String(!editor.hidden));
      if (!editor.hidden) input.focus();
    };
    bar.append(editToggle);
    panel.append(editor);

    // Exercises: a form with one field per answer, judged as `backprop check` judges it, under
    // the question it answers. Which file is the sheet, its titles and checks come from the book
    // build (the engine's own command-line and sheet grammars); the judging command adds
    // --hints, so a wrong answer gets the diagnosis and a hint towards the right one.
    const sheetForm = block.dataset.form ? JSON.parse(block.dataset.form) : null;
    if (sheetForm) {
      const name = sheetForm.sheet;
      const form = exerciseForm(files[name], sheetForm, (sheet) => go(sheetForm.judge, { ...files, [name]: sheet }, true));
      if (form) {
        form.id = `backprop-form-${editors}`;
        const answerToggle = element('button', { type: 'button', class: 'backprop-live-answer', 'aria-expanded': 'false', 'aria-controls': form.id }, WORDS.answer);
        answerToggle.onclick = () => {
          form.hidden = !form.hidden;
          answerToggle.setAttribute('aria-expanded', String(!form.hidden));
          const first = form.querySelector('input');
          if (!form.hidden && first) first.focus();
        };
        bar.append(answerToggle);
        // One exercise: the form right under its question; several: after the last.
        const questions = [...block.querySelectorAll(':scope > pre, :scope > div > pre')].filter((p) => !p.closest('details'));
        const question = sheetForm.titles.length <= 1 ? questions[0] : questions[questions.length - 1];
        if (question) question.after(form);
        else panel.append(form);
        exerciseSlot = form;
      }
    }
    panel.hidden = false;
    block.prepend(bar, panel);
  }
  let editors = 0;

  // One input per check line of the sheet (lines and prefixes as the engine read them); the
  // sheet is rebuilt with the reader's answers after those prefixes (a check left empty is left
  // out) and judged. The exercise's title is on the page already; a sheet of several exercises
  // names each over its fields.
  function exerciseForm(sheet, read, judge) {
    const lines = sheet.split('\n');
    const titles = new Map(read.titles.map((t) => [t.line - 1, t.title]));
    const checks = new Map(read.checks.map((c) => [c.line - 1, c]));
    const form = element('form', { class: 'backprop-live-form', hidden: '' });
    const fields = [];
    lines.forEach((line, i) => {
      if (titles.has(i) && titles.size > 1) form.append(element('p', { class: 'backprop-live-title' }, titles.get(i)));
      const check = checks.get(i);
      if (!check) return;
      const row = element('label', { class: 'backprop-live-row' });
      row.append(element('code', {}, `${check.target} =`));
      const field = element('input', { spellcheck: 'false', placeholder: WORDS.placeholder, 'aria-label': check.target });
      row.append(field);
      form.append(row);
      fields.push({ i, prefix: check.prefix, field });
    });
    if (!fields.length) return null;
    const submit = element('button', { type: 'submit' }, WORDS.submit);
    form.append(submit);
    form.onsubmit = (e) => {
      e.preventDefault();
      const answered = new Map(fields.filter((f) => f.field.value.trim()).map((f) => [f.i, f.prefix + f.field.value.trim()]));
      const unanswered = new Set(fields.filter((f) => !f.field.value.trim()).map((f) => f.i));
      if (!answered.size) {
        fields[0].field.focus();
        return;
      }
      const rebuilt = lines.map((line, i) => (answered.has(i) ? answered.get(i) : unanswered.has(i) ? null : line)).filter((l) => l !== null);
      judge(rebuilt.join('\n'));
    };
    return form;
  }

  function start() {
    if (chinese) document.querySelectorAll('main pre').forEach(alignWide);
    const blocks = document.querySelectorAll('.backprop-live');
    for (const block of blocks) enhance(block);
    // Start the engine at once, so that its download begins as early as it can (the browser
    // keeps it for later pages: its name carries a hash of its content).
    if (blocks.length && !engine.worker) engine.start();
    for (const p of document.querySelectorAll('.backprop-playground')) window.backpropPlayground && window.backpropPlayground(p, makeEngine());
    // mdBook's sidebar toggle is a label with role="button" (theme/index.hbs): Enter and Space press it.
    const toggle = document.getElementById('mdbook-sidebar-toggle');
    if (toggle) toggle.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle.click(); } });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
