import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PERIOD,
  elapsedFraction,
  matchPreset,
  parseState,
  presets,
  serializeState,
  type ViewState,
} from '../src/state';

describe('URL state', () => {
  it('round-trips through the query string', () => {
    const states: ViewState[] = [
      { org: 'T3JnYW5pemF0aW9uOjQy', from: '2015-01-01', to: '2020-06-30', granularity: 'QUARTER', lang: 'vi', tree: 'AS_OF' },
      { org: null, from: '2025-01-01', to: '2030-12-31', granularity: 'MONTH', lang: 'en', tree: 'AS_OF' },
      { org: 'a b&c=d/é', from: '2020-02-29', to: '2020-02-29', granularity: 'YEAR', lang: 'vi', tree: 'AS_OF' },
      { org: '7', from: '2015-01-01', to: '2020-06-30', granularity: 'YEAR', lang: 'vi', tree: 'CURRENT' },
    ];
    for (const s of states) expect(parseState(serializeState(s))).toEqual(s);
  });

  it('omits org at the top of the tree and keeps the documented order', () => {
    const q = serializeState({ org: null, from: '2020-01-01', to: '2025-12-31', granularity: 'QUARTER', lang: 'vi', tree: 'AS_OF' });
    expect(q).toBe('?from=2020-01-01&to=2025-12-31&granularity=QUARTER&lang=vi');
    const q2 = serializeState({ org: '7', from: '2020-01-01', to: '2025-12-31', granularity: 'QUARTER', lang: 'en', tree: 'AS_OF' });
    expect(q2).toBe('?org=7&from=2020-01-01&to=2025-12-31&granularity=QUARTER&lang=en');
  });

  it('remembers the tree view as tree=, only when it is not the default', () => {
    const q = serializeState({ org: null, from: '2020-01-01', to: '2025-12-31', granularity: 'QUARTER', lang: 'vi', tree: 'CURRENT' });
    expect(q).toBe('?from=2020-01-01&to=2025-12-31&granularity=QUARTER&lang=vi&tree=CURRENT');
    expect(parseState('?tree=bogus').tree).toBe('AS_OF');
  });

  it('keeps parameters that are not part of the view, such as api', () => {
    const s = parseState('?api=http%3A%2F%2Flocalhost%3A8080%2Fquery&org=1');
    const q = serializeState({ ...s, org: '2' }, '?api=http%3A%2F%2Flocalhost%3A8080%2Fquery&org=1');
    const p = new URLSearchParams(q);
    expect(p.get('org')).toBe('2');
    expect(p.get('api')).toBe('http://localhost:8080/query');
    expect(p.getAll('org')).toHaveLength(1);
  });

  it('falls back to defaults for missing or invalid values', () => {
    expect(parseState('')).toEqual({ org: null, ...DEFAULT_PERIOD, granularity: 'QUARTER', lang: 'vi', tree: 'AS_OF' });
    expect(parseState('?from=2020-13-01&to=2021-01-01').from).toBe(DEFAULT_PERIOD.from);
    expect(parseState('?from=2021-01-01&to=2020-01-01')).toMatchObject(DEFAULT_PERIOD);
    expect(parseState('?granularity=WEEK').granularity).toBe('QUARTER');
    expect(parseState('?lang=fr', 'en').lang).toBe('en');
    expect(parseState('?org=').org).toBeNull();
  });
});

describe('period presets', () => {
  const today = new Date(2026, 10, 26);

  it('offers the two terms and calendar years', () => {
    const byId = Object.fromEntries(presets(today).map((p) => [p.id, p]));
    expect(byId.thisYear).toMatchObject({ from: '2026-01-01', to: '2026-12-31' });
    expect(byId.lastYear).toMatchObject({ from: '2025-01-01', to: '2025-12-31' });
    expect(byId.term2020).toMatchObject({ from: '2020-01-01', to: '2025-12-31' });
    expect(byId.term2025).toMatchObject({ from: '2025-01-01', to: '2030-12-31' });
    expect(byId.last5).toMatchObject({ from: '2021-01-01', to: '2025-12-31' });
  });

  it('recognizes a preset from its dates, else custom', () => {
    expect(matchPreset('2020-01-01', '2025-12-31', today)).toBe('term2020');
    expect(matchPreset('2015-01-01', '2020-06-30', today)).toBe('custom');
  });

  it('measures how much of a period has passed', () => {
    expect(elapsedFraction('2020-01-01', '2020-12-31', new Date(2030, 0, 1))).toBe(1);
    expect(elapsedFraction('2030-01-01', '2030-12-31', new Date(2026, 0, 1))).toBe(0);
    expect(elapsedFraction('2026-01-01', '2026-12-31', new Date(2026, 6, 1))).toBeCloseTo(182 / 365, 2);
  });
});
