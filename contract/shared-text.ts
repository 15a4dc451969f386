import { z } from 'zod';
import { DIRECTION_CONTROLS_MESSAGE, hasDirectionControls } from './direction-controls.js';

/**
 * Text a person types that colleagues read (list names, notes, field labels, choices and units,
 * the EHR link's name): trimmed, not empty, at most `max` characters, and without invisible
 * direction controls (see hasDirectionControls), which would show colleagues other words than
 * were typed.
 */
export const sharedText = (max: number, tooLong?: string) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, tooLong)
    .refine((text) => !hasDirectionControls(text), DIRECTION_CONTROLS_MESSAGE);
