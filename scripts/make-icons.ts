/**
 * Draws the Teams app icons into appPackage/: color.png (192x192) and outline.png (32x32,
 * white on transparent). Run with `npx tsx scripts/make-icons.ts`; the PNGs are committed.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drawColorIcon, drawOutlineIcon } from './app-package/icons.js';

const dir = fileURLToPath(new URL('../appPackage/', import.meta.url));
writeFileSync(`${dir}color.png`, drawColorIcon());
writeFileSync(`${dir}outline.png`, drawOutlineIcon());
console.log('Wrote appPackage/color.png and appPackage/outline.png');
