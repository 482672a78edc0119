import { inPlaceOf } from '../../../src/workbench/replay/draws';

/*
 * Where a local text holds a drawn value (a UUID, a random number as text), replay reads AWS's
 * value from the same place in the recorded text. The recording is the user's file, so the
 * reading must stay linear whatever it holds.
 */
describe('replay reads AWS\'s drawn value from the place of the local one in a text', () => {
  const local = 'order-LOCAL-UUID-for-LOCAL-UUID!';
  const parts = local.split('LOCAL-UUID');

  it('takes the value at every place the local text holds the local one', () => {
    expect(inPlaceOf(parts, 'order-3f2a-for-3f2a!')).toBe('3f2a');
  });

  it('takes a value of another length than the local one', () => {
    expect(inPlaceOf(['id=', ''], 'id=0.5')).toBe('0.5');
  });

  it('finds no value when the places of the recorded text hold different values', () => {
    expect(inPlaceOf(parts, 'order-aaaa-for-bbbb!')).toBeUndefined();
  });

  it('finds no value when the text around the places differs', () => {
    expect(inPlaceOf(parts, 'other-3f2a-for-3f2a!')).toBeUndefined();
    expect(inPlaceOf(parts, 'order-3f2a-for-3f2a?')).toBeUndefined();
  });

  it('answers at once for a recorded text of 200,000 characters that almost fits 40 places', () => {
    // A pattern with one lazy group per place backtracked on this without end.
    const manyParts = [...Array.from({ length: 40 }, () => '-'), '!'];
    expect(inPlaceOf(manyParts, '-'.repeat(200_000))).toBeUndefined();
  });
});
