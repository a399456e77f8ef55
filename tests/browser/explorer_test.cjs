// The web explorer (agree explore) in headless Chromium (CTest label "browser").
//
//   node explorer_test.cjs AGREE_BINARY OUTPUT_DIR
//
// Checks ISIS without tie-break with agree check for its shortest total-order
// violation, then starts `agree explore` on the same model (--port 0) and, in
// /usr/bin/chromium, clicks that counterexample's actions one by one: at its
// end total-order is violated, the chart marks the violating row, the message
// names total-order and the URL fragment holds the whole path (screenshot
// OUTPUT_DIR/explorer-violation.png). Back undoes the last step and Forward
// redoes it; the URL opened in a new page shows the same state and path.
// From the initial state "Check from here" finds a violation, which Forward
// walks to its end. Bad requests from Node (an action that is not enabled, an
// unknown endpoint, a POST, a foreign Host header) get 4xx JSON errors, and
// SIGINT stops the server (exit 0, "stopped"). Any request from the page to
// anything but the explorer's own address fails the test.
// Exit 0 passed, 1 failed, 77 skipped (no chromium or playwright-core: run
// scripts/install-browser-deps.sh); in CI (CI=true) a missing dependency is a
// failure, exit 1.
'use strict';
const fs = require('fs');
const path = require('path');
const http = require('http');
const { execFileSync, spawn } = require('child_process');

const { CHROMIUM, args, browser: findBrowser, check, finish } = require('./harness.cjs');
const [agree, outDir] = args('explorer_test.cjs');
const chromium = findBrowser();

const MODEL = ['isis', '--procs', '2', '--msgs', '2', '--variant', 'no-tiebreak'];

