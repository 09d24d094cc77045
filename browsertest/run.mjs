// Browser quality checks for a built dealsite site, in Debian's Chromium
// driven by playwright-core. browser_test.go builds the bundled site,
// serves it and runs this script; it can also run by hand against any
// server that serves a built site at its root:
//
//   node run.mjs http://127.0.0.1:8000/ [name=/path/ ...]
//
// With no name=/path/ arguments the page of each type is found from the
// links of the timeline page. The name "404" names a missing address,
// which must answer with status 404.
//
// Environment: DEALSITE_CHROMIUM (default /usr/bin/chromium), JAVA
// (default java), DEALSITE_ARTIFACTS (default ./artifacts, beside this file).
// DEALSITE_PAGED=1 says the site is a large one whose timeline lists only
// the newest events: its filters must then go to the tag pages instead
// of filtering in place, and the 60 KB budget of the bundled timeline
// does not apply.
//
// It prints one line per page, viewport and colour scheme, every problem
// found, and exits 1 if there was any.

import { chromium } from "playwright-core";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// The quality bar (issue 3).
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 812 },
];
const SCHEMES = ["light", "dark"];
const MAX_CHARS_PER_LINE = 90; // readable line length of body text
const MIN_FOCUS_WIDTH = 2; // px of focus outline or ring
const MAX_TIMELINE_BYTES = 60 * 1024; // the timeline with its CSS, JS and icons
const FOCUS_TABS = 6; // how many Tab presses get their focus style checked
const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const PAGED = process.env.DEALSITE_PAGED === "1";
const started = Date.now();
const args = process.argv.slice(2);
if (args.length < 1 || !/^https?:\/\//.test(args[0])) {
  console.error("usage: node run.mjs BASE_URL [name=/path/ ...]");
  process.exit(2);
}
const base = new URL(args[0]);
const origin = base.origin;
const artifacts = process.env.DEALSITE_ARTIFACTS || join(here, "artifacts");
const shotsDir = join(artifacts, "screenshots");
const htmlDir = join(artifacts, "html");
rmSync(shotsDir, { recursive: true, force: true });
rmSync(htmlDir, { recursive: true, force: true });
mkdirSync(shotsDir, { recursive: true });
mkdirSync(htmlDir, { recursive: true });

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const vnuJar = join(dirname(require.resolve("vnu-jar/package.json")), "build", "dist", "vnu.jar");

// Every problem, each with the page and setting where it was seen.
const failures = [];
function fail(where, msg) {
  failures.push(`${where}: ${msg}`);
  console.log(`  FAIL ${where}: ${msg}`);
}

const browser = await chromium.launch({
  executablePath: process.env.DEALSITE_CHROMIUM || "/usr/bin/chromium",
  args: LAUNCH_ARGS,
  timeout: 30_000,
});

try {
  const pages = args.length > 1 ? parsePages(args.slice(1)) : await discoverPages();
  console.log(`Chromium ${browser.version()}, axe-core ${axeVersion()}, site ${base.href}`);
  for (const [name, path] of pages) console.log(`  page ${name}: ${path}`);

  for (const vp of VIEWPORTS) {
    for (const scheme of SCHEMES) {
      const context = await newContext(vp, scheme, true);
      for (const [name, path] of pages) {
        await guard(`${name} ${vp.name} ${scheme}`, () => checkPage(context, name, path, vp, scheme));
      }
      if (vp.name === "desktop" || scheme === "light") {
        const check = PAGED ? checkPagedFilter : checkFilter;
        await guard(`filter ${vp.name} ${scheme}`, () => check(context, pages.get("home"), vp, scheme));
      }
      await context.close();
    }
  }
  await guard("filter without JavaScript", () => checkNoScriptFilter(pages.get("home")));
  if (!PAGED) await guard("timeline weight", () => checkWeight(pages.get("home")));
  await guard("saving HTML", () => saveHTML(pages));
} finally {
  await browser.close();
}
validateHTML();

const secs = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length) {
  console.log(`\n${failures.length} problem(s) found in ${secs}s:`);
  for (const f of failures) console.log(`  - ${f}`);
  console.log(`Screenshots: ${shotsDir}`);
  process.exit(1);
}
console.log(`\nAll browser checks passed in ${secs}s. Screenshots: ${shotsDir}`);

