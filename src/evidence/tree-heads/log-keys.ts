import type { Clock } from '../../shared/clock';
import { keyHistoryOf, type LogKeyHistoryEntry, type LogKeyRecord } from './log-key-history';
import { SigningKeyError, type LogSigningKey } from './signing-key';
import type { SqliteLogKeyStore } from './sqlite/sqlite-log-key-store';
import type { SqliteTreeHeadStore } from './sqlite/sqlite-tree-head-store';

/** The log's key history, read from the database each time (a rotation by the CLI happens while the server is stopped). */
export class LogKeys {
  constructor(
    private readonly keys: SqliteLogKeyStore,
    private readonly heads: SqliteTreeHeadStore,
  ) {}

  history(): LogKeyHistoryEntry[] {
    return keyHistoryOf(this.keys.all(), (timestamp) => this.heads.at(timestamp));
  }
}

/**
 * The key the server signs with, checked against the key history: on the first start with this
 * release the key file's key is recorded as the log's first key (valid from the first head signed,
 * or now); after that the key file must hold the history's current key, else the server refuses
 * to start — a key swapped without a rotation would sign heads nobody announced. The key comes
 * back signing for the log id of the log's first key.
 */
export function adoptSigningKey(key: LogSigningKey, keys: SqliteLogKeyStore, heads: SqliteTreeHeadStore, clock: Clock): LogSigningKey {
  return heads.inTransaction(() => {
    let records = keys.all();
    if (records.length === 0) {
      const first: LogKeyRecord = {
        keyId: key.keyId,
        publicKey: key.publicKeyBase64,
        validFrom: heads.after('', 1)[0]?.timestamp ?? clock.now(),
        announcedAt: null,
      };
      keys.insert(first);
      records = [first];
    }
    const current = records[records.length - 1];
    if (current.keyId !== key.keyId) {
      throw new SigningKeyError(
        `the evidence signing key file holds key ${key.keyId.slice(0, 16)}…, but the log's current key is ${current.keyId.slice(0, 16)}… ` +
          '(table log_keys): a key rotation was interrupted — run `seizure-ledger rotate-signing-key` again to finish it — ' +
          'or the key file was replaced; restore the current key',
      );
    }
    return key.forLog(records[0].keyId);
  });
}
