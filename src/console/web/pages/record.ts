import type { CommandOutcome } from '../../../custody/handle-command';
import { CATEGORIES, UNITS_BY_CATEGORY, type Category } from '../../../custody/values';
import type { Actor } from '../../../shared/actor';
import type { AppContext, Page } from '../app';
import { bilingual, h, type Child } from '../dom';
import { istInputToUtc, istNowForInput, parseList, uuid } from '../format';
import { field, FormReader, group, onSubmit, submitButton } from '../forms';
import { CATEGORY_LABELS } from '../labels';
import { may } from '../permissions';
import { heading } from '../ui';

const categoryOptions = CATEGORIES.map((c) => ({ value: c, label: `${CATEGORY_LABELS[c].en} · ${CATEGORY_LABELS[c].hi}` }));

/** One item of the memo. Cash is entered in rupees (its value is its amount); the rest in base units. */
function itemRow(index: number, onRemove: (row: HTMLElement) => void): HTMLFieldSetElement {
  const p = `items[${index}]`;
  const category = field({
    name: `${p}.category`,
    label: 'Category',
    type: 'select',
    options: categoryOptions,
    value: 'cash',
    required: true,
  });
  const unit = field({ name: `${p}.unit`, label: 'Unit of the quantity', type: 'select', options: [], required: true });
  const amount = field({ name: `${p}.quantity`, label: 'Quantity', inputmode: 'numeric', required: true });
  const value = field({ name: `${p}.estimatedValuePaise`, label: 'Estimated value (₹)', inputmode: 'decimal', required: true });
  const categorySelect = category.querySelector('select') as HTMLSelectElement;
  const unitSelect = unit.querySelector('select') as HTMLSelectElement;
  const amountLabel = amount.querySelector('label') as HTMLLabelElement;
  const sync = (): void => {
    const chosen = categorySelect.value as Category;
    unitSelect.replaceChildren(...UNITS_BY_CATEGORY[chosen].map((u) => h('option', { value: u }, u)));
    const cash = chosen === 'cash';
    // The label's first node is its text; the required mark after it stays.
    (amountLabel.firstChild as Text).textContent = cash ? 'Amount (₹)' : 'Quantity (in the unit chosen)';
    (amount.querySelector('input') as HTMLInputElement).inputMode = cash ? 'decimal' : 'numeric';
    unit.hidden = cash;
    // The value of cash is its amount: the server refuses any other.
    value.hidden = cash;
  };
  categorySelect.addEventListener('change', sync);
  const row = group(
    `Item ${index + 1}`,
    p,
    h(
      'div',
      { class: 'grid' },
      field({ name: `${p}.itemId`, label: 'Item id', value: `item-${index + 1}`, required: true, spellcheck: false }),
      category,
      field({ name: `${p}.description`, label: 'Description', hint: 'e.g. Rs 500 notes, 2500 pieces', required: true }),
      amount,
      unit,
      field({ name: `${p}.packages`, label: 'Packages', value: '1', inputmode: 'numeric', required: true }),
      field({ name: `${p}.sealNumbers`, label: 'Seal numbers', hint: 'Comma-separated', spellcheck: false }),
      value,
    ),
    index > 0 ? h('button', { type: 'button', class: 'secondary', onclick: () => onRemove(row) }, `Remove item ${index + 1}`) : null,
  );
  sync();
  return row;
}

function witnessRow(index: number): HTMLFieldSetElement {
  const p = `witnesses[${index}]`;
  return group(
    `Witness ${index + 1}`,
    p,
    h(
      'div',
      { class: 'grid' },
      field({ name: `${p}.name`, label: 'Name', required: true }),
      field({ name: `${p}.address`, label: 'Address', required: true }),
    ),
  );
}

