// exceljs takes about half a second to load (it brings a zip reader and writer with
// it), and every host, the engine's thread and each command of the CLI paid that at
// start for the few calls that write a workbook. It is loaded on first use instead.
import type ExcelJS from 'exceljs';

type ExcelModule = typeof import('exceljs');

/** A new, empty workbook. */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  // A package written as CommonJS arrives as the namespace's default (Node) or as the namespace itself (a bundler's interop).
  const mod = (await import('exceljs')) as ExcelModule & { default?: ExcelModule };
  const Excel = mod.default ?? mod;
  return new Excel.Workbook();
}
