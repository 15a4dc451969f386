import { Button, type ButtonProps } from '@fluentui/react-components';
import { ArrowMoveRegular } from '@fluentui/react-icons';
import { forwardRef } from 'react';
import { t } from '../../shared/i18n/t';

/** The Move button of a row; the menu's trigger gives it its ref and handlers. */
export const MoveButton = forwardRef<HTMLButtonElement, { name: string } & ButtonProps>(({ name, ...props }, ref) => (
  <Button ref={ref} size="small" appearance="subtle" icon={<ArrowMoveRegular />} aria-label={t('lists.moveLabel', { name })} {...props}>
    {t('lists.move')}
  </Button>
));
MoveButton.displayName = 'MoveButton';
