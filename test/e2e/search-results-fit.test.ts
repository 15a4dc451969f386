import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn, teamOwner, useE2e } from '../helpers/e2e';

const e2e = useE2e();

/** The search pane's card, its results' table and the box the table scrolls in, as the page lays them out. */
async function layout(page: Page) {
  const table = page.getByRole('table', { name: 'Find patients' });
  const paneId = await page.getByRole('button', { name: 'Hide search' }).getAttribute('aria-controls');
  return table.evaluate((el, id) => {
    const card = document.getElementById(id!)!;
    const box = (e: Element) => e.getBoundingClientRect();
    // The nearest box between table and card that scrolls sideways, if any.
    let scroller: HTMLElement | null = null;
    for (let e = el.parentElement; e && e !== card; e = e.parentElement) {
      const overflowX = getComputedStyle(e).overflowX;
      if (overflowX === 'auto' || overflowX === 'scroll') {
        scroller = e;
        break;
      }
    }
    const within = (inner: DOMRect, outer: DOMRect) => inner.left >= outer.left - 1 && inner.right <= outer.right + 1;
    const cardBox = box(card);
    return {
      tableWithinCard: within(box(el), cardBox),
      scrollerWithinCard: scroller ? within(box(scroller), cardBox) : null,
      pageOverflow: document.scrollingElement!.scrollWidth - innerWidth,
    };
  }, paneId);
}

/**
 * Long values as real EHRs give them, put into the sandbox's real answers on the way to the tab:
 * identifiers that do not break (an OID-style MRN), a long unbroken family name, and a record notice badge.
 */
async function longValues(page: Page) {
  await page.route(
    (url) => /\/api\/teams\/[^/]+\/patients$/.test(url.pathname),
    async (route) => {
      const answer = await (await route.fetch()).json();
      answer.patients = answer.patients.map((p: Record<string, unknown>, i: number) => ({
        ...p,
        mrn: `urn:oid:2.16.840.1.113883.3.${p.mrn}`,
        ...(i === 0 && { displayName: `${p.displayName}-Wolfeschlegelsteinhausenbergerdorff` }),
        ...(i === 1 && { recordNotice: { kind: 'replaced', replacedById: null, replacedByName: null } }),
      }));
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) });
    },
  );
}

describe('the search results in their card', () => {
  it.each([1400, 1024, 1920, 740, 390])('stay inside the search card at %i pixels, and the page does not scroll sideways', async (width) => {
    const { team, signInLabel, connect } = await teamOwner(e2e);
    await connect(e2e.info.sandbox.fhir.r4);
    const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width, height: 900 } });
    const page = await context.newPage();
    await longValues(page);
    try {
      await signIn(page, e2e.server.url, signInLabel, team.name);
      const gender = page.getByLabel('Gender', { exact: true });
      await expect.poll(() => gender.isVisible(), { timeout: 15_000 }).toBe(true);
      await gender.selectOption('female');
      const rows = page.getByRole('table', { name: 'Find patients' }).getByRole('row');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(5);
      const found = await layout(page);
      // Either the table fits the card, or it scrolls sideways in a box that does.
      expect(found.tableWithinCard || found.scrollerWithinCard === true, JSON.stringify(found)).toBe(true);
      expect(found.pageOverflow).toBeLessThanOrEqual(0);
    } finally {
      await context.close();
    }
  });
});
