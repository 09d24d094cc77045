// Search checks in Debian's Chromium, driven by playwright-core, against
// a built site served at BASE_URL (browser_test.go builds and serves it):
//
//   node search.mjs BASE_URL PAGE QUERY EXPECTED [QUERY…]
//
// PAGE is the path (under BASE_URL) of the page to search from, QUERY
// the first query and EXPECTED the path of an article it must find.
// The checks:
//
//   - typing QUERY in the header's box lists EXPECTED, with the words
//     marked, and axe-core finds no violation with the results open, at
//     1280 and 375 px, light and dark;
//   - the keyboard: ArrowDown and ArrowUp move between the field and the
//     results, Escape closes them, Enter opens the first;
//   - without JavaScript, Enter in the box leads to the search page of
//     the same site, which says search needs JavaScript and links to the
//     tag, party and year indexes; with it, search/?q=QUERY shows results,
//     and shows them again offline;
//   - no request leaves the site's host.
//
// With DEALSITE_SEARCH_BUDGET=1 it also measures, from the browser's
// network log (bytes received for each response: headers and the body
// as sent), what the search box costs a page that is not searched
// (≤ 5 KB), the first QUERY (≤ 100 KB, the script included) and the
// first QUERY with the others (≤ 250 KB in all), and how long after the
// last keystroke the results are on the page once the files are loaded
// (≤ 50 ms). It prints the figures. DEALSITE_SEARCH_SLOW=1 adds the
// bytes of the same queries typed one key at a time with a pause after
// each, so that every word on the way fetches its files (no budget).
//
// Environment: DEALSITE_CHROMIUM, DEALSITE_ARTIFACTS as run.mjs.

import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const BOX_BUDGET = 5 * 1024; // the search box on a page nobody searches from
const FIRST_BUDGET = 100 * 1024; // the first query, script included
const FIVE_BUDGET = 250 * 1024; // five different queries
const LATENCY_BUDGET = 50; // ms from the last keystroke to the results, once loaded
// TYPING is the time between keystrokes when measuring: 100 words a
// minute, a fast typist. search.js fetches nothing until typing pauses.
const TYPING = 120;
const VIEWPORTS = [{ name: "desktop", width: 1280, height: 900 }, { name: "phone", width: 375, height: 812 }];
const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const [baseArg, startPath, firstQuery, expected, ...moreQueries] = process.argv.slice(2);
if (!expected) {
  console.error("usage: node search.mjs BASE_URL PAGE QUERY EXPECTED [QUERY…]");
  process.exit(2);
}
const base = new URL(baseArg);
const shots = join(process.env.DEALSITE_ARTIFACTS || join(here, "artifacts"), "search");
mkdirSync(shots, { recursive: true });
const failures = [];
function fail(where, msg) {
  failures.push(`${where}: ${msg}`);
  console.log(`  FAIL ${where}: ${msg}`);
}
const url = (p) => new URL(p.replace(/^\//, ""), base).href;
const expectedURL = url(expected);

const browser = await chromium.launch({
  executablePath: process.env.DEALSITE_CHROMIUM || "/usr/bin/chromium", args: LAUNCH_ARGS, timeout: 30_000,
});
try {
  console.log(`Chromium ${browser.version()}, site ${base.href}, searching from ${startPath}`);
  for (const vp of VIEWPORTS) {
    for (const scheme of ["light", "dark"]) {
      await guard(`results ${vp.name} ${scheme}`, (where) => checkResults(where, vp, scheme));
    }
  }
  await guard("keyboard", checkKeyboard);
  await guard("without JavaScript", checkNoScript);
  await guard("search page with a query", checkSearchPage);
  if (process.env.DEALSITE_SEARCH_BUDGET === "1") await guard("budget", checkBudget);
} finally {
  await browser.close();
}
if (failures.length) {
  console.log(`\n${failures.length} problem(s):`);
  for (const f of failures) console.log(`  - ${f}`);
  process.exit(1);
}
console.log("\nAll search checks passed.");

// ---------------------------------------------------------------------------

async function guard(where, check) {
  try {
    await check(where);
  } catch (err) {
    fail(where, `check crashed: ${String((err && err.message) || err).split("\n")[0]}`);
  }
}

async function newContext(vp, scheme, javaScriptEnabled = true) {
  const context = await browser.newContext({
    viewport: { width: vp.width, height: vp.height }, colorScheme: scheme, javaScriptEnabled, reducedMotion: "reduce",
  });
  context.setDefaultTimeout(15_000);
  await context.route("**/*", (route) => {
    if (new URL(route.request().url()).origin !== base.origin) {
      fail("requests", `request to another host: ${route.request().url()}`);
      return route.abort("blockedbyclient");
    }
    return route.continue();
  });
  return context;
}

// search types q into the box, one key every delay ms, and waits for
// its results.
async function search(page, q, delay = 30) {
  const box = page.locator("#site-search-q");
  await box.click();
  await box.fill("");
  await box.pressSequentially(q, { delay });
  await page.waitForSelector(`#search-panel[data-query="${q.replace(/"/g, '\\"')}"]:not([hidden])`);
}

async function resultLinks(page) {
  return page.$$eval(".search-results a", (as) => as.map((a) => a.href));
}

async function checkResults(where, vp, scheme) {
  const context = await newContext(vp, scheme);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url(startPath));
  await search(page, firstQuery);
  const links = await resultLinks(page);
  if (!links.includes(expectedURL)) fail(where, `"${firstQuery}" lists ${JSON.stringify(links)}, not ${expectedURL}`);
  if (!(await page.$(".search-results mark"))) fail(where, "no matched word is marked");
  const count = await page.textContent(".search-count");
  const status = await page.textContent("[role=status]");
  if (!/match/.test(status) || status !== count) fail(where, `the live region says ${JSON.stringify(status)}, the panel ${JSON.stringify(count)}`);
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}; at ${v.nodes.map((n) => n.target).join(", ")}`);
  });
  for (const v of violations) fail(where, `axe ${v}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  if (overflow) fail(where, "the page scrolls sideways with the results open");
  for (const e of errors) fail(where, `script error: ${e}`);
  await page.screenshot({ path: join(shots, `results-${vp.width}-${scheme}.png`) });
  console.log(`${failures.length ? "    " : "ok  "}${where}: ${links.length} results, axe ${violations.length} violations`);
  await context.close();
}

