// Test harness for the HTTP API suite: a real `caremap serve` on 127.0.0.1 with a copy of the demo
// database, a small client over the built-in fetch, and helpers for the checks every file shares.
//
// Environment (set by tests/run.sh):
//   CAREMAP_BIN       the caremap binary (default: <repo>/build/caremap)
//   CAREMAP_TEST_TMP  a scratch directory shared by the files of one run (default: a directory
//                     under the system temp dir)
//
// Nothing here sleeps to synchronise: every wait is a poll of an observable condition with a
// deadline, generous enough for the ASan+UBSan build.
import { spawn, execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as pause } from 'node:timers/promises';
import assert from 'node:assert/strict';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../../..');
export const BIN = process.env.CAREMAP_BIN || path.join(REPO, 'build', 'caremap');
export const TMP =
    process.env.CAREMAP_TEST_TMP || path.join(os.tmpdir(), `caremap-api-tests-${process.getuid()}`);
export const DEMO_PASSWORD = 'caremap-demo-2026';

// Deadlines. The sanitizer build is several times slower than the debug build; these are upper
// bounds, not waits: every one of them ends as soon as the condition holds.
export const START_DEADLINE_MS = 20_000;
export const STOP_DEADLINE_MS = 20_000;
export const DEMO_DEADLINE_MS = 120_000;
export const COMMAND_DEADLINE_MS = 60_000;

// Settings every test server gets unless a test overrides them. All sign-ins come from 127.0.0.1,
// so with the default of 5 failures per address a file that tests wrong passwords would throttle
// itself; the throttling tests start their own server with the real limits.
export const TEST_DEFAULTS = { login_max_failures: 1000 };

fs.mkdirSync(TMP, { recursive: true });
// One scratch directory per test file (per process), so parallel files never share a database.
const RUN_DIR = fs.mkdtempSync(path.join(TMP, `file-${process.pid}-`));

// ---- small utilities ---------------------------------------------------------------------------

/** Polls fn() until it returns a truthy value or the deadline passes (then throws with what). */
export async function waitFor(fn, { deadlineMs = START_DEADLINE_MS, what = 'condition', everyMs = 25 } = {}) {
    const end = Date.now() + deadlineMs;
    let last;
    for (;;) {
        last = await fn();
        if (last) return last;
        if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
        await pause(everyMs); // the poll interval, not a synchronisation
    }
}

/** Runs `caremap ...args`; resolves {code, stdout, stderr} (never rejects on a non-zero exit). */
export function runCaremap(args, { deadlineMs = COMMAND_DEADLINE_MS, input } = {}) {
    return new Promise((resolve, reject) => {
        const child = execFile(BIN, args, { timeout: deadlineMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
            if (err && typeof err.code !== 'number') {
                if (err.killed) reject(new Error(`caremap ${args.join(' ')}: timed out (${deadlineMs} ms)`));
                else if (err.code === 'ENOENT') reject(new Error(`caremap binary not found at ${BIN} (set CAREMAP_BIN)`));
                else if (err.signal) resolve({ code: null, signal: err.signal, stdout, stderr });
                else reject(err);
                return;
            }
            resolve({ code: err ? err.code : 0, stdout, stderr });
        });
        if (input !== undefined) child.stdin.end(input);
    });
}

/** Runs SQL on a database with Debian's sqlite3 tool (tools/deps.sh installs it), e.g. to age a
 * session or a break-glass grant that no API can age. Works while a server runs on the file. */
export function sqlite(db, sql) {
    return new Promise((resolve, reject) => {
        execFile('sqlite3', ['-cmd', '.timeout 10000', db, sql], { timeout: COMMAND_DEADLINE_MS }, (err, stdout, stderr) => {
            if (err) reject(new Error(`sqlite3 ${db}: ${err.message} ${stderr}`));
            else resolve(stdout);
        });
    });
}

/** Hex SHA-256 of a session token: how the store keys sessions (the token itself is never stored). */
export function tokenHash(token) {
    return crypto.createHash('sha256').update(token).digest('hex');
}

/** `caremap db checksum --db FILE`: the 64-hex checksum of the care records (works while a server
 * runs on the file: WAL lets a reader in). */
