import type { EvidenceBundle } from '../../../evidence/bundle/evidence-bundle';
import type { LogPublicKey } from '../../../evidence/tree-heads/tree-head-log';
import type { VerificationReport } from '../../../evidence/verify/bundle.verify';
import { checkMark, verdictLine, verdictOf } from '../../../evidence/verify/verdict';
import type { PublishedWitnesses } from '../../../evidence/witnessing/witnessed-checkpoints';
import { Api } from '../api';
import type { Page } from '../app';
import { h, replace, uniqueId } from '../dom';
import { dateTime } from '../format';
import { heading, problemBox, section, shortHash } from '../ui';

/** A bundle's identity, shown above its checks; every field read defensively, as the file may be anything. */
function identity(bundle: Partial<EvidenceBundle>): HTMLElement {
  const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '—');
  return h(
    'dl',
    { class: 'facts' },
    h('div', null, h('dt', null, 'Seizure'), h('dd', null, text(bundle.seizureId))),
    h('div', null, h('dt', null, 'Events'), h('dd', null, Array.isArray(bundle.events) ? String(bundle.events.length) : '—')),
    h('div', null, h('dt', null, 'Generated'), h('dd', null, typeof bundle.generatedAt === 'string' ? dateTime(bundle.generatedAt) : '—')),
    h('div', null, h('dt', null, 'Bundle hash'), h('dd', null, typeof bundle.bundleHash === 'string' ? shortHash(bundle.bundleHash) : '—')),
  );
}

function reportView(fileName: string, report: VerificationReport, keyNote: string): HTMLElement {
  const verdict = verdictOf(report);
  const marks = { '✓': '✓ Passed', '✗': '✗ Failed', '!': '! Not proven' } as const;
  const markClass = { '✓': 'check-ok', '✗': 'check-fail', '!': 'check-unproven' } as const;
  return h(
    'div',
    { class: 'report' },
    h(
      'p',
      {
        class: verdict === 'verified' ? 'verdict verdict-ok' : verdict === 'not-verified' ? 'verdict verdict-fail' : 'verdict verdict-warn',
        id: 'verdict',
      },
      verdictLine(report, fileName),
    ),
    h('p', { class: 'muted' }, keyNote),
    h(
      'ol',
      { class: 'checks' },
      report.checks.map((c) =>
        h(
          'li',
          { class: `check ${markClass[checkMark(c)]}`, 'data-check': c.check },
          h('span', { class: 'check-mark' }, marks[checkMark(c)]),
          ' ',
          h('strong', null, c.check),
          ': ',
          c.detail,
        ),
      ),
    ),
  );
}

/** Where a bundle file is dropped or chosen; each file is handed to `onFile`. */
function dropZone(inputId: string, onFile: (file: File) => void): HTMLElement {
  const input = h('input', { type: 'file', id: inputId, name: 'bundle', accept: '.json,application/json', class: 'file-input' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) onFile(file);
  });
  const zone = h(
    'div',
    { class: 'drop-zone' },
    h('label', { for: inputId }, h('strong', null, 'Drop a bundle file here'), h('span', null, ' or choose one (evidence-<seizure>.json)')),
    input,
  );
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (file) onFile(file);
  });
  return zone;
}

/**
 * Verifies an evidence bundle in this browser, with nothing sent anywhere: the checks are
 * verifyEvidenceBundle of src/evidence/verify, the very code the `seizure-ledger verify` command
 * runs, served as ES modules. Open without signing in: checking evidence needs no account.
 */
