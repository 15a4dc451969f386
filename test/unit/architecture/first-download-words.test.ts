import { describe, expect, it } from 'vitest';
import { en } from '../../../client/shared/i18n/en';
import { enScreens } from '../../../client/shared/i18n/en-screens';
import { clientEntries, factsOf, staticClosure } from '../../helpers/client-graph';

/**
 * The tab's English words come in two parts: `en.ts` in the first download, `en-screens.ts` with
 * the first screen fetched on demand (`onDemand` waits for both). A word the first download shows
 * must be in the first part, or the tab would show its key; a screen that is fetched some other
 * way must not need the second.
 */
const catalogs = /^client\/shared\/i18n\/(en|en-screens|ru|zh-CN|zh-TW)\.ts$/;
const screenKeys = Object.keys(enScreens);

/** The screen words a module names: as a literal, or as the start of a key it builds (`` `code.${…}` ``). */
function screenWordsOf(file: string): string[] {
  if (catalogs.test(file)) return [];
  const { literals, templatePrefixes } = factsOf(file);
  const prefixes = [...templatePrefixes].filter((p) => p.includes('.'));
  return screenKeys.filter((key) => literals.has(key) || prefixes.some((p) => key.startsWith(p)));
}

const firstDownload = staticClosure(clientEntries);

describe('the words of the first download', () => {
  it('reads the modules of the first download from the entries (lists and search in, details and setup on demand)', () => {
    expect(firstDownload).toContain('client/features/lists/ListsPanel.tsx');
    expect(firstDownload).toContain('client/features/patient-search/PatientSearch.tsx');
    expect(firstDownload).toContain('client/shared/i18n/en.ts');
    expect(firstDownload).not.toContain('client/features/patient-details/PatientDetails.tsx');
    expect(firstDownload).not.toContain('client/features/setup/SetupPanel.tsx');
    expect(firstDownload).not.toContain('client/shared/i18n/en-screens.ts');
  });

  it('has every word a module of the first download names', () => {
    const missing = [...firstDownload].flatMap((file) => screenWordsOf(file).map((key) => `${file}: ${key}`));
    expect(missing).toEqual([]);
  });

  it('fetches a screen that needs the on-demand words only through onDemand, which waits for them', () => {
    const waitsForWords = (file: string) => factsOf(file).calls.has('onDemand') || factsOf(file).calls.has('loadScreenWords');
    const needsWords = (target: string) => [...staticClosure([target])].some((m) => !firstDownload.has(m) && screenWordsOf(m).length > 0);
    const unguarded = [...firstDownload]
      .filter((file) => !waitsForWords(file))
      .flatMap((file) =>
        factsOf(file)
          .dynamicImports.filter(needsWords)
          .map((target) => `${file} -> ${target}`),
      );
    expect(unguarded).toEqual([]);
  });

  it('keeps each word in one part only', () => {
    expect(Object.keys(en).filter((key) => key in enScreens)).toEqual([]);
  });
});
