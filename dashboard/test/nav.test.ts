import { describe, expect, it } from 'vitest';
import { breadcrumbTrail } from '../src/nav';
import type { Organization } from '../src/types';

const org: Organization = {
  id: 'c',
  code: 'C',
  name: 'Chi bộ C',
  kind: 'BRANCH',
  sector: 'STATE_AGENCY',
  ancestors: [
    { id: 'a', code: 'A', name: 'Khối A', kind: 'BLOC' },
    { id: 'b', code: 'B', name: 'Đảng bộ B', kind: 'GRASSROOTS_COMMITTEE' },
  ],
};

describe('breadcrumb', () => {
  it('starts at "All" for the whole tree (ADMIN)', () => {
    expect(breadcrumbTrail(org, null, 'Toàn bộ')).toEqual([
      { id: null, name: 'Toàn bộ' },
      { id: 'a', name: 'Khối A' },
      { id: 'b', name: 'Đảng bộ B' },
      { id: 'c', name: 'Chi bộ C' },
    ]);
    expect(breadcrumbTrail(null, null, 'Toàn bộ')).toEqual([{ id: null, name: 'Toàn bộ' }]);
  });

  it('hides everything above the scope root, which leads to the top of the view', () => {
    expect(breadcrumbTrail(org, 'b', 'Toàn bộ')).toEqual([
      { id: null, name: 'Đảng bộ B' },
      { id: 'c', name: 'Chi bộ C' },
    ]);
    const root: Organization = { ...org, id: 'b', name: 'Đảng bộ B', ancestors: org.ancestors.slice(0, 1) };
    expect(breadcrumbTrail(root, 'b', 'Toàn bộ')).toEqual([{ id: null, name: 'Đảng bộ B' }]);
  });

  it('shows only the current organization when it is not under the scope root', () => {
    expect(breadcrumbTrail(org, 'zzz', 'Toàn bộ')).toEqual([{ id: 'c', name: 'Chi bộ C' }]);
  });
});
