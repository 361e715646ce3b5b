// Feeds JUnit files to JUnit consumers from the npm registry, through their
// library APIs, and prints as one JSON line what each one read:
//
//   node consume.mjs a.xml [b.xml ...]
//   {"junit2json": {"version": "4.0.0", "files": [{"path": "a.xml", "suites": 1,
//      "tests": 10, "failures": 1, "errors": 2, "skipped": 7,
//      "cases": {"tests": 10, "failures": 1, "errors": 2, "skipped": 7},
//      "system_out_tail": "..."}, ...]},
//    "junit-report-merger": {"version": "9.0.4", "files": [{"path": "a.xml", "tests": 10, ...}],
//      "merged": {"tests": ..., "failures": ..., "errors": ..., "skipped": ...,
//                 "cases": {...}}}}
//
// It measures; it never judges (junit_consumers_test.cpp compares the
// numbers with the files' own). Any parse error ends it with exit 1 and the
// error on stderr: a consumer that cannot read our file is the finding.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'junit2json';
import merger from 'junit-report-merger';

const require = createRequire(import.meta.url);
const versionOf = (pkg) => require(`${pkg}/package.json`).version;

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node consume.mjs JUNIT.xml [MORE.xml ...]');
  process.exit(2);
}
const texts = files.map((f) => readFileSync(f, 'utf8'));

// junit2json: the document as objects. Two readings per file: the counts
// the consumer took from each <testsuite>'s attributes (what most dashboards
// show), and the <testcase> children it found (what a per-test view shows).
async function junit2json(path, xml) {
  const doc = await parse(xml);
  if (!doc) throw new Error(`junit2json read nothing from ${path}`);
  const suites = doc.testsuite ?? [doc]; // a bare <testsuite> root parses to the suite itself
  const out = { path, suites: suites.length, tests: 0, failures: 0, errors: 0, skipped: 0,
                cases: { tests: 0, failures: 0, errors: 0, skipped: 0 }, system_out_tail: '' };
  for (const s of suites) {
    for (const k of ['tests', 'failures', 'errors', 'skipped']) out[k] += Number(s[k] ?? 0);
    for (const c of s.testcase ?? []) {
      out.cases.tests += 1;
      if (c.failure) out.cases.failures += 1;
      if (c.error) out.cases.errors += 1;
      if (c.skipped) out.cases.skipped += 1;
    }
    const text = (s['system-out'] ?? []).join('');
    if (text) out.system_out_tail = text.slice(-80);
  }
  return out;
}

// junit-report-merger: merges reports the way CI pipelines do and rolls the
// testsuites' counts up onto the <testsuites> root. Its output is XML, so
// the numbers are read back from that root, and the cases from the elements
// it kept (escaped app text cannot hold a raw '<').
function rootCounts(xml) {
  const root = /<testsuites\b([^>]*)>/.exec(xml);
  if (!root) throw new Error('junit-report-merger wrote no <testsuites> root');
  const attr = (name) => {
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(root[1]);
    return m ? Number(m[1]) : 0;
  };
  const count = (re) => (xml.match(re) ?? []).length;
  return {
    tests: attr('tests'), failures: attr('failures'), errors: attr('errors'), skipped: attr('skipped'),
    cases: { tests: count(/<testcase[\s>\/]/g), failures: count(/<failure[\s>\/]/g),
             errors: count(/<error[\s>\/]/g), skipped: count(/<skipped[\s>\/]/g) },
  };
}

async function merged(xmls) {
  return rootCounts(await merger.mergeToString(xmls));
}

const result = {
  junit2json: { version: versionOf('junit2json'), files: [] },
  'junit-report-merger': { version: versionOf('junit-report-merger'), files: [], merged: null },
};
for (let i = 0; i < files.length; ++i) {
  result.junit2json.files.push(await junit2json(files[i], texts[i]));
  const { cases, ...counts } = await merged([texts[i]]);
  result['junit-report-merger'].files.push({ path: files[i], ...counts, cases });
}
result['junit-report-merger'].merged = await merged(texts);
console.log(JSON.stringify(result));
