// Issue 4, acceptance 4: the JavaScript and CSS sent on first load stay under 80 KB gzipped. "Sent
// on first load" is every script and stylesheet web/dist/index.html references; they are summed
// after gzip (node:zlib, level 9, what a server or proxy would send).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { REPO } from './lib/harness.mjs';

const DIST = path.join(REPO, 'web', 'dist');
const LIMIT = 80 * 1024;

test('the javascript and css index.html loads are under 80 KB gzipped in total', () => {
    const indexPath = path.join(DIST, 'index.html');
    assert.ok(fs.existsSync(indexPath), 'web/dist/index.html is missing: build the UI (make web, or cd web && npm ci && npm run build)');
    const html = fs.readFileSync(indexPath, 'utf8');
    const refs = [
        ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
        ...[...html.matchAll(/<link\b[^>]*\bhref="([^"]+\.css)"/g)].map((m) => m[1]),
        ...[...html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]),
    ];
    const files = [...new Set(refs)];
    assert.ok(files.some((f) => f.endsWith('.js')), `index.html references no script: ${html}`);
    assert.ok(files.some((f) => f.endsWith('.css')), `index.html references no stylesheet: ${html}`);
    let raw = 0;
    let gz = 0;
    const rows = [];
    for (const ref of files) {
        assert.ok(!/^[a-z]+:|^\/\//i.test(ref), `index.html loads ${ref} from outside the origin`);
        const p = path.join(DIST, path.basename(ref));
        assert.ok(fs.existsSync(p), `index.html references ${ref} but web/dist has no ${path.basename(ref)}`);
        const buf = fs.readFileSync(p);
        const z = zlib.gzipSync(buf, { level: 9 }).length;
        raw += buf.length;
        gz += z;
        rows.push(`${path.basename(ref)} ${buf.length} B raw, ${z} B gzipped`);
    }
    console.log(`first load: ${rows.join('; ')}; total ${gz} B gzipped of ${LIMIT}`);
    assert.ok(gz < LIMIT, `first-load JS+CSS is ${gz} B gzipped (limit ${LIMIT}): ${rows.join('; ')}`);
});
