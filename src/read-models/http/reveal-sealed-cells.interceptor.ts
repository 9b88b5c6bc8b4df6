import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { from, mergeMap, type Observable } from 'rxjs';
import type { PersonalDataKeyStore } from '../../sealing/key-store';
import { revealSealedCells } from '../sealed-cells';

/** The key store the read models open sealed cells with, or null when the app seals nothing. */
export const SEALED_CELL_KEYS = Symbol('SealedCellKeys');

/**
 * Opens the sealed cells in a query's answer as it is sent (read models keep only commitments and
 * envelopes). Queries have already replaced personal values by REDACTED for readers without
 * personal-data access, so only permitted readers' answers hold cells.
 */
@Injectable()
export class RevealSealedCellsInterceptor implements NestInterceptor {
  constructor(@Inject(SEALED_CELL_KEYS) private readonly keys: PersonalDataKeyStore | null) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const keys = this.keys;
    if (keys === null) return next.handle();
    return next.handle().pipe(mergeMap((body) => from(revealSealedCells(body, keys))));
  }
}
