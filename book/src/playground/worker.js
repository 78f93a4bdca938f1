// Runs the engine off the page's thread, so that a long command or a training run never
// freezes the page and can be stopped (the page terminates this worker and starts another).
// Messages in: {id, command, files} for a command, {id, latex} for MathML, {id, session: 'start' | 'step' | 'explain' |
// 'regions', args} for the playground, {id, resources: true} for what the worker fetched; out: {id, answer}. The handler is set before the engine
// has loaded, so that no message sent meanwhile is lost; each waits for the engine.
const engine = import('./backprop.js');

self.onmessage = async (event) => {
  const { id, command, files, lang, session, args, latex, resources } = event.data;
  // What this worker fetched and how (transfer 0: from the cache), with its clock's origin:
  // how the book's tests measure the engine's download.
  if (resources) {
    await engine.catch(() => null);
    const entries = performance.getEntriesByType('resource').map((e) => ({ name: e.name, transferSize: e.transferSize, encodedBodySize: e.encodedBodySize, responseEnd: e.responseEnd }));
    self.postMessage({ id, answer: { timeOrigin: performance.timeOrigin, entries } });
    return;
  }
  try {
    const { run, mathml, session: training } = await engine;
    const answer = session ? training[session](...(args || [])) : latex !== undefined ? mathml(latex) : run(command, files, lang);
    self.postMessage({ id, answer });
  } catch (e) {
    self.postMessage({ id, answer: { stdout: '', stderr: `error: the engine did not load (${e.message})\n`, status: 2, files: {} } });
  }
};
