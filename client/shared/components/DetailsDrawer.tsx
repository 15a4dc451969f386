import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  OverlayDrawer,
  Subtitle2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { t } from '../i18n/t';

const useStyles = makeStyles({
  // Fluent's large drawer is 100vw at most, which counts the page's scrollbar: on a phone it would
  // start left of the screen. The viewport without the scrollbar is the limit.
  drawer: { maxWidth: '100%' },
  heading: { margin: 0, paddingBottom: '4px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
});

/**
 * The panel a patient's details open in, whichever source they come from (the EHR, the team's own
 * patients, the discharged ones): a large drawer at the end with the patient's name and Close,
 * `summary` under the header, and the details in its body (`bodyClassName` lays them out).
 */
export function DetailsDrawer({
  open,
  title,
  onClose,
  summary,
  bodyClassName,
  children,
}: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  summary?: ReactNode;
  bodyClassName?: string;
  children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <OverlayDrawer open={open} onOpenChange={(_, s) => !s.open && onClose()} position="end" size="large" className={styles.drawer}>
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button appearance="subtle" icon={<DismissRegular />} onClick={onClose}>
              {t('details.close')}
            </Button>
          }
        >
          {title}
        </DrawerHeaderTitle>
      </DrawerHeader>
      {summary}
      <DrawerBody className={bodyClassName}>{children}</DrawerBody>
    </OverlayDrawer>
  );
}

/** The heading of a part of the details (Fields, Vital signs, Notes…), ruled off from what it heads. */
export function DetailsHeading({ id, className, children }: { id: string; className?: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <Subtitle2 as="h3" id={id} className={mergeClasses(styles.heading, className)}>
      {children}
    </Subtitle2>
  );
}