async function checkKeyboard(where) {
  const context = await newContext(VIEWPORTS[0], "light");
  const page = await context.newPage();
  await page.goto(url(startPath));
  await search(page, firstQuery);
  const links = await resultLinks(page);
  const focused = () => page.evaluate(() => document.activeElement.id || document.activeElement.href || document.activeElement.tagName);
  await page.keyboard.press("ArrowDown");
  if ((await focused()) !== links[0]) fail(where, `ArrowDown from the field focuses ${await focused()}, not the first result`);
  const focusStyle = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return parseFloat(s.outlineWidth) || 0;
  });
  if (focusStyle < 2) fail(where, `a focused result has a ${focusStyle}px outline`);
  if (links.length > 1) {
    await page.keyboard.press("ArrowDown");
    if ((await focused()) !== links[1]) fail(where, `a second ArrowDown focuses ${await focused()}, not the second result`);
    await page.keyboard.press("ArrowUp");
  }
  await page.keyboard.press("ArrowUp");
  if ((await focused()) !== "site-search-q") fail(where, `ArrowUp from the first result focuses ${await focused()}, not the field`);
  await page.keyboard.press("Escape");
  if (!(await page.$eval("#search-panel", (p) => p.hidden))) fail(where, "Escape leaves the results open");
  if ((await focused()) !== "site-search-q") fail(where, "Escape moves the focus away from the field");
  await search(page, firstQuery);
  const first = (await resultLinks(page))[0];
  await Promise.all([page.waitForURL(first), page.keyboard.press("Enter")]);
  console.log(`ok  ${where}: arrows, Escape, and Enter opened ${new URL(first).pathname}`);
  await context.close();
}

async function checkNoScript(where) {
  const context = await newContext(VIEWPORTS[1], "light", false);
  const page = await context.newPage();
  await page.goto(url(startPath));
  await page.fill("#site-search-q", firstQuery);
  const [response] = await Promise.all([page.waitForNavigation(), page.press("#site-search-q", "Enter")]);
  const at = new URL(page.url());
  if (at.origin !== base.origin || at.pathname !== new URL(url("search/")).pathname) fail(where, `Enter leads to ${page.url()}`);
  if (!response || response.status() !== 200) fail(where, `the search page answers ${response && response.status()}`);
  const text = await page.textContent("main");
  if (!/needs JavaScript/.test(text)) fail(where, "the search page does not say search needs JavaScript");
  const hrefs = await page.$$eval("main a", (as) => as.map((a) => new URL(a.href).pathname));
  for (const index of ["tags/", "parties/", "years/"]) {
    if (!hrefs.includes(new URL(url(index)).pathname)) fail(where, `the search page does not link to ${index}`);
  }
  console.log(`ok  ${where}: Enter leads to ${at.pathname}${at.search}, which links to the indexes`);
  await context.close();
}

async function checkSearchPage(where) {
  const context = await newContext(VIEWPORTS[0], "dark");
  const page = await context.newPage();
  await page.goto(url("search/") + "?q=" + encodeURIComponent(firstQuery));
  await page.waitForSelector(`#search-panel[data-query]:not([hidden])`);
  const links = await resultLinks(page);
  if (!links.includes(expectedURL)) fail(where, `search/?q= lists ${JSON.stringify(links)}, not ${expectedURL}`);
  if (await page.isVisible("[data-search-needs-js]")) fail(where, "with JavaScript the page still says it needs it");
  // Offline, the files already fetched still answer.
  await context.setOffline(true);
  await search(page, firstQuery);
  const offline = await resultLinks(page);
  if (!offline.includes(expectedURL)) fail(where, `offline, the same query lists ${JSON.stringify(offline)}`);
  console.log(`ok  ${where}: ${links.length} results, and the same offline`);
  await context.close();
}

