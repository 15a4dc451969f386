import { describe, expect, it } from 'vitest';
import { signIn, teamOwner, useE2e } from '../helpers/e2e';

const e2e = useE2e();

describe('the audit trail in a 740 px pane', () => {
  it('keeps every filter inside its own place and every entry readable, nothing running into the next column', async () => {
    const { connect, tenant, team } = await teamOwner(e2e, 0, 0);
    await connect(e2e.info.sandbox.fhir.r4); // an EHRConnectionSet entry, the longest operation name
    const context = await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 740, height: 900 } });
    const page = await context.newPage();
    await signIn(page, e2e.server.url, `Casey Lindqvist (${tenant.name})`, team.name);
    await page.getByRole('button', { name: 'Audit trail' }).click({ timeout: 15_000 });
    const audit = page.getByRole('table', { name: 'Audit trail' });
    await expect.poll(() => audit.getByRole('cell', { name: 'EHRConnectionSet' }).first().isVisible(), { timeout: 15_000 }).toBe(true);

    // Each filter's box ends before the next filter starts, and inside the pane.
    const boxes = await page
      .getByRole('dialog')
      .locator('input, select')
      .evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, top: r.top })));
    for (const [i, box] of boxes.entries()) {
      expect(box.right, `filter ${i}`).toBeLessThanOrEqual(740);
      const next = boxes[i + 1];
      if (next && next.top === box.top) expect(box.right, `filter ${i} and the next`).toBeLessThanOrEqual(next.left);
    }
    // No cell's text is wider than its cell (it would be drawn over the next column).
    const spilling = await audit
      .locator('td, th')
      .evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
    expect(spilling).toEqual([]);
    await context.close();
  });
});
