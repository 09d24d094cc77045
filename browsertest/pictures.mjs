// Checks an article with pictures in Debian's Chromium: nothing shifts
// while it loads and while it is scrolled (cumulative layout shift 0,
// from a PerformanceObserver of "layout-shift" entries), axe-core finds
// no violation, every picture is shown at the size its markup claims,
// and the lazy pictures far below the fold are fetched only once the
// reader scrolls towards them (from the network log). browser_test.go
// runs it on a generated site; it also runs by hand:
//
//   node pictures.mjs http://127.0.0.1:8000/ /articles/sale/
//
// Environment: DEALSITE_CHROMIUM (default /usr/bin/chromium),
// DEALSITE_ARTIFACTS (default ./artifacts, beside this file): screenshots
// go to screenshots/pictures-WIDTH-SCHEME.png (the whole page), -top.png
// (the first screen) and -static.png (the picture under static/).

import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const LOAD_TIMEOUT = 60_000; // generous: CI is a busy 2-core machine
const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const PICTURE_DELAY = 500; // ms
const VIEWPORTS = [{ width: 1280, height: 900 }, { width: 375, height: 812 }];

if (process.argv.length !== 4 || !/^https?:\/\//.test(process.argv[2])) {
  console.error("usage: node pictures.mjs BASE_URL /PATH/");
  process.exit(2);
}
const base = new URL(process.argv[2]);
const pageURL = new URL(process.argv[3].replace(/^\//, ""), base).href;
const shots = join(process.env.DEALSITE_ARTIFACTS || join(here, "artifacts"), "screenshots");
mkdirSync(shots, { recursive: true });

let failures = 0;
const fail = (where, msg) => {
  failures++;
  console.log(`  FAIL ${where}: ${msg}`);
};

const browser = await chromium.launch({
  executablePath: process.env.DEALSITE_CHROMIUM || "/usr/bin/chromium",
  args: LAUNCH_ARGS,
  timeout: 30_000,
});
try {
  for (const viewport of VIEWPORTS) {
    for (const scheme of ["light", "dark"]) {
      await checkPage(viewport, scheme);
    }
  }
} finally {
  await browser.close();
}
if (failures) {
  console.log(`FAIL ${failures} problem(s) with the pictures of ${pageURL}`);
  process.exit(1);
}
console.log(`ok   ${pageURL}: no layout shift, no axe violation, lazy pictures load when scrolled to`);

// ---------------------------------------------------------------------------

async function checkPage(viewport, scheme) {
  const where = `${viewport.width}px ${scheme}`;
  const context = await browser.newContext({ viewport, colorScheme: scheme });
  // Every shift from the first paint on, including those before the
  // script could observe them (buffered).
  await context.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!e.hadRecentInput) window.__shifts.push({ value: e.value, sources: (e.sources || []).map((s) => s.node ? s.node.outerHTML.slice(0, 120) : "") });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  // Pictures arrive well after the text, as on a slow network: a
  // picture without a reserved box would move the text when it lands.
  await context.route("**/media/**", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, PICTURE_DELAY));
    await route.continue();
  });
  const page = await context.newPage();
  const requested = [];
  let scrolled = false;
  page.on("request", (r) => requested.push({ url: r.url(), afterScroll: scrolled }));
  page.on("pageerror", (err) => fail(where, `script error: ${err.message}`));
  await page.goto(pageURL, { waitUntil: "load", timeout: LOAD_TIMEOUT });
  await page.waitForLoadState("networkidle", { timeout: LOAD_TIMEOUT });

  const lazy = await page.evaluate(() => Array.from(document.querySelectorAll("img[loading=lazy]"))
    .map((img) => ({ alt: img.alt, top: img.getBoundingClientRect().top + scrollY })));
  const far = lazy.filter((img) => img.top > 4 * innerHeightOf(viewport));
  if (far.length === 0) fail(where, "the page has no lazy picture far below the fold to test");
  const early = await page.evaluate(() => Array.from(document.querySelectorAll("img[loading=lazy]"))
    .filter((img) => img.getBoundingClientRect().top > 4 * innerHeight && img.complete && img.naturalWidth > 0).map((img) => img.alt));
  for (const alt of early) fail(where, `the lazy picture "${alt}" far below the fold loaded before any scrolling`);

  scrolled = true;
  await scrollThrough(page);
  const pictures = await waitForPictures(page);
  for (const p of pictures) {
    if (!p.loaded) fail(where, `picture "${p.alt}" did not load (${p.src})`);
    else if (!requested.some((r) => r.url === p.src)) fail(where, `picture "${p.alt}" shows ${p.src}, which the network log lacks`);
    if (p.ratio && Math.abs(p.ratio - p.shownRatio) > 0.02) fail(where, `picture "${p.alt}" is drawn at ratio ${p.shownRatio.toFixed(3)}, its width and height say ${p.ratio.toFixed(3)}`);
    if (p.overflows) fail(where, `picture "${p.alt}" is wider than its column`);
  }
  for (const img of far) {
    const shown = pictures.find((p) => p.alt === img.alt);
    if (shown && !requested.some((r) => r.url === shown.src && r.afterScroll)) {
      fail(where, `the lazy picture "${img.alt}" was fetched before the reader scrolled to it`);
    }
  }

  const shifts = await page.evaluate(() => window.__shifts);
  const cls = shifts.reduce((n, s) => n + s.value, 0);
  if (cls !== 0) fail(where, `cumulative layout shift ${cls.toFixed(4)}: ${JSON.stringify(shifts).slice(0, 400)}`);

  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  for (const v of violations) fail(where, `axe ${v}`);

  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: join(shots, `pictures-${viewport.width}-${scheme}.png`), fullPage: true });
  await page.screenshot({ path: join(shots, `pictures-${viewport.width}-${scheme}-top.png`) });
  await page.locator("figure", { hasText: "static/" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, `pictures-${viewport.width}-${scheme}-static.png`) });
  const mediaRequests = requested.filter((r) => new URL(r.url).pathname.includes("/media/")).length;
  console.log(`${failures ? "    " : "ok  "} ${where.padEnd(14)} CLS ${cls}, ${pictures.length} pictures, ${far.length} far below the fold, ${mediaRequests} picture requests, axe ${violations.length} violations`);
  await context.close();
}

