// Drives the edge's live page (README "Live page") in headless Chromium with playwright-core:
//   node live-page.mjs <page url> <domain filter> <screenshot path> [token]
// Prints one "CHECK <name> ok|<why>" line per check and "RESULT ok" or "RESULT fail"; exits 0 only when all passed.
// Debian's chromium at /usr/bin/chromium (CHROMIUM overrides); playwright never downloads a browser here.
import { chromium } from "playwright-core";

const [url, filter, screenshot, token] = process.argv.slice(2);
const failures = [];
const check = (name, ok, why) => {
  console.log(`CHECK ${name} ${ok ? "ok" : why}`);
  if (!ok) failures.push(name);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const problems = [];
let expecting400 = false; // the bad-filter step asks the server for a 400 on purpose (the browser logs it as an error)
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("console", m => {
    if (m.type() !== "error") return;
    if (expecting400 && /status of 400/.test(m.text())) return;
    problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", e => problems.push(`page error: ${e.message}`));
  await page.goto(url);

  if (token) {
    await page.locator("#token").waitFor({ state: "visible", timeout: 10000 });
    check("asks-for-token", true);
    await page.fill("#token", token);
    await page.click("#token-form button");
  }

  // Certificates appear, with a rate and per-log counts.
  await page.waitForFunction(() => document.querySelectorAll("#rows tr").length >= 5, null, { timeout: 60000 });
  check("rows", true);
  await page.waitForFunction(() => parseFloat(document.getElementById("rate").textContent) > 0, null, { timeout: 15000 });
  const logs = await page.locator("#logs li").count();
  check("per-log-counts", logs > 0, `no per-log counts (${logs})`);
  const endpoints = await page.locator("#endpoints li").count();
  check("endpoints", endpoints >= 5, `only ${endpoints} endpoints listed`);

  // The filter narrows the rows to matching domains (the server filters; the table starts over).
  await page.fill("#filter", filter);
  await page.click("#apply");
  // The page first asks the edge whether it takes the filter, then clears the rows and reconnects: wait for the filtered
  // connection, or the rows counted could still be the unfiltered ones from before.
  await page.waitForFunction(() => document.querySelector("#status").textContent === "live, filtered", null, { timeout: 60000 });
  await page.waitForFunction(() => document.querySelectorAll("#rows tr").length >= 2, null, { timeout: 60000 });
  const wanted = filter.toLowerCase();
  const filtered = await page.$$eval("#rows tr", trs => trs.map(tr => JSON.parse(tr.dataset.json).data.leaf_cert.all_domains));
  const mismatched = filtered.filter(names => !names.some(n => n.toLowerCase() === wanted || n.toLowerCase().endsWith("." + wanted)));
  check("filter", mismatched.length === 0, `${mismatched.length} of ${filtered.length} rows do not match ${filter}: ${JSON.stringify(mismatched[0])}`);

  // A bad filter is refused with the server's one-line reason, and the page keeps going.
  await page.fill("#filter", "bad name!");
  expecting400 = true;
  await page.click("#apply");
  await page.locator("#filter-error").waitFor({ state: "visible", timeout: 10000 });
  expecting400 = false;
  const reason = await page.textContent("#filter-error");
  check("bad-filter", /bad filter: domain/.test(reason), `reason shown: ${reason}`);
  await page.click("#clear");
  await page.waitForFunction(() => document.querySelectorAll("#rows tr").length >= 5, null, { timeout: 60000 });

  // Pause stops updates; resume brings them back.
  await page.click("#pause");
  const frozen = await page.$$eval("#rows tr", trs => trs.map(tr => tr.dataset.json).join("\n"));
  await page.waitForTimeout(2000); // a span of time with the page paused: nothing to await but the clock
  const after = await page.$$eval("#rows tr", trs => trs.map(tr => tr.dataset.json).join("\n"));
  check("pause", frozen === after, "rows changed while paused");
  await page.click("#pause");
  await page.waitForFunction(before => [...document.querySelectorAll("#rows tr")].map(tr => tr.dataset.json).join("\n") !== before, frozen, { timeout: 30000 });
  check("resume", true);

  // A dropped connection comes back with since = the last data.seen, so the list has no hole.
  const reconnected = page.waitForEvent("websocket", { timeout: 30000 });
  await page.evaluate(() => socket.close());
  const again = (await reconnected).url();
  check("reconnect-with-since", /[?&]since=\d/.test(again), `reconnected with ${again}`);
  await page.waitForFunction(() => document.getElementById("status").className === "live", null, { timeout: 30000 });

  // A click on a row shows that certificate's JSON.
  await page.click("#rows tr:first-child");
  await page.locator("#details").waitFor({ state: "visible", timeout: 5000 });
  const shown = JSON.parse(await page.textContent("#json"));
  check("json-view", shown.message_type === "certificate_update" && Array.isArray(shown.data.leaf_cert.all_domains), "the dialog does not hold a certificate_update");
  await page.click("#close");

  // Phone width: the table still fits.
  await page.setViewportSize({ width: 390, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check("phone-width", overflow <= 1, `${overflow}px wider than the screen`);
  await page.setViewportSize({ width: 1280, height: 800 });

  if (screenshot) await page.screenshot({ path: screenshot });
  check("no-console-errors", problems.length === 0, problems.join(" | "));
} catch (e) {
  check("run", false, String(e).split("\n")[0]);
} finally {
  await browser.close();
}
console.log(`RESULT ${failures.length === 0 ? "ok" : "fail"}`);
process.exit(failures.length === 0 ? 0 : 1);
