// Jest global teardown for integration tests: stops only what int-global-setup.cjs started in this run.
// Local infra that was already running stays up; SHOP_KEEP_INFRA=1 keeps what this run started too.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const STATE_KEY = Symbol.for('shop.int-infra');
const REPO_ROOT = path.resolve(__dirname, '..', '..');

// See int-global-setup.cjs: a dynamic import the test transform does not rewrite.
const importEsm = new Function('specifier', 'return import(specifier)');

module.exports = async function intGlobalTeardown() {
  const state = globalThis[STATE_KEY];
  if (!state) return;
  globalThis[STATE_KEY] = undefined;

  if (state.source === 'docker') {
    await Promise.all(state.containers.map((c) => c.stop().catch(() => undefined)));
    return;
  }
  // 'env' too: a project that needs Connect may have started the local worker (see int-global-setup.cjs).
  if ((state.source === 'local' || state.source === 'env') && state.localStarted.length > 0) {
    if (process.env.SHOP_KEEP_INFRA === '1') {
      process.stderr.write(`[int-teardown] SHOP_KEEP_INFRA=1: leaving ${state.localStarted.join(' + ')} running\n`);
      return;
    }
    const infra = await importEsm(pathToFileURL(path.join(REPO_ROOT, 'infra', 'local', 'index.mjs')).href);
    await infra.down({ only: state.localStarted });
  }
};