// ---------------------------------------------------------------------------

// guard runs one check and turns an exception into a failure, so that one
// broken page does not hide the results of the others.
async function guard(where, check) {
  try {
    await check();
  } catch (err) {
    fail(where, `check crashed: ${String(err && err.message || err).split("\n")[0]}`);
    console.log(`FAIL ${where}`);
  }
}

function parsePages(list) {
  const pages = new Map([["home", base.pathname]]);
  for (const a of list) {
    const i = a.indexOf("=");
    if (i <= 0) throw new Error(`page argument ${JSON.stringify(a)} is not name=/path/`);
    pages.set(a.slice(0, i), a.slice(i + 1));
  }
  return pages;
}

// discoverPages finds one page of each type from the timeline's links.
async function discoverPages() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base.href);
  const found = await page.evaluate(() => {
    const path = (sel) => {
      const a = document.querySelector(sel);
      return a ? new URL(a.href).pathname : null;
    };
    return {
      article: path(".event-title a"),
      tag: path("a[href*='/tags/'][rel=tag]"),
      tags: path("a[href$='/tags/']"),
      year: path(".year-heading a"),
      years: path("a[href$='/years/']"),
      party: path(".facts a[href*='/parties/']"),
      parties: path("a[href$='/parties/']"),
    };
  });
  await context.close();
  const pages = new Map([["home", base.pathname]]);
  for (const [name, path] of Object.entries(found)) {
    if (!path) throw new Error(`no ${name} page is linked from the timeline`);
    pages.set(name, path);
  }
  pages.set("404", new URL("no-such-page-for-browsertest/", base).pathname);
  return pages;
}

function axeVersion() {
  return JSON.parse(readFileSync(require.resolve("axe-core/package.json"), "utf8")).version;
}

async function newContext(vp, scheme, javaScriptEnabled) {
  const context = await browser.newContext({
    viewport: { width: vp.width, height: vp.height },
    colorScheme: scheme,
    javaScriptEnabled,
    reducedMotion: "reduce",
  });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  // Nothing may leave the test server: openPage reports any other host,
  // and the request is refused here so that it never reaches the network.
  await context.route("**/*", (route) =>
    isForeign(route.request().url()) ? route.abort("blockedbyclient") : route.continue());
  return context;
}

function isForeign(url) {
  if (/^(data|blob|about):/.test(url)) return false;
  try {
    return new URL(url).origin !== origin;
  } catch {
    return true;
  }
}

function pageURL(path) {
  return new URL(path, base).href;
}

