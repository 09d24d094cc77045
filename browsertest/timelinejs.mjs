// Loads a built dealsite site's timeline.json into the real TimelineJS 3
// (the @knight-lab/timelinejs package pinned in package-lock.json) in
// Debian's Chromium, and checks that TimelineJS accepts it: no error
// message, a marker and a slide for every event, every era drawn with its
// title, every event of an era drawn inside it, and every group labelled
// with its era's title as text, and the picture, caption and credit of
// every event with media. browser_test.go runs it on the bundled
// site; it also runs by hand against any server of a built site:
//
//   node timelinejs.mjs http://127.0.0.1:8000/ [FILE]
//
// FILE, relative to the site, is the TimelineJS file to load instead of
// timeline.json: a large site's per-year files (timeline/2013-2.json).
//
// The page that embeds TimelineJS, and TimelineJS's own files, are served
// by this script under BASE/__timelinejs/, on the site's origin, so
// timeline.json loads as it would in an embed on the site. Nothing may
// reach another host: TimelineJS's web fonts are turned off (font: null).
//
// Environment: DEALSITE_CHROMIUM (default /usr/bin/chromium),
// DEALSITE_ARTIFACTS (default ./artifacts, beside this file): a
// screenshot goes to screenshots/timelinejs.png.

import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve("@knight-lab/timelinejs/package.json"));
const version = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;
const dist = join(pkgDir, "dist");

const LOAD_TIMEOUT = 60_000; // generous: CI is a busy 2-core machine
// The types of the files TimelineJS loads from its package.
const contentTypes = { ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml",
  ".png": "image/png", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf" };
const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

if (process.argv.length < 3 || process.argv.length > 4 || !/^https?:\/\//.test(process.argv[2])) {
  console.error("usage: node timelinejs.mjs BASE_URL [FILE]");
  process.exit(2);
}
const base = new URL(process.argv[2]);
const harness = new URL("__timelinejs/", base);
const file = process.argv[3] || "timeline.json";
const timelineURL = new URL(file, base).href;
const shots = join(process.env.DEALSITE_ARTIFACTS || join(here, "artifacts"), "screenshots");
mkdirSync(shots, { recursive: true });

const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.log(`  FAIL ${msg}`);
};

const response = await fetch(timelineURL);
if (!response.ok) {
  console.log(`FAIL ${timelineURL}: status ${response.status}`);
  process.exit(1);
}
const data = await response.json();

