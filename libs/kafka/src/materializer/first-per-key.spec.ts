import { firstPerKey } from './first-per-key';

describe('firstPerKey', () => {
  it('keeps the first item of every key, in first-seen order', () => {
    const items = [
      { k: 'b', v: 1 },
      { k: 'a', v: 2 },
      { k: 'b', v: 3 },
      { k: 'c', v: 4 },
      { k: 'a', v: 5 },
    ];
    expect(firstPerKey(items, (i) => i.k)).toEqual([
      { k: 'b', v: 1 },
      { k: 'a', v: 2 },
      { k: 'c', v: 4 },
    ]);
    expect(firstPerKey([], (i: { k: string }) => i.k)).toEqual([]);
  });
});