export async function checksum(db) {
    const r = await runCaremap(['db', 'checksum', '--db', db]);
    assert.equal(r.code, 0, `caremap db checksum failed (${r.code}): ${r.stderr}`);
    const m = /\b([0-9a-f]{64})\b/.exec(r.stdout);
    assert.ok(m, `caremap db checksum printed no checksum: ${JSON.stringify(r.stdout)}`);
    return m[1];
}

/** Today in UTC as YYYY-MM-DD, offset by days. */
export function isoDate(offsetDays = 0) {
    const d = new Date(Date.now() + offsetDays * 86_400_000);
    return d.toISOString().slice(0, 10);
}

/** A short unique suffix for record numbers, usernames and names made by a test. */
export function uniq(prefix = 'T') {
    return `${prefix}${process.pid.toString(36)}${crypto.randomBytes(3).toString('hex')}`.toUpperCase();
}

// ---- the demo database ---------------------------------------------------------------------------

// `caremap demo` is built once per run into a template guarded by a lock directory, and copied for
// each server. The template's name carries the binary's identity, so a rebuilt binary never gets a
// database made by an older one.
function templatePath() {
    let id = 'nobin';
    try {
        const st = fs.statSync(BIN);
        id = crypto.createHash('sha256').update(`${BIN}:${st.size}:${st.mtimeMs}`).digest('hex').slice(0, 16);
    } catch {
        /* reported when the demo command runs */
    }
    return path.join(TMP, `demo-template-${id}.db`);
}

let templateDone = null;

/** Path of the demo template database, building it if no other test process did. */
export function demoTemplate() {
    if (!templateDone) templateDone = buildTemplate();
    return templateDone;
}

