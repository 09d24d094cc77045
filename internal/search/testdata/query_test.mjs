// Runs queries through static/js/search.js's openIndex over index files
// that index_test.go built (node testdata/query_test.mjs FILE, FILE
// holding {"files": {path: text}, "queries": [q…]}) and prints, as one
// JSON line, each query's results: the page folders shown, in order,
// and the number found.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const here = dirname(fileURLToPath(import.meta.url));
const script = readFileSync(join(here, "../../../static/js/search.js"), "utf8");
const module = { exports: null };
vm.runInNewContext(script, { module, TextEncoder });
const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const fetched = new Set();
const index = module.exports.openIndex(async (path) => {
  const text = input.files["search/" + path];
  if (text === undefined) throw new Error("no file search/" + path);
  fetched.add(path);
  return JSON.parse(text);
});
const results = [];
for (const q of input.queries) {
  const found = await index.ask(q);
  results.push(found ? { shown: found.shown.map((f) => f.doc[0]), total: found.total } : null);
}
console.log(JSON.stringify({ results, fetched: [...fetched].sort() }));
