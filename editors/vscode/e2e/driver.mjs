// Drives code-server in headless Chromium for e2e_test.go: opens the
// fixture workspace and file, waits for the gomodls diagnostic in the
// Problems panel, applies its quick fix (Ctrl+. on the line, then the
// fix's entry), saves, and waits for the diagnostic to go. Screenshots and
// the Problems panel's text go to E2E_ARTIFACTS. Every wait is bounded and
// says what it waited for when it fails.
//
// Environment: E2E_URL (code-server with ?folder=…), E2E_CHROMIUM (the
// browser binary), E2E_FILE (the file to open, relative to the folder),
// E2E_LINE (its 1-based line of the diagnostic), E2E_MESSAGE (text of the
// diagnostic), E2E_FIX (title of the quick fix), E2E_ARTIFACTS,
// E2E_PLAYWRIGHT (path of the playwright-core package). Optional: E2E_SCOPE
// (a TextMate scope) and E2E_SCOPE_LINE: before the quick fix, the token
// at the start of that line must have that scope, as Developer: Inspect
// Editor Tokens and Scopes shows it (the extension's grammar is in use).
// E2E_COMPLETE: after the fix, typing "use ./" on a new last line of the
// file must offer that completion (then the file is reverted).
// E2E_VENDOR_FILE and E2E_VENDOR_LINE: then, in that file, the require on
// that line must show the inlay hint "vendored v…" and a hover saying which
// version the build selects; its quick fix Run go mod vendor must end with
// gomodls' "done" message and the vendor diagnostic gone.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const env = (k) => {
  const v = process.env[k];
  if (!v) {
    console.error(`driver: ${k} is not set`);
    process.exit(2);
  }
  return v;
};
const url = env('E2E_URL');
const file = env('E2E_FILE');
const line = env('E2E_LINE');
const message = env('E2E_MESSAGE');
const fix = env('E2E_FIX');
const artifacts = env('E2E_ARTIFACTS');
const scope = process.env.E2E_SCOPE;
const scopeLine = process.env.E2E_SCOPE_LINE ?? '1';
const complete = process.env.E2E_COMPLETE;
const vendorFile = process.env.E2E_VENDOR_FILE;
const vendorLine = process.env.E2E_VENDOR_LINE ?? '1';
const { chromium } = createRequire(import.meta.url)(env('E2E_PLAYWRIGHT'));

const t0 = Date.now();
const log = (msg) => console.log(`driver: [${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

const browser = await chromium.launch({
  executablePath: env('E2E_CHROMIUM'),
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on('pageerror', (e) => log(`page error: ${e.message}`));

let step = 'start';
async function shot(name) {
  const p = join(artifacts, name);
  await page.screenshot({ path: p }).catch((e) => log(`screenshot ${name}: ${e.message}`));
  log(`screenshot ${p}`);
}
async function bodyText() {
  return page.evaluate(() => document.body.innerText).catch(() => '');
}
// until polls cond (async) every 250ms until it is true or ms pass.
async function until(what, ms, cond) {
  step = what;
  const deadline = Date.now() + ms;
  for (;;) {
    if (await cond()) {
      log(`ok: ${what}`);
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms / 1000}s waiting for ${what}`);
    }
    await page.waitForTimeout(250);
  }
}