async function buildTemplate() {
    const tpl = templatePath();
    if (fs.existsSync(tpl)) return tpl;
    const lock = `${tpl}.lock`;
    const end = Date.now() + DEMO_DEADLINE_MS;
    for (;;) {
        try {
            fs.mkdirSync(lock);
            break; // we hold the lock
        } catch (e) {
            if (e.code !== 'EEXIST') throw e;
        }
        // Another file is building it: poll for the finished template (published by rename).
        if (fs.existsSync(tpl)) return tpl;
        // A lock older than any build can take was left by a process that died: take it over.
        try {
            if (Date.now() - fs.statSync(lock).mtimeMs > DEMO_DEADLINE_MS) fs.rmSync(lock, { recursive: true, force: true });
        } catch {
            /* released meanwhile */
        }
        if (Date.now() > end) throw new Error(`timed out waiting for ${lock} (another test building the demo)`);
        await pause(50);
    }
    try {
        if (fs.existsSync(tpl)) return tpl;
        const partial = path.join(TMP, `demo-partial-${process.pid}.db`);
        for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) fs.rmSync(f, { force: true });
        const t0 = Date.now();
        const r = await runCaremap(['demo', '--db', partial], { deadlineMs: DEMO_DEADLINE_MS });
        if (r.code !== 0) throw new Error(`caremap demo failed (${r.code}): ${r.stderr}`);
        fs.writeFileSync(path.join(TMP, 'demo-build-ms.txt'), `${Date.now() - t0}\n`);
        // The demo closed its connection, so SQLite checkpointed and removed the WAL; if a WAL is
        // left over it belongs to the copy too.
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

/** A path for a scratch file in this file's directory. */
export function scratchPath(name) {
    return path.join(RUN_DIR, name);
}

// ---- the server ------------------------------------------------------------------------------------

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

let serverCounter = 0;

/**
 * Starts `caremap serve --db <db> --listen 127.0.0.1:0 [--set k=v ...]` and waits (deadline) for
 * its `caremap: listening on http://127.0.0.1:PORT` line. stderr goes to a log file.
 * Returns {url, port, pid, db, logPath, stdout(), log(), stop(), kill(), exited, violations}.
 */
export async function startServer({ set = {}, db, name = 'server', defaults = true } = {}) {
    if (!db) db = await freshDb(name);
    const logPath = path.join(RUN_DIR, `${name}-${++serverCounter}.log`);
    const settings = { ...(defaults ? TEST_DEFAULTS : {}), ...set };
    const args = ['serve', '--db', db, '--listen', '127.0.0.1:0'];
    for (const [k, v] of Object.entries(settings)) args.push('--set', `${k}=${v}`);
    const logFd = fs.openSync(logPath, 'a');
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', logFd] });
    fs.closeSync(logFd);
    live.add(child);

    let out = '';
    let exitInfo = null;
    const exited = new Promise((resolve) => {
        child.on('exit', (code, signal) => {
            exitInfo = { code, signal };
            live.delete(child);
            resolve(exitInfo);
        });
    });
    let spawnError = null;
    child.on('error', (e) => {
        spawnError = e;
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
        if (out.length < 1 << 20) out += d; // keep draining after the line so the pipe never fills
    });

    const logTail = () => {
        try {
            return fs.readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n');
        } catch {
            return '';
        }
    };
    let port;
    try {
        const m = await waitFor(
            () => {
                if (spawnError) throw new Error(`cannot run ${BIN}: ${spawnError.message} (set CAREMAP_BIN)`);
                if (exitInfo) throw new Error(`caremap serve exited (${JSON.stringify(exitInfo)}) before listening:\n${logTail()}`);
                return /^caremap: listening on http:\/\/127\.0\.0\.1:(\d+)\s*$/m.exec(out);
            },
            { deadlineMs: START_DEADLINE_MS, what: 'caremap serve to print its listening line', everyMs: 10 },
        );
        port = Number(m[1]);
    } catch (e) {
        if (!exitInfo) child.kill('SIGKILL');
        throw e;
    }

    const server = {
        url: `http://127.0.0.1:${port}`,
        port,
        pid: child.pid,
        db,
        logPath,
        requests: 0, // requests this process sent through client() to this server
        requestIds: [], // X-Request-Id of each response received
        violations: [], // responses that broke the doc's header rules (see checkHeaders)
        stdout: () => out,
        log: () => fs.readFileSync(logPath, 'utf8'),
        get exitInfo() {
            return exitInfo;
        },
        exited,
        /** SIGTERM by pid, wait for exit with a deadline, then SIGKILL. Resolves {code, signal, forced}. */
        async stop({ deadlineMs = STOP_DEADLINE_MS } = {}) {
            if (exitInfo) return { ...exitInfo, forced: false };
            process.kill(child.pid, 'SIGTERM');
            // An unref'd timer: a pending deadline must not keep the test process alive.
            const t = await Promise.race([exited, pause(deadlineMs, null, { ref: false })]);
            if (t) return { ...t, forced: false };
            process.kill(child.pid, 'SIGKILL');
            return { ...(await exited), forced: true };
        },
        /** SIGKILL by pid (a crash), wait for exit. */
        async kill() {
            if (exitInfo) return exitInfo;
            process.kill(child.pid, 'SIGKILL');
            return exited;
        },
    };
    return server;
}

/**
 * Asserts the server stops on SIGTERM within the deadline with exit status 0 (under ASan a leak
 * makes the exit status non-zero) and that its log shows no sanitizer report.
 */
export async function stopCleanly(server) {
    const r = await server.stop();
    const log = server.log();
    const san = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: \w+Sanitizer/.exec(log);
    assert.ok(!san, `sanitizer report in the server log:\n${log.slice(Math.max(0, (san?.index ?? 0) - 200), (san?.index ?? 0) + 3000)}`);
    assert.equal(r.forced, false, 'server did not exit within the deadline after SIGTERM');
    assert.deepEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null }, `server exit status\n${log.split('\n').slice(-20).join('\n')}`);
}

// ---- responses and the doc's rules for them --------------------------------------------------------

export const CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The doc's header rules for every response; returns a list of what is wrong (empty when fine). */
export function headerProblems(res, reqPath) {
    const h = res.headers;
    const bad = [];
    if (!h.get('x-request-id')) bad.push('no X-Request-Id');
    if (h.get('content-security-policy') !== CSP) bad.push(`Content-Security-Policy is ${JSON.stringify(h.get('content-security-policy'))}`);
    if ((h.get('x-content-type-options') || '').toLowerCase() !== 'nosniff') bad.push('no X-Content-Type-Options: nosniff');
    if ((h.get('referrer-policy') || '').toLowerCase() !== 'no-referrer') bad.push('no Referrer-Policy: no-referrer');
    if (reqPath.startsWith('/api/') && !/\bno-store\b/.test(h.get('cache-control') || '')) bad.push(`Cache-Control is ${JSON.stringify(h.get('cache-control'))}`);
    if (res.text && res.text.length > 0 && !/^application\/json;\s*charset=utf-8$/i.test(h.get('content-type') || '')) bad.push(`Content-Type is ${JSON.stringify(h.get('content-type'))}`);
    return bad;
}

