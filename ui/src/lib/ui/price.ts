// A price as the user's language writes it.
import type { Price } from '../platform';

/** The price in the chosen language, e.g. "€49.00", "49,00 €". */
export function formatPrice(price: Price, tag: string): string {
  try {
    return new Intl.NumberFormat(tag, { style: 'currency', currency: price.currency }).format(
      price.amount_minor / 100,
    );
  } catch {
    return `${(price.amount_minor / 100).toFixed(2)} ${price.currency}`;
  }
}
