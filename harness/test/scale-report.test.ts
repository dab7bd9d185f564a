/**
 * The scale report's renderers, fed a hand-made fixture (test/fixtures/scale-report.json: a
 * realistic report written for these tests, not a measurement). The ratios and the Markdown are
 * checked as text; the HTML page is opened in headless Chromium to check that every chart was
 * drawn with its axes, series and legend, and that the page loads nothing but itself.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETED_CALLS, judgeRun } from '../src/scale/engine/measure.js';
import { formatScaleHtml } from '../src/scale/report/html/page.js';
import { ratiosOf } from '../src/scale/report/ratios.js';
import type { ScaleReport, ScaleRun } from '../src/scale/report/schema.js';
import { formatScaleMarkdown, formatScaleText } from '../src/scale/report/text.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/scale-report.json', import.meta.url));
const fixture = (): ScaleReport => JSON.parse(readFileSync(FIXTURE, 'utf8')) as ScaleReport;

const steady = (r: ScaleRun) => r.skipped === null && r.failover === null;
const workloads = (report: ScaleReport) =>
  [...new Set(report.runs.map((r) => r.target))].filter((t) => t.startsWith('workload:'));

/** The rows of the Markdown table under `### <title>`, as cells. */
function markdownSection(markdown: string, title: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`### ${title}`);
  expect(start, `section ${title}`).toBeGreaterThan(-1);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('#'));
  const table = rest.slice(0, end < 0 ? undefined : end).filter((l) => l.startsWith('|'));
  // Skip the header and the alignment row.
  return table.slice(2).map((l) => l.slice(2, -2).split(' | '));
}

describe('ratiosOf', () => {
  it('divides each workload run by raw and echo at the same K and routing', () => {
    const report = fixture();
    const base = (target: string, run: ScaleRun) =>
      report.runs.find(
        (b) => b.target === target && steady(b) && b.instances === run.instances && b.routing === run.routing,
      );
    const expected = report.runs
      .filter((r) => r.target.startsWith('workload:') && steady(r) && (base('raw', r) || base('echo', r)))
      .map((r) => ({
        target: r.target,
        instances: r.instances,
        routing: r.routing,
        toRaw: r.perInstance / base('raw', r)!.perInstance,
        toEcho: r.perInstance / base('echo', r)!.perInstance,
      }));
    expect(expected.length).toBeGreaterThan(0);
    expect(ratiosOf(report)).toEqual(expected.map((e) => expect.objectContaining(e)));
  });

  it('leaves out failover runs, and gives null for a baseline that was not run', () => {
    const report = fixture();
    report.runs = report.runs.filter((r) => r.target !== 'echo');
    const ratios = ratiosOf(report);
    expect(ratios.length).toBeGreaterThan(0);
    expect(ratios.every((r) => r.toEcho === null && r.echoPerInstance === null && r.toRaw !== null)).toBe(true);
    const killed = report.runs.find((r) => r.failover && r.target.startsWith('workload:'))!;
    const sameKey = ratios.filter(
      (r) => r.target === killed.target && r.instances === killed.instances && r.routing === killed.routing,
    );
    expect(sameKey.map((r) => r.perInstance)).not.toContain(killed.perInstance);
  });
});