/** Checks a response against the header rules and remembers its request id (rawRequest and
 * httpRequest results too, so "every response" means every one). */
export function recordResponse(server, method, reqPath, res) {
    record(server, method, reqPath, res);
}

function record(server, method, reqPath, res) {
    if (!server) return;
    const id = res.headers.get('x-request-id');
    if (id) server.requestIds.push(id);
    const bad = headerProblems(res, reqPath.split('?')[0]);
    if (bad.length) server.violations.push(`${method} ${reqPath.split('?')[0]} -> ${res.status}: ${bad.join('; ')}`);
}

/** Asserts no response seen so far broke the header rules. */
export function assertNoHeaderViolations(server) {
    const uniqueV = [...new Set(server.violations)];
    assert.deepEqual(uniqueV.slice(0, 30), [], `${uniqueV.length} kinds of responses broke the documented headers`);
}

/**
 * Asserts res is the documented error: status, body exactly {"error":{"code","message","field"}}
 * with strings, the code, and (when given) the field; a non-empty field must appear in the message.
 * field may be an array of acceptable values where the doc leaves the choice open.
 */
export function assertError(res, status, code, field) {
    const where = `${res.method} ${res.path} -> ${res.status} ${res.text.slice(0, 300)}`;
    if (Array.isArray(status)) assert.ok(status.includes(res.status), `status ${res.status} not in ${status}: ${where}`);
    else assert.equal(res.status, status, where);
    assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `error body is not a JSON object: ${where}`);
    assert.deepEqual(Object.keys(res.json), ['error'], `error body has other keys: ${where}`);
    const e = res.json.error;
    assert.ok(e && typeof e === 'object', where);
    assert.deepEqual(Object.keys(e).sort(), ['code', 'field', 'message'], `error object keys: ${where}`);
    for (const k of ['code', 'message', 'field']) assert.equal(typeof e[k], 'string', `error.${k} is not a string: ${where}`);
    assert.ok(e.message.length > 0, `empty error message: ${where}`);
    if (code !== undefined) assert.equal(e.code, code, `error code: ${where}`);
    if (field !== undefined) {
        if (Array.isArray(field)) assert.ok(field.includes(e.field), `error field ${JSON.stringify(e.field)} not in ${JSON.stringify(field)}: ${where}`);
        else assert.equal(e.field, field, `error field: ${where}`);
    }
    if (e.field !== '') assert.ok(e.message.includes(e.field), `message does not mention field ${e.field}: ${where}`);
    return e;
}

/** Asserts a list envelope {items, total, limit, offset}. */
export function assertList(res, status = 200) {
    const where = `${res.method} ${res.path} -> ${res.status} ${res.text.slice(0, 300)}`;
    assert.equal(res.status, status, where);
    const j = res.json;
    assert.ok(j && Array.isArray(j.items), `no items array: ${where}`);
    for (const k of ['total', 'limit', 'offset']) assert.ok(Number.isInteger(j[k]), `${k} is not an integer: ${where}`);
    assert.ok(j.total >= j.items.length, `total < items: ${where}`);
    assert.ok(j.items.length <= j.limit, `more items than limit: ${where}`);
    return j;
}

/** Asserts a success status and an ETag equal to "<version>" of the body (or of body[key]). */
export function assertRecord(res, status, key) {
    const where = `${res.method} ${res.path} -> ${res.status} ${res.text.slice(0, 400)}`;
    assert.equal(res.status, status, where);
    const rec = key ? res.json?.[key] : res.json;
    assert.ok(rec && typeof rec === 'object', `no record: ${where}`);
    assert.ok(Number.isInteger(rec.id) && rec.id > 0, `id: ${where}`);
    assert.ok(Number.isInteger(rec.version) && rec.version >= 1, `version: ${where}`);
    assert.equal(res.headers.get('etag'), `"${rec.version}"`, `ETag: ${where}`);
    return rec;
}

export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// ---- the client ------------------------------------------------------------------------------------

