// Harness for the browser end-to-end tests: a real `caremap serve` on 127.0.0.1 with a fresh copy of
// the demo database, Debian's chromium driven by playwright-core, the message catalogs (so tests
// find controls by the names people read), axe-core, and small API helpers used to discover demo
// facts (which child is on whose team) without hard-coding ids.
//
// Environment:
//   CAREMAP_BIN       the caremap binary (default: <repo>/build/caremap)
//   CAREMAP_TEST_TMP  scratch directory shared by the files of one run (default: under the temp dir)
//   CHROMIUM          the browser (default: /usr/bin/chromium)
//
// Nothing here sleeps to synchronise: every wait polls an observable condition with a deadline
// (playwright's auto-waiting locators, or waitFor below), generous enough for the ASan build.
import { spawn, execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setTimeout as pause } from 'node:timers/promises';
import assert from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'package.json'));
const { chromium } = require('playwright-core');

export const REPO = path.resolve(here, '../../..');
export const BIN = path.resolve(process.env.CAREMAP_BIN || path.join(REPO, 'build', 'caremap'));
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const TMP = process.env.CAREMAP_TEST_TMP || path.join(os.tmpdir(), `caremap-e2e-tests-${process.getuid()}`);
export const DEMO_PASSWORD = 'caremap-demo-2026';
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Upper bounds, not waits: each ends as soon as its condition holds.
export const START_DEADLINE_MS = 20_000;
export const STOP_DEADLINE_MS = 20_000;
export const DEMO_DEADLINE_MS = 120_000;
export const UI_DEADLINE_MS = 15_000;

fs.mkdirSync(TMP, { recursive: true });
const RUN_DIR = fs.mkdtempSync(path.join(TMP, `e2e-${process.pid}-`));

/** Polls fn() until it returns a truthy value or the deadline passes (then throws naming what). */
export async function waitFor(fn, { deadlineMs = UI_DEADLINE_MS, what = 'condition', everyMs = 25 } = {}) {
    const end = Date.now() + deadlineMs;
    for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
        await pause(everyMs); // the poll interval, not a synchronisation
    }
}

function run(file, args, { deadlineMs = 60_000 } = {}) {
    return new Promise((resolve, reject) => {
        execFile(file, args, { timeout: deadlineMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
            if (err && typeof err.code !== 'number') {
                reject(new Error(`${file} ${args.join(' ')}: ${err.code === 'ENOENT' ? 'not found (set CAREMAP_BIN)' : err.message}`));
                return;
            }
            resolve({ code: err ? err.code : 0, stdout, stderr });
        });
    });
}

// ---- the demo database: built once per binary, copied per server --------------------------------

function templatePath() {
    let id = 'nobin';
    try {
        const st = fs.statSync(BIN);
        id = crypto.createHash('sha256').update(`${BIN}:${st.size}:${st.mtimeMs}`).digest('hex').slice(0, 16);
    } catch {
        /* reported when the demo command runs */
    }
    return path.join(TMP, `e2e-demo-template-${id}.db`);
}

let templateDone = null;

/** Path of the demo template database, building it (under a lock directory) if no file did yet. */
export function demoTemplate() {
    if (!templateDone) templateDone = buildTemplate();
    return templateDone;
}

async function buildTemplate() {
    const tpl = templatePath();
    const lock = `${tpl}.lock`;
    const end = Date.now() + DEMO_DEADLINE_MS;
    for (;;) {
        if (fs.existsSync(tpl)) return tpl;
        try {
            fs.mkdirSync(lock);
            break;
        } catch (e) {
            if (e.code !== 'EEXIST') throw e;
        }
        try {
            if (Date.now() - fs.statSync(lock).mtimeMs > DEMO_DEADLINE_MS) fs.rmSync(lock, { recursive: true, force: true });
        } catch {
            /* released meanwhile */
        }
        if (Date.now() > end) throw new Error(`timed out waiting for ${lock}`);
        await pause(50);
    }
    try {
        if (fs.existsSync(tpl)) return tpl;
        const partial = path.join(TMP, `e2e-demo-partial-${process.pid}.db`);
        for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) fs.rmSync(f, { force: true });
        const r = await run(BIN, ['demo', '--db', partial], { deadlineMs: DEMO_DEADLINE_MS });
        if (r.code !== 0) throw new Error(`caremap demo failed (${r.code}): ${r.stderr}`);
        if (fs.existsSync(`${partial}-wal`)) fs.renameSync(`${partial}-wal`, `${tpl}-wal`);
        fs.rmSync(`${partial}-shm`, { force: true });
        fs.renameSync(partial, tpl);
        return tpl;
    } finally {
        fs.rmSync(lock, { recursive: true, force: true });
    }
}