describe('scale markdown', () => {
  it('leads with the verdict and lists the ratios to raw and echo rounded to 2 decimals', () => {
    const report = fixture();
    const markdown = formatScaleMarkdown(report);
    expect(markdown.split('\n')[2]).toMatch(/^\*\*PASSED: \d+ runs/);
    const rows = markdownSection(markdown, 'Per instance vs the baselines');
    expect(rows).toEqual(
      ratiosOf(report).map((r) => [
        r.target,
        String(r.instances),
        r.routing,
        Math.round(r.perInstance).toLocaleString('en-US'),
        Math.round(r.rawPerInstance!).toLocaleString('en-US'),
        r.toRaw!.toFixed(2),
        Math.round(r.echoPerInstance!).toLocaleString('en-US'),
        r.toEcho!.toFixed(2),
      ]),
    );
    expect(rows.find((r) => r[0] === 'workload:cart' && r[1] === '1')?.[7]).toBe('0.73');
  });

  it('shows the session cart next to the sessionless cart, its failures marked as expected', () => {
    const report = fixture();
    const markdown = formatScaleMarkdown(report);
    const sessionRuns = report.runs.filter((r) => r.target === 'session-cart');
    const rows = markdownSection(markdown, 'Session-scoped cart vs sessionless cart');
    expect(rows).toHaveLength(sessionRuns.length);
    const roundRobin = rows.find((r) => r[1] === 'round-robin')!;
    expect(roundRobin[4]).toMatch(/Session not found/);
    expect(roundRobin[5]).toBe('failed as expected');
    expect(roundRobin[8]).toBe('ok');
    expect(markdownSection(markdown, 'Invariants').find((r) => r[0] === 'session-cart')?.[2]).toMatch(
      /^✗ .*\(expected\)$/,
    );
  });

  it('tells a real failure from an expected one', () => {
    const report = fixture();
    const broken = report.runs.find((r) => r.target === 'workload:cart' && r.instances === 2)!;
    Object.assign(broken, { ok: false, errors: { 'HTTP 502': 7 } });
    const unshown = report.runs.find((r) => r.target === 'session-cart' && r.expectedToFail)!;
    Object.assign(unshown, { ok: false });
    report.ok = false;
    const markdown = formatScaleMarkdown(report);
    expect(markdown).toMatch(/^\*\*FAILED: 2 of \d+ runs: workload:cart, K=2, round-robin; session-cart, K=2/m);
    const results = markdownSection(markdown, 'Throughput').map((r) => r.at(-1));
    expect(results).toContain('FAILED');
    expect(results).toContain('FAILED: expected a failure');
    expect(formatScaleText(report).split('\n').at(-1)).toMatch(/^FAILED: 2 of/);
  });

  it('renders a skipped run as one line with its reason, outside the tables', () => {
    const report = fixture();
    const reason = 'nginx not found on PATH; install nginx to run the nginx-* routings';
    for (const run of report.runs.filter((r) => r.routing.startsWith('nginx'))) run.skipped = reason;
    const skipped = report.runs.filter((r) => r.skipped !== null);
    const markdown = formatScaleMarkdown(report);
    const lines = markdown.split('\n').filter((l) => l.includes(reason));
    expect(lines).toHaveLength(skipped.length);
    expect(lines.every((l) => l.startsWith('- ') && l.includes(': skipped: '))).toBe(true);
    expect(markdownSection(markdown, 'Throughput').some((r) => r[2]!.startsWith('nginx'))).toBe(false);
    expect(
      formatScaleText(report)
        .split('\n')
        .filter((l) => l.includes(reason)),
    ).toHaveLength(skipped.length);
    expect(markdown).toMatch(new RegExp(`^\\*\\*PASSED: .*; ${skipped.length} skipped\\.\\*\\*$`, 'm'));
  });
});

describe('a run that completed no calls', () => {
  /** The fixture with one run's calls all gone, judged as the engine judges every run. */
  function withIdleRun(target: string, expectedToFail: boolean): { report: ScaleReport; run: ScaleRun } {
    const report = fixture();
    const run = report.runs.find((r) => r.target === target && r.expectedToFail === expectedToFail && !r.skipped)!;
    Object.assign(run, { succeeded: 0, throughput: 0, perInstance: 0, byTool: {} });
    judgeRun(run, expectedToFail);
    report.ok = report.runs.every((r) => r.ok);
    return { report, run };
  }

  it('fails even though nothing else went wrong, and says why, in the JSON, the table, the Markdown and the HTML', () => {
    const { report, run } = withIdleRun('workload:cart', false);
    expect(run.ok).toBe(false);
    expect(report.ok).toBe(false);
    expect(run.invariants.find((i) => i.name === COMPLETED_CALLS)).toMatchObject({ ok: false });
    const text = formatScaleText(report);
    expect(text).toContain('FAILED: completed no calls');
    expect(text.split('\n').at(-1)).toMatch(/^FAILED: 1 of \d+ runs: workload:cart/);
    const markdown = formatScaleMarkdown(report);
    expect(markdown).toMatch(/^\*\*FAILED: 1 of \d+ runs: workload:cart/m);
    expect(markdownSection(markdown, 'Throughput').map((r) => r.at(-1))).toContain('FAILED: completed no calls');
    const html = formatScaleHtml(report);
    expect(html).toContain('class="verdict fail"');
    expect(html).toContain('FAILED: completed no calls');
    expect(JSON.parse(JSON.stringify(report)).ok).toBe(false);
  });

  it('is not mistaken for the failure a baseline was expected to show', () => {
    const { report, run } = withIdleRun('session-cart', true);
    expect(run.ok).toBe(false);
    expect(formatScaleText(report)).toContain('FAILED: completed no calls');
  });

  it('a run that did work and held its invariants still passes', () => {
    const report = fixture();
    const run = report.runs.find((r) => r.target === 'workload:cart' && !r.skipped && !r.failover)!;
    expect(run.succeeded).toBeGreaterThan(0);
    expect(judgeRun(run, false).ok).toBe(true);
    expect(run.invariants.map((i) => i.name)).not.toContain(COMPLETED_CALLS);
  });
});

