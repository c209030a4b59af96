// Shared setup of the browser tests: the demo site built once per test run (map tiles off), a tiny
// static server on 127.0.0.1 and Debian's chromium driven by playwright-core.
//
// Run from the repository root:
//   KENKOMAP_BIN=target/debug/kenkomap node --test --test-concurrency=1 tests/browser/
//
// `node --test` runs every test file in its own process, all children of one runner process. The
// site is built into a directory named after that runner (os.tmpdir()/kenkomap-browser-<pid>), so the
// first file builds it and the others reuse it; directories of runs that are over are removed. Run
// alone (`node tests/browser/x.test.mjs`), a file builds into a private directory removed on exit.
//
// Environment:
//   KENKOMAP_BIN          the kenkomap binary under test (required)
//   CHROMIUM              the browser (default /usr/bin/chromium); missing means skip, or fail when CI=true
//   KENKOMAP_SCREENSHOTS  where screenshots go (default <run dir>/screenshots)

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const TODAY = '2026-11-21';
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const MODULES = path.join(REPO, 'tests/browser/node_modules');
export const AXE_PATH = path.join(MODULES, 'axe-core/axe.min.js');
export const VNU_JAR = path.join(MODULES, 'vnu-jar/build/dist/vnu.jar');

const PREFIX = 'kenkomap-browser-';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Is our parent the `node --test` runner (whose other children share the build)? */
function parentIsTestRunner() {
  try {
    const argv = fs.readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => a === '--test' || a.startsWith('--test='));
  } catch {
    return false;
  }
}

