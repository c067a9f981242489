// Lighthouse for `make bench` (tests/bench.py, the lighthouse section).
//
//   CHROME_PATH=/usr/bin/chromium node run.mjs '{"urls": [...], "runs": 3, "chromeFlags": [...]}'
//
// One Chromium (CHROME_PATH, with the flags given) is launched once, and each
// URL is audited `runs` times, round after round (every URL once, then every
// URL again), so that a busy moment of the machine falls on all the pages
// alike rather than on one page's runs. Lighthouse's defaults otherwise:
// mobile form factor and screen, simulated Slow 4G and 4x CPU throttling; the
// cache and the origin's storage are cleared before each run. Each run prints
// one JSON line on stdout with the figures tests/bench.py summarises (the
// whole report is never kept); progress and errors go to stderr.

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const job = JSON.parse(process.argv[2]);
const runs = job.runs ?? 3;
const categories = job.categories ?? ['performance', 'accessibility', 'best-practices'];
const runTimeoutMs = job.runTimeoutMs ?? 120_000;

const METRICS = {
  lcp_ms: 'largest-contentful-paint',
  fcp_ms: 'first-contentful-paint',
  tbt_ms: 'total-blocking-time',
  cls: 'cumulative-layout-shift',
  si_ms: 'speed-index',
  tti_ms: 'interactive',
  transfer_bytes: 'total-byte-weight',
};

function summary(lhr, url, round, seconds) {
  const requests = (lhr.audits['network-requests']?.details?.items ?? [])
    .filter(item => !item.url.startsWith('data:'));
  const hosts = [...new Set(requests.map(item => new URL(item.url).host))];
  const row = {
    url, round, seconds,
    final_url: lhr.finalDisplayedUrl,
    runtime_error: lhr.runtimeError ? `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` : null,
    warnings: lhr.runWarnings ?? [],
    scores: Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, c.score])),
    // Decoded bytes of every request: what the page weighs uncompressed.
    resource_bytes: requests.reduce((n, item) => n + (item.resourceSize ?? 0), 0),
    requests: requests.length,
    hosts,
    benchmark_index: lhr.environment?.benchmarkIndex ?? null,
    form_factor: lhr.configSettings.formFactor,
    throttling_method: lhr.configSettings.throttlingMethod,
    throttling: lhr.configSettings.throttling,
    lighthouse: lhr.lighthouseVersion,
    user_agent: lhr.environment?.hostUserAgent ?? lhr.userAgent,
  };
  for (const [key, id] of Object.entries(METRICS)) {
    row[key] = lhr.audits[id]?.numericValue ?? null;
  }
  // The failed (score below 1) audits of the accessibility and best-practices
  // categories, by id, so a score can be explained.
  row.failed = {};
  for (const id of ['accessibility', 'best-practices']) {
    const category = lhr.categories[id];
    if (!category) continue;
    row.failed[id] = category.auditRefs
      .filter(ref => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
      .map(ref => ref.id);
  }
  // Audits that could not run (Lighthouse 12.2's trace engine does not read all
  // of a newer Chromium's trace), and those of them that a category weighs.
  row.errored = Object.values(lhr.audits).filter(a => a.scoreDisplayMode === 'error').map(a => a.id);
  row.errored_weighed = Object.values(lhr.categories).flatMap(c => c.auditRefs)
    .filter(ref => ref.weight > 0 && row.errored.includes(ref.id)).map(ref => ref.id);
  return row;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: job.chromeFlags ?? [],
  logLevel: 'silent',
});
// chrome-launcher ends its Chromium on SIGINT (a Ctrl-C reaches this process
// too, Chromium being in a process group of its own); on SIGTERM as well.
process.on('SIGTERM', async () => {
  await chrome.kill();
  process.exit(143);
});
// Its process group, for tests/bench.py to end should this process be killed.
process.stdout.write(JSON.stringify({chromium_pid: chrome.pid}) + '\n');
let failed = false;
try {
  for (let round = 1; round <= runs; round++) {
    for (const url of job.urls) {
      const started = performance.now();
      try {
        const result = await withTimeout(lighthouse(url, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: categories,
          // The full-page screenshot is for the HTML report, which is not made.
          disableFullPageScreenshot: true,
        }), runTimeoutMs, url);
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(JSON.stringify(summary(result.lhr, url, round, seconds)) + '\n');
        process.stderr.write(`  lighthouse ${round}/${runs} ${url} ${seconds.toFixed(1)} s\n`);
      } catch (error) {
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(JSON.stringify({url, round, seconds, runtime_error: String(error?.message ?? error)}) + '\n');
        process.stderr.write(`  lighthouse ${round}/${runs} ${url} FAILED: ${error?.message ?? error}\n`);
        if (String(error?.message).includes('no result after')) {
          failed = true;  // Chromium may be stuck: stop here rather than hang on every page
          break;
        }
      }
    }
    if (failed) break;
  }
} finally {
  await chrome.kill();
}
process.exit(failed ? 1 : 0);
