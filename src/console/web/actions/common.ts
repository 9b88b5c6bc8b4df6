import type { SeizureView, TrailEntry } from '../../../custody/http/seizure-view';
import { CUSTODIAN_KINDS } from '../../../custody/values';
import type { Actor } from '../../../shared/actor';
import { h, uniqueId } from '../dom';
import { quantity } from '../format';
import { field, FormReader, group, type Option } from '../forms';
import { CATEGORY_LABELS, CUSTODIAN_KIND_LABELS } from '../labels';
import type { ActionId } from '../permissions';

// What the action forms share: the seizure as they see it, and the fields several of them use.

export type Item = SeizureView['items'][number];

/** Sends one command on the seizure, tells the user its outcome (`done` on success) and refreshes the page. */
export type PostAction = (action: ActionId, body: unknown, done: string, params?: Record<string, string>) => Promise<void>;

/** One seizure as the forms see it: the view, who acts, and what the seizure gives them to act on (eligibility.ts decides). */
export interface ActionScope {
  view: SeizureView;
  actor: Actor;
  post: PostAction;
  /** The seizure's events, as the trail shows them. */
  events: readonly TrailEntry[];
  /** Held by the actor, not already in a transfer. */
  movable: Item[];
  /** Non-cash items the actor holds. */
  valuable: Item[];
  /** The actor's movable cash not yet deposited. */
  cashToDeposit: Item[];
  /** Deposits pending at the actor's own treasury, made by someone else. */
  pendingDeposits: SeizureView['deposits'];
  /** Release orders the actor may release under, and the items of theirs they cover. */
  orders: SeizureView['releaseOrders'];
  releasable: Item[];
  /** Items the actor may order released, or disposed of. */
  orderable: Item[];
  disposable: Item[];
  /** Events the actor may correct. */
  correctable: TrailEntry[];
  /** Items the actor may raise a release dispute over, and the open disputes they may resolve. */
  disputable: Item[];
  disputesToResolve: SeizureView['cases'];
  /** Sends a file's bytes (an attachment); answers the hash the server recorded. */
  upload: UploadAction;
  /** Shows the seizure as it now is; tells the user something. */
  refresh: () => void;
  notify: (text: string) => void;
}

/** Sends an attachment's bytes; answers the server's SHA-256 of what it stored. */
export type UploadAction = (query: { fileName: string; description: string }, file: Blob, mediaType: string) => Promise<{ sha256: string }>;

/** One command a user may give on a seizure, as a form. */
export interface ActionForm {
  action: ActionId;
  /** The summary's English and Hindi. */
  title: readonly [english: string, hindi: string];
  /** Where the seizure gives the action nothing to act on, it is not offered even to a role that may take it. */
  applies(scope: ActionScope): boolean;
  build(scope: ActionScope): HTMLFormElement;
}

/** The values of the boxes checked within `container`. */
export const checkedIn = (container: HTMLElement): string[] =>
  Array.from(container.querySelectorAll<HTMLInputElement>('input:checked')).map((box) => box.value);

/** Checkboxes for items, named `name` (the API's list field), errors for the list shown on the group. */
export function itemChoices(
  legend: string,
  name: string,
  items: readonly Item[],
  checked: (item: Item) => boolean = () => false,
): HTMLFieldSetElement {
  return group(
    legend,
    name,
    items.length === 0
      ? h('p', null, 'No item qualifies.')
      : items.map((item) => {
          const id = uniqueId('item');
          return h(
            'div',
            { class: 'field field-checkbox' },
            h('input', { type: 'checkbox', id, name, value: item.itemId, checked: checked(item) }),
            h(
              'label',
              { for: id },
              `${item.itemId}: ${item.description} (${CATEGORY_LABELS[item.category].en}, ${quantity(item.quantity, item.unit)})`,
            ),
          );
        }),
  );
}

export function idDocumentFields(prefix: string, required: boolean): HTMLElement[] {
  return [
    field({
      name: `${prefix}.idDocument.type`,
      label: 'Identity document',
      hint: 'e.g. aadhaar, voter id, passport',
      required,
      spellcheck: false,
    }),
    field({ name: `${prefix}.idDocument.number`, label: 'Document number', required, spellcheck: false }),
  ];
}

export function idDocument(reader: FormReader, prefix: string): { type: string; number: string } | undefined {
  const type = reader.optional(`${prefix}.idDocument.type`);
  const number = reader.optional(`${prefix}.idDocument.number`);
  return type === undefined && number === undefined ? undefined : { type: type ?? '', number: number ?? '' };
}

export const custodianOptions: Option[] = CUSTODIAN_KINDS.map((kind) => ({
  value: kind,
  label: `${CUSTODIAN_KIND_LABELS[kind].en} · ${CUSTODIAN_KIND_LABELS[kind].hi}`,
}));
