// A small accessibility check over rendered screens, for component tests:
// what axe-core's most common rules catch, without a new dependency.
//   expect(accessibilityProblems(document.body)).toEqual([]);

const CONTROLS =
  'button, input:not([type=hidden]), select, textarea, a[href], [tabindex]:not([tabindex="-1"])';

function describe(el: Element): string {
  const id = el.id ? `#${el.id}` : '';
  const testId = el.getAttribute('data-testid');
  return `<${el.tagName.toLowerCase()}${id}${testId ? ` data-testid=${testId}` : ''}>`;
}

function text(el: Element | null): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The accessible name of a control, roughly as browsers compute it. */
function accessibleName(el: Element, root: Document): string {
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    return labelledBy
      .split(/\s+/)
      .map((id) => text(root.getElementById(id)))
      .join(' ')
      .trim();
  }
  const label = el.getAttribute('aria-label')?.trim();
  if (label) {
    return label;
  }
  if (el.id) {
    const forLabel = [...root.querySelectorAll('label[for]')].find((l) => l.getAttribute('for') === el.id) ?? null;
    if (text(forLabel)) {
      return text(forLabel);
    }
  }
  const wrapping = el.closest('label');
  if (wrapping && text(wrapping)) {
    return text(wrapping);
  }
  if (el instanceof HTMLButtonElement || el instanceof HTMLAnchorElement) {
    return text(el);
  }
  return el.getAttribute('title')?.trim() ?? '';
}

/**
 * What keeps the screen under `root` from working with a keyboard and a
 * screen reader: controls without a name, references to ids that do not
 * exist, ids used twice, positive tab orders, controls inside controls,
 * images without text, status banners that are no live region.
 */
export function accessibilityProblems(root: Element = document.body): string[] {
  const doc = root.ownerDocument;
  const problems: string[] = [];
  for (const el of root.querySelectorAll(CONTROLS)) {
    if (!accessibleName(el, doc)) {
      problems.push(`${describe(el)} has no accessible name`);
    }
    const tabindex = Number(el.getAttribute('tabindex') ?? '0');
    if (tabindex > 0) {
      problems.push(`${describe(el)} has tabindex ${tabindex}: the tab order is the page's`);
    }
    if (el.parentElement?.closest('button, a[href]') && el.matches('button, a[href], input, select, textarea')) {
      problems.push(`${describe(el)} is a control inside another control`);
    }
  }
  for (const attribute of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'for']) {
    for (const el of root.querySelectorAll(`[${attribute}]`)) {
      for (const id of (el.getAttribute(attribute) ?? '').split(/\s+/).filter(Boolean)) {
        if (!doc.getElementById(id)) {
          problems.push(`${describe(el)} ${attribute} names #${id}, which is not there`);
        }
      }
    }
  }
  const seen = new Map<string, number>();
  for (const el of root.querySelectorAll('[id]')) {
    seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
  }
  for (const [id, count] of seen) {
    if (count > 1) {
      problems.push(`id ${id} is used ${count} times`);
    }
  }
  for (const img of root.querySelectorAll('img, svg[role=img]')) {
    if (!img.getAttribute('alt') && img.getAttribute('alt') !== '' && !img.getAttribute('aria-label')) {
      problems.push(`${describe(img)} has no text alternative`);
    }
  }
  for (const banner of root.querySelectorAll('.banner')) {
    const role = banner.getAttribute('role');
    if (role !== 'status' && role !== 'alert' && !banner.getAttribute('aria-live')) {
      problems.push(`${describe(banner)} is a banner but no live region`);
    }
  }
  return problems;
}
