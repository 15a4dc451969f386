import { describe, expect, it } from 'vitest';
import { scrubbedError } from '../../../server/platform/process-failures';

describe('what is logged of an error nothing handled', () => {
  it('keeps the name and code of an error, never its message', () => {
    const error = Object.assign(new TypeError('Jane Doe MRN 4242'), { code: 'SQLITE_BUSY' });
    expect(scrubbedError(error)).toEqual({ name: 'TypeError', code: 'SQLITE_BUSY' });
  });

  it('drops a name or code that could carry data, and says only the type of a non-error', () => {
    const error = Object.assign(new Error('x'), { name: 'Patient Jane Doe', code: 'MRN 4242 <b>' });
    expect(scrubbedError(error)).toEqual({ name: 'Error' });
    expect(scrubbedError('Jane Doe MRN 4242')).toEqual({ name: 'non-error string' });
    expect(scrubbedError({ name: 'Jane Doe' })).toEqual({ name: 'non-error object' });
    expect(scrubbedError(null)).toEqual({ name: 'non-error null' });
  });
});
