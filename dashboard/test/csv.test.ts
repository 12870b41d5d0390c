import { describe, expect, it } from 'vitest';
import { BOM, csvField, toCsv } from '../src/csv';
import { csvRows } from '../src/table';
import type { ChildStats } from '../src/types';

describe('csv', () => {
  it('starts with a BOM and ends lines with CRLF', () => {
    const text = toCsv(['Mã', 'Tổ chức đảng'], [['A1', 'Đảng bộ Sở Y tế']]);
    expect(text.startsWith(BOM)).toBe(true);
    expect(text).toBe('\uFEFFMã,Tổ chức đảng\r\nA1,Đảng bộ Sở Y tế\r\n');
    expect(new TextEncoder().encode(text).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it('quotes separators, quotes and line breaks', () => {
    expect(csvField('Sở Văn hóa, Thể thao và Du lịch')).toBe('"Sở Văn hóa, Thể thao và Du lịch"');
    expect(csvField('Chi bộ "Khối 1"')).toBe('"Chi bộ ""Khối 1"""');
    expect(csvField('dòng 1\ndòng 2')).toBe('"dòng 1\ndòng 2"');
    expect(csvField('167,3%')).toBe('"167,3%"');
    expect(csvField(1004)).toBe('1004');
    expect(csvField(null)).toBe('');
  });

  it('defuses spreadsheet formulas but keeps negative numbers', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-5')).toBe('-5');
  });

  it('neutralises every prefix a spreadsheet runs as a formula', () => {
    const attacks = ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1', '\uff1d1+1', '  =1+1', '\u3000\uff0b1', '-2+3', ' @x'];
    for (const a of attacks) {
      const out = csvField(a);
      const cell = out.startsWith('"') ? out.slice(1, -1).replace(/""/g, '"') : out;
      expect(cell.startsWith("'"), JSON.stringify(a)).toBe(true);
    }
    expect(csvField('-3,5%')).toBe('"-3,5%"');
    expect(csvField(-7)).toBe('-7');
    expect(csvField('Chi bộ 1')).toBe('Chi bộ 1');
  });

  it('writes the child table with Vietnamese headers', () => {
    const child: ChildStats = {
      organization: { id: '1', code: 'BL-01', name: 'Đảng bộ Sở Y tế', kind: 'GRASSROOTS_COMMITTEE', sector: 'STATE_AGENCY', foundedOn: '2000-01-01', dissolvedOn: null, mergedInto: null },
      admitted: 110,
      target: 65,
      targetAttainment: 110 / 65,
      trainees: 200,
      recognized: 90,
      notRecognized: 1,
      leftOrDisciplined: 2,
    };
    const noTarget: ChildStats = { ...child, organization: { ...child.organization, id: '2', code: 'BL-02' }, target: null, targetAttainment: null };
    const { header, rows } = csvRows([child, noTarget], 'vi');
    expect(header).toEqual([
      'Mã',
      'Tổ chức đảng',
      'Kết nạp',
      'Chỉ tiêu',
      '% chỉ tiêu',
      'Học viên được cấp giấy chứng nhận',
      'Công nhận chính thức',
      'Không công nhận',
      'Ra khỏi Đảng, bị kỷ luật',
    ]);
    const text = toCsv(header, rows);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('"Ra khỏi Đảng, bị kỷ luật"');
    expect(lines[1]).toBe('BL-01,Đảng bộ Sở Y tế,110,65,"169,2%",200,90,1,2');
    expect(lines[2]).toBe('BL-02,Đảng bộ Sở Y tế,110,,,200,90,1,2');
    expect(csvRows([child], 'en').header[1]).toBe('Party organization');
  });
});
