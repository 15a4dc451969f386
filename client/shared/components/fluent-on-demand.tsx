import type { CheckboxProps, TooltipProps } from '@fluentui/react-components';
import { useEffect, useState } from 'react';

// Fluent's Tooltip brings its positioning engine (Floating UI), and with the Checkbox it is about
// 17 kB gzip of what the tab would otherwise load before it shows anything. Both are fetched when
// the first of them mounts (a list's cell, the search pane), moments before anyone can point at a
// tooltip or tick a search result; until then a stand-in shows. Held in module state rather than
// React.lazy: rows of the virtual table mount and unmount as it scrolls.
type Parts = typeof import('./fluent-on-demand-parts');
let loaded: Parts | null = null;
let loading: Promise<Parts> | null = null;
const load = () =>
  (loading ??= import('./fluent-on-demand-parts').then(
    (m) => (loaded = m),
    (error: unknown) => {
      loading = null; // Not fetched (the network dropped): the next one to mount tries again.
      throw error;
    },
  ));

function useParts(): Parts | null {
  const [parts, setParts] = useState(() => loaded);
  useEffect(() => {
    if (parts) return;
    let current = true;
    load().then(
      (m) => current && setParts(m),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [parts]);
  return parts;
}

/** Fluent's Tooltip, once fetched; its trigger (`children`) alone until then. */
export function Tooltip(props: TooltipProps) {
  const parts = useParts();
  return parts ? <parts.Tooltip {...props} /> : <>{props.children}</>;
}

/** Fluent's Checkbox, once fetched; until then the browser's own checkbox, as controlled and labelled. */
export function Checkbox(props: CheckboxProps) {
  const parts = useParts();
  if (parts) return <parts.Checkbox {...props} />;
  const { checked, disabled, onChange } = props;
  return (
    <input
      type="checkbox"
      checked={checked === true}
      disabled={disabled}
      aria-label={props['aria-label']}
      onChange={(e) => onChange?.(e, { checked: e.target.checked })}
    />
  );
}
