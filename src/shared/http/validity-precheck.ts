import { ValidationTypes, getMetadataStorage, type ValidationArguments, type ValidatorOptions } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * Whether class-validator would find no error at all in `object`, worked out with the very rules
 * and constraint functions class-validator uses, minus its bookkeeping (an error object per
 * property, argument objects, filtering the rules again for every object). The answer is `true`
 * only when every rule was run and passed; `false` means "invalid, or a case this check does not
 * model" (groups, async or conditional-by-function rules, promises, other options), and the
 * caller then runs class-validator itself, which produces the errors. So a valid body skips the
 * slow path and an invalid one gets exactly the errors it got before.
 *
 * Modelled, as class-validator 0.15 does them with whitelist + forbidNonWhitelisted, with or
 * without forbidUnknownValues: unknown properties, classes without rules, @IsOptional (null and undefined
 * skip the property's other rules), custom constraints with and without `each`, @ValidateNested
 * on objects and (nested) arrays, Sets and Maps.
 */
export function passesAllRules(object: object, options: ValidatorOptions): boolean {
  if (!isModelledOptions(options)) return false;
  try {
    // class-validator's default is to refuse objects of classes without rules; Nest turns that off.
    return objectPasses(object, options.forbidUnknownValues !== false);
  } catch {
    // A constraint that throws is class-validator's to report (or rethrow).
    return false;
  }
}

function isModelledOptions(o: ValidatorOptions): boolean {
  return (
    o.whitelist === true &&
    o.forbidNonWhitelisted === true &&
    (o.groups === undefined || o.groups.length === 0) &&
    !o.always &&
    !o.strictGroups &&
    !o.skipMissingProperties &&
    !o.skipNullProperties &&
    !o.skipUndefinedProperties
  );
}

// Read once: class-validator's exports are getters, too slow to go through per property.
const CUSTOM = ValidationTypes.CUSTOM_VALIDATION;
const NESTED = ValidationTypes.NESTED_VALIDATION;
const WHITELIST = ValidationTypes.WHITELIST;
const CONDITIONAL = ValidationTypes.CONDITIONAL_VALIDATION;
const storage = getMetadataStorage;

interface Custom {
  metadata: ValidationMetadata;
  constraints: ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidatorConstraints']>;
}

/** A property's rules sorted once: `null` when the property has a rule this check does not model. */
interface PropertyPlan {
  name: string;
  optional: boolean;
  customs: Custom[];
  nested: number;
}

/** Plans per grouped-rules object (the memoised one, see validation-metadata-cache), so they follow its invalidation. */
const plans = new WeakMap<object, Array<PropertyPlan | null>>();

function planOf(grouped: Record<string, ValidationMetadata[]>): Array<PropertyPlan | null> {
  let plan = plans.get(grouped);
  if (plan === undefined) {
    plan = Object.keys(grouped).map((name) => planProperty(name, grouped[name]));
    plans.set(grouped, plan);
  }
  return plan;
}

function planProperty(name: string, metadatas: readonly ValidationMetadata[]): PropertyPlan | null {
  const plan: PropertyPlan = { name, optional: false, customs: [], nested: 0 };
  for (const m of metadatas) {
    if (m.validateIf !== undefined) return null;
    if (m.type === CUSTOM) {
      const constraints = storage().getTargetValidatorConstraints(m.constraintCls);
      if (constraints.some((c) => c.async)) return null;
      plan.customs.push({ metadata: m, constraints });
    } else if (m.type === NESTED) {
      plan.nested++;
    } else if (m.type === CONDITIONAL) {
      // @IsOptional is the one conditional modelled: its condition is "neither null nor undefined".
      if (!isIsOptional(m)) return null;
      plan.optional = true;
    } else if (m.type !== WHITELIST) {
      return null;
    }
  }
  return plan;
}

function objectPasses(object: object, forbidUnknownValues: boolean): boolean {
  const metadatas = storage().getTargetValidationMetadatas(object.constructor, '', false, false, undefined);
  if (metadatas.length === 0 && forbidUnknownValues) return false;
  const grouped = storage().groupByPropertyName(metadatas);
  for (const key of Object.keys(object)) {
    if (grouped[key] === undefined || grouped[key].length === 0) return false; // forbidNonWhitelisted
  }
  const record = object as Record<string, unknown>;
  const targetName = object.constructor ? object.constructor.name : (undefined as unknown as string);
  for (const plan of planOf(grouped)) {
    if (plan === null) return false;
    const value = record[plan.name];
    if (value instanceof Promise) return false;
    if (plan.optional && (value === null || value === undefined)) continue;
    for (const custom of plan.customs) {
      if (!customPasses(object, targetName, value, custom)) return false;
    }
    if (plan.nested > 0 && !nestedPasses(value, forbidUnknownValues)) return false;
  }
  return true;
}

function isIsOptional(m: ValidationMetadata): boolean {
  const condition = m.constraints?.[0] as unknown;
  return typeof condition === 'function' && m.name === 'isOptional' && m.constraints.length === 1;
}

function customPasses(object: object, targetName: string, value: unknown, custom: Custom): boolean {
  const m = custom.metadata;
  for (const constraint of custom.constraints) {
    const args: ValidationArguments = { targetName, property: m.propertyName, object, value, constraints: m.constraints };
    if (!m.each || !(Array.isArray(value) || value instanceof Set || value instanceof Map)) {
      // Anything but a boolean (a promise, say) is left to class-validator to judge.
      if (constraint.instance.validate(value, args) !== true) return false;
    } else {
      const values: unknown[] = value instanceof Map ? [...value.values()] : Array.isArray(value) ? value : [...(value as Set<unknown>)];
      for (const item of values) {
        if (constraint.instance.validate(item, args) !== true) return false;
      }
    }
  }
  return true;
}

function nestedPasses(value: unknown, forbidUnknownValues: boolean): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value) || value instanceof Set || value instanceof Map) {
    const items: unknown[] = value instanceof Set ? [...value] : value instanceof Map ? [...value.values()] : value;
    return items.every((item) => nestedPasses(item, forbidUnknownValues));
  }
  if (value instanceof Object) return objectPasses(value, forbidUnknownValues);
  return false;
}