function mediaRow(index: number): HTMLFieldSetElement {
  const p = `media[${index}]`;
  return group(
    `Photo or video ${index + 1}`,
    p,
    h(
      'div',
      { class: 'grid' },
      field({
        name: `${p}.kind`,
        label: 'Kind',
        type: 'select',
        options: [
          { value: 'photo', label: 'Photo' },
          { value: 'video', label: 'Video' },
        ],
      }),
      field({ name: `${p}.sha256`, label: 'SHA-256 of the file', hint: '64 lower-case hex digits (sha256sum)', spellcheck: false }),
    ),
  );
}

/** Renumbers rows after one is removed, so field names stay items[0], items[1], … as the API reports errors. */
function renumber(container: HTMLElement, prefix: string): void {
  Array.from(container.children).forEach((row, index) => {
    for (const control of Array.from(row.querySelectorAll<HTMLInputElement>('[name]'))) {
      control.name = control.name.replace(new RegExp(`^${prefix}\\[\\d+\\]`), `${prefix}[${index}]`);
      control.dataset.field = control.name;
    }
    (row as HTMLElement).dataset.field = `${prefix}[${index}]`;
    const legend = row.querySelector('legend');
    if (legend) legend.textContent = legend.textContent?.replace(/\d+$/, String(index + 1)) ?? '';
  });
}

/** The rows the user adds to: items (removable, renumbered on removal), witnesses (two to begin with), photos and videos. */
interface MemoRows {
  items: HTMLElement;
  witnesses: HTMLElement;
  media: HTMLElement;
  removeItem: (row: HTMLElement) => void;
}

function memoRows(): MemoRows {
  const items = h('div', { class: 'rows' });
  const witnesses = h('div', { class: 'rows' }, witnessRow(0), witnessRow(1));
  const media = h('div', { class: 'rows' });
  const removeItem = (row: HTMLElement): void => {
    row.remove();
    renumber(items, 'items');
  };
  items.append(itemRow(0, removeItem));
  return { items, witnesses, media, removeItem };
}

function memoSection(actor: Actor, seizureId: string): HTMLFieldSetElement {
  return group(
    bilingual('Seizure memo', 'जब्ती मेमो'),
    null,
    h(
      'div',
      { class: 'grid' },
      field({ name: 'memoNumber', label: 'Memo (panchnama) number', required: true, spellcheck: false }),
      field({ name: 'seizedAt', label: 'Seized at (IST)', type: 'datetime-local', value: istNowForInput(), required: true }),
      field({ name: 'team', label: 'Team', hint: 'e.g. Flying Squad 3, Varanasi Cantt', required: true }),
      field({ name: 'vehicleNumber', label: 'Vehicle number', hint: 'Capital letters and digits, e.g. UP65AB1234', spellcheck: false }),
    ),
    h(
      'p',
      { class: 'muted' },
      `Recorded for ${actor.agency.replace(/_/g, ' ')}, your agency. Seizure id ${seizureId}, chosen by this device.`,
    ),
  );
}

/** The place, its state and district filled in from the user's jurisdiction. */
function placeSection(actor: Actor): HTMLFieldSetElement {
  const firstState = actor.scope.national ? '' : (actor.scope.states[0] ?? actor.scope.districts[0]?.split('-')[0] ?? '');
  const firstDistrict = actor.scope.national ? '' : (actor.scope.districts[0] ?? '');
  return group(
    'Place',
    'location',
    h(
      'div',
      { class: 'grid' },
      field({ name: 'location.state', label: 'State code', value: firstState, required: true, spellcheck: false }),
      field({ name: 'location.district', label: 'District code', value: firstDistrict, required: true, spellcheck: false }),
      field({ name: 'location.assemblyConstituency', label: 'Assembly constituency no.', inputmode: 'numeric', required: true }),
      field({ name: 'location.parliamentaryConstituency', label: 'Parliamentary constituency no.', inputmode: 'numeric', required: true }),
      field({ name: 'location.latitude', label: 'Latitude', inputmode: 'decimal', required: true }),
      field({ name: 'location.longitude', label: 'Longitude', inputmode: 'decimal', required: true }),
      field({ name: 'location.place', label: 'Place', hint: 'e.g. check post, Mughalsarai road', required: true }),
    ),
  );
}

