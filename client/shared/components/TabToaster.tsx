import { Toaster, useToastController } from '@fluentui/react-components';

const TOASTER_ID = 'patients-tab';

/** Where the tab's short-lived messages (a removal with Undo) appear; mounted once by the app. */
export function TabToaster() {
  return <Toaster toasterId={TOASTER_ID} position="bottom-end" pauseOnHover pauseOnWindowBlur />;
}

/** Shows and dismisses messages in the tab's toaster. */
export const useTabToasts = () => useToastController(TOASTER_ID);
