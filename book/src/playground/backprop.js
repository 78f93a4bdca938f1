// backprop in the browser: the engine the command line uses, compiled to WebAssembly.
//
//   import { run } from './playground/backprop.js';
//   run('derive "sigmoid(w*x+b)" --at w=2,x=1,b=0')   // → {stdout, stderr, status, files}
//
// `run(commandLine, files, lang)` takes a command line as typed after `backprop` (quotes group
// words; a leading `backprop` is allowed) and the files it may read, as {name: text}; `-` is
// standard input (an exercise sheet), and the language of its sentences (`en`, `zh-Hans`). It
// answers with what the terminal prints: the same stdout, stderr and exit status, and the files
// it would write (`-o`, `--plot`). Nothing leaves the page. The engine keeps its limits on input size and work; to be able to stop a
// long command, run it in a worker (worker.js) and terminate that.

const imports = { env: { bp_now: () => performance.now() } };
const bytes = await (await fetch(new URL('./backprop.wasm', import.meta.url))).arrayBuffer();
const module = await WebAssembly.compile(bytes);
let engine = (await WebAssembly.instantiate(module, imports)).exports;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Writes a request (text) into the engine's input buffer (which may grow its memory: the buffer
// is taken after), calls `call`, and reads the JSON answer.
function ask(text, call) {
  const bytes = encoder.encode(text);
  try {
    const at = engine.bp_input(bytes.length);
    new Uint8Array(engine.memory.buffer, at, bytes.length).set(bytes);
    const length = call();
    return JSON.parse(decoder.decode(new Uint8Array(engine.memory.buffer, engine.bp_output(), length)));
  } catch (e) {
    // A trap (the engine stopped on a bug) leaves the instance unusable: start a fresh one.
    engine = new WebAssembly.Instance(module, imports).exports;
    return { stdout: '', stderr: `error: the engine stopped (${e.message}); please report the command\n`, status: 3, files: {} };
  }
}

export function run(commandLine, files = {}, lang = 'en') {
  return ask(JSON.stringify({ command: String(commandLine), files, lang }), () => engine.bp_run());
}

// LaTeX (what `--format latex` prints) → display MathML, as the book renders it:
// {mathml} or {stderr}.
export function mathml(latex) {
  return ask(String(latex), () => engine.bp_mathml());
}

// The network playground's training session: the loop `backprop net FILE train` runs, one
// update at a time. start → {info} or {stderr}; step, explain → the epochs finished since the
// last call, `updates`, `finished`, `diverged` (explain adds `explained`: the δ of every layer
// and one weight's update); regions → the output over an n×n grid spanning the data.
export const session = {
  start: (network, files = {}) => ask(JSON.stringify({ network, files }), () => engine.bp_session_start()),
  step: (updates) => ask('', () => engine.bp_session_step(updates)),
  explain: (layer, row, column) => ask('', () => engine.bp_session_explain(layer, row, column)),
  regions: (n) => ask('', () => engine.bp_session_regions(n)),
};
