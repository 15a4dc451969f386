// Apart from plain-constants.ts: only forms and the server use them, not the tab's first download.

/**
 * Unicode's bidirectional controls, every character of the Bidi_Control property (Unicode's
 * PropList.txt; UAX #9 §2): the marks U+061C, U+200E and U+200F, and the embedding, override and
 * isolate controls U+202A–U+202E and U+2066–U+2069. Invisible, they reorder how the text around
 * them is shown: "give 2.5 mg" with a right-to-left mark after the 2 shows as "give 25. mg", and a
 * note typed as "give 10 mg" could show to colleagues as something else. Text the team shares
 * (notes, list names, hand-entered patients and fields) is refused with them, never silently changed.
 */
const DIRECTION_CONTROLS = /\p{Bidi_Control}/u;
export const hasDirectionControls = (text: string) => DIRECTION_CONTROLS.test(text);
export const DIRECTION_CONTROLS_MESSAGE = 'must not contain invisible text direction controls';
