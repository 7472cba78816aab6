// Drives Debian's Chromium through kaart.html like a planner: opens the page from
// disk with every network request refused, clicks a building on the map (a real
// mouse click at its position on screen), reads the panel, clicks a row of the
// sites table, searches, and takes screenshots. Prints one JSON object on stdout;
// the Rust test (tests/kaart.rs) checks it against buildings.geojson.
//
// node kaart.mjs PAGE BUILDING_ID OUT_DIR [CHROMIUM]
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [page_path, building_id, out_dir, exe = '/usr/bin/chromium'] = process.argv.slice(2);
if (!page_path || !building_id || !out_dir) {
  console.error('usage: node kaart.mjs PAGE BUILDING_ID OUT_DIR [CHROMIUM]');
  process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), 'kaart-chromium-'));
const result = { requests_outside: [], console_errors: [] };
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: exe,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  // Offline: anything but the page itself (and inline data: URLs) is refused and recorded.
  const url = pathToFileURL(page_path).href;
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url || u.startsWith('data:')) return route.continue();
    result.requests_outside.push(u);
    return route.abort();
  });
  page.on('console', (m) => { if (m.type() === 'error') result.console_errors.push(m.text()); });
  page.on('pageerror', (e) => result.console_errors.push(String(e)));

  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'load', timeout: 60000 });
  await page.waitForFunction(() => document.body.dataset.klaar === '1', null, { timeout: 60000 });
  result.ready_ms = Date.now() - t0;
  // Until the first frame is painted, too.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  result.painted_ms = Date.now() - t0;
  result.timings = await page.evaluate(() => window.kaart.timings);
  result.buildings = await page.evaluate(() => JSON.parse(document.getElementById('kaart-data').textContent).buildings.length);

  // Zoom to the building, find a point inside it, and click there with the mouse.
  const index = await page.evaluate((id) => window.kaart.buildingIndex(id), building_id);
  if (index < 0) throw new Error('building ' + building_id + ' is not on the page');
  await page.evaluate((i) => window.kaart.zoomTo(i), index);
  await page.waitForTimeout(400);
  const at = await page.evaluate((i) => {
    const ll = window.kaart.insidePoint(i);
    const p = window.kaart.map.latLngToContainerPoint(ll);
    const r = document.getElementById('kaart').getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, index);
  await page.mouse.click(at.x, at.y);
  await page.waitForSelector('#info-titel');
  result.clicked = await page.evaluate(() => ({
    building: document.getElementById('info').dataset.gebouw,
    title: document.getElementById('info-titel').textContent,
    groups: [...document.querySelectorAll('#info .groep')].map((g) => ({
      group: g.dataset.groep,
      verdict: (g.querySelector('.oordeel') || {}).textContent || null,
      text: g.textContent,
      reasons: [...g.querySelectorAll('ul.redenen li')].map((li) => li.textContent),
    })),
    minutes: [...document.querySelectorAll('#loopminuten tr')].slice(1).map((tr) => [...tr.children].map((td) => td.textContent)),
    text: document.getElementById('info').innerText,
  }));
  await page.screenshot({ path: join(out_dir, 'kaart-gebouw.png') });

  // A row of the sites table: the map zooms to the site and the panel shows it.
  const row = page.locator('#locatietabel tbody tr').first();
  result.site_rows = await page.locator('#locatietabel tbody tr').count();
  await row.click();
  await page.waitForTimeout(400);
  result.site = await page.evaluate(() => ({
    title: document.getElementById('info-titel').textContent,
    text: document.getElementById('info').innerText,
    zoom: window.kaart.map.getZoom(),
  }));
  await page.screenshot({ path: join(out_dir, 'kaart-locatie.png') });

  // Search by id: the first result selects the building.
  await page.fill('#zoek', building_id);
  result.search = await page.locator('#zoekresultaten li').allTextContents();
  await page.press('#zoek', 'Enter');
  result.search_selected = await page.evaluate(() => document.getElementById('info').dataset.gebouw);

  // Switch the group the buildings are coloured for, and a coverage layer on.
  await page.selectOption('#doelgroep', { index: 0 });
  const cover = await page.locator('#bereik option').count();
  if (cover > 1) await page.selectOption('#bereik', { index: 1 });
  result.coverage_options = cover - 1;
  await page.screenshot({ path: join(out_dir, 'kaart-bereik.png') });
} catch (e) {
  result.error = String(e && e.stack || e);
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