/**
 * One request. opts: body (object -> JSON; string or Buffer sent as is), contentType (default
 * application/json when there is a body; null for none), headers, cookie (raw Cookie value),
 * bearer (token), csrf (X-CSRF-Token value), ifMatch (a version number -> "N", or a raw string),
 * query (object), signal (an AbortSignal). Resolves {status, headers, text, json, requestId, setCookies, method, path}.
 */
export async function request(server, method, reqPath, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    let body;
    if (opts.body !== undefined) {
        body = Buffer.isBuffer(opts.body) || typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
        const ct = opts.contentType === undefined ? 'application/json' : opts.contentType;
        if (ct !== null) headers['Content-Type'] = ct;
    } else if (opts.contentType) {
        headers['Content-Type'] = opts.contentType;
    }
    if (opts.cookie !== undefined) headers.Cookie = opts.cookie;
    if (opts.bearer !== undefined) headers.Authorization = `Bearer ${opts.bearer}`;
    if (opts.csrf !== undefined && opts.csrf !== null) headers['X-CSRF-Token'] = opts.csrf;
    if (opts.ifMatch !== undefined && opts.ifMatch !== null) headers['If-Match'] = typeof opts.ifMatch === 'number' ? `"${opts.ifMatch}"` : opts.ifMatch;
    let p = reqPath;
    if (opts.query) {
        const qs = new URLSearchParams(Object.entries(opts.query).map(([k, v]) => [k, String(v)])).toString();
        if (qs) p += (p.includes('?') ? '&' : '?') + qs;
    }
    if (server) server.requests++;
    const r = await fetch(server.url + p, { method, headers, body, redirect: 'manual', signal: opts.signal });
    const text = await r.text();
    let json = null;
    try {
        json = text ? JSON.parse(text) : null;
    } catch {
        json = null;
    }
    const res = {
        status: r.status,
        headers: r.headers,
        text,
        json,
        requestId: r.headers.get('x-request-id'),
        setCookies: r.headers.getSetCookie ? r.headers.getSetCookie() : [],
        method,
        path: p,
    };
    record(server, method, p, res);
    return res;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A signed-in identity. By default it sends the cookie, and the CSRF token on state-changing
 * requests; .bearer() is the same session through Authorization: Bearer. */
export class Session {
    constructor(server, { cookieName, token, csrf, user, body, res }, mode = 'cookie') {
        Object.assign(this, { server, cookieName, token, csrf, user, body, res, mode });
    }

    get cookie() {
        return `${this.cookieName}=${this.token}`;
    }

    bearer() {
        return new Session(this.server, this, 'bearer');
    }

    withCookie() {
        return new Session(this.server, this, 'cookie');
    }

    /** opts as request(); csrf: false sends none, a string sends that value. */
    req(method, reqPath, opts = {}) {
        const o = { ...opts };
        if (this.mode === 'bearer') {
            if (o.bearer === undefined) o.bearer = this.token;
        } else {
            if (o.cookie === undefined) o.cookie = this.cookie;
            if (o.csrf === undefined && STATE_CHANGING.has(method)) o.csrf = this.csrf;
        }
        if (o.csrf === false) delete o.csrf;
        return request(this.server, method, reqPath, o);
    }

    get(p, o) {
        return this.req('GET', p, o);
    }
}

/** Signs in; asserts 201 and returns a Session. */
export async function signIn(server, username, password = DEMO_PASSWORD) {
    const res = await request(server, 'POST', '/api/session', { body: { username, password } });
    assert.equal(res.status, 201, `sign-in as ${username}: ${res.status} ${res.text.slice(0, 300)}`);
    const body = res.json;
    const cookieLine = res.setCookies.find((c) => /^(__Host-)?caremap=/.test(c));
    assert.ok(cookieLine, `sign-in as ${username}: no caremap cookie in ${JSON.stringify(res.setCookies)}`);
    const [, cookieName, cookieValue] = /^([^=]+)=([^;]*)/.exec(cookieLine);
    return new Session(server, { cookieName, token: body.token || cookieValue, csrf: body.csrf_token, user: body.user, body, res });
}

/** A client bound to a server: anonymous requests and sign-ins. */
export function client(server) {
    return {
        server,
        req: (method, p, opts) => request(server, method, p, opts),
        signIn: (username, password) => signIn(server, username, password),
    };
}

// ---- lower-level transports --------------------------------------------------------------------------

/**
 * Writes raw bytes on a fresh TCP connection and reads the response until the server closes the
 * connection or a complete response (by Content-Length) arrived. Used for what fetch would
 * normalise or refuse: odd paths, chunked bodies, huge headers, a Content-Length with no body.
 * Resolves {status, headers (lower-case names), text, json, error}; status 0 when the server
 * answered nothing before closing.
 */
export function rawRequest(server, data, { deadlineMs = 20_000, endAfterWrite = false } = {}) {
    return new Promise((resolve) => {
        const sock = net.connect(server.port, '127.0.0.1');
        const chunks = [];
        let done = false;
        const finish = (error) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            sock.destroy();
            const buf = Buffer.concat(chunks);
            resolve({ ...parseResponse(buf), error: error ? String(error.code || error.message) : null, raw: buf });
        };
        const timer = setTimeout(() => finish(new Error('deadline')), deadlineMs);
        sock.on('data', (d) => {
            chunks.push(d);
            const r = parseResponse(Buffer.concat(chunks));
            if (r.complete) finish(null);
        });
        sock.on('error', (e) => finish(e));
        sock.on('close', () => finish(null));
        sock.on('connect', () => {
            if (server) server.requests++;
            sock.write(data, () => {
                if (endAfterWrite) sock.end();
            });
        });
    });
}