// checkBudget measures bytes from the network log: each response's
// headers and body as received (compressed when the server compresses).
async function checkBudget(where) {
  const context = await newContext(VIEWPORTS[0], "light");
  const page = await context.newPage();
  const log = [];
  page.on("requestfinished", async (req) => {
    const sizes = await req.sizes().catch(() => null);
    if (sizes) log.push({ path: new URL(req.url()).pathname, bytes: sizes.responseHeadersSize + sizes.responseBodySize });
  });
  const since = (n) => log.slice(n).reduce((sum, r) => sum + r.bytes, 0);
  await page.goto(url(startPath), { waitUntil: "networkidle" });
  // What a page nobody searches from pays: the form in the HTML (as
  // sent, compressed with the page: counted uncompressed here, an upper
  // bound) and the loader script; the stylesheet's search rules are part
  // of the shared stylesheet, counted uncompressed too.
  const formBytes = await page.$eval("form[data-search]", (f) => f.outerHTML.length + 70);
  const loader = log.filter((r) => r.path.endsWith("/search-box.js")).reduce((s, r) => s + r.bytes, 0);
  const css = await page.evaluate(() => {
    let n = 0;
    for (const sheet of document.styleSheets) for (const rule of sheet.cssRules) if (/search/.test(rule.selectorText || "")) n += rule.cssText.length;
    return n;
  });
  const box = formBytes + loader + css;
  report(where, "search box on a page not searched", box, BOX_BUDGET, `form ${formBytes} B, loader ${loader} B, CSS rules ${css} B`);
  if (log.some((r) => /\/search\/|search\.js$/.test(r.path))) fail(where, "the page fetched the search script or index before any search");

  const queries = moreQueries.length ? moreQueries : [firstQuery];
  const start = log.length;
  await search(page, queries[0], TYPING);
  await page.waitForLoadState("networkidle");
  report(where, `first query "${queries[0]}"`, since(start), FIRST_BUDGET, files(log.slice(start)));
  for (const q of queries.slice(1)) {
    await search(page, q, TYPING);
    await page.waitForLoadState("networkidle");
  }
  report(where, `${queries.length} queries`, since(start), FIVE_BUDGET, files(log.slice(start)));

  // Once loaded: each query typed again, its files already fetched.
  let worst = 0;
  for (const q of queries) {
    await search(page, q);
    const ms = parseFloat(await page.getAttribute("#search-panel", "data-ms"));
    worst = Math.max(worst, ms);
    console.log(`     ${String(ms.toFixed(1)).padStart(6)} ms  "${q}"`);
  }
  report(where, "results after the last keystroke, once loaded (worst)", worst, LATENCY_BUDGET, "ms", "ms");
  await context.close();
  if (process.env.DEALSITE_SEARCH_SLOW === "1") await slowTyping(queries);
}

// slowTyping reports (without a budget) the bytes of the same queries
// typed slowly, so that every word on the way fetches its files.
async function slowTyping(queries) {
  const context = await newContext(VIEWPORTS[0], "light");
  const page = await context.newPage();
  const log = [];
  page.on("requestfinished", async (req) => {
    const sizes = await req.sizes().catch(() => null);
    if (sizes) log.push({ path: new URL(req.url()).pathname, bytes: sizes.responseHeadersSize + sizes.responseBodySize });
  });
  await page.goto(url(startPath), { waitUntil: "networkidle" });
  const start = log.length;
  for (const q of queries) {
    const box = page.locator("#site-search-q");
    await box.click();
    await box.fill("");
    for (const ch of q) {
      await box.press(ch === " " ? "Space" : ch);
      await page.waitForTimeout(250); // longer than search.js waits
      await page.waitForLoadState("networkidle");
    }
    await page.waitForSelector(`#search-panel[data-query="${q}"]:not([hidden])`);
  }
  const total = log.slice(start).reduce((n, r) => n + r.bytes, 0);
  console.log(`info ${queries.length} queries typed slowly, every word on the way fetched: ${total} B (${files(log.slice(start))})`);
  await context.close();
}

function files(entries) {
  const by = {};
  for (const e of entries) {
    const kind = /\/t\//.test(e.path) ? "shards" : /\/d\//.test(e.path) ? "chunks" : e.path.split("/").pop();
    by[kind] = by[kind] || { n: 0, bytes: 0 };
    by[kind].n++;
    by[kind].bytes += e.bytes;
  }
  return Object.entries(by).map(([k, v]) => `${k} ${v.n}×, ${v.bytes} B`).join("; ");
}

function report(where, what, value, budget, detail, unit = "B") {
  const ok = value <= budget;
  console.log(`${ok ? "ok  " : "FAIL"} ${what}: ${value} ${unit} (budget ${budget} ${unit}; ${detail})`);
  if (!ok) fail(where, `${what}: ${value} ${unit}, over the budget of ${budget} ${unit}`);
}