const browser = await chromium.launch({
  executablePath: process.env.DEALSITE_CHROMIUM || "/usr/bin/chromium",
  args: LAUNCH_ARGS,
  timeout: 30_000,
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route("**/*", (route) => serve(route));
  const page = await context.newPage();
  page.on("pageerror", (err) => fail(`script error: ${err.message}`));
  page.on("console", (m) => m.type() === "error" && fail(`console error: ${m.text()}`));
  await page.goto(harness.href);
  const outcome = await waitForTimeline(page);
  await page.screenshot({ path: join(shots, file === "timeline.json" ? "timelinejs.png" : "timelinejs-" + file.replace(/[^a-z0-9.-]+/gi, "-") + ".png") });
  if (outcome.error) {
    fail(`TimelineJS shows: ${outcome.error}`);
  } else if (!outcome.ready) {
    fail(`TimelineJS was not ready within ${LOAD_TIMEOUT / 1000}s`);
  } else {
    checkDrawn(await settled(page));
    await checkMedia(page);
  }
  await context.close();
} finally {
  await browser.close();
}

const events = data.events.length, eras = (data.eras || []).length;
if (failures.length) {
  console.log(`FAIL TimelineJS ${version}: ${failures.length} problem(s) with ${timelineURL} (${events} events, ${eras} eras)`);
  process.exit(1);
}
console.log(`ok   TimelineJS ${version} draws ${timelineURL}: ${events} events, ${eras} eras, no error`);

// ---------------------------------------------------------------------------

// serve answers the embedding page and TimelineJS's files from the npm
// package, passes the site's own requests through and refuses all others.
async function serve(route) {
  const url = new URL(route.request().url());
  if (url.origin !== base.origin) {
    fail(`request to another host: ${url.href}`);
    return route.abort("blockedbyclient");
  }
  if (!url.pathname.startsWith(harness.pathname)) return route.continue();
  const rel = url.pathname.slice(harness.pathname.length);
  if (rel === "") return route.fulfill({ contentType: "text/html; charset=utf-8", body: embedPage() });
  const file = normalize(join(dist, rel));
  if (!file.startsWith(dist + sep)) return route.fulfill({ status: 404 });
  let body;
  try {
    body = readFileSync(file);
  } catch {
    return route.fulfill({ status: 404 });
  }
  return route.fulfill({ contentType: contentTypes[extname(file)] || "application/octet-stream", body });
}

// embedPage is a page embedding TimelineJS the way its documentation
// shows, loading the site's timeline.json by URL.
function embedPage() {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>TimelineJS loading dealsite's timeline.json</title>
<link rel="stylesheet" href="css/timeline.css">
<script src="js/timeline.js"></script>
</head>
<body>
<div id="timeline-embed" style="width: 1200px; height: 700px"></div>
<script>
window.timelineReady = false;
const timeline = new TL.Timeline("timeline-embed", ${JSON.stringify(timelineURL)}, { font: null });
timeline.on("ready", () => { window.timelineReady = true; });
</script>
</body>
</html>`;
}

// waitForTimeline polls until TimelineJS is ready or shows an error.
async function waitForTimeline(page) {
  const state = () => page.evaluate(() => {
    const message = document.querySelector(".tl-message-content");
    const text = message ? message.textContent.trim() : "";
    return { ready: window.timelineReady === true, error: /error/i.test(text) ? text : "" };
  });
  const deadline = Date.now() + LOAD_TIMEOUT;
  let s = await state();
  while (!s.ready && !s.error && Date.now() < deadline) {
    await page.waitForTimeout(100);
    s = await state();
  }
  return s;
}

// settled measures what is drawn until two measurements 250 ms apart
// agree: TimelineJS animates markers and eras into place after "ready".
async function settled(page) {
  const deadline = Date.now() + LOAD_TIMEOUT;
  let last = await drawn(page);
  for (;;) {
    await page.waitForTimeout(250);
    const now = await drawn(page);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    if (Date.now() > deadline) {
      fail(`the timeline was still moving after ${LOAD_TIMEOUT / 1000}s`);
      return now;
    }
    last = now;
  }
}

// drawn reports what TimelineJS put on the page: markers and slides by
// id, eras and group labels with their text and horizontal extent.
function drawn(page) {
  return page.evaluate(() => {
    // A marker's own box has no width: its left edge is the event's date,
    // and what shows is its content.
    const box = (el, shown = el) => {
      const r = el.getBoundingClientRect(), s = shown.getBoundingClientRect();
      const visible = s.width > 0 && s.height > 0 && getComputedStyle(el).display !== "none";
      return { left: r.left, right: r.right, visible };
    };
    // The timeline's own message; a slide's picture shows "Loading"
    // in one of its own until it arrives (checkMedia waits for those).
    const message = Array.from(document.querySelectorAll(".tl-message")).find((m) => !m.closest(".tl-media"));
    return {
      markers: Object.fromEntries(Array.from(document.querySelectorAll(".tl-timenav .tl-timemarker"))
        .map((el) => [el.id.replace(/-marker$/, ""), box(el, el.querySelector(".tl-timemarker-content-container") || el)])),
      slides: Object.fromEntries(Array.from(document.querySelectorAll(".tl-storyslider .tl-slide")).map((el) => [el.id, box(el)])),
      eras: Array.from(document.querySelectorAll(".tl-timeera")).map((el) => ({
        title: (el.querySelector(".tl-headline") || {}).textContent || "", ...box(el),
      })),
      groups: Array.from(document.querySelectorAll(".tl-timegroup-message")).map((el) => el.textContent),
      message: message && box(message).visible ? message.textContent.trim() : "",
    };
  });
}

// checkDrawn compares what TimelineJS drew with timeline.json.
function checkDrawn(got) {
  if (got.message) fail(`a message is still shown: "${got.message}"`);
  for (const e of data.events) {
    const marker = got.markers[e.unique_id];
    if (!marker || !marker.visible) fail(`event ${e.unique_id}: no marker drawn on the time navigation`);
    if (!got.slides[e.unique_id]) fail(`event ${e.unique_id}: no slide`);
  }
  const eras = data.eras || [];
  for (const want of eras) {
    const title = text(want.text.headline);
    const era = got.eras.find((x) => x.title === title);
    if (!era || !era.visible) {
      fail(`era "${title}" is not drawn (drawn: ${JSON.stringify(got.eras.map((x) => x.title))})`);
      continue;
    }
    for (const e of data.events.filter((x) => text(x.group || "") === title)) {
      const marker = got.markers[e.unique_id];
      if (marker && (marker.left < era.left - 1 || marker.left > era.right + 1)) {
        fail(`event ${e.unique_id} (${e.start_date.display_date}) is drawn at x=${marker.left.toFixed(0)}, outside its era "${title}" (${era.left.toFixed(0)}–${era.right.toFixed(0)})`);
      }
    }
  }
  if (got.eras.length !== eras.length) fail(`${got.eras.length} eras drawn, want ${eras.length}`);
  // Both are inserted as HTML by TimelineJS: an era title that shows
  // differently as a group label was escaped differently.
  const groups = [...new Set(data.events.filter((e) => e.group).map((e) => text(e.group)))].sort();
  const labels = [...new Set(got.groups)].filter((l) => l !== "").sort(); // events outside eras: a group without a label
  if (JSON.stringify(labels) !== JSON.stringify(groups)) {
    fail(`group labels ${JSON.stringify(labels)}, want ${JSON.stringify(groups)}`);
  }
  for (const label of labels) {
    if (!got.eras.some((era) => era.title === label)) fail(`group label "${label}" is no era's title as drawn`);
  }
}