function parseResponse(buf) {
    const sep = buf.indexOf('\r\n\r\n');
    if (sep < 0) return { status: 0, headers: {}, text: '', json: null, complete: false };
    const head = buf.subarray(0, sep).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
    const headers = {};
    for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const body = buf.subarray(sep + 4);
    const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : null;
    const complete = len !== null && body.length >= len;
    const text = body.subarray(0, len ?? body.length).toString('utf8');
    let json = null;
    try {
        json = text ? JSON.parse(text) : null;
    } catch {
        json = null;
    }
    return { status: m ? Number(m[1]) : 0, headers, text, json, complete };
}

/** A fetch-like Headers view over a plain object of lower-case names (for rawRequest results). */
export function rawAsResponse(r, method, p) {
    return {
        ...r,
        method,
        path: p,
        headers: { get: (n) => (r.headers[n.toLowerCase()] === undefined ? null : r.headers[n.toLowerCase()]) },
    };
}

/**
 * A request through node:http, for what fetch cannot do: choosing the local address (a second
 * client address on the loopback, for per-address throttling). Resolves like request().
 */
export function httpRequest(server, method, reqPath, { body, headers = {}, localAddress } = {}) {
    return new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
        const h = { ...headers };
        if (data) {
            h['Content-Type'] = h['Content-Type'] || 'application/json';
            h['Content-Length'] = data.length;
        }
        if (server) server.requests++;
        const req = http.request(
            { host: '127.0.0.1', port: server.port, method, path: reqPath, headers: h, localAddress, agent: false },
            (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('end', () => {
                    const text = Buffer.concat(chunks).toString('utf8');
                    let json = null;
                    try {
                        json = text ? JSON.parse(text) : null;
                    } catch {
                        json = null;
                    }
                    const out = {
                        status: res.statusCode,
                        headers: { get: (n) => (res.headers[n.toLowerCase()] === undefined ? null : [].concat(res.headers[n.toLowerCase()]).join(', ')) },
                        text,
                        json,
                        method,
                        path: reqPath,
                    };
                    record(server, method, reqPath, out);
                    resolve(out);
                });
            },
        );
        req.on('error', reject);
        if (data) req.write(data);
        req.end();
    });
}

// ---- demo discovery ----------------------------------------------------------------------------------

/** Every child the session's panel lists (pages of 200). */
export async function panelAll(session, query = {}) {
    const items = [];
    for (let offset = 0; ; offset += 200) {
        const res = await session.get('/api/children', { query: { ...query, limit: 200, offset } });
        const j = assertList(res);
        items.push(...j.items);
        if (j.items.length < 200 || items.length >= j.total) return items;
    }
}

/** username -> user record, through the administrator's user list. */
export async function usersByName(admin) {
    const res = await admin.get('/api/users');
    const j = assertList(res);
    assert.equal(j.items.length, j.total, 'GET /api/users returned one page only');
    const map = new Map(j.items.map((u) => [u.username, u]));
    return map;
}

