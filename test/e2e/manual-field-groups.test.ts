import { describe, expect, it } from 'vitest';
import { signIn, teamOwner, useE2e } from '../helpers/e2e';

const e2e = useE2e();

describe('the patient fields editor, heard with a screen reader', () => {
  it('names each field row, so the Type, Choices and Required repeated in every row say which field they belong to', async () => {
    const { api, signInLabel, team } = await teamOwner(e2e, 0, 1);
    await api('PUT', `/teams/${team.id}/connection`, { mode: 'manual' });
    const page = await (await e2e.browser.newContext({ reducedMotion: 'reduce', viewport: { width: 740, height: 900 } })).newPage();
    await signIn(page, e2e.server.url, signInLabel, team.name);
    await page.getByRole('button', { name: 'Start from the ward template' }).click({ timeout: 15_000 });

    const status = page.getByRole('group', { name: 'Field 2: Status' });
    expect(await status.getByRole('combobox', { name: 'Type' }).inputValue({ timeout: 5_000 })).toBe('choice');
    expect(await status.getByRole('textbox', { name: 'Choices (comma-separated)' }).inputValue()).toMatch(/^Stable, Watch/);
    // A renamed field's group says its new name.
    await status.getByRole('textbox', { name: 'Field name' }).fill('Acuity');
    expect(await page.getByRole('group', { name: 'Field 2: Acuity' }).getByRole('checkbox', { name: 'Required' }).count()).toBe(1);
    await page.context().close();
  });
});
