// Runs commands off the page's thread, so that a long one never freezes the page and can be
// stopped (the page terminates this worker and starts another). Messages: {id, command,
// files} in, {id, answer} out. The handler is set before the engine has loaded, so that no
// message sent meanwhile is lost; each waits for the engine.
const engine = import('./backprop.js');

self.onmessage = async (event) => {
  const { id, command, files } = event.data;
  try {
    const { run } = await engine;
    self.postMessage({ id, answer: run(command, files) });
  } catch (e) {
    self.postMessage({ id, answer: { stdout: '', stderr: `error: the engine did not load (${e.message})\n`, status: 2, files: {} } });
  }
};
