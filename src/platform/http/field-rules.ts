import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { CALENDAR_DAY, TEXT_PATTERNS } from './field-patterns';
import { describeBadCharacter, type TextKind } from './text-policy';

/**
 * The building blocks every request declaration is written with, so that each rule of a field
 * (required, its type, its text policy, its example) is stated once, on the field. class-validator
 * stays the one declaration; OpenAPI reads the same decorators.
 */

type PropertyDecorator = (target: object, key: string) => void;

const compose =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };

/**
 * Stored text is Unicode NFC: the same visible text is always the same bytes, so its hash and any
 * later comparison (a name on a release order against the one released to) do not depend on the
 * keyboard it was typed on. Windows line ends in free text become "\n" for the same reason.
 */
const storedText = (value: unknown, kind: TextKind): unknown => {
  if (typeof value !== 'string') return value;
  const nfc = value.normalize('NFC');
  return kind === 'free' ? nfc.replace(/\r\n/g, '\n') : nfc;
};

const toStoredText = (kind: TextKind, each: boolean) =>
  Transform(({ value }: { value: unknown }) =>
    each && Array.isArray(value) ? value.map((entry) => storedText(entry, kind)) : storedText(value, kind),
  );

const textPolicy = (kind: TextKind, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: `text-${kind}`,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || describeBadCharacter(value, kind) === undefined,
        defaultMessage: (args) =>
          `${args?.property} ${describeBadCharacter(String(args?.value), kind) ?? 'has a character that is not allowed'}`,
      },
    },
    options,
  );

const TEXT_KIND_NAMES: Record<TextKind, string> = { line: 'text-line', free: 'text', code: 'code' };

/** What OpenAPI says of a text field: its length and the text policy as a pattern. */
const textSchema = (kind: TextKind, min: number, max: number, each: boolean): PropertyDecorator => {
  const text = {
    type: 'string' as const,
    format: TEXT_KIND_NAMES[kind],
    minLength: min,
    maxLength: max,
    pattern: TEXT_PATTERNS[kind].source,
  };
  return ApiProperty(each ? { type: 'array', items: text } : text);
};

const stringOf = (kind: TextKind, min: number, max: number, each = false): PropertyDecorator =>
  compose(
    textSchema(kind, min, max, each),
    IsString({ each, message: (a) => `${a.property} must be a string${each ? ' in every entry' : ''}` }),
    Length(min, max, {
      each,
      message: (a) =>
        `${a.property} must be ${min === max ? `exactly ${min}` : `${min} to ${max}`} characters long${each ? ' in every entry' : ''}`,
    }),
    textPolicy(kind, { each }),
    toStoredText(kind, each),
  );

/** One line of text, e.g. a name or an address: no control characters, no bidi controls. */
export const Line = (min: number, max: number): PropertyDecorator => stringOf('line', min, max);
/** Free text (remarks, reasons): as Line, and newlines and tabs are allowed. */
export const FreeText = (min: number, max: number): PropertyDecorator => stringOf('free', min, max);
/** An identifier or code typed by a person (memo, FIR, seal numbers): as Line, and no invisible characters. */
export const Code = (min: number, max: number): PropertyDecorator => stringOf('code', min, max);
/** A list of codes. */
export const Codes = (min: number, max: number, maxEntries: number): PropertyDecorator =>
  compose(List(0, maxEntries), stringOf('code', min, max, true));

/** A JSON array of `min` to `max` entries (missing, null or any other type is refused). */
export const List = (min: number, max: number): PropertyDecorator =>
  compose(
    ApiProperty({ type: 'array', minItems: min, maxItems: max }),
    IsArray({ message: (a) => `${a.property} is required: a JSON array of ${min} to ${max} entries` }),
    ArrayMinSize(min, { message: (a) => `${a.property} needs at least ${min} entr${min === 1 ? 'y' : 'ies'}` }),
    ArrayMaxSize(max, { message: (a) => `${a.property} holds at most ${max} entries` }),
  );

/** A required JSON object checked against its own declaration. */
export const Nested = (cls: () => new () => object, what: string): PropertyDecorator =>
  compose(
    IsDefined({ message: (a) => `${a.property} is required: ${what}` }),
    IsObject({ message: (a) => `${a.property} must be a JSON object: ${what}` }),
    ValidateNested(),
    Type(cls),
    ApiProperty({ type: () => cls(), description: what }),
  );