let dbCounter = 0;

/** A fresh copy of the demo database in this file's scratch directory. */
export async function freshDb(name = 'db') {
    const tpl = await demoTemplate();
    const db = path.join(RUN_DIR, `${name}-${++dbCounter}.db`);
    fs.copyFileSync(tpl, db);
    if (fs.existsSync(`${tpl}-wal`)) fs.copyFileSync(`${tpl}-wal`, `${db}-wal`);
    return db;
}

// ---- the server ---------------------------------------------------------------------------------

const live = new Set();
process.on('exit', () => {
    for (const child of live) {
        try {
            process.kill(child.pid, 'SIGKILL');
        } catch {
            /* already gone */
        }
    }
});

/**
 * Starts `caremap serve --db <fresh demo copy> --listen 127.0.0.1:0` and waits for its listening
 * line. Returns {url, port, pid, db, logPath, log(), stop()}; stop() sends SIGTERM to that pid and
 * waits (deadline), then SIGKILL.
 */
export async function startServer({ name = 'server', set = { login_max_failures: 1000 } } = {}) {
    const db = await freshDb(name);
    const logPath = path.join(RUN_DIR, `${name}.log`);
    const args = ['serve', '--db', db, '--listen', '127.0.0.1:0'];
    for (const [k, v] of Object.entries(set)) args.push('--set', `${k}=${v}`);
    const logFd = fs.openSync(logPath, 'a');
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', logFd] });
    fs.closeSync(logFd);
    live.add(child);
    let out = '';
    let exitInfo = null;
    let spawnError = null;
    const exited = new Promise((resolve) => {
        child.on('exit', (code, signal) => {
            exitInfo = { code, signal };
            live.delete(child);
            resolve(exitInfo);
        });
    });
    child.on('error', (e) => {
        spawnError = e;
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
        if (out.length < 1 << 20) out += d;
    });
    const log = () => {
        try {
            return fs.readFileSync(logPath, 'utf8');
        } catch {
            return '';
        }
    };
    let m;
    try {
        m = await waitFor(
            () => {
                if (spawnError) throw new Error(`cannot run ${BIN}: ${spawnError.message} (set CAREMAP_BIN)`);
                if (exitInfo) throw new Error(`caremap serve exited ${JSON.stringify(exitInfo)} before listening:\n${log().slice(-3000)}`);
                return /^caremap: listening on http:\/\/127\.0\.0\.1:(\d+)\s*$/m.exec(out);
            },
            { deadlineMs: START_DEADLINE_MS, what: 'caremap serve to print its listening line', everyMs: 10 },
        );
    } catch (e) {
        if (!exitInfo) child.kill('SIGKILL');
        throw e;
    }
    const port = Number(m[1]);
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        pid: child.pid,
        db,
        logPath,
        log,
        async stop() {
            if (exitInfo) return exitInfo;
            process.kill(child.pid, 'SIGTERM');
            const t = await Promise.race([exited, pause(STOP_DEADLINE_MS, null, { ref: false })]);
            if (t) return t;
            process.kill(child.pid, 'SIGKILL');
            return exited;
        },
    };
}

// ---- the API, for discovering demo facts and for checks behind the UI's back ----------------------

