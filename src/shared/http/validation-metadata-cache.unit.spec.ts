import 'reflect-metadata';
import { IsInt, IsString, Min, ValidateNested, getMetadataStorage, validateSync } from 'class-validator';
import { Type, plainToInstance } from 'class-transformer';
import { installValidationMetadataCache } from './validation-metadata-cache';

class Inner {
  @IsInt() @Min(1) count!: number;
}

class Outer {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Inner) inner!: Inner;
}

const options = { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: true } } as const;
const errorsOf = (cls: new () => object, plain: object) => JSON.stringify(validateSync(plainToInstance(cls, plain), options));

describe('installValidationMetadataCache', () => {
  beforeAll(() => installValidationMetadataCache());

  it('is installed once however often it is called', () => {
    const storage = getMetadataStorage();
    const lookup = storage.getTargetValidationMetadatas;
    installValidationMetadataCache();
    expect(storage.getTargetValidationMetadatas).toBe(lookup);
  });

  it('answers repeated lookups with the same rules', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Outer, '', false, false);
    expect(storage.getTargetValidationMetadatas(Outer, '', false, false)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    expect(Object.keys(storage.groupByPropertyName(first)).sort()).toEqual(['inner', 'name']);
  });

  it('validates nested objects, names every bad field and refuses unknown ones, again and again', () => {
    const bad = { name: 7, inner: { count: 0, extra: true }, other: 1 };
    const first = errorsOf(Outer, bad);
    expect(first).toContain('count must not be less than 1');
    expect(first).toContain('name must be a string');
    expect(first).toContain('property extra should not exist');
    expect(first).toContain('property other should not exist');
    for (let i = 0; i < 3; i++) expect(errorsOf(Outer, bad)).toBe(first);
    expect(errorsOf(Outer, { name: 'ok', inner: { count: 2 } })).toBe('[]');
  });

  it('sees rules added after a lookup: the memo is dropped when a decorator runs', () => {
    class Later {
      @IsString() label!: string;
    }
    expect(errorsOf(Later, { label: 1 })).toContain('label must be a string');
    // A rule added to a class already looked up (as a decorator applied late would do).
    Min(5)(Later.prototype, 'size');
    IsInt()(Later.prototype, 'size');
    expect(errorsOf(Later, { label: 'x', size: 1 })).toContain('size must not be less than 5');
  });
});
