// The message catalogs: English and Spanish have exactly the same keys, the same {placeholders}
// in each message, no empty text, keys named after their area, and every message key the UI's
// source names literally exists (a missing key would show the key itself to a parent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, LANGS } from './lib/harness.mjs';

const MSG = path.join(REPO, 'data', 'messages');
const SRC = path.join(REPO, 'web', 'src');

function areas(lang) {
    return fs
        .readdirSync(path.join(MSG, lang))
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
        .sort();
}

function load(lang, area) {
    return JSON.parse(fs.readFileSync(path.join(MSG, lang, `${area}.json`), 'utf8'));
}

function placeholders(s) {
    return [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

test('english and spanish have the same catalog files, including every area the contract names', () => {
    assert.deepEqual(areas('es'), areas('en'));
    for (const a of ['common', 'signin', 'panel', 'familyview', 'users', 'child', 'team']) {
        assert.ok(areas('en').includes(a), `data/messages/en/${a}.json is missing`);
    }
});

test('every catalog has the same keys in english and spanish', () => {
    for (const a of areas('en')) {
        const en = Object.keys(load('en', a)).sort();
        const es = Object.keys(load('es', a)).sort();
        const onlyEn = en.filter((k) => !es.includes(k));
        const onlyEs = es.filter((k) => !en.includes(k));
        assert.deepEqual({ onlyEn, onlyEs }, { onlyEn: [], onlyEs: [] }, `${a}.json key sets differ`);
    }
});

test('every key is named after its area, every text is a non-empty string, and no key is defined twice', () => {
    const seen = new Map();
    for (const lang of LANGS) {
        for (const a of areas(lang)) {
            for (const [k, v] of Object.entries(load(lang, a))) {
                assert.ok(k.startsWith(`${a}.`), `${lang}/${a}.json: key ${k} does not start with "${a}."`);
                assert.equal(typeof v, 'string', `${lang}/${a}.json: ${k} is not a string`);
                assert.ok(v.trim().length > 0, `${lang}/${a}.json: ${k} is empty`);
                const where = `${lang}:${k}`;
                assert.ok(!seen.has(where), `${k} defined twice in ${lang}`);
                seen.set(where, a);
            }
        }
    }
});

test('each spanish message has the same placeholders as its english one', () => {
    for (const a of areas('en')) {
        const en = load('en', a);
        const es = load('es', a);
        for (const k of Object.keys(en)) {
            if (!(k in es)) continue; // reported by the key-set test
            assert.deepEqual(placeholders(es[k]), placeholders(en[k]), `${a}: ${k} placeholders differ`);
        }
    }
});

test('spanish is translated: most messages differ from the english text', () => {
    for (const a of areas('en')) {
        const en = load('en', a);
        const es = load('es', a);
        const keys = Object.keys(en);
        const same = keys.filter((k) => es[k] === en[k] && /[a-z]{4,}/i.test(en[k]));
        // A few words are the same in both (names, "caremap", "Email"); a copied catalog is not.
        assert.ok(same.length <= Math.max(3, keys.length * 0.1), `${a}: ${same.length} of ${keys.length} messages untranslated: ${same.slice(0, 10).join(', ')}`);
    }
});

function sourceFiles(dir) {
    const out = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...sourceFiles(p));
        else if (e.name.endsWith('.js')) out.push(p);
    }
    return out;
}

test('every message key the UI names literally exists in the english catalog', () => {
    const en = {};
    for (const a of areas('en')) Object.assign(en, load('en', a));
    const files = sourceFiles(SRC);
    assert.ok(files.length > 0, 'no web/src/*.js files');
    const missing = [];
    let checked = 0;
    for (const f of files) {
        const src = fs.readFileSync(f, 'utf8');
        // t('a.b'), tOr('a.b', ...), tn('a.b', n): the plural form needs at least a.b.other.
        for (const m of src.matchAll(/\b(t|tn|tOr)\(\s*(['"])([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\2/g)) {
            const [, fn, , key] = m;
            checked++;
            const ok = fn === 'tn' ? `${key}.other` in en : key in en;
            if (!ok) missing.push(`${path.relative(REPO, f)}: ${fn}('${key}')`);
        }
    }
    assert.ok(checked > 20, `found only ${checked} literal message keys in web/src`);
    assert.deepEqual(missing, [], 'message keys used by the UI but missing from data/messages/en');
});