describe('scale html', () => {
  const report = fixture();
  let dir: string;
  let url: string;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scale-report-'));
    const file = join(dir, 'scale-report.html');
    writeFileSync(file, formatScaleHtml(report));
    url = pathToFileURL(file).href;
    // The system Chromium when there is one (as servers/browser does), else Playwright's own.
    const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
    browser = await chromium.launch({
      executablePath: system,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => requested.push(request.url()));
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url);
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Checks one chart against the series it must show: names and how many points each has. */
  async function expectChart(figure: Locator, axes: [RegExp, RegExp], series: Map<string, number>) {
    await expect.poll(() => figure.count()).toBe(1);
    const svg = figure.locator('svg[role="img"]');
    const box = await svg.boundingBox();
    expect(box?.width).toBeGreaterThan(0);
    expect(box?.height).toBeGreaterThan(0);
    expect((await figure.locator('figcaption').textContent())?.trim()).not.toBe('');
    const labels = await svg.locator('text.axis-label').allTextContents();
    expect(labels).toHaveLength(2);
    expect(labels[0]).toMatch(axes[0]);
    expect(labels[1]).toMatch(axes[1]);
    expect(await svg.locator('text.tick').count()).toBeGreaterThan(2);

    const groups = svg.locator('g.series');
    expect(await groups.count()).toBe(series.size);
    const names = await groups.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-series')));
    expect(new Set(names)).toEqual(new Set(series.keys()));
    for (const [name, points] of series) {
      const group = svg.locator(`g.series[data-series="${name}"]`);
      const line = await group
        .locator('polyline, path')
        .first()
        .evaluate((el) => el.getAttribute('points') ?? el.getAttribute('d') ?? '');
      expect(line.trim().split(/\s+/).length, name).toBeGreaterThanOrEqual(points);
      expect(await group.locator('circle').count(), name).toBe(points);
      expect(await group.locator('circle > title').first().textContent(), name).toMatch(/\d/);
    }
    const legend = await svg.locator('.legend [data-series]').allTextContents();
    expect(legend).toEqual(names);
  }

  /** Per workload: one series per routing it ran under, plus one per baseline and routing. */
  function expectedSeries(target: string, value: (r: ScaleRun) => number | null): Map<string, number> {
    const series = new Map<string, number>();
    for (const r of report.runs.filter((r) => steady(r) && value(r) !== null)) {
      const name =
        r.target === target ? r.routing : ['raw', 'echo'].includes(r.target) ? `${r.target} · ${r.routing}` : null;
      if (name) series.set(name, (series.get(name) ?? 0) + 1);
    }
    return series;
  }

  it('draws throughput vs instances with one series per routing', async () => {
    for (const target of workloads(report)) {
      const figure = page.locator(`figure[data-chart="throughput"][data-target="${target}"]`);
      await expectChart(
        figure,
        [/^instances \(K\)$/, /^calls\/s/],
        expectedSeries(target, (r) => r.throughput),
      );
    }
  });

  it('draws p99 latency vs instances with one series per routing', async () => {
    for (const target of workloads(report)) {
      const figure = page.locator(`figure[data-chart="p99"][data-target="${target}"]`);
      await expectChart(
        figure,
        [/^instances \(K\)$/, /\(ms\)$/],
        expectedSeries(target, (r) => r.latencyMs.p99),
      );
    }
  });

  it('draws re-fetches vs subagents with one series per client policy', async () => {
    const sweep = report.sweep!;
    const series = new Map(sweep.series.map((s) => [s.policy, s.toolsList.length]));
    await expectChart(
      page.locator('figure[data-chart="refetches"]'),
      [/^subagents$/, /^tools\/list requests$/],
      series,
    );
  });

  it('loads nothing but its own file', () => {
    expect(requested).toEqual([url]);
  });
});

describe('scale html as text', () => {
  it('omits the re-fetch chart with a note when the report has no sweep', () => {
    const html = formatScaleHtml({ ...fixture(), sweep: null });
    expect(html).not.toContain('data-chart="refetches"');
    expect(html).toMatch(/No sweep in this report/);
  });

  it('draws one-point series and empty reports without NaN', () => {
    const one = fixture();
    one.runs = one.runs.filter((r) => r.instances === 1);
    const single = formatScaleHtml(one);
    expect(single).not.toMatch(/NaN|Infinity/);
    expect(single).toMatch(/<polyline points="[\d.]+,[\d.]+"/);
    const empty = formatScaleHtml({
      ...fixture(),
      runs: [],
      storeCeiling: null,
      sweep: { ...fixture().sweep!, series: [] },
    });
    expect(empty).not.toMatch(/NaN|Infinity/);
    expect(empty).toContain('data-chart="refetches"');
    expect(empty).toContain('no data');
  });

  it('escapes every text it shows', () => {
    const report = fixture();
    report.notes = ['<script>alert(1)</script> & "quotes"'];
    report.scenario.title = '<b>title</b>';
    const html = formatScaleHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>title</b>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quotes&#34;');
  });
});