/** Removes the directories of earlier runs whose runner process is gone. */
function removeStaleRuns() {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = Number(name.slice(PREFIX.length));
    if (name.startsWith(PREFIX) && Number.isInteger(pid) && pid > 0 && !alive(pid)) {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

function runDir() {
  if (parentIsTestRunner()) {
    removeStaleRuns();
    const dir = path.join(os.tmpdir(), `${PREFIX}${process.ppid}`);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kenkomap-browser-solo-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const RUN_DIR = runDir();

/** `site.yaml` with its `map:` section replaced by `map: { tiles: false }`. */
export function withoutTiles(yaml) {
  const lines = yaml.split('\n');
  const out = [];
  let skipping = false;
  let replaced = false;
  for (const line of lines) {
    if (skipping) {
      if (line === '' || /^[\s#]/.test(line)) continue;
      skipping = false;
    }
    if (/^map\s*:/.test(line)) {
      out.push('map:', '  tiles: false');
      skipping = true;
      replaced = true;
      continue;
    }
    out.push(line);
  }
  if (!replaced) out.push('map:', '  tiles: false', '');
  return out.join('\n');
}

/** Files of the repository that are not part of the site. */
const NOT_SITE = new Set(['.git', '.ci', 'target', 'public', 'src', 'tests', 'scripts', 'themes', 'node_modules', 'fuzz']);

function buildSite(dir) {
  const bin = process.env.KENKOMAP_BIN;
  if (!bin) {
    throw new Error('KENKOMAP_BIN is not set: build kenkomap (`cargo build`) and set KENKOMAP_BIN=target/debug/kenkomap');
  }
  if (!fs.existsSync(bin)) throw new Error(`KENKOMAP_BIN=${bin} does not exist`);
  const site = path.join(dir, 'site');
  fs.rmSync(site, { recursive: true, force: true });
  fs.mkdirSync(site);
  for (const entry of fs.readdirSync(REPO, { withFileTypes: true })) {
    if (NOT_SITE.has(entry.name) || entry.name === 'site.yaml') continue;
    if (entry.isDirectory()) fs.cpSync(path.join(REPO, entry.name), path.join(site, entry.name), { recursive: true });
  }
  // No themes/: the default theme, Leaflet included, is built into the binary.
  const yaml = fs.readFileSync(path.join(REPO, 'site.yaml'), 'utf8');
  fs.writeFileSync(path.join(site, 'site.yaml'), withoutTiles(yaml));
  const out = path.join(dir, 'public');
  const started = Date.now();
  try {
    execFileSync(path.resolve(bin), ['build', '--site', site, '--out', out, '--today', TODAY], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (error) {
    throw new Error(`kenkomap build failed (exit ${error.status}):\n${error.stderr}\n${error.stdout}`);
  }
  console.log(`# built the demo into ${out} in ${Date.now() - started} ms`);
  return out;
}

/** The built demo (tiles off); built by the first test file of the run. */
export function site() {
  const out = path.join(RUN_DIR, 'public');
  const done = path.join(RUN_DIR, 'built');
  if (fs.existsSync(done)) return out;
  // Test files run one at a time, but guard against --test-concurrency > 1 anyway.
  const lock = path.join(RUN_DIR, 'lock');
  for (let i = 0; ; i++) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (fs.existsSync(done)) return out;
      if (i > 1200) throw new Error(`timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    if (!fs.existsSync(done)) {
      buildSite(RUN_DIR);
      fs.writeFileSync(done, '');
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf',
  '.woff2': 'font/woff2',
};

/** Serves `root` on 127.0.0.1 (a free port). Returns { url, close }. */
export async function serve(root) {
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(root, path.normalize(pathname));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    let stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { Location: `${pathname}/` }).end();
        return;
      }
      file = path.join(file, 'index.html');
      stat = fs.statSync(file, { throwIfNoEntry: false });
    }
    if (!stat?.isFile()) {
      res.writeHead(404, { 'Content-Type': TYPES['.html'] });
      res.end(fs.readFileSync(path.join(root, '404.html')));
      return;
    }
    const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': stat.size });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** Why the browser tests cannot run, or null. With CI=true a missing browser is an error. */
export function browserMissing() {
  if (fs.existsSync(CHROMIUM)) return null;
  const message = `${CHROMIUM} not found (apt install chromium)`;
  if (process.env.CI === 'true') throw new Error(`${message}; the browser tests are required in CI`);
  return message;
}

export async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Everything a test file needs: the built site, its server and a browser. `skip` is set (and the
 * rest is not) when chromium is missing outside CI. Call `close()` in `after`.
 */
export async function setup() {
  const skip = browserMissing();
  if (skip) return { skip, close: async () => {} };
  const root = site();
  const server = await serve(root);
  const browser = await launch();
  /** A new page; `javaScript: false` disables scripts. Console errors and failed requests are collected. */
  async function open(pathname, { javaScript = true, viewport = { width: 1280, height: 800 }, expectStatus = 200, timezoneId, bypassCSP = false, blockScripts = false, clock } = {}) {
    // The pages carry a strict CSP; only the axe tests bypass it, to inject axe itself.
    const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport, locale: 'ja-JP', timezoneId, bypassCSP });
    const page = await context.newPage();
    // The page as without JavaScript, but with scripting on so that axe can run: the site's
    // own scripts are not loaded.
    if (blockScripts) await page.route(/\/assets\/(js|vendor)\//, (route) => route.abort());
    page.problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') page.problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => page.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      if (r.status() >= 400) page.problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    // A fixed "now" for the page's scripts (Date.now(), new Date()).
    if (clock) await page.clock.setFixedTime(clock);
    const response = await page.goto(server.url + pathname.replace(/^\//, ''), { waitUntil: 'load' });
    if (!response || response.status() !== expectStatus) {
      throw new Error(`GET ${pathname}: ${response ? response.status() : 'no response'}`);
    }
    return page;
  }
  return {
    root,
    url: server.url,
    browser,
    open,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Waits until a page's scripts are done, instead of sleeping: no request in flight, and every
 * map that Leaflet enhances has placed its markers (`enhanced`). Pages without the site's
 * scripts (or without Leaflet) are done once the network is idle.
 */
export async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() =>
    !window.L || [...document.querySelectorAll('.map[data-geojson]')].every((m) => m.classList.contains('enhanced')),
  );
}

/**
 * `read()`'s value once `ok` holds for it, or its last value after `ms` (for the assertion to
 * report): a condition to wait for rather than a fixed sleep.
 */
export async function eventually(read, ok, ms = 5000) {
  const end = Date.now() + ms;
  let value = await read();
  while (!ok(value) && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** Where screenshots go (created). */
export function screenshotDir() {
  const dir = process.env.KENKOMAP_SCREENSHOTS || path.join(RUN_DIR, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every file under `dir` (recursively) whose name ends with `ext`, sorted. */
export function filesUnder(dir, ext) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(ext)) out.push(path.join(entry.parentPath ?? entry.path, entry.name));
  }
  return out.sort();
}
