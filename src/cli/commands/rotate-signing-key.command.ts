import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type AppConfig } from '../../config/app-config';
import { rotateSigningKey } from '../../evidence/tree-heads/key-rotation';
import { SigningKeyError } from '../../evidence/tree-heads/signing-key';
import { ProjectorLock, describeHolder } from '../../projections/projector-lock';
import { openReadModelDatabase } from '../../projections/read-model-database';
import { REGISTERED_KEPT_TABLES } from '../../registered-projections';
import { systemClock, type Clock } from '../../shared/clock';
import { CliCommand, CliFailure, CliIo, EXIT_OK, UsageError } from '../cli-command';

const USAGE = `Usage: seizure-ledger rotate-signing-key [--json]

Replaces the evidence signing key (EVIDENCE_SIGNING_KEY_FILE, else evidence-signing-key.pem in
$LEDGER_DATA_DIR) with a new Ed25519 key. Run it with the server stopped: it refuses while a
server (or a rebuild) holds the read-model database.

The outgoing key signs one last tree head of the Merkle log as it is, announcing the new key
("nextKey": its public key and the instant it takes over, 1 ms after that head); the new key is
added to the log's key history, which GET /evidence/public-key publishes; every later head is
signed by the new key and names it ("keyId"). The log id does not change: it is the hash of the
log's first key. The outgoing private key is kept in retired-signing-keys/<key id>.pem beside the
key file (mode 0600); nothing reads it again, so it may be moved offline or destroyed.

Before starting the server again, give the new checkpoint verifier key (printed below) to the
witnesses that cosign this log's checkpoints. If the command is interrupted, run it again: it
finishes a rotation already announced, or starts over one that was not.
--json prints the result as JSON.`;

export function createRotateSigningKeyCommand(clock: Clock = systemClock): CliCommand {
  return {
    name: 'rotate-signing-key',
    summary: 'replace the evidence signing key, the old key announcing the new one (server stopped)',
    usage: USAGE,
    run(args: readonly string[], io: CliIo): number {
      let values: { json?: boolean; help?: boolean };
      try {
        values = parseArgs({
          args: [...args],
          options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
          strict: true,
        }).values;
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      if (values.help) {
        io.stdout(USAGE);
        return EXIT_OK;
      }
      let config: AppConfig;
      try {
        config = loadConfig(io.env, io.cwd);
      } catch (error) {
        if (error instanceof ConfigError) throw new CliFailure(error.message);
        throw error;
      }
      const db = openReadModelDatabase(config, REGISTERED_KEPT_TABLES, (message) => io.stderr(`${message}\n`));
      const lock = new ProjectorLock(db, 'rebuild');
      try {
        const acquired = lock.tryAcquire();
        if (!acquired.acquired) {
          throw new CliFailure(
            `the read models are held by ${describeHolder(acquired.holder, Date.now())}; stop the server before rotating its key`,
          );
        }
        const rotation = rotateSigningKey({
          keyFile: config.evidence.signingKeyFile,
          dataDir: config.dataDir,
          db,
          clock,
          ...(config.evidence.logOrigin !== undefined && { origin: config.evidence.logOrigin }),
        });
        if (values.json) {
          io.stdout(`${JSON.stringify(rotation, null, 2)}\n`);
          return EXIT_OK;
        }
        io.stdout(
          [
            rotation.resumed ? 'finished a rotation announced by an earlier, interrupted run:' : 'rotated the evidence signing key:',
            `  log id (unchanged)      ${rotation.logId}`,
            `  outgoing key id         ${rotation.previousKeyId} (kept in ${rotation.retiredKeyFile})`,
            `  new key id              ${rotation.next.keyId}`,
            `  new public key (base64) ${rotation.next.publicKey}`,
            `  valid from              ${rotation.next.validFrom}`,
            `  announced by the head   ${rotation.announcement.treeSize} events, ${rotation.announcement.timestamp}, signed by the outgoing key`,
            `  checkpoint verifier key ${rotation.next.checkpointVerifierKey}`,
            'Give witnesses the new verifier key for this origin before starting the server again.',
            '',
          ].join('\n'),
        );
        return EXIT_OK;
      } catch (error) {
        if (error instanceof SigningKeyError) throw new CliFailure(error.message);
        throw error;
      } finally {
        lock.release();
        db.close();
      }
    },
  };
}

export const rotateSigningKeyCommand = createRotateSigningKeyCommand();