// openPage loads path in a new page of context and reports load problems.
async function openPage(context, path, where, wantStatus) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(`script error: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    // The 404 page's own status shows up as a console error; it is expected.
    if (wantStatus === 404 && /status of 404/.test(msg.text())) return;
    errors.push(`console error: ${msg.text()}`);
  });
  page.on("request", (req) => {
    if (isForeign(req.url())) fail(where, `request to another host: ${req.url()}`);
  });
  const response = await page.goto(pageURL(path), { waitUntil: "load" });
  if (!response) fail(where, "no response");
  else if (response.status() !== wantStatus) fail(where, `HTTP status ${response.status()}, want ${wantStatus}`);
  return { page, errors };
}

async function checkPage(context, name, path, vp, scheme) {
  const where = `${name} ${vp.name} ${scheme}`;
  const before = failures.length;
  const wantStatus = name === "404" ? 404 : 200;
  const { page, errors } = await openPage(context, path, where, wantStatus);
  const notes = [];

  // Screenshots first, before the keyboard checks move focus and scroll.
  if (scheme === "light" || name === "home") {
    await page.screenshot({ path: join(shotsDir, `${name}-${vp.width}-${scheme}.png`), fullPage: true });
  }

  // axe-core with its default rules: WCAG 2.x A and AA and best practices.
  await page.addScriptTag({ content: axeSource });
  const axe = await runAxe(page);
  reportAxe(where, axe);
  notes.push(`axe ${axe.violations.length} violations/${axe.passes} passed rules`);

  const layout = await page.evaluate(measureLayout, { maxChars: MAX_CHARS_PER_LINE });
  if (layout.scrollWidth > layout.innerWidth) {
    fail(where, `horizontal overflow: page is ${layout.scrollWidth}px wide in a ${layout.innerWidth}px viewport; widest: ${layout.widest}`);
  }
  if (layout.maxChars > MAX_CHARS_PER_LINE) {
    fail(where, `line length ${layout.maxChars} characters (max ${MAX_CHARS_PER_LINE}) in ${layout.longest}`);
  }
  notes.push(`width ${layout.scrollWidth}/${layout.innerWidth}px`, `line ≤${layout.maxChars} ch`);
  for (const p of layout.problems) fail(where, p);

  // The theme follows the colour scheme.
  if (layout.bgLuminance === null) {
    fail(where, "the page sets no background colour, so it cannot follow the colour scheme");
  } else if ((scheme === "dark") !== (layout.bgLuminance < 0.2)) {
    fail(where, `background luminance ${layout.bgLuminance.toFixed(2)} does not fit the ${scheme} scheme`);
  }

  await checkKeyboard(page, where);

  // The print stylesheet hides the site navigation.
  if (scheme === "light") {
    await page.emulateMedia({ media: "print" });
    const print = await page.evaluate(() => {
      const nav = document.querySelector(".site-header nav, header nav, [role=banner] nav");
      const skip = document.querySelector(".skip-link");
      return {
        nav: nav ? getComputedStyle(nav).display : "missing",
        skip: skip ? getComputedStyle(skip).display : "missing",
      };
    });
    if (print.nav !== "none" && print.nav !== "missing") fail(where, `print: the site navigation is not hidden (display: ${print.nav})`);
    if (print.skip !== "none" && print.skip !== "missing") fail(where, `print: the skip link is not hidden (display: ${print.skip})`);
    await page.emulateMedia({ media: null });
    notes.push(print.nav === "none" ? "print hides nav" : "print shows nav");
  }

  for (const e of errors) fail(where, e);
  await page.close();
  const ok = failures.length === before;
  console.log(`${ok ? "ok  " : "FAIL"} ${where.padEnd(24)} ${path}  (${notes.join(", ")})`);
}

async function runAxe(page) {
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return {
      passes: r.passes.length,
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
      })),
    };
  });
  return result;
}

function reportAxe(where, axe) {
  for (const v of axe.violations) {
    const targets = v.nodes.map((n) => n.target).join(", ");
    const why = v.nodes[0] && v.nodes[0].summary ? ` — ${v.nodes[0].summary.replace(/\s+/g, " ")}` : "";
    fail(where, `axe ${v.id} (${v.impact}): ${v.help}; at ${targets}${why}`);
  }
}

// measureLayout runs in the page: overflow, line length, landmarks and
// headings, and the background colour.
function measureLayout({ maxChars }) {
  const problems = [];
  const de = document.documentElement;
  const innerWidth = window.innerWidth;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (el.classList.length) s += "." + Array.from(el.classList).join(".");
    const parent = el.parentElement;
    if (parent && parent !== document.body) s = describe(parent) + " > " + s;
    return s;
  };

  // Horizontal overflow, and the element that sticks out furthest.
  let widest = "none";
  let right = innerWidth;
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= right) continue;
    // Content inside a scrolling box (wide tables, code) does not widen the page.
    let scrolls = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === "auto" || ox === "scroll" || ox === "hidden" || ox === "clip") { scrolls = true; break; }
    }
    if (scrolls) continue;
    right = r.right;
    widest = `${describe(el)} (right edge ${Math.round(r.right)}px)`;
  }

  // Line length of body text: the widest rendered line of each text block,
  // in average characters of its own font.
  const canvas = document.createElement("canvas").getContext("2d");
  const sample = "The phone business was sold for $7.2 billion, and Nokia kept its brand name.";
  const range = document.createRange();
  let longest = "none";
  let most = 0;
  for (const el of document.querySelectorAll("main p, main li, main dd, main blockquote, main td")) {
    const text = el.textContent.trim();
    if (!text || el.getBoundingClientRect().width < 1 || el.closest(".visually-hidden")) continue;
    // Line boxes: the fragments of the element's contents grouped by line.
    range.selectNodeContents(el);
    const lines = new Map();
    for (const r of range.getClientRects()) {
      if (r.width === 0) continue;
      const key = Math.round(r.bottom);
      const line = lines.get(key) || { left: Infinity, right: -Infinity };
      line.left = Math.min(line.left, r.left);
      line.right = Math.max(line.right, r.right);
      lines.set(key, line);
    }
    let widest = 0;
    for (const l of lines.values()) widest = Math.max(widest, l.right - l.left);
    const cs = getComputedStyle(el);
    canvas.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const probe = text.length >= 40 ? text : sample;
    const charWidth = canvas.measureText(probe).width / probe.length;
    const chars = Math.round(widest / charWidth);
    if (chars > most) { most = chars; longest = describe(el); }
  }

  // Landmarks.
  const landmarks = {
    banner: "body > header, [role=banner]",
    navigation: "nav, [role=navigation]",
    main: "main, [role=main]",
    contentinfo: "body > footer, [role=contentinfo]",
  };
  for (const [name, sel] of Object.entries(landmarks)) {
    if (!document.querySelector(sel)) problems.push(`no ${name} landmark (${sel})`);
  }
  if (document.querySelectorAll("main").length !== 1) problems.push(`${document.querySelectorAll("main").length} main elements, want 1`);
  const main = document.querySelector("main");
  if (!main || main.id !== "main") problems.push("the main element does not have id=\"main\"");

  // Exactly one h1, and heading levels never skip downward.
  const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"));
  const h1s = headings.filter((h) => h.tagName === "H1").length;
  if (h1s !== 1) problems.push(`${h1s} h1 elements, want exactly 1`);
  let prev = 0;
  for (const h of headings) {
    const level = Number(h.tagName[1]);
    if (level > prev + 1) {
      problems.push(`heading order skips from ${prev ? "h" + prev : "the start"} to h${level}: "${h.textContent.trim().slice(0, 60)}"`);
    }
    prev = level;
  }

  // Relative luminance of the page background (null if none is set).
  let bgLuminance = null;
  for (const el of [document.body, document.documentElement]) {
    const bg = getComputedStyle(el).backgroundColor.match(/[\d.]+/g).map(Number);
    if (bg.length === 4 && bg[3] === 0) continue; // transparent
    const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    bgLuminance = 0.2126 * lin(bg[0]) + 0.7152 * lin(bg[1]) + 0.0722 * lin(bg[2]);
    break;
  }

  return { scrollWidth: de.scrollWidth, innerWidth, widest, maxChars: most, longest, problems, bgLuminance, maxAllowed: maxChars };
}

// checkKeyboard: the skip link is the first stop, shows itself on focus and
// moves focus to #main; every focused element has a visible focus style.
async function checkKeyboard(page, where) {
  const focusInfo = () => page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      cls: el.className && typeof el.className === "string" ? el.className : "",
      text: (el.textContent || "").trim().slice(0, 40),
      href: el.getAttribute("href"),
      id: el.id,
      outlineStyle: cs.outlineStyle,
      outlineWidth: parseFloat(cs.outlineWidth) || 0,
      boxShadow: cs.boxShadow,
      visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
        r.top < window.innerHeight && r.left < window.innerWidth &&
        cs.visibility !== "hidden" && Number(cs.opacity) > 0,
    };
  });
  const checkStyle = (f, step) => {
    const hasOutline = f.outlineStyle !== "none" && f.outlineWidth >= MIN_FOCUS_WIDTH;
    // A box-shadow ring counts when some offset, blur or spread is wide enough.
    const ring = (f.boxShadow || "none") === "none" ? [] : Array.from(f.boxShadow.matchAll(/(-?[\d.]+)px/g), (m) => Math.abs(Number(m[1])));
    const hasRing = ring.some((n) => n >= MIN_FOCUS_WIDTH);
    if (!hasOutline && !hasRing) {
      fail(where, `${step}: focused ${f.tag} "${f.text}" has no visible focus style (outline ${f.outlineStyle} ${f.outlineWidth}px, box-shadow ${f.boxShadow})`);
    }
    if (!f.visible) fail(where, `${step}: focused ${f.tag} "${f.text}" is not visible on screen`);
  };

  await page.keyboard.press("Tab");
  const first = await focusInfo();
  const skipLink = !!first && first.tag === "a" && /(^|\s)skip-link(\s|$)/.test(first.cls);
  if (!skipLink) {
    fail(where, `the first Tab stop is ${first ? `${first.tag}.${first.cls} "${first.text}"` : "nothing"}, want the skip link (a.skip-link)`);
  } else {
    if (first.href !== "#main") fail(where, `the skip link points to ${first.href}, want #main`);
    checkStyle(first, "Tab 1 (skip link)");
  }
  for (let i = 2; i <= FOCUS_TABS; i++) {
    await page.keyboard.press("Tab");
    const f = await focusInfo();
    if (!f) break;
    checkStyle(f, `Tab ${i}`);
  }

  // Follow the skip link: focus lands on main, and the next Tab stop is in it.
  if (!skipLink) return;
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.focus(".skip-link");
  await page.keyboard.press("Enter");
  const landed = await page.evaluate(() => ({
    hash: location.hash,
    active: document.activeElement ? document.activeElement.id : "",
  }));
  if (landed.hash !== "#main" || landed.active !== "main") {
    fail(where, `following the skip link gave hash "${landed.hash}" and focus on "${landed.active}", want #main`);
  }
  await page.keyboard.press("Tab");
  const inMain = await focusInfo();
  if (inMain) {
    const inside = await page.evaluate(() => !!document.activeElement.closest("main"));
    if (!inside) fail(where, `after the skip link, Tab goes to ${inMain.tag} "${inMain.text}" outside main`);
    checkStyle(inMain, "first Tab stop in main");
  }
}

