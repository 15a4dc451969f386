import { PNG } from 'pngjs';

/** Sizes Teams requires (manifest schema: icons.color 192x192, icons.outline 32x32). */
export const COLOR_SIZE = 192;
export const OUTLINE_SIZE = 32;
export const ACCENT = { r: 0x0f, g: 0x6c, b: 0xbd }; // manifest accentColor #0F6CBD

type Rgb = { r: number; g: number; b: number };
/** A shape in unit coordinates (0..1 across the icon). */
type Shape = (x: number, y: number) => boolean;

const roundedRect =
  (x0: number, y0: number, x1: number, y1: number, r: number): Shape =>
  (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
const rect =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;
const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));
const minus =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    a(x, y) && !b(x, y);

/** The glyph: a clipboard (board and clip) with a plus-shaped cross on it. */
const glyph = {
  board: roundedRect(0.22, 0.17, 0.78, 0.89, 0.07),
  boardInner: (stroke: number) => roundedRect(0.22 + stroke, 0.17 + stroke, 0.78 - stroke, 0.89 - stroke, Math.max(0.07 - stroke, 0.01)),
  clip: roundedRect(0.36, 0.1, 0.64, 0.25, 0.04),
  cross: (arm: number, half: number) =>
    union(rect(0.5 - half, 0.57 - arm, 0.5 + half, 0.57 + arm), rect(0.5 - arm, 0.57 - half, 0.5 + arm, 0.57 + half)),
};

const SAMPLES = 4; // 4x4 supersampling for smooth edges

function coverage(shape: Shape, px: number, py: number, size: number): number {
  let hits = 0;
  for (let i = 0; i < SAMPLES; i++)
    for (let j = 0; j < SAMPLES; j++) if (shape((px + (i + 0.5) / SAMPLES) / size, (py + (j + 0.5) / SAMPLES) / size)) hits++;
  return hits / (SAMPLES * SAMPLES);
}

/** Paints layers back to front; each layer is a shape with a colour. Alpha is the union's coverage. */
function render(size: number, layers: { shape: Shape; color: Rgb }[]): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (const { shape, color } of layers) {
        const c = coverage(shape, x, y, size);
        if (c === 0) continue;
        // "over" compositing, premultiplied
        r = color.r * c + r * (1 - c);
        g = color.g * c + g * (1 - c);
        b = color.b * c + b * (1 - c);
        a = c + a * (1 - c);
      }
      const i = (y * size + x) * 4;
      png.data[i] = a ? Math.round(r / a) : 0;
      png.data[i + 1] = a ? Math.round(g / a) : 0;
      png.data[i + 2] = a ? Math.round(b / a) : 0;
      png.data[i + 3] = Math.round(a * 255);
    }
  return PNG.sync.write(png);
}

const WHITE = { r: 255, g: 255, b: 255 };

/** 192x192 full-colour icon: accent tile, white clipboard, accent cross. */
export function drawColorIcon(): Buffer {
  return render(COLOR_SIZE, [
    { shape: roundedRect(0, 0, 1, 1, 0.18), color: ACCENT },
    { shape: union(glyph.board, glyph.clip), color: WHITE },
    { shape: roundedRect(0.4, 0.15, 0.6, 0.21, 0.02), color: ACCENT }, // slot in the clip
    { shape: glyph.cross(0.17, 0.055), color: ACCENT },
  ]);
}

/** 32x32 outline icon: white clipboard outline and cross on a transparent background. */
export function drawOutlineIcon(): Buffer {
  const stroke = 2 / OUTLINE_SIZE;
  const outline = union(minus(glyph.board, glyph.boardInner(stroke)), glyph.clip, glyph.cross(0.17, 1.5 / OUTLINE_SIZE));
  return render(OUTLINE_SIZE, [{ shape: outline, color: WHITE }]);
}

export interface IconRules {
  width: number;
  height: number;
  /** Outline icons: transparent background, only white pixels (any alpha). */
  whiteOnTransparent?: boolean;
}

/** Checks a PNG against Teams' icon rules; returns readable problems (empty = fine). */
export function checkIcon(name: string, data: Buffer, rules: IconRules): string[] {
  let png: PNG;
  try {
    png = PNG.sync.read(data);
  } catch (e) {
    return [`${name}: not a readable PNG (${(e as Error).message})`];
  }
  const problems: string[] = [];
  if (png.width !== rules.width || png.height !== rules.height)
    problems.push(`${name}: must be ${rules.width}x${rules.height} pixels, is ${png.width}x${png.height}`);
  if (rules.whiteOnTransparent) {
    let transparent = 0,
      visible = 0,
      coloured = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const a = png.data[i + 3];
      if (a === 0) transparent++;
      else {
        visible++;
        if (png.data[i] !== 255 || png.data[i + 1] !== 255 || png.data[i + 2] !== 255) coloured++;
      }
    }
    const corners = [0, png.width - 1, (png.height - 1) * png.width, png.height * png.width - 1];
    if (corners.some((p) => png.data[p * 4 + 3] !== 0) || transparent === 0) problems.push(`${name}: background must be transparent`);
    if (coloured) problems.push(`${name}: ${coloured} visible pixel(s) are not white; an outline icon is white on transparent`);
    if (!visible) problems.push(`${name}: has no visible pixels`);
  }
  return problems;
}
