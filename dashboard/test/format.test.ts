import { describe, expect, it } from 'vitest';
import {
  bucketLabel,
  formatDate,
  formatDecimal,
  formatInt,
  formatPercent,
  parseDisplayDate,
  parseISODate,
} from '../src/format';

describe('numbers', () => {
  it('groups thousands with a dot in Vietnamese and a comma in English', () => {
    expect(formatInt(1004, 'vi')).toBe('1.004');
    expect(formatInt(1004, 'en')).toBe('1,004');
    expect(formatInt(5_600_000, 'vi')).toBe('5.600.000');
    expect(formatInt(0, 'vi')).toBe('0');
  });

  it('writes percentages with a decimal comma in Vietnamese', () => {
    expect(formatPercent(0.8364, 'vi', 2)).toBe('83,64%');
    expect(formatPercent(1.673333, 'vi', 1)).toBe('167,3%');
    expect(formatPercent(1.673333, 'en', 1)).toBe('167.3%');
    expect(formatPercent(0.5, 'vi', 1)).toBe('50,0%');
    expect(formatPercent(0, 'vi', 1)).toBe('0,0%');
    expect(formatPercent(0.04531, 'vi', 1)).toBe('4,5%');
    expect(formatPercent(0.05279, 'vi', 1)).toBe('5,3%');
  });

  it('writes decimals without trailing zeros', () => {
    expect(formatDecimal(2.75, 'vi', 1)).toBe('2,8');
    expect(formatDecimal(27.5, 'en', 1)).toBe('27.5');
    expect(formatDecimal(3, 'vi', 1)).toBe('3');
  });
});

describe('dates', () => {
  it('writes dd/mm/yyyy', () => {
    expect(formatDate('2020-06-30')).toBe('30/06/2020');
    expect(formatDate('2015-01-01')).toBe('01/01/2015');
  });

  it('parses ISO dates strictly', () => {
    expect(parseISODate('2020-02-29')).toEqual({ y: 2020, m: 2, d: 29 });
    expect(parseISODate('2019-02-29')).toBeNull();
    expect(parseISODate('2020-13-01')).toBeNull();
    expect(parseISODate('30/06/2020')).toBeNull();
  });

  it('reads dates typed as dd/mm/yyyy', () => {
    expect(parseDisplayDate('30/06/2020')).toBe('2020-06-30');
    expect(parseDisplayDate(' 1/1/2015 ')).toBe('2015-01-01');
    expect(parseDisplayDate('31/02/2020')).toBeNull();
    expect(parseDisplayDate('2020-06-30')).toBeNull();
  });
});

describe('bucket labels', () => {
  it('names quarters with Roman numerals in Vietnamese', () => {
    expect(bucketLabel('2020-01-01', 'QUARTER', 'vi')).toBe('Quý I/2020');
    expect(bucketLabel('2020-10-01', 'QUARTER', 'vi')).toBe('Quý IV/2020');
    expect(bucketLabel('2020-04-01', 'QUARTER', 'en')).toBe('Q2 2020');
  });

  it('names months and years', () => {
    expect(bucketLabel('2020-03-01', 'MONTH', 'vi')).toBe('Tháng 3/2020');
    expect(bucketLabel('2020-03-01', 'MONTH', 'en')).toBe('Mar 2020');
    expect(bucketLabel('2020-01-01', 'YEAR', 'vi')).toBe('Năm 2020');
  });
});
