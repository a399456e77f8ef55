// The HTML counterexample viewer in headless Chromium (CTest label "browser").
//
//   node html_viewer_test.cjs AGREE_BINARY OUTPUT_DIR
//
// Checks ISIS without tie-break (the shortest total-order violation), renders
// it to one HTML file, opens that file offline in /usr/bin/chromium, clicks
// step 3 in the step list, checks the state panel (title, changed fields and
// their values), clicks a row of the chart, moves the slider, and saves a
// screenshot to OUTPUT_DIR/html-viewer.png. At window widths of 1024 and
// 1400 px it checks that the chart fits: every lane header and the verdict
// inside the visible part of the chart pane, the title shown once, and no two
// labels of the chart overlapping as the browser draws them (screenshots
// OUTPUT_DIR/html-viewer-WIDTH.png). Any network request fails the test.
// Exit 0 passed, 1 failed, 77 skipped (no chromium or playwright-core: run
// scripts/install-browser-deps.sh); in CI (CI=true) a missing dependency is a
// failure, exit 1.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const { CHROMIUM, args, browser: findBrowser, check, finish } = require('./harness.cjs');
const [agree, outDir] = args('html_viewer_test.cjs');
const chromium = findBrowser();

// Runs in the page: what of the chart is not fully visible in the chart pane
// (the pane's box cut to the window), how often the title is shown, and which
// labels overlap as drawn.
function fitReport() {
  const pane = document.getElementById('chart-pane').getBoundingClientRect();
  const view = { left: Math.max(pane.left, 0), top: Math.max(pane.top, 0),
                 right: Math.min(pane.right, window.innerWidth), bottom: Math.min(pane.bottom, window.innerHeight) };
  const hidden = [];
  const inside = (el, what) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.left < view.left - 0.5 || r.top < view.top - 0.5 || r.right > view.right + 0.5 || r.bottom > view.bottom + 0.5)
      hidden.push(what + ' at ' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(','));
  };
  document.querySelectorAll('#chart-pane g.lane').forEach((g) => inside(g.querySelector('rect'), 'lane ' + g.dataset.lane));
  document.querySelectorAll('#chart-pane text.verdict').forEach((t) => inside(t, 'verdict'));
  // The title as text a reader sees: not in scripts, styles or <title> elements.
  const title = document.title;
  let shown = 0;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const p = n.parentElement.closest('script, style, title');
    if (!p) shown += n.textContent.split(title).length - 1;
  }
  const boxes = [...document.querySelectorAll('#chart-pane text.label, #chart-pane text.verdict')].map((t) => [t, t.getBoundingClientRect()]);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      const eps = 0.5;  // glyph boxes that merely touch
      if (ra.left + eps < rb.right && rb.left + eps < ra.right && ra.top + eps < rb.bottom && rb.top + eps < ra.bottom)
        overlaps.push(a.textContent + ' / ' + b.textContent);
    }
  const svg = document.querySelector('#chart-pane svg').getBoundingClientRect();
  return { hidden, shown, title, overlaps, labels: boxes.length, scale: svg.width / Number(document.querySelector('#chart-pane svg').getAttribute('width')) };
}

