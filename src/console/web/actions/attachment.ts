import { bilingual, h, replace } from '../dom';
import { field, FormReader, onSubmit, submitButton } from '../forms';
import type { ActionForm, ActionScope } from './common';

/**
 * A photo of the seizure, its seals or its memo, straight from the phone's camera. Its SHA-256 is
 * computed on the device before it is sent and shown beside it; the server's answer names the hash
 * it recorded, and the two are compared in front of the user: the picture in the ledger is the one
 * taken, bit for bit.
 */

/** Hashes computed on this device whose upload the server confirmed with the same hash (for the attachments list). */
export const confirmedUploads = new Set<string>();

/** The SHA-256 of the bytes, as lowercase hex; @noble/hashes (already served for the verifier) works on plain http too. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const [{ sha256 }, { bytesToHex }] = await Promise.all([import('@noble/hashes/sha256'), import('@noble/hashes/utils')]);
  return bytesToHex(sha256(bytes));
}

function buildAttachmentForm({ upload, refresh, notify }: ActionScope): HTMLFormElement {
  const fileField = field({
    name: 'file',
    label: bilingual('Photo', 'फ़ोटो'),
    hint: 'Opens the camera on a phone; a JPEG, PNG or WebP from the device also does.',
    type: 'file',
    accept: 'image/*',
    capture: 'environment',
    required: true,
  });
  const fileInput = fileField.querySelector('input') as HTMLInputElement;
  const preview = h('div', { class: 'attachment-preview', hidden: true });
  const verdict = h('div', { class: 'attachment-verdict', role: 'status' });
  let chosen: { file: File; sha256: string } | null = null;
  let previewUrl: string | null = null;

  fileInput.addEventListener('change', () => {
    chosen = null;
    replace(verdict);
    // The previous photo's preview is no longer shown: let the browser free it.
    if (previewUrl !== null) URL.revokeObjectURL(previewUrl);
    previewUrl = null;
    const file = fileInput.files?.[0];
    if (!file) {
      preview.hidden = true;
      return;
    }
    void file.arrayBuffer().then(async (buffer) => {
      const sha256 = await sha256Hex(new Uint8Array(buffer));
      if (fileInput.files?.[0] !== file) return; // another file was chosen meanwhile
      chosen = { file, sha256 };
      const nameInput = form.querySelector<HTMLInputElement>('[name="fileName"]');
      if (nameInput && nameInput.value === '') nameInput.value = file.name;
      previewUrl = URL.createObjectURL(file);
      replace(
        preview,
        h('img', { src: previewUrl, alt: `The chosen photo, ${file.name}`, class: 'attachment-thumb' }),
        h('p', null, 'SHA-256 computed on this device: ', h('code', { class: 'hash-full', 'data-hash': 'local' }, sha256)),
      );
      preview.hidden = false;
    });
  });

  const form = h(
    'form',
    null,
    fileField,
    preview,
    field({ name: 'fileName', label: 'File name', hint: 'e.g. seal-S-1001.jpg', required: true, spellcheck: false }),
    field({ name: 'description', label: 'What it shows', type: 'textarea' }),
    submitButton(bilingual('Attach photo', 'फ़ोटो संलग्न करें')),
    verdict,
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const fileName = r.text('fileName');
    if (chosen === null) r.problem('file', 'take or choose a photo (and wait for its hash)');
    if (fileName === '') r.problem('fileName', 'name the file, e.g. seal-S-1001.jpg');
    r.done();
    const { file, sha256 } = chosen as { file: File; sha256: string };
    const answer = await upload({ fileName, description: r.text('description') }, file, file.type || 'application/octet-stream');
    const same = answer.sha256 === sha256;
    replace(
      verdict,
      h(
        'p',
        { class: same ? 'hash-match' : 'hash-mismatch', role: same ? null : 'alert' },
        same ? '✓ The server recorded the same SHA-256: ' : '✗ The server recorded a different SHA-256: ',
        h('code', { class: 'hash-full', 'data-hash': 'server' }, answer.sha256),
      ),
    );
    if (!same) return;
    confirmedUploads.add(sha256);
    notify(`${fileName} attached; the server recorded the SHA-256 computed on this device.`);
    refresh();
  });
  return form;
}

export const attachmentAction: ActionForm = {
  action: 'addAttachment',
  title: ['Attach a photo', 'फ़ोटो संलग्न करें'],
  applies: () => true,
  build: buildAttachmentForm,
};