export const verifyPage = (): Page => ({
  title: 'Verify an evidence bundle',
  async render(main) {
    const inputId = uniqueId('bundle');
    const output = h('div', { 'aria-live': 'polite', id: 'verify-output' });
    const keyBox = h('div', null, h('p', { class: 'loading' }, 'Fetching the ledger’s public key…'));
    const useEmbedded = h('input', { type: 'checkbox', id: uniqueId('embedded'), name: 'useEmbeddedKey' });
    let published: LogPublicKey | null = null;
    let witnesses: PublishedWitnesses | null = null;

    // Public and unauthenticated, like every /evidence route: no token is sent.
    const api = new Api({ token: () => null, onUnauthorized: () => undefined });
    // The witnesses this ledger names; a court checks their keys with the witnesses themselves (seizure-ledger verify --witness).
    api
      .get<PublishedWitnesses>('/evidence/witnesses')
      .then((answer) => (witnesses = answer))
      .catch(() => (witnesses = null));
    api
      .get<LogPublicKey>('/evidence/public-key')
      .then((key) => {
        published = key;
        replace(keyBox, h('p', null, `Checked against this ledger’s published Ed25519 key, log id `, shortHash(key.logId), '.'));
      })
      .catch((error: unknown) => {
        useEmbedded.checked = true;
        replace(keyBox, problemBox(error), h('p', null, 'Without the published key, only the key embedded in the bundle can be used.'));
      });

    const verifyFile = async (file: File): Promise<void> => {
      replace(output, h('p', { class: 'loading' }, `Checking ${file.name}…`));
      let bundle: unknown;
      try {
        bundle = JSON.parse(await file.text()) as unknown;
      } catch (error) {
        replace(
          output,
          h('p', { class: 'verdict verdict-fail', id: 'verdict' }, `NOT VERIFIED: ${file.name} is not JSON (${(error as Error).message}).`),
        );
        return;
      }
      // Loaded on first use: the verifier and its Ed25519 and SHA-256 code are most of the console's bytes.
      const verifier = await import('../../../evidence/verify/bundle.verify');
      const keys = await import('../../../evidence/verify/log-key-set');
      const key = !useEmbedded.checked && published ? verifier.base64ToBytes(published.publicKey) : undefined;
      const named = key && witnesses !== null && witnesses.witnesses.length > 0 ? witnesses : null;
      // The key history, when the server publishes one: a bundle signed before a key rotation still verifies.
      const history = key && published?.logKeys ? keys.parseLogKeySet(published) : undefined;
      const keyOptions = history?.ok ? { keySet: history.set } : key ? { publicKey: key } : {};
      const report = verifier.verifyEvidenceBundle(bundle as EvidenceBundle, {
        ...keyOptions,
        ...(named && { witnesses: named.witnesses, witnessQuorum: named.witnessQuorum }),
      });
      const keyNote =
        (key
          ? 'The tree head’s signature was checked against the keys this server publishes at /evidence/public-key.'
          : 'The tree head’s signature was checked against the key embedded in the bundle: this shows the bundle is consistent, not that this ledger signed it.') +
        (named
          ? ` Witness cosignatures were counted for the ${named.witnesses.length} witnesses this server names at /evidence/witnesses (quorum ${named.witnessQuorum}); to rely on them, check their keys with the witnesses themselves.`
          : '');
      replace(output, bundle !== null && typeof bundle === 'object' ? identity(bundle) : null, reportView(file.name, report, keyNote));
    };

    const zone = dropZone(inputId, (file) => void verifyFile(file).catch((error: unknown) => replace(output, problemBox(error))));

    main.replaceChildren(
      heading('Verify an evidence bundle ', h('span', { lang: 'hi', class: 'hi' }, 'साक्ष्य जाँच')),
      h(
        'p',
        null,
        'The bundle is checked here, in your browser; it is not uploaded. The checks are those of the seizure-ledger verify command, with the same code: every event’s hash, the hash chain from revision 0, each inclusion proof against the signed tree head, the head’s Ed25519 signature, and the bundle hash on the Section 63 certificate.',
      ),
      section(
        'Public key',
        keyBox,
        h(
          'div',
          { class: 'field field-checkbox' },
          useEmbedded,
          h('label', { for: useEmbedded.id }, 'Use the key embedded in the bundle instead'),
        ),
      ),
      zone,
      output,
    );
  },
});