// checkMedia goes to the slide of every event with media and waits for
// TimelineJS to show its picture, loaded from the URL timeline.json gives,
// with its caption and credit.
async function checkMedia(page) {
  for (const e of data.events.filter((x) => x.media)) {
    await page.evaluate((id) => timeline.goToId(id), e.unique_id); // eslint-disable-line no-undef
    const deadline = Date.now() + LOAD_TIMEOUT;
    let shown;
    for (;;) {
      shown = await page.evaluate((id) => {
        const slide = document.getElementById(id);
        const img = slide && slide.querySelector(".tl-media img");
        const textOf = (sel) => ((slide && slide.querySelector(sel)) || {}).textContent || "";
        return img ? { src: img.src, loaded: img.complete && img.naturalWidth > 0, alt: img.alt, caption: textOf(".tl-caption"), credit: textOf(".tl-credit") } : null;
      }, e.unique_id);
      if ((shown && shown.loaded) || Date.now() > deadline) break;
      await page.waitForTimeout(100);
    }
    if (!shown) {
      fail(`event ${e.unique_id}: its slide shows no picture of ${e.media.url}`);
      continue;
    }
    if (shown.src !== e.media.url) fail(`event ${e.unique_id}: the slide shows ${shown.src}, want ${e.media.url}`);
    if (!shown.loaded) fail(`event ${e.unique_id}: the picture ${shown.src} did not load`);
    if (e.media.caption && !shown.caption.includes(text(e.media.caption))) fail(`event ${e.unique_id}: caption "${shown.caption}", want "${text(e.media.caption)}"`);
    if (e.media.credit && !shown.credit.includes(text(e.media.credit))) fail(`event ${e.unique_id}: credit "${shown.credit}", want "${text(e.media.credit)}"`);
    await page.screenshot({ path: join(shots, "timelinejs-media-" + e.unique_id + ".png") });
    console.log(`ok   event ${e.unique_id}: TimelineJS shows ${shown.src} with its caption and credit`);
  }
}

// text is what an HTML fragment from timeline.json shows as text.
function text(html) {
  return html.replace(/<[^>]*>/g, "").replace(/&(lt|gt|quot|#39|amp);/g, (_, e) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[e]);
}