/** An optional JSON object: absent or null means "none"; anything else is checked. */
export const OptionalNested = (cls: () => new () => object, what: string): PropertyDecorator =>
  compose(
    IsOptional(),
    IsObject({ message: (a) => `${a.property} must be a JSON object or null: ${what}` }),
    ValidateNested(),
    Type(cls),
    ApiProperty({ type: () => cls(), required: false, nullable: true, description: what }),
  );

/** A required array of JSON objects, each checked against its declaration. */
export const NestedList = (cls: () => new () => object, min: number, max: number): PropertyDecorator =>
  compose(
    List(min, max),
    IsObject({ each: true, message: (a) => `every entry of ${a.property} must be a JSON object` }),
    ValidateNested({ each: true }),
    Type(cls),
    ApiProperty({ type: () => cls(), isArray: true, minItems: min, maxItems: max }),
  );

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** Whether `value` is a real date and time with an explicit offset (Z or ±hh:mm). */
export function isInstantWithOffset(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second = 0] = m.slice(1, 7).map((part) => (part === undefined ? 0 : Number(part)));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return false;
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  if (m[9] !== undefined && (Number(m[9]) > 14 || Number(m[10]) > 59)) return false;
  return !Number.isNaN(Date.parse(value));
}

/**
 * An instant: accepted with its offset (`2024-04-19T11:00:00+05:30` or `…Z`) and stored as UTC
 * (`2024-04-19T05:30:00.000Z`). A time with no offset is refused: it would mean a different
 * instant on a server in another zone.
 */
export const Instant = (): PropertyDecorator =>
  compose(
    ApiProperty({ type: 'string', format: 'date-time' }),
    Transform(({ value }: { value: unknown }) => (isInstantWithOffset(value) ? new Date(Date.parse(value)).toISOString() : value)),
    ValidateBy({
      name: 'instant-with-offset',
      validator: {
        validate: (value: unknown) => isInstantWithOffset(value),
        defaultMessage: (a) =>
          `${a?.property} must be a date and time with its offset, e.g. 2024-04-19T11:00:00+05:30 or 2024-04-19T05:30:00Z; a time without an offset is ambiguous`,
      },
    }),
  );

/** Whether `value` is a real calendar day written YYYY-MM-DD. */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = CALENDAR_DAY.exec(value);
  if (!m) return false;
  const [year, month, day] = m.slice(1).map(Number);
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A calendar day in India (YYYY-MM-DD), as officers write dates on challans, FIRs and orders. */
export const Day = (): PropertyDecorator =>
  compose(
    ApiProperty({ type: 'string', format: 'date', pattern: CALENDAR_DAY.source }),
    ValidateBy({
      name: 'calendar-day',
      validator: {
        validate: (value: unknown) => isCalendarDay(value),
        defaultMessage: (a) => `${a?.property} must be a real calendar date written YYYY-MM-DD (the Indian date), e.g. 2024-04-19`,
      },
    }),
  );

/**
 * What a field means and a value that passes its rules, for the OpenAPI document (and the README's
 * examples, which use the same values). A test checks that every request field has both and that
 * the examples, put together, are accepted.
 */
export const Doc = (description: string, example: unknown): PropertyDecorator => ApiProperty({ description, example });

/** As Doc, for a field that may be left out. */
export const DocOptional = (description: string, example: unknown): PropertyDecorator =>
  ApiProperty({ description, example, required: false });

/** A string matching `pattern`, the same expression checked and documented. */
export const Pattern = (pattern: RegExp, message: string | ((a: ValidationArguments) => string), each = false): PropertyDecorator =>
  compose(
    Matches(pattern, { message, each }),
    ApiProperty(each ? { type: 'array', items: { type: 'string', pattern: pattern.source } } : { type: 'string', pattern: pattern.source }),
  );

/** One of a fixed list of values. */
export const OneOf = (values: readonly (string | number)[], key: string, why = ''): PropertyDecorator =>
  compose(IsIn(values, { message: `${key} must be one of ${values.join(', ')}${why}` }), ApiProperty({ enum: [...values] }));

/** A UUID (any version), e.g. one a device chose for what it records. */
export const Uuid = (message: string): PropertyDecorator =>
  compose(IsUUID('all', { message }), ApiProperty({ type: 'string', format: 'uuid' }));

/** A JSON true or false. */
export const Flag = (message: string): PropertyDecorator => compose(IsBoolean({ message }), ApiProperty({ type: 'boolean' }));
