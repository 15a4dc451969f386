import { describe, expect, it } from 'vitest';
import { entityIdFor, teamOfEntityId } from '../../../client/shared/teams/teams-host';

describe("the tab's entity id", () => {
  const team = 'c0ffee00-0000-4000-8000-00000000a001';

  it('names the team a tab was saved with, and reads it back', () => {
    expect(entityIdFor(team)).toBe(`patients-${team}`);
    expect(teamOfEntityId(entityIdFor(team))).toBe(team);
  });

  it("names no team for the personal tab's entity id, a missing one, or anything else", () => {
    expect(teamOfEntityId('patients-personal')).toBeNull();
    expect(teamOfEntityId(undefined)).toBeNull();
    expect(teamOfEntityId('')).toBeNull();
    expect(teamOfEntityId(`patients-${team}/../x`)).toBeNull();
    expect(teamOfEntityId(`other-${team}`)).toBeNull();
  });
});
