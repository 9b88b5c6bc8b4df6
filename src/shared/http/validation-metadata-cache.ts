import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * class-validator looks up a class's rules afresh for every object it validates: it filters the
 * class's metadata and then tests the class against every class that has rules (for inherited
 * ones), and groups the result by property, once per nested object of every request. The rules
 * only change when a decorator runs (a class is defined) or a schema is registered, so the
 * lookups are memoised here and the memo is dropped whenever the storage gains metadata. The
 * answers are the very arrays class-validator computed, so validation, its errors and their order
 * are exactly as without the memo. Validation with groups is left uncached.
 */
type Storage = ReturnType<typeof getMetadataStorage>;
type GetTargetValidationMetadatas = Storage['getTargetValidationMetadatas'];
type Grouped = Record<string, ValidationMetadata[]>;

const INSTALLED = Symbol.for('seizure-custody-ledger.validation-metadata-cache');

export function installValidationMetadataCache(storage: Storage = getMetadataStorage()): void {
  const marked = storage as Storage & { [INSTALLED]?: true };
  if (marked[INSTALLED]) return;
  marked[INSTALLED] = true;

  let targets = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Grouped>();
  const forget = (): void => {
    targets = new Map();
    grouped = new WeakMap();
  };

  const getTargets = storage.getTargetValidationMetadatas.bind(storage) as GetTargetValidationMetadatas;
  const groupBy = storage.groupByPropertyName.bind(storage);
  const addValidationMetadata = storage.addValidationMetadata.bind(storage);
  const addConstraintMetadata = storage.addConstraintMetadata.bind(storage);

  storage.addValidationMetadata = (metadata) => {
    forget();
    addValidationMetadata(metadata);
  };
  storage.addConstraintMetadata = (metadata) => {
    forget();
    addConstraintMetadata(metadata);
  };
  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    if (groups !== undefined && groups.length > 0) return getTargets(targetConstructor, targetSchema, always, strictGroups, groups);
    const variant = `${always ? 1 : 0}${strictGroups ? 1 : 0}${groups === undefined ? 'u' : 'e'}${targetSchema}`;
    let byVariant = targets.get(targetConstructor);
    if (byVariant === undefined) targets.set(targetConstructor, (byVariant = new Map()));
    let found = byVariant.get(variant);
    if (found === undefined) byVariant.set(variant, (found = getTargets(targetConstructor, targetSchema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (found === undefined) grouped.set(metadata, (found = groupBy(metadata)));
    return found;
  };
}
