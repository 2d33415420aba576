import type { ReactNode } from 'react';
import { Button, type ButtonProps } from '@mui/material';

/** A button that opens the file chooser and hands over the chosen file (the input is reset, so the same file can be chosen again). */
export function FileButton(props: { children: ReactNode; accept: string; testId: string; onFile(file: File): void } & Pick<ButtonProps, 'size' | 'color' | 'variant'>) {
  const { children, accept, testId, onFile, ...button } = props;
  return (
    <Button component="label" {...button}>
      {children}
      <input
        hidden
        type="file"
        accept={accept}
        data-testid={testId}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) onFile(f);
        }}
      />
    </Button>
  );
}
