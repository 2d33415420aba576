// AG Grid (Community) set up once: modules, theme, and the grid's own words in the
// UI's language.
import { AgGridReact, type AgGridReactProps } from 'ag-grid-react';
import { AllCommunityModule, ModuleRegistry, themeQuartz } from 'ag-grid-community';
import { AG_GRID_LOCALE_CN, AG_GRID_LOCALE_EN } from '@ag-grid-community/locale';
import { forwardRef } from 'react';
import type React from 'react';
import { useI18n } from '../i18n/i18n';

ModuleRegistry.registerModules([AllCommunityModule]);

const theme = themeQuartz.withParams({ fontSize: 13, headerFontWeight: 600, rowHeight: 32, headerHeight: 36, spacing: 6 });

const DataGridInner = forwardRef<AgGridReact, AgGridReactProps>(function DataGrid(props, ref) {
  const { locale } = useI18n();
  return (
    <AgGridReact
      ref={ref}
      theme={theme}
      key={locale}
      localeText={locale === 'en' ? AG_GRID_LOCALE_EN : AG_GRID_LOCALE_CN}
      // Officers read figures, not motion: rows appear where they belong at once.
      animateRows={false}
      {...props}
    />
  );
});

/** Typed by row: `<DataGrid<BatchInfo> rowData={…} />` keeps the column and callback types. */
export const DataGrid = DataGridInner as <T>(props: AgGridReactProps<T> & { ref?: React.Ref<AgGridReact<T>> }) => React.ReactElement;
