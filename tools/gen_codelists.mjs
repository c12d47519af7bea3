#!/usr/bin/env node
// Copies the published CCC v2 code lists (as the R package pccc 1.0.6 matches them) from the shared
// reference directory into data/codelists/, byte for byte, and writes data/codelists/README.md
// citing their source. The lists are embedded in the binary (tools/embed_data.cmake) and checked
// by SHA-256 at start-up, so they must stay exactly as published: nothing here reformats them.
// It also copies the synthetic CCC samples and pccc's outputs for them into tests/data/identify/,
// so the unit tests run on a clean clone without ../shared.
//
// usage: node tools/gen_codelists.mjs [REFERENCE_DIR]   (default: ../shared/reference from the repo)
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ref = resolve(process.argv[2] ?? join(repo, '..', 'shared', 'reference'));

const lists = ['ccc_v2_icd10_pccc_1.0.6.tsv', 'ccc_v2_icd9_pccc_1.0.6.tsv'];
const samples = [
  'ccc_sample_input_long.tsv',
  'ccc_sample_pccc_1.0.6_output.tsv',
  'ccc_listed_codes_input_long.tsv',
  'ccc_listed_codes_pccc_1.0.6_output.tsv',
];
const listHeader = 'category\tcategory_label\tcode_type\tmatch\tcode\tis_flag_only';

function fail(msg) {
  console.error(`gen_codelists: ${msg}`);
  process.exit(1);
}

function read(path) {
  try {
    return readFileSync(path);
  } catch (e) {
    fail(`cannot read ${path}: ${e.message}`);
  }
}

// Refuses a source that does not look like a pccc list, rather than embedding something else.
function checkList(name, bytes) {
  const text = bytes.toString('utf8');
  if (!text.endsWith('\n')) fail(`${name}: does not end with a newline`);
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== listHeader) fail(`${name}:1: unexpected header`);
  lines.slice(1).forEach((l, i) => {
    if (l.split('\t').length !== 6) fail(`${name}:${i + 2}: expected 6 columns`);
  });
  return lines.length - 1;
}

const outLists = join(repo, 'data', 'codelists');
mkdirSync(outLists, { recursive: true });
const rows = [];
for (const name of lists) {
  const bytes = read(join(ref, name));
  const n = checkList(name, bytes);
  writeFileSync(join(outLists, name), bytes);
  const sha = createHash('sha256').update(bytes).digest('hex');
  rows.push(`| \`${name}\` | ${n} | \`${sha}\` |`);
}

// The citation and source are copied from the reference README's section 1, so the provenance
// travels with the lists.
const readme = read(join(ref, 'README.md')).toString('utf8');
const cite = readme.match(/^\*\*Citation\.\*\*[\s\S]*?(?=\n\n)/m);
const source = readme.match(/^\*\*Source\.\*\* R package `pccc`[\s\S]*?(?=\n\n)/m);
if (!cite || !source) fail('README.md: no CCC v2 citation or source paragraph found');

writeFileSync(
  join(outLists, 'README.md'),
  `# Code lists (generated; do not edit)

Written by \`tools/gen_codelists.mjs\` from \`../shared/reference/\`. The \`.tsv\` files are byte-for-byte
copies of the published lists, embedded in the \`caremap\` binary; \`caremap identify --list-versions\`
prints each one's name, rows and SHA-256, which must equal the figures below.

## CCC version 2, as the R package pccc 1.0.6 matches it

${cite[0]}

${source[0]}

Columns: \`category\`, \`category_label\`, \`code_type\` (\`dx\` diagnosis, \`pc\` procedure), \`match\`
(\`prefix\`: a patient code starting with \`code\` matches; \`exact\`: only an equal code matches), \`code\`
(no dot, upper case), \`is_flag_only\` (1 for \`tech_dep\` and \`transplant\`).

| file | rows | SHA-256 |
| --- | ---: | --- |
${rows.join('\n')}
`,
);

const outSamples = join(repo, 'tests', 'data', 'identify');
mkdirSync(outSamples, { recursive: true });
for (const name of samples) writeFileSync(join(outSamples, name), read(join(ref, 'samples', name)));
console.log(`gen_codelists: wrote ${lists.length} lists to data/codelists and ${samples.length} samples to tests/data/identify`);
