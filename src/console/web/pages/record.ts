import type { CommandOutcome } from '../../../custody/handle-command';
import { CATEGORIES, UNITS_BY_CATEGORY, type Category } from '../../../custody/values';
import type { Page } from '../app';
import { bilingual, h } from '../dom';
import { istInputToUtc, istNowForInput, parseList, uuid } from '../format';
import { field, FormReader, group, onSubmit, submitButton } from '../forms';
import { CATEGORY_LABELS } from '../labels';
import { may } from '../permissions';
import { heading } from '../ui';

const categoryOptions = CATEGORIES.map((c) => ({ value: c, label: `${CATEGORY_LABELS[c].en} · ${CATEGORY_LABELS[c].hi}` }));

/** One item of the memo. Cash is entered in rupees (its value is its amount); the rest in base units. */
function itemRow(index: number, onRemove: (row: HTMLElement) => void): HTMLFieldSetElement {
  const p = `items[${index}]`;
  const category = field({ name: `${p}.category`, label: 'Category', type: 'select', options: categoryOptions, value: 'cash', required: true });
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
    h('div', { class: 'grid' }, field({ name: `${p}.name`, label: 'Name', required: true }), field({ name: `${p}.address`, label: 'Address', required: true })),
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
      field({ name: `${p}.kind`, label: 'Kind', type: 'select', options: [{ value: 'photo', label: 'Photo' }, { value: 'video', label: 'Video' }] }),
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

export const recordSeizurePage = (): Page => ({
  title: 'Record a seizure',
  async render(main, context) {
    const actor = context.session?.actor;
    if (!actor || !may(actor.roles, 'recordSeizure')) {
      main.replaceChildren(heading('Record a seizure'), h('p', { class: 'problem', role: 'alert' }, 'Only officers record seizures; your roles do not include officer.'));
      return;
    }
    // Chosen here, once: retrying the same memo after a lost answer records it once.
    const seizureId = uuid();
    const items = h('div', { class: 'rows' });
    const witnesses = h('div', { class: 'rows' }, witnessRow(0), witnessRow(1));
    const media = h('div', { class: 'rows' });
    const removeItem = (row: HTMLElement): void => {
      row.remove();
      renumber(items, 'items');
    };
    items.append(itemRow(0, removeItem));
    const firstState = actor.scope.national ? '' : (actor.scope.states[0] ?? actor.scope.districts[0]?.split('-')[0] ?? '');
    const firstDistrict = actor.scope.national ? '' : (actor.scope.districts[0] ?? '');

    const form = h(
      'form',
      { class: 'record-form', 'aria-labelledby': 'record-heading' },
      group(
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
        h('p', { class: 'muted' }, `Recorded for ${actor.agency.replace(/_/g, ' ')}, your agency. Seizure id ${seizureId}, chosen by this device.`),
      ),
      group(
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
      ),
      group(
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
      ),
      group(
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
      ),
      group(
        'Magistrate (if present)',
        'magistrate',
        h('div', { class: 'grid' }, field({ name: 'magistrate.name', label: 'Name' }), field({ name: 'magistrate.designation', label: 'Designation', hint: 'e.g. Executive Magistrate' })),
      ),
      group(bilingual('Witnesses (at least two)', 'साक्षी'), 'witnesses', witnesses, h('button', { type: 'button', class: 'secondary', onclick: () => witnesses.append(witnessRow(witnesses.children.length)) }, 'Add a witness')),
      group(bilingual('Items', 'वस्तुएँ'), 'items', items, h('button', { type: 'button', class: 'secondary', onclick: () => items.append(itemRow(items.children.length, removeItem)) }, 'Add an item')),
      group('Photos and videos', 'media', media, h('button', { type: 'button', class: 'secondary', onclick: () => media.append(mediaRow(media.children.length)) }, 'Add a photo or video hash')),
      submitButton(bilingual('Record seizure', 'जब्ती दर्ज करें')),
    );

    onSubmit(form, async () => {
      const r = new FormReader(form);
      const coordinate = (name: string): number => {
        const value = Number(r.text(name));
        if (r.text(name) === '' || !Number.isFinite(value)) r.problem(name, 'enter decimal degrees, e.g. 25.3176');
        return value;
      };
      const seizedAt = istInputToUtc(r.text('seizedAt'));
      if (seizedAt === undefined) r.problem('seizedAt', 'enter the date and time of the seizure');
      const magistrateName = r.optional('magistrate.name');
      const magistrateDesignation = r.optional('magistrate.designation');
      const idType = r.optional('seizedFrom.idDocument.type');
      const idNumber = r.optional('seizedFrom.idDocument.number');
      const body = {
        seizureId,
        memoNumber: r.text('memoNumber'),
        seizedAt: seizedAt ?? '',
        location: {
          state: r.text('location.state').toUpperCase(),
          district: r.text('location.district').toUpperCase(),
          assemblyConstituency: r.whole('location.assemblyConstituency'),
          parliamentaryConstituency: r.whole('location.parliamentaryConstituency'),
          latitude: coordinate('location.latitude'),
          longitude: coordinate('location.longitude'),
          place: r.text('location.place'),
        },
        team: r.text('team'),
        magistrate: magistrateName === undefined && magistrateDesignation === undefined ? undefined : { name: magistrateName ?? '', designation: magistrateDesignation ?? '' },
        seizedFrom: {
          name: r.text('seizedFrom.name'),
          address: r.text('seizedFrom.address'),
          phone: r.optional('seizedFrom.phone'),
          idDocument: idType === undefined && idNumber === undefined ? undefined : { type: idType ?? '', number: idNumber ?? '' },
        },
        vehicleNumber: r.optional('vehicleNumber')?.toUpperCase(),
        witnesses: Array.from(witnesses.children, (_, i) => ({ name: r.text(`witnesses[${i}].name`), address: r.text(`witnesses[${i}].address`) })),
        media: Array.from(media.children, (_, i) => ({ kind: r.text(`media[${i}].kind`), sha256: r.text(`media[${i}].sha256`).toLowerCase() })).filter((m) => m.sha256 !== ''),
        election: { id: r.text('election.id'), name: r.text('election.name'), pollDate: r.text('election.pollDate') },
        linkedToCandidateOrParty: r.checked('linkedToCandidateOrParty'),
        items: Array.from(items.children, (_, i) => {
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
        }),
      };
      r.done();
      await context.api.post<CommandOutcome>('/seizures', body);
      context.notify(`Seizure ${body.memoNumber} recorded.`);
      context.navigate(`#/seizures/${seizureId}`);
    });

    main.replaceChildren(
      heading(h('span', { id: 'record-heading' }, 'Record a seizure'), ' ', h('span', { lang: 'hi', class: 'hi' }, 'जब्ती दर्ज करें')),
      h('p', null, 'As on the seizure memo. The seizing team holds everything until a transfer is accepted. Fields marked * are required.'),
      form,
    );
  },
});