function electionSection(): HTMLFieldSetElement {
  return group(
    'Election',
    'election',
    h(
      'div',
      { class: 'grid' },
      field({ name: 'election.id', label: 'Election id', hint: 'e.g. GE-2024', required: true, spellcheck: false }),
      field({ name: 'election.name', label: 'Election', hint: 'e.g. General Election to Lok Sabha 2024', required: true }),
      field({ name: 'election.pollDate', label: 'Poll date in this constituency', type: 'date', required: true }),
    ),
    field({ name: 'linkedToCandidateOrParty', label: 'Linked to a candidate, agent or party worker', type: 'checkbox' }),
  );
}

function seizedFromSection(): HTMLFieldSetElement {
  return group(
    'Seized from',
    'seizedFrom',
    h(
      'div',
      { class: 'grid' },
      field({ name: 'seizedFrom.name', label: 'Name', required: true }),
      field({ name: 'seizedFrom.address', label: 'Address', required: true }),
      field({ name: 'seizedFrom.phone', label: 'Phone', inputmode: 'numeric' }),
      field({ name: 'seizedFrom.idDocument.type', label: 'Identity document', hint: 'e.g. aadhaar' }),
      field({ name: 'seizedFrom.idDocument.number', label: 'Document number', spellcheck: false }),
    ),
  );
}

function magistrateSection(): HTMLFieldSetElement {
  return group(
    'Magistrate (if present)',
    'magistrate',
    h(
      'div',
      { class: 'grid' },
      field({ name: 'magistrate.name', label: 'Name' }),
      field({ name: 'magistrate.designation', label: 'Designation', hint: 'e.g. Executive Magistrate' }),
    ),
  );
}

/** A group of rows and the button that adds one more, made by `add`. */
function addableRows(legend: Child, name: string, rows: HTMLElement, addLabel: string, add: () => HTMLElement): HTMLFieldSetElement {
  return group(legend, name, rows, h('button', { type: 'button', class: 'secondary', onclick: () => rows.append(add()) }, addLabel));
}

function coordinate(r: FormReader, name: string): number {
  const value = Number(r.text(name));
  if (r.text(name) === '' || !Number.isFinite(value)) r.problem(name, 'enter decimal degrees, e.g. 25.3176');
  return value;
}

function readLocation(r: FormReader) {
  return {
    state: r.text('location.state').toUpperCase(),
    district: r.text('location.district').toUpperCase(),
    assemblyConstituency: r.whole('location.assemblyConstituency'),
    parliamentaryConstituency: r.whole('location.parliamentaryConstituency'),
    latitude: coordinate(r, 'location.latitude'),
    longitude: coordinate(r, 'location.longitude'),
    place: r.text('location.place'),
  };
}

/** Left out unless a name or designation is given. */
function readMagistrate(r: FormReader): { name: string; designation: string } | undefined {
  const name = r.optional('magistrate.name');
  const designation = r.optional('magistrate.designation');
  return name === undefined && designation === undefined ? undefined : { name: name ?? '', designation: designation ?? '' };
}

function readSeizedFrom(r: FormReader) {
  const idType = r.optional('seizedFrom.idDocument.type');
  const idNumber = r.optional('seizedFrom.idDocument.number');
  return {
    name: r.text('seizedFrom.name'),
    address: r.text('seizedFrom.address'),
    phone: r.optional('seizedFrom.phone'),
    idDocument: idType === undefined && idNumber === undefined ? undefined : { type: idType ?? '', number: idNumber ?? '' },
  };
}

/** Item `i`: cash in rupees, its value its amount, in paise; anything else in whole base units. */
function readItem(r: FormReader, i: number) {
  const p = `items[${i}]`;
  const category = r.text(`${p}.category`) as Category;
  const cash = category === 'cash';
  const amount = cash ? r.rupees(`${p}.quantity`) : r.whole(`${p}.quantity`);
  return {
    itemId: r.text(`${p}.itemId`),
    category,
    description: r.text(`${p}.description`),
    quantity: amount,
    unit: cash ? 'paise' : r.text(`${p}.unit`),
    packages: r.whole(`${p}.packages`),
    sealNumbers: parseList(r.text(`${p}.sealNumbers`)),
    estimatedValuePaise: cash ? amount : r.rupees(`${p}.estimatedValuePaise`),
  };
}

