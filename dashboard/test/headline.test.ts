import { describe, expect, it } from 'vitest';
import { headline, type HeadlineInput } from '../src/headline';
import type { Bucket } from '../src/types';

function levels(counts: Record<string, number>, total: number): Bucket[] {
  return Object.entries(counts).map(([key, count]) => ({ key, label: key, count, share: count / total }));
}

const article: HeadlineInput = {
  subject: 'Đảng bộ Khối Các cơ quan tỉnh Bạc Liêu',
  from: '2015-01-01',
  to: '2020-06-30',
  admitted: 1004,
  targetAttainment: 1004 / 600,
  professionalLevel: levels({ NONE: 14, INTERMEDIATE: 55, COLLEGE: 160, UNIVERSITY: 720, MASTER: 53, DOCTOR: 2 }, 1004),
};

describe('headline', () => {
  it('writes the report sentence in Vietnamese', () => {
    expect(headline(article, 'vi')).toBe(
      'Từ 01/01/2015 đến 30/06/2020, Đảng bộ Khối Các cơ quan tỉnh Bạc Liêu đã kết nạp 1.004 đảng viên, ' +
        'đạt 167,3% chỉ tiêu; trong đó 880 đảng viên có trình độ cao đẳng, đại học (87,6%), ' +
        '53 đảng viên có trình độ thạc sĩ (5,3%).',
    );
  });

  it('writes the English equivalent', () => {
    expect(headline(article, 'en')).toBe(
      'From 01/01/2015 to 30/06/2020, Đảng bộ Khối Các cơ quan tỉnh Bạc Liêu admitted 1,004 new members, ' +
        "167.3% of the target; of them, 880 (87.6%) hold a college or university degree and 53 (5.3%) a master's degree.",
    );
  });

  it('leaves out the target clause when there is no target', () => {
    const s = headline({ ...article, targetAttainment: null }, 'vi');
    expect(s).not.toContain('chỉ tiêu');
    expect(s).toContain('đã kết nạp 1.004 đảng viên; trong đó 880');
    expect(headline({ ...article, targetAttainment: null }, 'en')).not.toContain('target');
  });

  it('leaves out the masters clause when nobody holds a master’s degree', () => {
    const pl = levels({ COLLEGE: 10, UNIVERSITY: 30 }, 40);
    const vi = headline({ ...article, admitted: 40, targetAttainment: 0.5, professionalLevel: pl }, 'vi');
    expect(vi).toBe(
      'Từ 01/01/2015 đến 30/06/2020, Đảng bộ Khối Các cơ quan tỉnh Bạc Liêu đã kết nạp 40 đảng viên, ' +
        'đạt 50,0% chỉ tiêu; trong đó 40 đảng viên có trình độ cao đẳng, đại học (100,0%).',
    );
    expect(vi).not.toContain('thạc sĩ');
    const en = headline({ ...article, admitted: 40, targetAttainment: 0.5, professionalLevel: pl }, 'en');
    expect(en).not.toContain('master');
  });

  it('keeps only the masters clause when no one has a college or university degree', () => {
    const pl = levels({ INTERMEDIATE: 8, MASTER: 2 }, 10);
    expect(headline({ ...article, admitted: 10, targetAttainment: null, professionalLevel: pl }, 'vi')).toBe(
      'Từ 01/01/2015 đến 30/06/2020, Đảng bộ Khối Các cơ quan tỉnh Bạc Liêu đã kết nạp 10 đảng viên; ' +
        'trong đó 2 đảng viên có trình độ thạc sĩ (20,0%).',
    );
    expect(headline({ ...article, admitted: 10, targetAttainment: null, professionalLevel: pl }, 'en')).toContain(
      "of them, 2 (20.0%) hold a master's degree.",
    );
  });

  it('drops the quality clause when the breakdown is missing', () => {
    expect(headline({ ...article, professionalLevel: [] }, 'vi')).toBe(
      'Từ 01/01/2015 đến 30/06/2020, Đảng bộ Khối Các cơ quan tỉnh Bạc Liêu đã kết nạp 1.004 đảng viên, đạt 167,3% chỉ tiêu.',
    );
  });

  it('says plainly when nobody was admitted', () => {
    expect(headline({ ...article, admitted: 0, professionalLevel: [] }, 'vi')).toBe(
      'Từ 01/01/2015 đến 30/06/2020, Đảng bộ Khối Các cơ quan tỉnh Bạc Liêu chưa kết nạp được đảng viên nào.',
    );
    expect(headline({ ...article, admitted: 0, professionalLevel: [] }, 'en')).toContain('admitted no new members.');
  });
});
