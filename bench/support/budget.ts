/** The size the targets are stated for: 100,000 seizures, about 800,000 events. */
export const DEFAULT_SEIZURES = 100_000;
/** The size CI runs so that the bench cannot rot. */
const TINY_SEIZURES = 200;

/**
 * A time or count budget that grows with the run: `tiny` at 200 seizures or fewer, `full` at the
 * default size and above, and log-linear between, so a CI run stays short and a full run steady.
 */
export function scaled(seizures: number, tiny: number, full: number): number {
  const position = Math.log(Math.max(seizures, TINY_SEIZURES) / TINY_SEIZURES) / Math.log(DEFAULT_SEIZURES / TINY_SEIZURES);
  return tiny + (full - tiny) * Math.min(1, Math.max(0, position));
}