/** The memo as the API takes it, the problems found on the way kept in `r`. */
function readMemo(r: FormReader, seizureId: string, rows: MemoRows) {
  const seizedAt = istInputToUtc(r.text('seizedAt'));
  if (seizedAt === undefined) r.problem('seizedAt', 'enter the date and time of the seizure');
  const magistrate = readMagistrate(r);
  return {
    seizureId,
    memoNumber: r.text('memoNumber'),
    seizedAt: seizedAt ?? '',
    location: readLocation(r),
    team: r.text('team'),
    magistrate,
    seizedFrom: readSeizedFrom(r),
    vehicleNumber: r.optional('vehicleNumber')?.toUpperCase(),
    witnesses: Array.from(rows.witnesses.children, (_, i) => ({
      name: r.text(`witnesses[${i}].name`),
      address: r.text(`witnesses[${i}].address`),
    })),
    media: Array.from(rows.media.children, (_, i) => ({
      kind: r.text(`media[${i}].kind`),
      sha256: r.text(`media[${i}].sha256`).toLowerCase(),
    })).filter((m) => m.sha256 !== ''),
    election: { id: r.text('election.id'), name: r.text('election.name'), pollDate: r.text('election.pollDate') },
    linkedToCandidateOrParty: r.checked('linkedToCandidateOrParty'),
    items: Array.from(rows.items.children, (_, i) => readItem(r, i)),
  };
}

function recordForm(actor: Actor, context: AppContext): HTMLFormElement {
  // Chosen here, once: retrying the same memo after a lost answer records it once.
  const seizureId = uuid();
  const rows = memoRows();
  const form = h(
    'form',
    { class: 'record-form', 'aria-labelledby': 'record-heading' },
    memoSection(actor, seizureId),
    placeSection(actor),
    electionSection(),
    seizedFromSection(),
    magistrateSection(),
    addableRows(bilingual('Witnesses (at least two)', 'साक्षी'), 'witnesses', rows.witnesses, 'Add a witness', () =>
      witnessRow(rows.witnesses.children.length),
    ),
    addableRows(bilingual('Items', 'वस्तुएँ'), 'items', rows.items, 'Add an item', () => itemRow(rows.items.children.length, rows.removeItem)),
    addableRows('Photos and videos', 'media', rows.media, 'Add a photo or video hash', () => mediaRow(rows.media.children.length)),
    submitButton(bilingual('Record seizure', 'जब्ती दर्ज करें')),
  );
  onSubmit(form, async () => {
    const r = new FormReader(form);
    const body = readMemo(r, seizureId, rows);
    r.done();
    await context.api.post<CommandOutcome>('/seizures', body);
    context.notify(`Seizure ${body.memoNumber} recorded.`);
    context.navigate(`#/seizures/${seizureId}`);
  });
  return form;
}

export const recordSeizurePage = (): Page => ({
  title: 'Record a seizure',
  // Async though nothing here waits: Page.render returns a promise.
  async render(main, context) {
    const actor = context.session?.actor;
    if (!actor || !may(actor.roles, 'recordSeizure')) {
      main.replaceChildren(
        heading('Record a seizure'),
        h('p', { class: 'problem', role: 'alert' }, 'Only officers record seizures; your roles do not include officer.'),
      );
      return;
    }
    const form = recordForm(actor, context);
    main.replaceChildren(
      heading(h('span', { id: 'record-heading' }, 'Record a seizure'), ' ', h('span', { lang: 'hi', class: 'hi' }, 'जब्ती दर्ज करें')),
      h('p', null, 'As on the seizure memo. The seizing team holds everything until a transfer is accepted. Fields marked * are required.'),
      form,
    );
  },
});