// checkFilter: on the timeline a filter link filters in place, with a status
// line, and "Show all events" restores everything.
async function checkFilter(context, path, vp, scheme) {
  const where = `filter ${vp.name} ${scheme}`;
  const before = failures.length;
  const { page, errors } = await openPage(context, path, where, 200);
  const pick = await page.evaluate(() => {
    const events = Array.from(document.querySelectorAll(".timeline .event"));
    const links = Array.from(document.querySelectorAll("nav.filters a[data-kind='tags']"));
    for (const a of links) {
      const slug = a.dataset.slug;
      const n = events.filter((e) => (e.dataset.tags || "").split(" ").includes(slug)).length;
      if (n > 0 && n < events.length) return { slug, href: new URL(a.href).pathname, name: a.textContent, n, total: events.length };
    }
    return links.length ? { slug: links[0].dataset.slug, href: new URL(links[0].href).pathname, name: links[0].textContent, n: -1, total: events.length } : null;
  });
  if (!pick) {
    fail(where, "no tag link in nav.filters");
    await page.close();
    return;
  }
  const link = page.locator(`nav.filters a[data-kind='tags'][data-slug='${pick.slug}']`);
  await link.click();
  await page.waitForTimeout(50);
  const state = () => page.evaluate(() => {
    const visible = (el) => !!el && getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
    const events = Array.from(document.querySelectorAll(".timeline .event"));
    const reset = document.querySelector("nav.filters .filter-reset, nav.filters button");
    const status = document.querySelector("nav.filters [role=status], nav.filters .filter-status");
    return {
      path: location.pathname,
      hash: location.hash,
      shown: events.filter(visible).map((e) => e.dataset.tags || ""),
      status: status ? status.textContent.trim() : null,
      statusVisible: visible(status),
      resetVisible: visible(reset),
      resetText: reset ? reset.textContent.trim() : null,
    };
  });
  let s = await state();
  if (s.path !== path) fail(where, `clicking the "${pick.name}" filter navigated to ${s.path}`);
  if (s.hash !== `#tags=${pick.slug}`) fail(where, `the address keeps "${s.hash}", want #tags=${pick.slug}`);
  if (pick.n >= 0 && s.shown.length !== pick.n) fail(where, `${s.shown.length} events shown for "${pick.name}", want ${pick.n} of ${pick.total}`);
  const wrong = s.shown.filter((tags) => !tags.split(" ").includes(pick.slug));
  if (wrong.length) fail(where, `${wrong.length} shown events lack the tag ${pick.slug}`);
  if (!s.status || !s.statusVisible) fail(where, "no visible status text after filtering");
  if (!s.resetVisible) fail(where, "no visible \"Show all events\" button after filtering");

  // The filtered state must be accessible too (the active pill, the button).
  await page.addScriptTag({ content: axeSource });
  reportAxe(`${where} (filtered)`, await runAxe(page));
  if (vp.name === "phone" || scheme === "dark") {
    await page.screenshot({ path: join(shotsDir, `home-filtered-${vp.width}-${scheme}.png`), fullPage: false });
  }

  if (!s.resetVisible) {
    for (const e of errors) fail(where, e);
    await page.close();
    console.log(`FAIL ${where}`);
    return;
  }
  await page.getByRole("button", { name: s.resetText }).click();
  s = await state();
  if (s.shown.length !== pick.total) fail(where, `"Show all events" shows ${s.shown.length} of ${pick.total} events`);
  if (s.statusVisible && s.status) fail(where, `status still says "${s.status}" after "Show all events"`);
  if (s.resetVisible) fail(where, "\"Show all events\" is still visible after use");
  if (s.hash) fail(where, `the address keeps "${s.hash}" after "Show all events"`);

  for (const e of errors) fail(where, e);
  await page.close();
  const ok = failures.length === before;
  console.log(`${ok ? "ok  " : "FAIL"} ${where.padEnd(24)} "${pick.name}" shows ${pick.n} of ${pick.total} events, status "${s.status === "" ? "(cleared)" : s.status}"`);
}

