// Reads the Lighthouse JSON reports scripts/lighthouse.sh wrote and prints
// one row per page and preset: the four category scores and the bytes
// transferred (headers and bodies, compressed, as Lighthouse's
// total-byte-weight counts them). Under the table, the audits that cost
// points (score below 1 in a category that weighs them), then the
// diagnostics below 1 that weigh nothing, one line each with the pages
// that had it. Exits 1 if any score is below 100.
//
//   node summary.mjs REPORT.json...
//
// A report's name is PAGE.PRESET.json.
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const categories = ["performance", "accessibility", "best-practices", "seo"];
const rows = [["page", "preset", "perf", "a11y", "best", "seo", "bytes", "requests"]];
const problems = [];
const diagnostics = new Map(); // audit id → title and the runs that had it
let failed = false;

for (const path of process.argv.slice(2)) {
  const lhr = JSON.parse(readFileSync(path, "utf8"));
  const [page, preset] = basename(path, ".json").split(".");
  const scores = categories.map((id) => {
    const s = lhr.categories[id]?.score;
    return s == null ? null : Math.round(s * 100);
  });
  if (lhr.runtimeError) problems.push(`${page} ${preset}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  if (scores.some((s) => s !== 100)) failed = true;
  const requests = lhr.audits["network-requests"]?.details?.items?.length ?? "?";
  rows.push([page, preset, ...scores.map((s) => (s == null ? "error" : String(s))),
    String(lhr.audits["total-byte-weight"]?.numericValue ?? "?"), String(requests)]);
  for (const id of categories) {
    for (const ref of lhr.categories[id]?.auditRefs ?? []) {
      const a = lhr.audits[ref.id];
      if (a.score === null || a.score >= 1 || ["informative", "notApplicable", "manual"].includes(a.scoreDisplayMode)) continue;
      if (ref.weight === 0) {
        const d = diagnostics.get(a.id) ?? { title: a.title, runs: [] };
        d.runs.push(`${page}/${preset}`);
        diagnostics.set(a.id, d);
        continue;
      }
      problems.push(`${page} ${preset} ${id}: ${a.id} (score ${a.score}, weight ${ref.weight}): ${a.title}${a.displayValue ? ` (${a.displayValue})` : ""}`);
    }
  }
}

const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
if (problems.length) console.log("\naudits that cost points:\n  " + problems.join("\n  "));
if (diagnostics.size) {
  console.log("\ndiagnostics below 1 (weight 0, no effect on the scores):");
  for (const [id, d] of diagnostics) console.log(`  ${id}: ${d.title}: ${d.runs.join(" ")}`);
}
process.exit(failed ? 1 : 0);