// One request from Node: resolves to { status, json } (json null if the body is not JSON).
function request(port, method, target, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: headers || {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
        resolve({ status: res.statusCode, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Resolves to the exit code, or null if the child is still running after ms.
function exited(child, ms) {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
  });
}

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const traces = path.join(outDir, 'traces');
  fs.mkdirSync(traces, { recursive: true });
  // agree check exits 1 on a violation: that is the expected outcome here.
  let json;
  try {
    execFileSync(agree, ['check', ...MODEL, '--threads', '1', '--json', '--trace-dir', traces]);
    throw new Error('agree check found no violation');
  } catch (e) {
    if (e.status !== 1) throw e;
    json = JSON.parse(e.stdout.toString());
  }
  const labels = json.counterexamples[0].steps;
  check(json.counterexamples[0].property === 'total-order' && labels.length > 0,
        'agree check: total-order is violated after ' + labels.length + ' steps');

  const child = spawn(agree, ['explore', ...MODEL, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  let browser = null;
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no URL on stdout within 10 s: ' + JSON.stringify(stdout + stderr))), 10000);
      const look = () => {
        const m = /http:\/\/127\.0\.0\.1:\d+\/#0/.exec(stdout);
        if (m) { clearTimeout(timer); resolve(m[0]); }
      };
      child.stdout.on('data', look);
      child.once('exit', (code) => reject(new Error('agree explore exited with ' + code + ': ' + stderr)));
      look();
    });
    const origin = url.slice(0, url.indexOf('/', 'http://'.length) + 1);
    const port = Number(/:(\d+)\//.exec(url)[1]);
    check(true, 'agree explore serves ' + url);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
             '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const foreign = [], errors = [];
    context.on('request', (r) => { if (!r.url().startsWith(origin)) foreign.push(r.url()); });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    const steps = (p) => p.locator('#steps li').count();
    const waitSteps = (p, n) => p.waitForFunction((k) => document.querySelectorAll('#steps li').length === k, n);
    const status = (p) => p.getAttribute('li[data-property="total-order"]', 'class');
    await page.goto(url);
    await waitSteps(page, 1);

    // Click the counterexample's actions by their labels.
    let clicked = 0;
    for (const [k, label] of labels.entries()) {
      const button = page.locator('#choices button[data-label=' + JSON.stringify(label) + ']');
      if (await button.count() !== 1) break;
      await button.click();
      await waitSteps(page, k + 2);
      clicked++;
    }
    check(clicked === labels.length, 'clicked ' + clicked + ' of the ' + labels.length + ' actions by their labels');
    check((await status(page)) === 'violated', 'total-order is violated at the end: ' + await status(page));
    check(await page.locator('#chart rect.row.violation').count() === 1, 'the chart marks the violating row');
    check(await page.locator('#chart text.verdict').count() >= 1, 'the chart shows a verdict');
    const message = await page.textContent('#message');
    check(message.includes('total-order'), 'the message names total-order: ' + JSON.stringify(message));
    const hash = new URL(page.url()).hash.slice(1);
    check(hash.split('/').length === labels.length + 1 && hash.split('/').every((n) => /^\d+$/.test(n)),
          'the URL fragment holds the path: #' + hash);
    const shot = path.join(outDir, 'explorer-violation.png');
    await page.screenshot({ path: shot, fullPage: true });
    check(fs.statSync(shot).size > 10000, 'screenshot saved to ' + shot);

    // Back and Forward.
    await page.click('#back');
    await waitSteps(page, labels.length);
    check((await status(page)) !== 'violated', 'after Back total-order is not violated: ' + await status(page));
    check(await page.isEnabled('#forward'), 'after Back, Forward is enabled');
    await page.click('#forward');
    await waitSteps(page, labels.length + 1);
    check((await status(page)) === 'violated', 'after Forward total-order is violated again');
    check(new URL(page.url()).hash.slice(1) === hash, 'and the URL fragment is the same again');
    // The browser's own back and forward move along the same path.
    await page.click('#back');
    await waitSteps(page, labels.length);
    await page.goBack();
    await waitSteps(page, labels.length + 1);
    check((await status(page)) === 'violated' && !(await page.isEnabled('#forward')),
          "the browser's back returns to the violation, with nothing ahead to redo");
    await page.goForward();
    await waitSteps(page, labels.length);
    check(await page.isEnabled('#forward'), "the browser's forward goes one step back again, and Forward is enabled");
    await page.click('#forward');
    await waitSteps(page, labels.length + 1);
    check((await status(page)) === 'violated', 'and Forward redoes the step');

    // The shared URL in a new page shows the same state and path.
    const other = await context.newPage();
    other.on('pageerror', (e) => errors.push(String(e)));
    await other.goto(origin + '#' + hash);
    await waitSteps(other, labels.length + 1);
    check((await other.innerText('#state')) === (await page.innerText('#state')), 'a new page on the URL shows the same state');
    check((await other.innerText('#steps')) === (await page.innerText('#steps')), 'and the same path');
    check((await status(other)) === 'violated', 'and total-order violated');
    await other.close();

    // Check from the initial state, then walk what it found with Forward.
    await page.click('#restart');
    await waitSteps(page, 1);
    check((await status(page)) !== 'violated' && new URL(page.url()).hash === '#0', 'Restart goes to the initial state #0');
    await page.click('#check');
    await page.waitForSelector('#walk-found', { timeout: 30000 });
    check(await page.locator('#jump-found').count() === 1, 'Check from here finds a violation: ' + JSON.stringify(await page.textContent('#message')));
    let walked = 0;
    while (walked < 1000 && await page.isEnabled('#forward')) {
      const n = await steps(page);
      await page.click('#forward');
      await waitSteps(page, n + 1);
      walked++;
    }
    check(walked === labels.length, 'Forward walked ' + walked + ' steps until it was disabled (shortest: ' + labels.length + ')');
    check((await status(page)) === 'violated', 'total-order is violated at the end of the walk');
    // Two clicks before the page has its answer are one step: the second acts
    // on the state shown, not on the URL ahead of it (both clicks in one task,
    // so no answer can come between them).
    const before = await steps(page);
    await page.evaluate(() => { const b = document.querySelector('#choices button'); b.click(); b.click(); });
    await waitSteps(page, before + 1);
    await page.waitForTimeout(300);
    check((await steps(page)) === before + 1 && new URL(page.url()).hash.slice(1).split('/').length === before + 1,
          'two quick clicks on an action take one step: ' + new URL(page.url()).hash);
    check(foreign.length === 0, 'no request but to ' + origin + ': ' + JSON.stringify(foreign));
    check(errors.length === 0, 'no script error: ' + JSON.stringify(errors));

    // Bad requests.
    const bad = await request(port, 'GET', '/api/state?path=0/99');
    check(bad.status === 400 && bad.json && /not enabled/.test(bad.json.error), 'a disabled action: 400 ' + JSON.stringify(bad.json));
    const nope = await request(port, 'GET', '/nope');
    check(nope.status === 404 && nope.json && typeof nope.json.error === 'string', 'an unknown endpoint: 404 ' + JSON.stringify(nope.json));
    const post = await request(port, 'POST', '/api/model', { 'Content-Type': 'application/json', 'Content-Length': 2 }, '{}');
    check(post.status >= 400 && post.status < 500 && post.json && typeof post.json.error === 'string',
          'a POST: ' + post.status + ' ' + JSON.stringify(post.json));
    const evil = await request(port, 'GET', '/api/model', { Host: 'evil.example' });
    check(evil.status === 403 && evil.json && typeof evil.json.error === 'string', 'Host: evil.example: 403 ' + JSON.stringify(evil.json));

    // SIGINT stops the server.
    await browser.close();
    browser = null;
    child.kill('SIGINT');
    const code = await exited(child, 10000);
    check(code === 0, 'SIGINT: agree explore exits with 0 within 10 s: ' + code);
    check(stdout.includes('stopped'), 'and prints "stopped": ' + JSON.stringify(stdout.trim().split('\n').pop()));
  } finally {
    if (browser) await browser.close();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  finish();
})().catch((e) => {
  console.error('FAIL ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