// checkPagedFilter: on a timeline that lists only the newest events, a
// filter link goes to the tag's own pages (with JavaScript too), and a
// shared #tags=slug address of the timeline leads there.
async function checkPagedFilter(context, path, vp, scheme) {
  const where = `filter ${vp.name} ${scheme}`;
  const before = failures.length;
  const { page, errors } = await openPage(context, path, where, 200);
  const link = page.locator("nav.filters a[data-kind='tags']").first();
  const href = new URL(await link.getAttribute("href"), base).pathname;
  const slug = await link.getAttribute("data-slug");
  await Promise.all([page.waitForURL((u) => u.pathname === href, { timeout: 5000 }).catch(() => {}), link.click()]);
  if (new URL(page.url()).pathname !== href) fail(where, `clicking the tag filter stayed on ${new URL(page.url()).pathname}, want ${href}`);
  await page.goto(pageURL(path) + "#tags=" + encodeURIComponent(slug));
  await page.waitForURL((u) => u.pathname === href, { timeout: 5000 }).catch(() => {});
  if (new URL(page.url()).pathname !== href) fail(where, `#tags=${slug} stayed on ${new URL(page.url()).pathname}, want ${href}`);
  for (const e of errors) fail(where, e);
  await page.close();
  const ok = failures.length === before;
  console.log(`${ok ? "ok  " : "FAIL"} ${where.padEnd(24)} the filter and #tags=${slug} go to ${href}`);
}

