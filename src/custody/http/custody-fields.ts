import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { IDENTIFIER } from '../../platform/http/field-patterns';
import { Code, Doc, List, Pattern } from '../../platform/http/field-rules';

/**
 * The field rules the custody commands share: identifiers, whole numbers, money, coordinates,
 * item lists. Each states its check and its OpenAPI schema at once.
 */

type PropertyDecorator = (target: object, key: string) => void;

export const SHORT = 120;
export const TEXT = 2000;
export const MAX_PAISE = Number.MAX_SAFE_INTEGER;
const ID_MESSAGE = 'must be 1 to 64 letters, digits, ".", "_", "-" or "/", starting with a letter or digit';
/** India's mainland and islands lie within these bounds (WGS 84). */
const INDIA = { latitude: [6, 37.2], longitude: [68, 97.5] } as const;

export const Identifier = (what = 'id'): PropertyDecorator => Pattern(IDENTIFIER, (a) => `${a.property} ${ID_MESSAGE}, e.g. ${what}`);

export const WholeNumber =
  (min: number, max: number, what: string): PropertyDecorator =>
  (target, key) => {
    IsInt({ message: `${key} must be a JSON number, a whole ${what}` })(target, key);
    Min(min, { message: `${key} must be at least ${min}` })(target, key);
    Max(max, { message: `${key} must be at most ${max}` })(target, key);
    ApiProperty({ type: 'integer', format: max > 2 ** 31 - 1 ? 'int64' : 'int32', minimum: min, maximum: max })(target, key);
  };

export const Money = (): PropertyDecorator => WholeNumber(1, MAX_PAISE, 'number of paise (Rs 1 = 100 paise), more than zero');

export const Coordinate =
  (axis: 'latitude' | 'longitude'): PropertyDecorator =>
  (target, key) => {
    const [min, max] = INDIA[axis];
    const message = `${key} must be a JSON number of decimal degrees (WGS 84) between ${min} and ${max}, within India`;
    IsNumber({ allowNaN: false, allowInfinity: false }, { message })(target, key);
    Min(min, { message })(target, key);
    Max(max, { message })(target, key);
    ApiProperty({ type: 'number', format: 'double', minimum: min, maximum: max })(target, key);
  };

export const ItemIds =
  (): PropertyDecorator =>
  (target, key): void => {
    List(1, 200)(target, key);
    Pattern(IDENTIFIER, `each of ${key} ${ID_MESSAGE}`, true)(target, key);
  };

/** An identity document as shown: its kind and number (masked as the officer records it). */
export class IdDocumentDto {
  @Doc('The kind of document, e.g. aadhaar, voter_id, passport, driving_licence, pan.', 'aadhaar')
  @Code(1, 40)
  type!: string;

  @Doc('Its number as recorded (Aadhaar numbers masked but for the last four digits).', 'XXXX-XXXX-4321')
  @Code(1, 40)
  number!: string;
}
