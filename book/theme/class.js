// The class page (class.md): a student opens their teacher's link, and the page makes their
// variant of the sheet with the engine — the same bytes `backprop exercise show` prints — then
// judges their answers as `backprop check --hints` does. Everything is in the link's fragment
// (after #), which no server sees, and nothing leaves the browser.
'use strict';

(function () {
  // The page's words, in its language (the Chinese edition is <html lang="zh-Hans">), as in
  // live.js; what the engine says (the sheet, the verdicts) comes in that language from the engine.
  const chinese = (document.documentElement.lang || '').startsWith('zh');
  const WORDS = chinese ? {
    making: '正在生成你的版本…', variant: (number, count) => `第 ${number} 个版本（共 ${count} 个）`,
    placeholder: '一个数或一个表达式', submit: '检查我的答案', save: '保存我的练习单',
  } : {
    making: 'making your variant…', variant: (number, count) => `Variant ${number} of ${count}`,
    placeholder: 'a number or an expression', submit: 'check my answers', save: 'save my sheet',
  };

  function element(tag, attributes = {}, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // base64url (RFC 4648 §5, no padding) → text.
  function decode(text) {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  }

  // The link's fragment: file, seed, count, variant, sheet, and net=NAME:TEXT for each network.
  function link(hash) {
    const out = { nets: {} };
    for (const part of hash.replace(/^#/, '').split('&')) {
      const at = part.indexOf('=');
      if (at < 0) continue;
      const key = part.slice(0, at);
      const value = part.slice(at + 1);
      if (key === 'net') {
        const colon = value.indexOf(':');
        out.nets[decodeURIComponent(value.slice(0, colon))] = decode(value.slice(colon + 1));
      } else if (key === 'sheet') {
        out.sheet = decode(value);
      } else {
        out[key] = decodeURIComponent(value);
      }
    }
    return out;
  }

  function code(text, className) {
    const pre = element('pre', className ? { class: className, tabindex: '0' } : { tabindex: '0' });
    pre.append(element('code', { class: 'hljs language-text' }, text));
    return pre;
  }

  // The verdicts of `check --hints`, one per answer, without the sheet's header and summary, in
  // either language (the engine answers in the page's): `sheet:`/`全卷：`, `(line 2)`/`（第 2 行）`,
  // `line 2`/`第 2 行`, `hint:`/`提示：`.
  function verdicts(stdout) {
    const kept = [];
    let wrong = false;
    for (const line of stdout.split('\n').slice(1)) {
      if (!line.trim() || /^\s*(sheet:|全卷：)/.test(line) || /^\s{2}\S.*(\(line \d+\)|（第 \d+ 行）)$/.test(line)) continue;
      const mark = line.match(/^\s*([✓✗!~])\s+(?:line \d+|第 \d+ 行)\s+(.*)$/);
      if (mark) {
        wrong = mark[1] !== '✓';
        kept.push(`${mark[1]} ${mark[2]}`);
      } else if (/^\s*(hint:|提示：)/.test(line)) {
        if (wrong) kept.push(`  ${line.trim()}`);
      } else {
        kept.push(line.replace(/^\s{4}/, ''));
      }
    }
    return kept.join('\n');
  }

  async function open(box) {
    const given = link(location.hash);
    if (!given.sheet || !given.file) return; // the page's own text says how links are made
    const engine = window.backpropEngine;
    const files = { [given.file]: given.sheet, ...given.nets };
    const status = element('p', { class: 'backprop-class-status', role: 'status' }, WORDS.making);
    box.replaceChildren(status);
    const show = `exercise show "${given.file}" --number ${Number(given.variant)} --count ${Number(given.count)} --seed ${given.seed}`;
    const made = await engine.run(show, files);
    if (made.status !== 0) {
      box.replaceChildren(code(made.stderr, 'backprop-error'));
      return;
    }
    const sheet = made.stdout;
    const lines = sheet.split('\n');
    box.replaceChildren();
    box.append(element('h3', {}, WORDS.variant(given.variant, given.count)));
    // The exercise as the sheet states it: everything but comments, the id and the questions.
    const stated = lines.filter((l) => l.trim() && !/^\s*(#|check\s|variant\s|marks\s|carried\s)/.test(l));
    box.append(code(stated.join('\n'), 'backprop-class-sheet'));
    const form = element('form', { class: 'backprop-live-form' });
    const fields = [];
    lines.forEach((line, i) => {
      const m = line.match(/^(\s*check\s+)(.+?)(\s*=)\s*$/);
      if (!m) return;
      const row = element('label', { class: 'backprop-live-row' });
      row.append(element('code', {}, `${m[2]} =`));
      const field = element('input', { spellcheck: 'false', placeholder: WORDS.placeholder, 'aria-label': m[2] });
      row.append(field);
      form.append(row);
      fields.push({ i, prefix: `${m[1]}${m[2]}${m[3]} `, field });
    });
    const submit = element('button', { type: 'submit' }, WORDS.submit);
    const result = element('div', { class: 'backprop-live-verdict', role: 'status' });
    form.append(submit);
    box.append(form, result);
    form.onsubmit = async (e) => {
      e.preventDefault();
      const filled = lines.map((line, i) => {
        const f = fields.find((x) => x.i === i);
        return f ? f.prefix + f.field.value.trim() : line;
      });
      const answer = await engine.run('check your-answers.txt --hints', { ...files, 'your-answers.txt': filled.join('\n') });
      const shown = answer.status >= 2 && !/[✓✗]/.test(answer.stdout) ? code(answer.stderr || answer.stdout, 'backprop-error') : code(verdicts(answer.stdout));
      shown.classList.add('backprop-live-wrap');
      result.replaceChildren(shown);
    };
    // The filled-in sheet, to hand in for `backprop check --class`.
    const save = element('button', { type: 'button' }, WORDS.save);
    save.onclick = () => {
      const filled = lines.map((line, i) => {
        const f = fields.find((x) => x.i === i);
        return f ? f.prefix + f.field.value.trim() : line;
      });
      const a = element('a', { download: `variant-${given.variant}.txt` });
      a.href = URL.createObjectURL(new Blob([filled.join('\n')], { type: 'text/plain' }));
      a.click();
    };
    form.append(save);
  }

  function start() {
    const box = document.querySelector('.backprop-class');
    if (!box || !window.backpropEngine) return;
    open(box);
    window.addEventListener('hashchange', () => open(box));
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
