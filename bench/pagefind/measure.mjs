// Side by side: dealsite's search and Pagefind's on the same built site,
// in Chromium (bench only; see bench/NOTES.md, "Issue 14"):
//
//   node measure.mjs BASE_URL ARTICLE_PATH QUERY...
//
// BASE_URL serves a dealsite build with Pagefind's bundle in pagefind/,
// compressed as a static host would. For each engine, in a fresh
// browser, from the same article page: the bytes on the wire (headers
// and bodies as received, from the network log) of the first query and
// of all the queries, each asked once and its ten first results made
// ready to show (dealsite: typed into the box at once and listed;
// Pagefind: its JavaScript API, search() then data() of the first ten,
// which is less than its UI loads), and each query's results: how many
// and the first five titles. Prints JSON.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "../../browsertest/package.json"));
const { chromium } = require("playwright-core");

const [baseArg, articlePath, ...queries] = process.argv.slice(2);
const base = new URL(baseArg);
const browser = await chromium.launch({
  executablePath: process.env.DEALSITE_CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"],
});

async function measure(engine) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const log = [];
  page.on("requestfinished", async (req) => {
    const sizes = await req.sizes().catch(() => null);
    if (sizes) log.push({ path: new URL(req.url()).pathname, bytes: sizes.responseHeadersSize + sizes.responseBodySize });
  });
  await page.goto(new URL(articlePath, base).href, { waitUntil: "networkidle" });
  const start = log.length;
  const out = { engine, queries: [] };
  for (const q of queries) {
    const before = log.length;
    const t0 = Date.now();
    const r = engine === "dealsite" ? await askDealsite(page, q) : await askPagefind(page, q);
    await page.waitForLoadState("networkidle");
    const bytes = log.slice(before).reduce((n, e) => n + e.bytes, 0);
    out.queries.push({ q, bytes, ms: Date.now() - t0, files: log.length - before, ...r });
  }
  out.first = out.queries[0].bytes;
  out.all = log.slice(start).reduce((n, e) => n + e.bytes, 0);
  await context.close();
  return out;
}

async function askDealsite(page, q) {
  await page.fill("#site-search-q", q);
  await page.waitForSelector(`#search-panel[data-query="${q}"]:not([hidden])`);
  return page.evaluate(() => ({
    count: document.querySelector(".search-count").textContent,
    titles: Array.from(document.querySelectorAll(".search-title")).slice(0, 5).map((t) => t.textContent),
  }));
}

async function askPagefind(page, q) {
  return page.evaluate(async ({ q, root }) => {
    const pf = await import(root + "pagefind/pagefind.js");
    await pf.init();
    const r = await pf.search(q);
    const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return { count: `${r.results.length} results`, titles: data.slice(0, 5).map((d) => d.meta.title) };
  }, { q, root: base.pathname });
}

const results = [];
for (const engine of ["dealsite", "pagefind"]) results.push(await measure(engine));
await browser.close();
console.log(JSON.stringify(results, null, 1));