/** A child record with a fresh version. */
export async function getChild(session, id) {
    const res = await session.get(`/api/children/${id}`);
    return assertRecord(res, 200);
}

// ---- the shared plan of care (plan_*.test.mjs) -------------------------------------------------------

/** The eleven element kinds of docs/api.md, in plan order: kind name and URL segment. Hard-coded on
 * purpose, so that a kind missing from GET /api/plan/kinds (or from the routes) fails a test. */
export const PLAN_KINDS = [
    { kind: 'summary', path: 'summary' },
    { kind: 'goal', path: 'goals' },
    { kind: 'concern', path: 'concerns' },
    { kind: 'action', path: 'actions' },
    { kind: 'condition', path: 'conditions' },
    { kind: 'allergy', path: 'allergies' },
    { kind: 'medication', path: 'medications' },
    { kind: 'equipment', path: 'equipment' },
    { kind: 'action_plan', path: 'action-plans' },
    { kind: 'transition', path: 'transitions' },
    { kind: 'milestone', path: 'milestones' },
];

/** The six starter action plans of data/templates/action_plans. */
export const PLAN_TEMPLATES = ['behaviour_crisis', 'dystonia', 'gtube_dislodgement', 'respiratory_distress', 'seizures', 'trach_emergency'];

/**
 * A valid item of kind with every field of docs/api.md's table set (synthetic values), except
 * action_plan.template (set by from-template). refs gives the ids the links need: {goal, concern,
 * transition}. extra is merged over it (undefined deletes a key).
 */
export function samplePlanItem(kind, refs = {}, extra = {}) {
    const bodies = {
        summary: { text: 'Lina is 8. She loves music and her brother.' },
        goal: { text: 'We want Lina to sleep through the night', status: 'active', target_date: '2027-01-15' },
        concern: { text: 'Weight gain has slowed since spring', raised_by: 'Hollis Quillbrook' },
        action: {
            text: 'Try a slower night feed for four weeks',
            goal_id: refs.goal,
            concern_id: refs.concern,
            owner: 'Ada Coordinator',
            target_date: '2026-12-01',
            status: 'in_progress',
            icf_domain: 'body_functions',
        },
        condition: { description: 'Seizures that start in one part of the brain', code: 'G40.209', body_system: 'neurological', notes: 'Mostly at night' },
        allergy: { substance: 'Penicillin', reaction: 'Hives on the chest', severity: 'moderate' },
        medication: {
            name: 'Levetiracetam',
            dose: '2 mL',
            route: 'g_tube',
            schedule: 'Twice a day, morning and night',
            purpose: 'To prevent seizures',
            prescriber: 'Dr. Ellis',
            key: true,
        },
        equipment: {
            type: 'tracheostomy',
            description: 'Breathing tube in the neck',
            make: 'Bivona',
            size: '3.5 uncuffed',
            settings: 'No settings',
            supplier: 'Lakeside Medical Supply',
            supplier_phone: '555-0142',
            replace_every_days: 30,
            last_replaced: '2026-01-05',
        },
        action_plan: {
            title: 'Plan for a bad cold',
            trigger: 'A fever over 38.5 C or fast breathing',
            steps: 'Check her breathing.\nGive fluids through the tube.\nCall the nurse line.',
            call: 'The care coordinator at 555-0100',
            emergency: 'Call 911 if her lips turn blue',
            note: 'Keep this plan by the bed',
        },
        transition: { type: 'hospital_to_home', description: 'Going home from the hospital with a new trach', target_date: '2026-12-20' },
        milestone: { transition_id: refs.transition, text: 'Parents learn trach care', owner: 'Family', due_date: '2026-12-10', status: 'not_started' },
    };
    const body = { ...bodies[kind] };
    assert.ok(bodies[kind], `samplePlanItem: unknown kind ${kind}`);
    for (const [k, v] of Object.entries(extra)) {
        if (v === undefined) delete body[k];
        else body[k] = v;
    }
    return body;
}

/** Enrols a child as session s (201 asserted); returns the child record. */
export async function createChild(s, extra = {}) {
    const res = await s.req('POST', '/api/children', {
        body: { record_number: uniq('PLAN-'), given_name: 'Lina', family_name: 'Plantest', birth_date: '2017-04-09', tier: 2, ...extra },
    });
    return assertRecord(res, 201);
}

