import type { Measurement, VitalKind } from './types.js';

interface Conversion {
  /** UCUM codes and free-text units, compared case-insensitively without spaces. */
  from: string[];
  convert: (value: number) => number;
}

interface UnitRule {
  /** The unit a clinician expects, and how the EHR may spell it. */
  unit: string;
  aliases: string[];
  conversions: Conversion[];
}

const round = (digits: number) => (value: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const one = round(1);

/** Kinds without a rule keep the EHR's unit as it is (rates, SpO2, BMI, blood pressure). */
const RULES: Partial<Record<VitalKind, UnitRule>> = {
  temperature: {
    unit: '°C',
    aliases: ['cel', '°c', 'c', 'degc', 'celsius'],
    conversions: [{ from: ['[degf]', '°f', 'f', 'degf', 'fahrenheit'], convert: (f) => one(((f - 32) * 5) / 9) }],
  },
  weight: {
    unit: 'kg',
    aliases: ['kg', 'kilogram', 'kilograms'],
    conversions: [
      { from: ['[lb_av]', 'lb', 'lbs', 'pound', 'pounds'], convert: (lb) => one(lb * 0.45359237) },
      { from: ['g', 'gram', 'grams'], convert: (g) => one(g / 1000) },
      { from: ['[oz_av]', 'oz'], convert: (oz) => one(oz * 0.028349523125) },
    ],
  },
  height: {
    unit: 'cm',
    aliases: ['cm', 'centimeter', 'centimeters'],
    conversions: [
      { from: ['[in_i]', 'in', 'inch', 'inches'], convert: (inch) => one(inch * 2.54) },
      { from: ['m', 'meter', 'meters'], convert: (m) => one(m * 100) },
      { from: ['mm'], convert: (mm) => one(mm / 10) },
      { from: ['[ft_i]', 'ft', 'feet'], convert: (ft) => one(ft * 30.48) },
    ],
  },
};

const key = (unit: string) => unit.replace(/\s+/g, '').toLowerCase();

/**
 * The measurement in the unit a clinician expects, keeping what the EHR sent. The UCUM `code`
 * is tried before the display `unit`; an unknown unit is left as given rather than guessed.
 */
export function normaliseUnit(kind: VitalKind, value: number, unit: string, code: string | undefined): Measurement {
  const rule = RULES[kind];
  const shown = unit || code || '';
  if (!rule) return { value, unit: shown };
  const candidates = [code, unit].filter((u): u is string => !!u).map(key);
  if (candidates.some((c) => rule.aliases.includes(c))) return { value, unit: rule.unit };
  const conversion = rule.conversions.find((c) => candidates.some((u) => c.from.includes(u)));
  if (!conversion) return { value, unit: shown };
  return { value: conversion.convert(value), unit: rule.unit, original: { value, unit: shown } };
}
