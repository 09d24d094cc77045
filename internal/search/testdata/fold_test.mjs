// Runs static/js/search.js's folding, tokenizing and posting decoding on
// the cases fold_test.go gives it (node testdata/fold_test.mjs FILE): the
// shared cases of testdata/cases.json with the Go results, the fold
// table as the manifest carries it, and posting lists Go encoded. Prints
// each mismatch and exits 1 if there is any.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const here = dirname(fileURLToPath(import.meta.url));
const script = readFileSync(join(here, "../../../static/js/search.js"), "utf8");
const module = { exports: null };
vm.runInNewContext(script, { module });
const api = module.exports;
if (!api) throw new Error("search.js exported nothing outside a page");

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const table = api.foldTable(input.fold);
let failures = 0;
function check(what, got, want) {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    failures++;
    console.log(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
}
for (const c of input.cases) {
  check(`fold(${JSON.stringify(c.in)})`, api.fold(c.in, table), c.fold);
  check(`tokens(${JSON.stringify(c.in)})`, api.tokens(c.in, table), c.tokens);
}
for (const p of input.postings) {
  check(`decode(${JSON.stringify(p.encoded)})`, api.decode(p.encoded), p.list);
}
for (const q of input.queries) {
  check(`parse(${JSON.stringify(q.in)})`, api.parse(q.in, table), q.want);
}
console.log(`${input.cases.length} cases, ${input.postings.length} posting lists, ${input.queries.length} queries: ${failures} mismatches`);
process.exit(failures ? 1 : 0);