/** Adds a guardian to childId as admin and a family account linked to them; returns
 * {member, username, session} with the family account signed in. */
export async function addFamilyAccount(admin, childId, tag = 'F', language = 'en') {
    const member = assertRecord(
        await admin.req('POST', `/api/children/${childId}/family`, {
            body: { given_name: 'Rosa', family_name: `Guardian${tag}`, relationship: 'guardian', is_guardian: true },
        }),
        201,
    );
    const password = 'plan-family-password-1';
    const username = `family.pl${tag.toLowerCase()}${crypto.randomBytes(3).toString('hex')}`;
    assertRecord(
        await admin.req('POST', '/api/users', {
            body: { username, display_name: `Rosa Guardian${tag}`, role: 'family', password, language, family_member_id: member.id },
        }),
        201,
    );
    return { member, username, session: await signIn(admin.server, username, password) };
}

/** Creates an item of kind (path) under childId as s; asserts 201 and returns the item. */
export async function createPlanItem(s, childId, path, body) {
    const res = await s.req('POST', `/api/children/${childId}/plan/${path}`, { body });
    return assertRecord(res, 201);
}

/**
 * A request whose body is binary (a PDF): as Session.req (cookie or bearer; no CSRF on GET), the
 * response read as bytes. Resolves {status, headers, bytes, text, json, requestId, method, path};
 * text/json are filled only when the answer is not a PDF. Recorded against the header rules, a
 * PDF's Content-Type excepted (the rule for bodies is about JSON bodies).
 */
export async function requestBytes(session, reqPath, opts = {}) {
    const server = session.server ?? session;
    const headers = { ...(opts.headers || {}) };
    if (session instanceof Session) {
        if (session.mode === 'bearer') headers.Authorization = `Bearer ${session.token}`;
        else headers.Cookie = session.cookie;
    }
    let p = reqPath;
    if (opts.query) {
        const qs = new URLSearchParams(Object.entries(opts.query).map(([k, v]) => [k, String(v)])).toString();
        if (qs) p += (p.includes('?') ? '&' : '?') + qs;
    }
    server.requests++;
    const r = await fetch(server.url + p, { method: 'GET', headers, redirect: 'manual' });
    const bytes = Buffer.from(await r.arrayBuffer());
    const isPdf = /^application\/pdf\b/i.test(r.headers.get('content-type') || '');
    const text = isPdf ? '' : bytes.toString('utf8');
    let json = null;
    try {
        json = text ? JSON.parse(text) : null;
    } catch {
        json = null;
    }
    const res = { status: r.status, headers: r.headers, bytes, text, json, requestId: r.headers.get('x-request-id'), method: 'GET', path: p };
    record(server, 'GET', p, res);
    return res;
}

function runTool(tool, args, input) {
    return new Promise((resolve, reject) => {
        const child = execFile(tool, args, { timeout: COMMAND_DEADLINE_MS, maxBuffer: 64 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
            if (err) reject(new Error(`${tool} ${args.join(' ')}: ${err.message} ${stderr}`));
            else resolve(stdout);
        });
        child.stdin.end(input);
    });
}

/** The text of a PDF by poppler's pdftotext (pages separated by form feeds), UTF-8. */
export function pdfText(bytes, { layout = false } = {}) {
    return runTool('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', '-', '-'], bytes);
}

/** pdfinfo's fields of a PDF as an object (Pages as a number). */
export async function pdfInfo(bytes) {
    const out = await runTool('pdfinfo', ['-'], bytes);
    const info = {};
    for (const line of out.split('\n')) {
        const m = /^([^:]+):\s*(.*)$/.exec(line);
        if (m) info[m[1].trim()] = m[2].trim();
    }
    info.Pages = Number(info.Pages);
    return info;
}

/** Every event of a child's access history (pages of 200, as session s), by request id. */
export async function accessHistory(s, childId) {
    const all = [];
    for (let offset = 0; ; offset += 200) {
        const res = await s.get(`/api/children/${childId}/access`, { query: { limit: 200, offset } });
        assert.equal(res.status, 200, res.text);
        all.push(...res.json.items);
        if (res.json.items.length < 200) break;
    }
    return new Map(all.map((e) => [e.request_id, e]));
}
