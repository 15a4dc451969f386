import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { checkIcon, drawColorIcon, drawOutlineIcon } from '../../../scripts/app-package/icons.js';
import { ROOT } from './helpers.js';

const committed = (name: string) => readFileSync(join(ROOT, 'appPackage', name));
const size = (data: Buffer) => {
  const png = PNG.sync.read(data);
  return [png.width, png.height];
};

describe('app icons', () => {
  it('color.png is 192x192 and outline.png is 32x32', () => {
    expect(size(committed('color.png'))).toEqual([192, 192]);
    expect(size(committed('outline.png'))).toEqual([32, 32]);
    expect(checkIcon('color.png', committed('color.png'), { width: 192, height: 192 })).toEqual([]);
  });

  it('outline.png is white on a transparent background', () => {
    const png = PNG.sync.read(committed('outline.png'));
    let transparent = 0,
      white = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i + 3] === 0) transparent++;
      else if (png.data[i] === 255 && png.data[i + 1] === 255 && png.data[i + 2] === 255) white++;
    }
    expect(transparent + white).toBe(32 * 32);
    expect(transparent).toBeGreaterThan((32 * 32) / 2);
    expect(white).toBeGreaterThan(50);
    expect(checkIcon('outline.png', committed('outline.png'), { width: 32, height: 32, whiteOnTransparent: true })).toEqual([]);
  });

  it('the committed icons are what scripts/make-icons.ts draws', () => {
    expect(drawColorIcon().equals(committed('color.png'))).toBe(true);
    expect(drawOutlineIcon().equals(committed('outline.png'))).toBe(true);
  });

  it('the checker rejects a coloured pixel, an opaque background and a wrong size', () => {
    const png = PNG.sync.read(committed('outline.png'));
    const i = png.data.findIndex((_, k) => k % 4 === 3 && png.data[k] === 255) - 3;
    png.data[i + 1] = 0; // a red pixel in the glyph
    expect(checkIcon('outline.png', PNG.sync.write(png), { width: 32, height: 32, whiteOnTransparent: true })).toEqual([
      'outline.png: 1 visible pixel(s) are not white; an outline icon is white on transparent',
    ]);

    const opaque = PNG.sync.read(committed('outline.png'));
    for (let k = 3; k < opaque.data.length; k += 4) opaque.data[k] = 255;
    expect(checkIcon('outline.png', PNG.sync.write(opaque), { width: 32, height: 32, whiteOnTransparent: true })).toContain(
      'outline.png: background must be transparent',
    );

    expect(checkIcon('color.png', committed('outline.png'), { width: 192, height: 192 })).toEqual(['color.png: must be 192x192 pixels, is 32x32']);
  });
});
