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
const mcList = 'ccc_medicalcoder_0.6.0.9000_codes.tsv';
const mcHeader =
  'icdv\tdx\tfull_code\tcode\tcondition\tsubcondition\ttransplant_flag\ttech_dep_flag\tpccc_v3.1\tpccc_v3.0\tpccc_v2.1\tpccc_v2.0';
const samples = [
  'ccc_sample_input_long.tsv',
  'ccc_sample_pccc_1.0.6_output.tsv',
  'ccc_listed_codes_input_long.tsv',
  'ccc_listed_codes_pccc_1.0.6_output.tsv',
  'ccc_sample_medicalcoder_pccc_v2.0_output.tsv',
  'ccc_sample_medicalcoder_pccc_v2.1_output.tsv',
  'ccc_sample_medicalcoder_pccc_v3.0_output.tsv',
  'ccc_sample_medicalcoder_pccc_v3.1_output.tsv',
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
function checkList(name, bytes, header = listHeader, columns = 6) {
  const text = bytes.toString('utf8');
  if (!text.endsWith('\n')) fail(`${name}: does not end with a newline`);
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== header) fail(`${name}:1: unexpected header`);
  lines.slice(1).forEach((l, i) => {
    if (l.split('\t').length !== columns) fail(`${name}:${i + 2}: expected ${columns} columns`);
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

// PMCA: the ICD-10 branch of the SAS macro %classify_dx as one row per pattern.
const pmcaList = 'pmca_icd10_sas_rules_v3.4.5.tsv';
const pmcaHeader = 'rule_no\tsas_line\tmatch\tpattern\tsas_literal\tsets\tbody_systems\tmalignancy\tprogressive';
const pmcaBytes = read(join(ref, pmcaList));
const pmcaRows = checkList(pmcaList, pmcaBytes, pmcaHeader, 9);
writeFileSync(join(outLists, pmcaList), pmcaBytes);
const pmcaSha = createHash('sha256').update(pmcaBytes).digest('hex');

const mcBytes = read(join(ref, mcList));
const mcRows = checkList(mcList, mcBytes, mcHeader, 12);
writeFileSync(join(outLists, mcList), mcBytes);
const mcSha = createHash('sha256').update(mcBytes).digest('hex');

// The citation and source are copied from the reference README's sections 1 and 2, so the
// provenance travels with the lists.
const readme = read(join(ref, 'README.md')).toString('utf8');
const cite = readme.match(/^\*\*Citation\.\*\*[\s\S]*?(?=\n\n)/m);
const source = readme.match(/^\*\*Source\.\*\* R package `pccc`[\s\S]*?(?=\n\n)/m);
if (!cite || !source) fail('README.md: no CCC v2 citation or source paragraph found');
const mcCite = readme.match(/^\*\*Citation \(v3\)\.\*\*[\s\S]*?(?=\n\n)/m);
const mcSource = readme.match(/^\*\*Source\.\*\* R package `medicalcoder`[\s\S]*?(?=\n\n)/m);
if (!mcCite || !mcSource) fail('README.md: no medicalcoder citation or source paragraph found');
const pmcaCite = readme.match(/^\*\*Citation\.\*\* Simon TD[\s\S]*?(?=\n\n)/m);
const pmcaSource = readme.match(/^\*\*Source\.\*\* GitHub kpwhri\/pmca[\s\S]*?(?=\n\n)/m);
if (!pmcaCite || !pmcaSource) fail('README.md: no PMCA citation or source paragraph found');

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

## CCC v2.0, v2.1, v3.0 and v3.1, as the R package medicalcoder 0.6.0.9000 matches them

${mcCite[0]}

${mcSource[0]}

Columns: \`icdv\` (9 or 10), \`dx\` (1 diagnosis, 0 procedure), \`full_code\` (dotted where a dot
applies), \`code\` (undotted), \`condition\`, \`subcondition\`, \`transplant_flag\`, \`tech_dep_flag\`,
\`pccc_v3.1\`, \`pccc_v3.0\`, \`pccc_v2.1\`, \`pccc_v2.0\` (1 when the row belongs to that variant). A
patient code matches a row when it equals \`full_code\` or \`code\`; there are no prefixes.

| file | rows | SHA-256 |
| --- | ---: | --- |
| \`${mcList}\` | ${mcRows} | \`${mcSha}\` |

## Pediatric Medical Complexity Algorithm (PMCA), ICD-10 rules of the SAS macro

${pmcaCite[0]}

${pmcaSource[0]}

The repository has no licence file, so its reuse terms are not stated. The rules are kept here,
cited, as the data that defines the algorithm; settle the terms with the maintainers before
shipping caremap outside the project.

Columns: \`rule_no\`, \`sas_line\`, \`match\` (\`prefix\` or \`exact\`), \`pattern\` (no dot, upper
case), \`sas_literal\`, \`sets\` (SAS variables set, \`;\`-separated), \`body_systems\`,
\`malignancy\`, \`progressive\`.

| file | rows | SHA-256 |
| --- | ---: | --- |
| \`${pmcaList}\` | ${pmcaRows} | \`${pmcaSha}\` |
`,
);

const outSamples = join(repo, 'tests', 'data', 'identify');
mkdirSync(outSamples, { recursive: true });
for (const name of samples) writeFileSync(join(outSamples, name), read(join(ref, 'samples', name)));
// PMCA: the maintainers' ICD-10 code list, which the rules must reproduce (test_pmca).
writeFileSync(join(outSamples, 'pmca_icd10_code_list_kpwhri.tsv'), read(join(ref, 'pmca_icd10_code_list_kpwhri.tsv')));
console.log(`gen_codelists: wrote ${lists.length + 2} lists to data/codelists and ${samples.length} samples to tests/data/identify`);