async function checkFit(browser, html, width) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  try {
    await page.goto('file://' + path.resolve(html));
    const r = await page.evaluate(fitReport);
    check(r.hidden.length === 0, width + ' px: every lane header and the verdict are inside the chart pane: ' + JSON.stringify(r.hidden));
    check(r.shown === 1, width + ' px: the title is shown once: ' + r.shown + ' times (' + JSON.stringify(r.title) + ')');
    check(r.labels >= 18 && r.overlaps.length === 0,
          width + ' px: ' + r.labels + ' labels, none overlapping: ' + JSON.stringify(r.overlaps));
    check(r.scale >= 0.6, width + ' px: the chart is drawn at ' + r.scale.toFixed(2) + ' of its size (at least 0.6)');
    await page.screenshot({ path: path.join(outDir, 'html-viewer-' + width + '.png') });
  } finally {
    await page.close();
  }
}

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const traces = fs.mkdtempSync(path.join(outDir, 'traces-'));
  // agree check exits 1 on a violation: that is the expected outcome here.
  // One thread: with more, the counterexample is a shortest one, but which of
  // the shortest depends on the threads' timing (README), and the checks
  // below name its steps.
  let json;
  try {
    execFileSync(agree, ['check', 'isis', '--procs', '3', '--msgs', '2', '--variant', 'no-tiebreak', '--threads', '1',
                         '--json', '--trace-dir', traces]);
    throw new Error('agree check found no violation');
  } catch (e) {
    if (e.status !== 1) throw e;
    json = JSON.parse(e.stdout.toString());
  }
  const html = path.join(outDir, 'isis-no-tiebreak.html');
  if (fs.existsSync(html)) fs.unlinkSync(html);
  execFileSync(agree, ['render', json.trace, '--format', 'html', '-o', html]);
  check(fs.statSync(html).size > 1000, 'agree render wrote ' + html);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (const width of [1024, 1400]) await checkFit(browser, html, width);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto('file://' + path.resolve(html));

    // Opened on the violating step.
    check((await page.textContent('#state-title')).startsWith('State after step 16: agree(p2, m1, 2)'),
          'opens on the violating step 16');
    check((await page.locator('#steps li.selected').getAttribute('data-step')) === '16', 'step 16 is selected in the list');
    check(await page.locator('rect.row.violation').count() === 1, 'the chart marks one violating step');
    check(await page.locator('g.lane').count() === 3, 'three lanes');
    check(await page.locator('g.arrow').count() === 18, 'eighteen message arrows');

    // Click step 3 in the list: propose(p0, m0).
    await page.click('#steps li[data-step="3"]');
    const title = await page.textContent('#state-title');
    check(title === 'State after step 3: propose(p0, m0)', 'state title after clicking step 3: ' + JSON.stringify(title));
    const changed = await page.$$eval('#state-table tr.changed', (trs) => trs.map((tr) => tr.dataset.field));
    check(JSON.stringify(changed) === JSON.stringify(['p0.P', 'p0.holdback', 'network']),
          'fields changed by step 3: ' + JSON.stringify(changed));
    const holdback = await page.textContent('#state-table tr[data-field="p0.holdback"] td.value');
    check(holdback === '[m0 proposed 1]', 'p0.holdback after step 3 is [m0 proposed 1]: ' + JSON.stringify(holdback));
    const was = await page.textContent('#state-table tr[data-field="p0.holdback"] td.was');
    check(was === 'was []', 'and was []: ' + JSON.stringify(was));
    const rows = await page.locator('#state-table tr').count();
    check(rows === 20, 'the full state has 20 fields: ' + rows);
    check((await page.textContent('#position')) === 'step 3 of 16', 'position reads step 3 of 16');
    check(await page.locator('rect.row.selected[data-row="3"]').count() === 1, 'the chart highlights row 3');

    // Click a row of the chart, then step with the keyboard and the slider.
    await page.click('text.action[data-row="15"]');
    check((await page.textContent('#state-title')).startsWith('State after step 15: agree(p0, m0, 2)'), 'clicking chart row 15');
    check((await page.textContent('#state-table tr[data-field="p0.delivered"] td.value')) === '[m0]', 'p0 delivered m0 at step 15');
    await page.keyboard.press('ArrowRight');
    check((await page.textContent('#position')) === 'step 16 of 16', 'ArrowRight moves to step 16');
    await page.locator('#slider').fill('0');
    check((await page.textContent('#state-title')).startsWith('Initial state'), 'the slider moves to the initial state');
    await page.click('#steps li[data-step="3"]');

    const shot = path.join(outDir, 'html-viewer.png');
    await page.screenshot({ path: shot, fullPage: true });
    check(fs.statSync(shot).size > 10000, 'screenshot saved to ' + shot);
    check(requests.length === 0, 'no network request: ' + JSON.stringify(requests));
    check(errors.length === 0, 'no script error: ' + JSON.stringify(errors));
  } finally {
    await browser.close();
  }
  finish();
})().catch((e) => {
  console.error('FAIL ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