/** Signs in through the API; returns {get(path), req(method, path, body, headers), user, csrf}. */
export async function apiSession(server, username, password = DEMO_PASSWORD) {
    const res = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
    });
    const body = await res.json();
    assert.equal(res.status, 201, `API sign-in as ${username}: ${res.status} ${JSON.stringify(body)}`);
    const auth = { Authorization: `Bearer ${body.token}` };
    const req = async (method, p, data, headers = {}) => {
        const r = await fetch(server.url + p, {
            method,
            headers: { ...auth, ...(data === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
            body: data === undefined ? undefined : JSON.stringify(data),
        });
        const text = await r.text();
        return { status: r.status, json: text ? JSON.parse(text) : null, etag: r.headers.get('etag') };
    };
    return {
        user: body.user,
        csrf: body.csrf_token,
        req,
        async get(p) {
            const r = await req('GET', p);
            assert.equal(r.status, 200, `GET ${p} as ${username}: ${r.status} ${JSON.stringify(r.json)}`);
            return r.json;
        },
    };
}

// ---- message catalogs ------------------------------------------------------------------------------

export const LANGS = ['en', 'es'];
const MESSAGES_DIR = path.join(REPO, 'data', 'messages');

/** Every catalog of a language merged, {key: text}, read from data/messages/<lang>/*.json. */
export function catalog(lang) {
    const dir = path.join(MESSAGES_DIR, lang);
    const out = {};
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
        Object.assign(out, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    }
    return out;
}

/**
 * A message lookup for a language, like the UI's t(): t(key, vars). Throws on a missing key, so a
 * test written against a key the catalogs lack fails loudly instead of searching for the key text.
 */
export function messages(lang) {
    const cat = catalog(lang);
    const t = (key, vars) => {
        if (!Object.prototype.hasOwnProperty.call(cat, key)) throw new Error(`no ${lang} message ${key}`);
        const s = cat[key];
        return vars ? s.replace(/\{(\w+)\}/g, (m0, k) => (vars[k] === undefined ? m0 : String(vars[k]))) : s;
    };
    t.has = (key) => Object.prototype.hasOwnProperty.call(cat, key);
    t.cat = cat;
    return t;
}

/** A RegExp matching a message exactly (whole string), for getByRole({name}) and getByText. */
export function exact(s) {
    return new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** A RegExp matching a message's text before its first placeholder (for messages with {vars}). */
export function prefix(s) {
    const head = s.split('{')[0].trim();
    return new RegExp(head.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

// ---- the browser -------------------------------------------------------------------------------------

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

/** Launches Debian's chromium headless (one per test file; contexts are per test). */
export function launchBrowser() {
    return chromium.launch({
        executablePath: CHROMIUM,
        args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
        ],
    });
}

/**
 * A fresh context and page. The page is watched: console errors and warnings, uncaught page
 * errors, CSP violations (both the console's "Refused to ..." lines and the securitypolicyviolation
 * events, recorded by an init script that the CSP does not govern) and failed /api/ requests with
 * a 5xx. watch.problems() lists what went wrong; assertClean() fails the test on any of it.
 * The app always runs under its real CSP: no bypassCSP here.
 */
export async function openPage(browser, { viewport = DESKTOP, hasTouch = false, isMobile = false, locale = 'en-US' } = {}) {
    const context = await browser.newContext({ viewport, hasTouch, isMobile, locale, timezoneId: 'UTC' });
    context.setDefaultTimeout(UI_DEADLINE_MS);
    await context.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => {
            window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
        });
    });
    const page = await context.newPage();
    const watch = { console: [], errors: [], csp: [], server: [] };
    page.on('console', (msg) => {
        const text = msg.text();
        if (/Content Security Policy|Refused to (execute|apply|load|evaluate|connect|frame)/i.test(text)) watch.csp.push(text);
        if (msg.type() === 'error' || msg.type() === 'warning') watch.console.push(`${msg.type()}: ${text}`);
    });
    page.on('pageerror', (e) => watch.errors.push(String(e && e.stack ? e.stack : e)));
    page.on('response', (r) => {
        if (r.status() >= 500) watch.server.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    watch.cspEvents = async () => {
        try {
            return await page.evaluate(() => window.__cspViolations || []);
        } catch {
            return [];
        }
    };
    /**
     * Fails on CSP violations, uncaught errors, 5xx answers and i18n misses. Console errors about
     * expected 4xx answers (chromium logs "Failed to load resource" for them) are allowed.
     */
    watch.assertClean = async (where = '') => {
        const csp = [...watch.csp, ...(await watch.cspEvents())];
        assert.deepEqual(csp, [], `CSP violations ${where}`);
        assert.deepEqual(watch.errors, [], `uncaught page errors ${where}`);
        assert.deepEqual(watch.server, [], `server errors ${where}`);
        const i18n = watch.console.filter((l) => /i18n/.test(l));
        assert.deepEqual(i18n, [], `message catalog misses ${where}`);
    };
    return { context, page, watch };
}

/** The URL of an app route: appUrl(server, '/children/3') is <server>/#/children/3. */
export function appUrl(server, route = '/') {
    return `${server.url}/#${route}`;
}

/**
 * Signs in through the sign-in screen in the given language's words and waits until the signed-in
 * shell shows (the Sign out button). Returns the page.
 */
export async function signInUI(page, server, username, { password = DEMO_PASSWORD, lang = 'en', route = '/' } = {}) {
    const t = messages(lang);
    if (!page.url().startsWith(server.url)) await page.goto(appUrl(server, route));
    await page.getByLabel(exact(t('signin.username'))).fill(username);
    await page.getByLabel(exact(t('signin.password'))).fill(password);
    await page.getByRole('button', { name: exact(t('signin.submit')) }).click();
    // The shell then speaks the account's language, which may differ from the sign-in screen's.
    const signOut = LANGS.map((l) => messages(l)('common.sign_out').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    await page.getByRole('button', { name: new RegExp(`^\\s*(${signOut.join('|')})\\s*$`) }).waitFor();
    return page;
}

/** Chooses a language with the header's Language select (which saves it to the account). */
export async function switchLanguage(page, from, to) {
    const t = messages(from);
    await page.locator('header').getByLabel(exact(t('common.language'))).selectOption(to);
    await waitFor(async () => (await page.evaluate(() => document.documentElement.lang)) === to, { what: `<html lang="${to}">` });
}

// ---- axe-core ---------------------------------------------------------------------------------------

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA tags) on the page as it is and returns the violations in a
 * readable form. axe is injected through the DevTools protocol (page.evaluate), which the page's
 * CSP does not govern, so the app keeps running under its real CSP.
 */
export async function axeViolations(page) {
    await page.evaluate(`${AXE_SOURCE}\n;void 0`);
    const res = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        AXE_TAGS,
    );
    return res.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} :: ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 300)}`),
    }));
}

/** Asserts axe finds nothing on the page; `where` names the screen in the failure. */
export async function assertAccessible(page, where) {
    const v = await axeViolations(page);
    assert.deepEqual(v, [], `axe violations on ${where}:\n${JSON.stringify(v, null, 2)}`);
}

/** document.scrollingElement's scrollWidth and clientWidth (no horizontal scroll when equal). */
export function scrollWidths(page) {
    return page.evaluate(() => {
        const el = document.scrollingElement || document.documentElement;
        return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, innerWidth: window.innerWidth };
    });
}

/** A path for a scratch file (screenshots of failures). */
export function scratchPath(name) {
    return path.join(RUN_DIR, name);
}

/** Saves a screenshot of the page to the scratch dir when a test fails; returns its path. */
export async function shotOnFailure(page, name) {
    const p = scratchPath(`${name.replace(/[^a-z0-9-]+/gi, '_')}.png`);
    try {
        await page.screenshot({ path: p });
    } catch {
        /* the page may be gone */
    }
    return p;
}

// ---- demo facts, found through the API so no test hard-codes an id -----------------------------------

/** Every child on a session's panel (pages of 200). */
export async function panelAll(s) {
    const items = [];
    for (let offset = 0; ; offset += 200) {
        const j = await s.get(`/api/children?limit=200&offset=${offset}`);
        items.push(...j.items);
        if (j.items.length < 200 || items.length >= j.total) return items;
    }
}

/** Ids of the children on a session's panel. */
export async function panelIds(s) {
    return new Set((await panelAll(s)).map((c) => c.id));
}

/**
 * Picks the option of a <select> whose visible text contains `text` (labels like "Ben Coordinator
 * (Nurse care coordinator)" carry more than the name). Fails when none or several match.
 */
export async function selectOptionContaining(select, text) {
    const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
    const hits = options.filter((o) => o.label.includes(text));
    assert.equal(hits.length, 1, `expected one option containing ${JSON.stringify(text)} in ${JSON.stringify(options.map((o) => o.label))}`);
    await select.selectOption(hits[0].value);
    return hits[0];
}
