// backprop in the browser: the engine the command line uses, compiled to WebAssembly.
//
//   import { run } from './playground/backprop.js';
//   run('derive "sigmoid(w*x+b)" --at w=2,x=1,b=0')   // → {stdout, stderr, status, files}
//
// `run(commandLine, files)` takes a command line as typed after `backprop` (quotes group
// words; a leading `backprop` is allowed) and the files it may read, as {name: text}; `-` is
// standard input (an exercise sheet). It answers with what the terminal prints: the same
// stdout, stderr and exit status, and the files it would write (`-o`, `--plot`). Nothing
// leaves the page. The engine keeps its limits on input size and work; to be able to stop a
// long command, run it in a worker (worker.js) and terminate that.

const imports = { env: { bp_now: () => performance.now() } };
const bytes = await (await fetch(new URL('./backprop.wasm', import.meta.url))).arrayBuffer();
const module = await WebAssembly.compile(bytes);
let engine = (await WebAssembly.instantiate(module, imports)).exports;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function run(commandLine, files = {}) {
  const request = encoder.encode(JSON.stringify({ command: String(commandLine), files }));
  try {
    const at = engine.bp_input(request.length);
    new Uint8Array(engine.memory.buffer, at, request.length).set(request);
    const length = engine.bp_run();
    const start = engine.bp_output();
    return JSON.parse(decoder.decode(new Uint8Array(engine.memory.buffer, start, length)));
  } catch (e) {
    // A trap (the engine stopped on a bug) leaves the instance unusable: start a fresh one.
    engine = new WebAssembly.Instance(module, imports).exports;
    return { stdout: '', stderr: `error: the engine stopped (${e.message}); please report the command\n`, status: 3, files: {} };
  }
}