try {
  step = 'loading the workbench';
  await page.goto(url, { timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  log('workbench loaded');
  // The extension activates on workspaceContains:**/go.work; give the
  // explorer a moment to show the folder before typing.
  await until('the explorer to list the fixture', 60_000, async () => (await bodyText()).includes(file));

  // openFile opens rel (relative to a folder: "go.work", "vendored/go.mod"):
  // a click on its name in the explorer, else Quick Open (Ctrl+P, rel,
  // Enter); the tab of its base name must show.
  async function openFile(rel) {
    const name = rel.split('/').pop();
    const tab = page.locator(`.tab[data-resource-name="${name}"], .tab[aria-label^="${name}"]`);
    let attempt = 0;
    await until(`${rel} to open in an editor`, 90_000, async () => {
      attempt++;
      await page.keyboard.press('Escape');
      if (attempt % 2 === 1 && !rel.includes('/')) {
        const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: rel }).first();
        await row.click({ timeout: 5_000 }).catch(() => {});
      } else {
        await page.keyboard.press('Control+P');
        const input = page.locator('.quick-input-widget input');
        try {
          await input.waitFor({ state: 'visible', timeout: 5_000 });
        } catch {
          return false;
        }
        await input.fill(rel);
        await page.waitForTimeout(750);
        await page.keyboard.press('Enter');
      }
      await tab.first().waitFor({ state: 'visible', timeout: 3_000 }).catch(() => {});
      return (await tab.count()) > 0;
    });
  }
  await openFile(file);

  // goToLine puts the cursor at the start of line n of the open editor.
  async function goToLine(n) {
    await page.keyboard.press('Escape');
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+G');
    await page.keyboard.type(n);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
  }

  // runCommand runs a command of the palette by its title.
  async function runCommand(title) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill('>' + title);
    await page.waitForTimeout(750);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
  }

  // The grammar: the scopes of the token at the start of scopeLine.
  if (scope) {
    let inspected = '';
    await until(`the token at line ${scopeLine} to have the scope ${scope}`, 60_000, async () => {
      await goToLine(scopeLine);
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      try {
        await input.waitFor({ state: 'visible', timeout: 5_000 });
      } catch {
        return false;
      }
      await input.fill('>Developer: Inspect Editor Tokens and Scopes');
      await page.waitForTimeout(750);
      await page.keyboard.press('Enter');
      const widget = page.locator('.token-inspect-widget');
      try {
        await widget.first().waitFor({ state: 'visible', timeout: 5_000 });
      } catch {
        return false;
      }
      await page.waitForTimeout(500);
      inspected = await widget.first().innerText().catch(() => '');
      return inspected.includes(scope);
    });
    writeFileSync(join(artifacts, 'token-scopes.txt'), inspected);
    log(`token at line ${scopeLine}:\n${inspected}`);
    await shot('0-token-scopes.png');
    await page.keyboard.press('Escape');
  }

  // Problems panel: the gomodls diagnostic.
  await page.keyboard.press('Control+Shift+M');
  await until(`the diagnostic "${message}" in the Problems panel`, 90_000, async () => {
    const text = await bodyText();
    if (!text.includes(message)) {
      return false;
    }
    return (await page.locator('.markers-panel').count()) > 0;
  });
  const problems = await page.locator('.markers-panel').innerText().catch(() => '');
  writeFileSync(join(artifacts, 'problems-before.txt'), problems);
  log(`Problems panel:\n${problems}`);
  await shot('1-diagnostic.png');

  // Quick fix: cursor on the diagnostic's line, Ctrl+., the fix's entry.
  await until(`the quick fix "${fix}" in the code action menu`, 60_000, async () => {
    await goToLine(line);
    await page.keyboard.press('Control+.');
    // The code action menu lists the fix, focused when it is the only
    // (or preferred) one: Enter applies it.
    const item = page.getByText(fix, { exact: true });
    try {
      await item.first().waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      return false;
    }
    await shot('2-quick-fix-menu.png');
    await page.keyboard.press('Enter');
    return true;
  });

  // Save, then the diagnostic must go.
  await page.waitForTimeout(500);
  await page.keyboard.press('Control+S');
  await until(`"${message}" to leave the Problems panel`, 60_000, async () => !(await bodyText()).includes(message));
  await until(`${file} to be saved (no dirty tab)`, 30_000, async () => (await page.locator('.tab.dirty').count()) === 0);
  writeFileSync(join(artifacts, 'problems-after.txt'), await page.locator('.markers-panel').innerText().catch(() => ''));
  await shot('3-fixed.png');

  // Completion: a new last line "use ./" in the file offers the module
  // directory not used yet ("/" triggers it).
  if (complete) {
    await until(`the completion "${complete}"`, 60_000, async () => {
      await page.keyboard.press('Escape');
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('use ./', { delay: 50 });
      const widget = page.locator('.suggest-widget');
      let text = '';
      for (let i = 0; i < 20 && !text.includes(complete); i++) {
        await page.waitForTimeout(250);
        text = await widget.first().innerText().catch(() => '');
        if (i === 8) {
          await page.keyboard.press('Control+Space');
        }
      }
      if (!text.includes(complete)) {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+Z');
        return false;
      }
      log(`completion list:\n${text}`);
      await shot('4-completion.png');
      return true;
    });
    await page.keyboard.press('Escape');
    await runCommand('File: Revert File');
    await until(`${file} to be reverted (no dirty tab)`, 30_000, async () => (await page.locator('.tab.dirty').count()) === 0);
  }

  if (vendorFile) {
    await page.keyboard.press('Escape');
    await openFile(vendorFile);
    // The inlay hint beside the drifting require.
    // VS Code may draw an inlay hint's label as CSS content of an empty
    // span rather than as text, and with no-break spaces: look in both.
    const hasHint = (label) => page.evaluate((label) => {
      const norm = (s) => s.replace(/\u00a0/g, ' ');
      for (const el of document.querySelectorAll('.editor-instance .monaco-editor .view-lines span')) {
        for (const pseudo of ['::before', '::after']) {
          if (norm(getComputedStyle(el, pseudo).content).includes(label)) {
            return true;
          }
        }
        if (norm(el.textContent).includes(label)) {
          return true;
        }
      }
      return false;
    }, label).catch(() => false);
    await until('the inlay hint "vendored v1.0.0"', 60_000, () => hasHint('vendored v1.0.0'));
    await shot('5-inlay-hint.png');
    // The hover (Ctrl+K Ctrl+I: Show or Focus Hover) on the require.
    let hover = '';
    await until('the hover on the require to say which version is selected', 60_000, async () => {
      await goToLine(vendorLine);
      await page.keyboard.press('End');
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      await page.waitForTimeout(1_000);
      hover = await page.locator('.monaco-hover').first().innerText().catch(() => '');
      return hover.includes('Selected') && hover.includes('inconsistent vendoring');
    });
    log(`hover:\n${hover}`);
    writeFileSync(join(artifacts, 'hover.txt'), hover);
    await shot('6-hover.png');
    await page.keyboard.press('Escape');
    // Run go mod vendor: the progress, then gomodls' message when done.
    await until('the quick fix "Run go mod vendor" in the code action menu', 60_000, async () => {
      await goToLine(vendorLine);
      await page.keyboard.press('Control+.');
      const item = page.getByText('Run go mod vendor', { exact: true });
      try {
        await item.first().waitFor({ state: 'visible', timeout: 5_000 });
      } catch {
        return false;
      }
      await item.first().click();
      return true;
    });
    await shot('7-vendor-running.png');
    await until('the message that go mod vendor is done', 60_000, async () => (await bodyText()).includes('go mod vendor done in'));
    await shot('8-vendor-done.png');
    await until('"inconsistent vendoring" to leave the Problems panel', 60_000, async () => !(await bodyText()).includes('inconsistent vendoring'));
    // The hint goes too, without a keystroke (workspace/inlayHint/refresh).
    await until('the inlay hint "vendored v1.0.0" to go', 30_000, async () => !(await hasHint('vendored v1.0.0')));
    await shot('9-vendored.png');
  }
  log('done');
} catch (err) {
  log(`FAILED while ${step}: ${err.message}`);
  await shot('failure.png');
  writeFileSync(join(artifacts, 'failure-body.txt'), await bodyText());
  await browser.close();
  process.exit(1);
}
await browser.close();