// checkNoScriptFilter: without JavaScript a filter link is a plain link to
// the tag page.
async function checkNoScriptFilter(path) {
  const where = "filter without JavaScript";
  const before = failures.length;
  const context = await newContext(VIEWPORTS[0], "light", false);
  const { page, errors } = await openPage(context, path, where, 200);
  const link = page.locator("nav.filters a[data-kind='tags']").first();
  const href = await link.getAttribute("href");
  await Promise.all([page.waitForURL((u) => u.pathname === new URL(href, base).pathname, { timeout: 5000 }).catch(() => {}), link.click()]);
  const now = new URL(page.url());
  if (now.pathname !== new URL(href, base).pathname) fail(where, `clicking the tag link stayed on ${now.pathname}, want ${href}`);
  const h1 = await page.locator("h1").first().textContent();
  for (const e of errors) fail(where, e);
  await context.close();
  const ok = failures.length === before;
  console.log(`${ok ? "ok  " : "FAIL"} ${where.padEnd(24)} went to ${now.pathname} ("${(h1 || "").replace(/\s+/g, " ").trim()}")`);
}

// checkWeight sums the bytes of everything the timeline page loads,
// and the icons it names, which a browser fetches for its tab.
async function checkWeight(path) {
  const where = "timeline weight";
  const context = await newContext(VIEWPORTS[0], "light", true);
  const page = await context.newPage();
  const responses = [];
  page.on("response", (r) => responses.push(r));
  await page.goto(pageURL(path), { waitUntil: "networkidle" });
  const items = [];
  const seen = new Set();
  for (const r of responses) {
    const body = await r.body().catch(() => Buffer.alloc(0));
    seen.add(r.url());
    items.push({ url: r.url(), bytes: body.length, type: r.request().resourceType() });
  }
  const icons = await page.evaluate(() =>
    Array.from(document.querySelectorAll("link[rel~='icon'], link[rel='apple-touch-icon']")).map((l) => l.href));
  for (const icon of icons) {
    if (seen.has(icon) || isForeign(icon)) continue;
    const r = await page.request.get(icon);
    items.push({ url: icon, bytes: (await r.body()).length, type: "icon" });
  }
  await context.close();
  const total = items.reduce((n, i) => n + i.bytes, 0);
  for (const i of items) console.log(`     ${String(i.bytes).padStart(7)} B  ${i.type.padEnd(10)} ${new URL(i.url).pathname}`);
  if (total > MAX_TIMELINE_BYTES) fail(where, `${total} bytes, over the ${MAX_TIMELINE_BYTES}-byte budget`);
  console.log(`${total <= MAX_TIMELINE_BYTES ? "ok  " : "FAIL"} ${where.padEnd(24)} ${total} bytes in ${items.length} responses (budget ${MAX_TIMELINE_BYTES})`);
}

