/**
 * Whose personal data a key protects, within one seizure. One key per subject per seizure, so
 * that one person's data can be erased while the others' stays readable:
 *
 * - `seized-from`: the person the goods or cash were seized from;
 * - `witness-<n>`: the n-th witness of the seizure (1-based, in the order of the seizure memo);
 * - `release-recipient-<n>`: the person named by the n-th release of the seizure (1-based);
 * - `free-text`: everything users typed about the seizure (reasons, remarks, corrections), which
 *   may name anyone and is erased as one.
 *
 * A closed vocabulary on purpose: a subject is stored in clear beside the key and in its
 * tombstone, so it must never carry a name or a number from the data itself.
 */
export type DataSubject = string & { readonly __brand: 'DataSubject' };

const MAX_ORDINAL = 9999;
/** The vocabulary as one pattern, for request validation and API documents. */
export const DATA_SUBJECT_PATTERN = /^(seized-from|free-text|witness-[1-9][0-9]{0,3}|release-recipient-[1-9][0-9]{0,3})$/;

export class DataSubjectError extends Error {
  override readonly name = 'DataSubjectError';
}

export const isDataSubject = (text: unknown): text is DataSubject => typeof text === 'string' && DATA_SUBJECT_PATTERN.test(text);

/** The subject as given, checked; throws DataSubjectError naming the vocabulary otherwise. */
export function dataSubject(text: string): DataSubject {
  if (!isDataSubject(text)) {
    throw new DataSubjectError(
      `${JSON.stringify(text)} is not a data subject: use seized-from, free-text, witness-<n> or release-recipient-<n> (n from 1 to ${MAX_ORDINAL})`,
    );
  }
  return text;
}

function ordinal(kind: string, n: number): DataSubject {
  if (!Number.isInteger(n) || n < 1 || n > MAX_ORDINAL)
    throw new DataSubjectError(`a ${kind} number runs from 1 to ${MAX_ORDINAL}, got ${n}`);
  return `${kind}-${n}` as DataSubject;
}

export const SUBJECTS = {
  seizedFrom: 'seized-from' as DataSubject,
  freeText: 'free-text' as DataSubject,
  witness: (n: number): DataSubject => ordinal('witness', n),
  releaseRecipient: (n: number): DataSubject => ordinal('release-recipient', n),
} as const;