function innerHeightOf(viewport) {
  return viewport.height;
}

// scrollThrough scrolls to the bottom a screen at a time, as a reader
// would, giving lazy pictures the time to start loading.
async function scrollThrough(page) {
  const deadline = Date.now() + LOAD_TIMEOUT;
  for (;;) {
    const atBottom = await page.evaluate(() => {
      scrollBy(0, Math.round(innerHeight * 0.8));
      return innerHeight + scrollY >= document.documentElement.scrollHeight - 2;
    });
    await page.waitForTimeout(150);
    if (atBottom || Date.now() > deadline) return;
  }
}

// waitForPictures polls until every picture has loaded (or the deadline
// passes) and reports each: the URL shown, its size and shape.
async function waitForPictures(page) {
  const deadline = Date.now() + LOAD_TIMEOUT;
  for (;;) {
    const pictures = await page.evaluate(() => Array.from(document.querySelectorAll("main img")).map((img) => {
      const r = img.getBoundingClientRect();
      const column = img.closest("figure, p, .prose") || img.parentElement;
      const w = Number(img.getAttribute("width")), h = Number(img.getAttribute("height"));
      return {
        alt: img.alt, src: img.currentSrc, loaded: img.complete && img.naturalWidth > 0,
        ratio: w && h ? w / h : 0, shownRatio: r.height ? r.width / r.height : 0,
        overflows: r.width > column.getBoundingClientRect().width + 1,
      };
    }));
    if (pictures.every((p) => p.loaded) || Date.now() > deadline) return pictures;
    await page.waitForTimeout(100);
  }
}
