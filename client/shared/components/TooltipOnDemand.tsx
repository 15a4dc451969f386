import type { TooltipProps } from '@fluentui/react-components';
import { useEffect, useState, type ComponentType } from 'react';

// Fluent's Tooltip brings its positioning engine (Floating UI), about 14 kB gzip of what the tab
// would otherwise load before it shows anything. It is fetched when the first tooltip's trigger
// shows, moments before anyone can point at it; until then the trigger shows alone. Held in
// module state rather than React.lazy: rows of the virtual table mount and unmount as it scrolls.
let loaded: ComponentType<TooltipProps> | null = null;
let loading: Promise<ComponentType<TooltipProps>> | null = null;
const loadTooltip = () =>
  (loading ??= import('./fluent-tooltip').then(
    (m) => (loaded = m.Tooltip),
    (error: unknown) => {
      loading = null; // Not fetched (the network dropped): the next trigger to show tries again.
      throw error;
    },
  ));

/** Fluent's Tooltip, once fetched; its trigger (`children`) alone until then. */
export function TooltipOnDemand(props: TooltipProps) {
  const [Tooltip, setTooltip] = useState(() => loaded);
  useEffect(() => {
    if (Tooltip) return;
    let current = true;
    loadTooltip().then(
      (tooltip) => current && setTooltip(() => tooltip),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [Tooltip]);
  return Tooltip ? <Tooltip {...props} /> : <>{props.children}</>;
}
