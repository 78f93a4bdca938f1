// The book's code highlighter, in place of highlight.js (46 KB compressed, 180 languages): the
// book shows only two languages that colour helps, Python and diffs; everything else (the
// tool's output, network files, sheets) is text. mdBook's book.js calls hljs.configure and
// hljs.highlightBlock; the classes are highlight.js's, so mdBook's themes colour them.
'use strict';

window.hljs = (function () {
  const KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'break', 'class', 'continue', 'def', 'del', 'elif',
    'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'not', 'or', 'pass', 'raise',
    'return', 'try', 'while', 'with', 'yield']);
  const BUILTINS = new Set(['print', 'range', 'len', 'set', 'id', 'reversed', 'sum', 'max', 'min', 'abs', 'float', 'int']);

  function span(className, text) {
    const s = document.createElement('span');
    s.className = className;
    s.textContent = text;
    return s;
  }

  // Python: comments, strings (with f-strings), numbers, keywords and built-ins.
  function python(text, out) {
    const token = /(#[^\n]*)|([rfbRFB]?("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))|(\b\d+(?:\.\d*)?(?:e[-+]?\d+)?\b)|([A-Za-z_]\w*)/g;
    let at = 0;
    for (const m of text.matchAll(token)) {
      if (m.index > at) out.append(text.slice(at, m.index));
      const [word] = m;
      if (m[1]) out.append(span('hljs-comment', word));
      else if (m[2]) out.append(span('hljs-string', word));
      else if (m[4]) out.append(span('hljs-number', word));
      else if (KEYWORDS.has(word)) out.append(span('hljs-keyword', word));
      else if (BUILTINS.has(word)) out.append(span('hljs-built_in', word));
      else out.append(word);
      at = m.index + word.length;
    }
    out.append(text.slice(at));
  }

  // A diff: removed and added lines.
  function diff(text, out) {
    text.split('\n').forEach((line, i, lines) => {
      const end = i < lines.length - 1 ? '\n' : '';
      if (line.startsWith('-')) out.append(span('hljs-deletion', line + end));
      else if (line.startsWith('+')) out.append(span('hljs-addition', line + end));
      else out.append(line + end);
    });
  }

  return {
    configure() {},
    highlightBlock(block) {
      block.classList.add('hljs');
      const language = [...block.classList].find((c) => c.startsWith('language-'));
      const paint = language === 'language-python' ? python : language === 'language-diff' ? diff : null;
      if (!paint || block.dataset.highlighted) return;
      const text = block.textContent;
      block.textContent = '';
      paint(text, block);
      block.dataset.highlighted = 'yes';
    },
  };
})();
