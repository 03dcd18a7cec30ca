import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../platform/errors';
import { accessibilityProblems } from '../../test/a11y';
import ConfirmDialog from './ConfirmDialog.svelte';
import EmptyState from './EmptyState.svelte';
import ErrorState from './ErrorState.svelte';
import TextField from './TextField.svelte';
import TwoStepDiscard from './TwoStepDiscard.svelte';

const LABELS = { discard: 'Discard', confirm: 'Really discard?', keep: 'Keep' };

function discardProps(overrides: Record<string, unknown> = {}) {
  return {
    id: 'thing-discard-1',
    testid: 'thing-discard',
    describedby: 'thing-1',
    confirming: false,
    labels: LABELS,
    onAsk: vi.fn(),
    onKeep: vi.fn(),
    onDiscard: vi.fn(),
    ...overrides,
  };
}

describe('two-step discard', () => {
  it('asks first, and discards only on the second click', async () => {
    const props = discardProps();
    const { rerender } = render(TwoStepDiscard, props);
    const button = screen.getByTestId('thing-discard');
    expect(button.textContent?.trim()).toBe('Discard');
    expect(screen.queryByTestId('thing-discard-cancel')).toBeNull();
    await fireEvent.click(button);
    expect(props.onAsk).toHaveBeenCalledOnce();
    expect(props.onDiscard).not.toHaveBeenCalled();

    await rerender({ ...props, confirming: true });
    expect(button.textContent?.trim()).toBe('Really discard?');
    expect(button.classList.contains('danger')).toBe(true);
    await fireEvent.click(button);
    expect(props.onDiscard).toHaveBeenCalledOnce();
  });

  it('keeps the thing on "Keep" (focus back on Discard) or Escape', async () => {
    const props = discardProps({ confirming: true });
    render(TwoStepDiscard, props);
    await fireEvent.click(screen.getByTestId('thing-discard-cancel'));
    expect(props.onKeep).toHaveBeenCalledOnce();
    expect(document.activeElement?.id).toBe('thing-discard-1');
    await fireEvent.keyDown(screen.getByTestId('thing-discard'), { key: 'Escape' });
    expect(props.onKeep).toHaveBeenCalledTimes(2);
    expect(props.onDiscard).not.toHaveBeenCalled();
    expect(screen.getByTestId('thing-discard-cancel').getAttribute('aria-describedby')).toBe('thing-1');
  });
});

describe('text field', () => {
  it('ties its label, hint and problem to the box', () => {
    render(TextField, {
      id: 'steps',
      label: 'Steps',
      optional: 'optional',
      value: '',
      rows: 3,
      hint: 'One per line',
      problem: 'Too long',
    });
    const box = document.getElementById('steps') as HTMLTextAreaElement;
    expect(box.tagName).toBe('TEXTAREA');
    expect(box.getAttribute('aria-describedby')).toBe('steps-hint steps-problem');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('steps-problem').textContent).toBe('Too long');
    expect(document.querySelector('label[for=steps]')?.textContent).toContain('optional');
    expect(accessibilityProblems(document.body)).toEqual([]);
  });

  it('is one line without rows, and says nothing extra when all is well', () => {
    render(TextField, { id: 'subject', label: 'Subject', value: 'Printer' });
    const box = document.getElementById('subject') as HTMLInputElement;
    expect(box.tagName).toBe('INPUT');
    expect(box.value).toBe('Printer');
    expect(box.hasAttribute('aria-describedby')).toBe(false);
    expect(box.hasAttribute('aria-invalid')).toBe(false);
  });
});

describe('confirm dialog', () => {
  function dialogProps(overrides: Record<string, unknown> = {}) {
    return {
      open: true,
      id: 'ask',
      title: 'Allow it?',
      message: 'They will see your screen.',
      confirmLabel: 'Allow',
      cancelLabel: 'Cancel',
      onConfirm: vi.fn(),
      onCancel: vi.fn(),
      ...overrides,
    };
  }

  it('asks with its title and message, the safe answer focused first', async () => {
    const props = dialogProps();
    render(ConfirmDialog, props);
    const dialog = screen.getByTestId('ask');
    expect(dialog.hasAttribute('open')).toBe(true);
    expect(document.getElementById(dialog.getAttribute('aria-labelledby') ?? '')?.textContent).toBe('Allow it?');
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('ask-cancel')));
    await fireEvent.click(screen.getByTestId('ask-confirm'));
    expect(props.onConfirm).toHaveBeenCalledOnce();
    await fireEvent.click(screen.getByTestId('ask-cancel'));
    expect(props.onCancel).toHaveBeenCalledOnce();
  });

  it('cancels on Escape and closes when no longer open', async () => {
    const props = dialogProps();
    const { rerender } = render(ConfirmDialog, props);
    await fireEvent(screen.getByTestId('ask'), new Event('cancel', { cancelable: true }));
    expect(props.onCancel).toHaveBeenCalledOnce();
    await rerender({ ...props, open: false });
    expect(screen.getByTestId('ask').hasAttribute('open')).toBe(false);
  });
});

describe('empty and error states', () => {
  it('say there is nothing, and what went wrong with a way to try again', async () => {
    render(EmptyState, { testid: 'nothing', message: 'Nothing yet.', hint: 'Come back later.' });
    expect(screen.getByTestId('nothing').textContent).toBe('Nothing yet.');

    const onRetry = vi.fn();
    render(ErrorState, { testid: 'failed', error: new AppError('network', 'unreachable'), onRetry });
    const alert = screen.getByTestId('failed');
    expect(alert.getAttribute('role')).toBe('alert');
    await fireEvent.click(screen.getByTestId('failed-retry'));
    expect(onRetry).toHaveBeenCalledOnce();
  });
});
