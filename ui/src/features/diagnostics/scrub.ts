// The scrubber's offer for chosen text files: a file with secrets in it is
// held back until the user says whether the scrubbed copy or the file as it
// is goes with the ticket, so the original is never queued unasked.
import * as platform from '../../lib/platform';
import type { PickedFile, ScrubOffer } from '../../lib/platform';

/** The chosen files to add now, and the offers to ask about first. */
export interface Sorted {
  keep: PickedFile[];
  offers: ScrubOffer[];
}

export async function sortForScrubbing(chosen: PickedFile[]): Promise<Sorted> {
  const keep: PickedFile[] = [];
  const offers: ScrubOffer[] = [];
  for (const file of chosen) {
    if (file.kind !== 'text') {
      keep.push(file);
      continue;
    }
    let offer: ScrubOffer | null = null;
    try {
      offer = await platform.scrubOffer(file.id);
    } catch {
      // Unreadable as text here: the checks before sending say why.
    }
    if (offer?.scrubbed) {
      offers.push(offer);
    } else {
      keep.push(file);
    }
  }
  return { keep, offers };
}

/** How many secrets the offer would remove in all. */
export function removedTotal(offer: ScrubOffer): number {
  return offer.removed.reduce((sum, r) => sum + r.count, 0);
}
