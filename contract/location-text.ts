/**
 * How a place is said, one rule for the tab (client/shared/cells.ts, in the user's language) and the
 * CSV (server/features/lists/cell-text.ts, in English). The server sends the current places'
 * names widest first (`location`, Encounter.location with its physicalType levels:
 * server/ehr/clinical/encounter.ts) and the room and bed it read from physicalType `ro`/`bd` or
 * from the words of a name. Without zod: the tab's first download uses it.
 */

/** The words for a room, a bed, and both: "Room 12", "Bed 3", "Room 12, Bed 3". */
export interface PlaceWords {
  room: (room: string) => string;
  bed: (bed: string) => string;
  roomBed: (room: string, bed: string) => string;
}

/** The words of an English export. */
export const englishPlaceWords: PlaceWords = {
  room: (room) => `Room ${room}`,
  bed: (bed) => `Bed ${bed}`,
  roomBed: (room, bed) => `Room ${room}, Bed ${bed}`,
};

// The words the server reads a room or bed from (server/ehr/clinical/encounter.ts ROOM, BED: "Room 412", "Rm. 4B", "Bed: 2");
// a room word right after another word is part of a place's name ("Operating Room 3"), never split from it.
const ROOM_OR_BED = /(?:(?<![A-Za-z][A-Za-z'-]*\s+)\b(?:room|rm)|\b(?:bed|bd))\b\.?(?:\s*[:#]\s*|\s+)[A-Za-z0-9][\w-]*/gi;
/** A room the server gives by its whole name ("Operating Room 3", a room's own display): shown as it is, not as "Room Operating Room 3". */
const NAMED_ROOM = /\b(?:room|rm)\b/i;

/**
 * Room and bed in words (`where`, null without either), and the rest of the places (ward, unit,
 * widest first as the server sent them) without any room or bed, in any of the words the server
 * reads them from ("Ward 5 Rm 12" → "Ward 5").
 */
export function placeParts(location: string, room: string | null, bed: string | null, words: PlaceWords): { where: string | null; rest: string } {
  const where =
    room && NAMED_ROOM.test(room)
      ? bed
        ? `${room}, ${words.bed(bed)}`
        : room
      : room && bed
        ? words.roomBed(room, bed)
        : room
          ? words.room(room)
          : bed
            ? words.bed(bed)
            : null;
  if (!where) return { where: null, rest: location.trim() };
  const rest = location
    .split(',')
    .map((s) => s.replace(ROOM_OR_BED, ' ').replace(/\s+/g, ' ').trim())
    .filter((s) => s && s !== room && s !== bed && !/^(room|rm|bed|bd)\b/i.test(s))
    .join(', ');
  return { where, rest };
}

/** The whole place in one text, from the widest level to the narrowest: "Ward 5 North, Room 12, Bed 3"; '' when nothing is named. */
export function wholePlace(location: string, room: string | null, bed: string | null, words: PlaceWords): string {
  const { where, rest } = placeParts(location, room, bed, words);
  return [rest, where].filter(Boolean).join(', ');
}
