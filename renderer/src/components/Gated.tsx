// A control the user's roles cannot use: shown disabled, with why on hover (a
// disabled MUI button takes no pointer events, so the reason sits on a wrapper).
import type React from 'react';
import type { Can } from '../auth/use-can';

export function Gated({ can, children }: { can: Can; children: React.ReactNode }) {
  if (can.ok) return <>{children}</>;
  return (
    <span title={can.reason} data-gated-reason={can.reason} style={{ display: 'inline-flex', cursor: 'not-allowed' }}>
      {children}
    </span>
  );
}
