// Billing's amounts and durations as the user's language writes them.
import { formatPrice } from '../../lib/ui/price';

/** An amount in the currency's smallest unit, e.g. "€49.00" or "49,00 €". */
export function formatAmount(cents: number, currency: string, tag: string): string {
  return formatPrice({ amount_minor: cents, currency }, tag);
}

/** A call's length: "4:05" (minutes and seconds) or "1:02:03" past an hour. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
