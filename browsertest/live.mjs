// Live reload in a real browser: with `dealsite serve` running on the
// site folder given, open an article, edit its file, and check that the
// open page shows the edit without a click, keeps its scroll position,
// shows the error overlay when the file breaks, and clears it when the
// file is fixed.
//
// Usage: node live.mjs SERVER_URL SITE_DIR ARTICLE_FILE ARTICLE_PATH
import { chromium } from "playwright-core";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const [server, siteDir, articleFile, articlePath] = process.argv.slice(2);
const file = join(siteDir, articleFile);
const original = await readFile(file, "utf8");

const browser = await chromium.launch({
  executablePath: process.env.DEALSITE_CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  timeout: 30_000,
});
let failed = false;
function check(ok, what) {
  console.log(`${ok ? "  ok  " : "  FAIL"} ${what}`);
  if (!ok) failed = true;
}

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 600 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(new URL(articlePath, server).href);
  await page.waitForFunction(() => typeof window.__dealsiteBuild === "function");
  await page.evaluate(() => window.scrollTo(0, 300));
  const scrolled = await page.evaluate(() => window.scrollY);

  // 1. An edit (a sentence added at the end) shows up in the open page.
  const marker = "Edited live in the browser.";
  await writeFile(file, original + "\n" + marker + "\n");
  await page.waitForFunction((m) => document.querySelector(".prose")?.textContent.includes(m), marker, { timeout: 15_000 });
  check(true, "the open page shows the edit");
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => window.scrollY);
  check(Math.abs(after - scrolled) < 5, `scroll position kept (${scrolled} → ${after})`);

  // 2. A broken file: the last good page stays, with the overlay.
  await writeFile(file, original.replace(/^date: .*$/m, "date: 2011-13-45"));
  await page.waitForSelector("#dealsite-overlay", { timeout: 15_000 });
  const overlay = await page.textContent("#dealsite-overlay");
  check(/error DS105: date "2011-13-45" is not a valid date/.test(overlay), "the overlay lists the error with its code");
  check((await page.textContent(".prose")).includes(marker), "the last good page stays under the overlay");

  // 3. The fix clears the overlay.
  await writeFile(file, original);
  await page.waitForFunction(() => !document.getElementById("dealsite-overlay"), null, { timeout: 15_000 });
  await page.waitForFunction((m) => !document.querySelector(".prose")?.textContent.includes(m), marker, { timeout: 15_000 });
  check(true, "the fix clears the overlay and shows the fixed page");
  check(errors.length === 0, `no script errors (${errors.join("; ")})`);
} catch (e) {
  check(false, String(e));
} finally {
  await writeFile(file, original);
  await browser.close();
}
process.exit(failed ? 1 : 0);