// saveHTML writes the HTML of each page as served, and the site's own
// stylesheets, for the validator.
async function saveHTML(pages) {
  const context = await browser.newContext();
  const sheets = new Set();
  for (const [name, path] of pages) {
    const r = await context.request.get(pageURL(path));
    writeFileSync(join(htmlDir, `${name}.html`), await r.body());
    const html = (await r.text()).replace(/\s+/g, " ");
    for (const link of html.match(/<link [^>]*>/g) || []) {
      const href = /\bhref="([^"]+)"/.exec(link);
      if (/\brel="stylesheet"/.test(link) && href) sheets.add(new URL(href[1].replace(/&amp;/g, "&"), pageURL(path)).href);
    }
  }
  let i = 0;
  for (const href of sheets) {
    if (isForeign(href)) continue;
    const r = await context.request.get(href);
    const file = `${++i}-${new URL(href).pathname.split("/").pop() || "style.css"}`;
    writeFileSync(join(htmlDir, file.endsWith(".css") ? file : `${file}.css`), await r.body());
  }
  await context.close();
}

// validateHTML runs the Nu Html Checker once over every saved page and
// stylesheet.
function validateHTML() {
  const where = "Nu Html Checker";
  const files = readdirSync(htmlDir).filter((f) => /\.(html|css)$/.test(f)).sort().map((f) => join(htmlDir, f));
  const java = process.env.JAVA || "java";
  const r = spawnSync(java, ["-jar", vnuJar, "--errors-only", "--also-check-css", "--format", "json", ...files], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (r.error) {
    fail(where, `could not run ${java}: ${r.error.message}`);
    return;
  }
  let messages;
  try {
    messages = JSON.parse(r.stderr || r.stdout).messages;
  } catch {
    fail(where, `unreadable output (exit ${r.status}): ${(r.stderr || r.stdout).slice(0, 2000)}`);
    return;
  }
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  for (const m of errors) {
    const file = (m.url || "").split("/").pop();
    fail(where, `${file}:${m.lastLine || m.firstLine || "?"}: ${m.message} [${(m.extract || "").replace(/\s+/g, " ").trim()}]`);
  }
  if (r.status !== 0 && errors.length === 0) fail(where, `exit status ${r.status}: ${(r.stderr || "").slice(0, 500)}`);
  const pages = files.filter((f) => f.endsWith(".html")).length;
  console.log(`${errors.length ? "FAIL" : "ok  "} ${where.padEnd(24)} ${pages} pages and ${files.length - pages} stylesheets, ${errors.length} errors`);
}
