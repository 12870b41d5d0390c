import { describe, expect, it } from 'vitest';
import { ApiError, classifyResponse, DASHBOARD_QUERY } from '../src/api';
import { orderBuckets } from '../src/charts/breakdown';
import { DEFAULT_SORT, isLagging, sortChildren } from '../src/table';
import { BREAKDOWNS, type ChildStats } from '../src/types';

function kind(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof ApiError ? e.kind : 'other';
  }
  return 'none';
}

describe('api', () => {
  it('asks for every breakdown through aliases in one query', () => {
    for (const [alias, dim] of BREAKDOWNS) {
      expect(DASHBOARD_QUERY).toContain(`${alias}: breakdown(by: ${dim})`);
    }
    expect(DASHBOARD_QUERY.match(/stats\(/g)).toHaveLength(1);
  });

  it('classifies permission failures', () => {
    expect(kind(() => classifyResponse(403, { errors: [{ message: 'no' }] }))).toBe('forbidden');
    expect(kind(() => classifyResponse(200, { errors: [{ message: 'x', extensions: { code: 'FORBIDDEN' } }] }))).toBe('forbidden');
  });

  it('tells an ended session apart from a refusal', () => {
    expect(kind(() => classifyResponse(401, null))).toBe('unauthenticated');
    expect(kind(() => classifyResponse(200, { errors: [{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }] }))).toBe('unauthenticated');
    // Both at once: the session matters first (signing in again may lift the refusal).
    const both = {
      errors: [
        { message: 'a', extensions: { code: 'FORBIDDEN' } },
        { message: 'b', extensions: { code: 'UNAUTHENTICATED' } },
      ],
    };
    expect(kind(() => classifyResponse(200, both))).toBe('unauthenticated');
    expect(kind(() => classifyResponse(200, { errors: [{ message: 'x', extensions: { code: 'RATE_LIMITED' } }] }))).toBe('rateLimited');
  });

  it('keeps the server wording per language', () => {
    try {
      classifyResponse(200, { errors: [{ message: 'Cấm / Forbidden', extensions: { code: 'FORBIDDEN', vi: 'Cấm', en: 'Forbidden' } }] });
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).localized).toEqual({ vi: 'Cấm', en: 'Forbidden' });
      return;
    }
    throw new Error('no error thrown');
  });

  it('classifies other failures', () => {
    expect(kind(() => classifyResponse(502, null))).toBe('unreachable');
    expect(kind(() => classifyResponse(200, { errors: [{ message: 'boom' }] }))).toBe('server');
    expect(kind(() => classifyResponse(200, { data: { stats: null } }))).toBe('server');
  });
});

describe('ordering', () => {
  const b = (key: string, count: number) => ({ key, label: key, count, share: 0 });

  it('keeps ordered scales in order and sorts the rest by size', () => {
    expect(orderBuckets('ageBand', [b('31_40', 5), b('18_30', 2), b('OVER_60', 9)]).map((x) => x.key)).toEqual([
      '18_30',
      '31_40',
      'OVER_60',
    ]);
    expect(orderBuckets('ethnicity', [b('Hoa', 2), b('Kinh', 50), b('Khmer', 7)]).map((x) => x.key)).toEqual([
      'Kinh',
      'Khmer',
      'Hoa',
    ]);
  });

  const child = (name: string, admitted: number, target: number | null): ChildStats => ({
    organization: { id: name, code: name, name, kind: 'GRASSROOTS_BRANCH', sector: 'STATE_AGENCY', foundedOn: '2000-01-01', dissolvedOn: null, mergedInto: null },
    admitted,
    target,
    targetAttainment: target ? admitted / target : null,
    trainees: 0,
    recognized: 0,
    notRecognized: 0,
    leftOrDisciplined: 0,
  });

  it('sorts by attainment with missing targets last', () => {
    const rows = [child('A', 10, 5), child('B', 1, null), child('C', 2, 5)];
    expect(sortChildren(rows, { key: 'attainment', dir: 1 }, 'vi').map((r) => r.organization.name)).toEqual(['C', 'A', 'B']);
    expect(sortChildren(rows, { key: 'attainment', dir: -1 }, 'vi').map((r) => r.organization.name)).toEqual(['A', 'C', 'B']);
  });

  it('puts first by need: nothing admitted against a target, then attainment ascending, then no target', () => {
    const rows = [child('A', 5, 5), child('B', 0, null), child('C', 3, 5), child('D', 0, 2), child('E', 5, 5), child('F', 2, null)];
    expect(sortChildren(rows, DEFAULT_SORT, 'vi').map((r) => r.organization.name)).toEqual(['D', 'C', 'A', 'E', 'B', 'F']);
  });

  it('sorts Vietnamese names in Vietnamese order', () => {
    const rows = [child('Đảng bộ Sở Y tế', 1, 1), child('Chi bộ Sở Nội vụ', 1, 1), child('Đảng bộ Bệnh viện', 1, 1)];
    expect(sortChildren(rows, { key: 'name', dir: 1 }, 'vi').map((r) => r.organization.name)).toEqual([
      'Chi bộ Sở Nội vụ',
      'Đảng bộ Bệnh viện',
      'Đảng bộ Sở Y tế',
    ]);
  });

  it('marks organizations that admitted nobody or are behind the pace', () => {
    expect(isLagging(child('A', 0, null), 1)).toBe(true);
    expect(isLagging(child('A', 4, 10), 0.5)).toBe(true);
    expect(isLagging(child('A', 6, 10), 0.5)).toBe(false);
    expect(isLagging(child('A', 6, null), 1)).toBe(false);
  });
});
