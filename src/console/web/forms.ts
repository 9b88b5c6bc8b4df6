import { ApiProblem, type FieldProblem } from './api';
import { h, replace, uniqueId, type Child } from './dom';
import { parseRupees, parseWhole } from './format';

/**
 * Forms whose fields are named by the API's own paths (`items[0].quantity`), so each field error
 * the API returns is shown at its field: red text under it, aria-invalid, and the error read out
 * with the field. Errors the form has no field for are listed at its top.
 */

export interface Option {
  value: string;
  label: string;
}

export interface FieldSpec {
  /** The API path of the value, e.g. `location.state`; errors for it land here. */
  name: string;
  label: Child;
  hint?: string;
  type?: 'text' | 'number' | 'date' | 'datetime-local' | 'textarea' | 'select' | 'checkbox' | 'password' | 'file';
  value?: string;
  checked?: boolean;
  required?: boolean;
  options?: readonly Option[];
  inputmode?: 'numeric' | 'decimal' | 'text';
  autocomplete?: string;
  rows?: number;
  /** Spell-checking is off for codes, numbers and ids. */
  spellcheck?: boolean;
  /** A file field's media types, e.g. image/*. */
  accept?: string;
  /** A file field's camera: `environment` opens a phone's back camera. */
  capture?: 'environment' | 'user';
}

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A labelled field, its hint and the place its error appears. */
export function field(spec: FieldSpec): HTMLElement {
  const id = uniqueId('f');
  const hintId = spec.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const common = {
    id,
    name: spec.name,
    'data-field': spec.name,
    required: spec.required === true,
    'aria-describedby': hintId ?? null,
    'data-error-id': errorId,
  };
  let control: Control;
  if (spec.type === 'textarea') {
    control = h('textarea', { ...common, rows: spec.rows ?? 3, spellcheck: spec.spellcheck === false ? 'false' : null }, spec.value ?? '');
  } else if (spec.type === 'select') {
    control = h(
      'select',
      common,
      (spec.options ?? []).map((option) => h('option', { value: option.value, selected: option.value === spec.value }, option.label)),
    );
  } else {
    control = h('input', {
      ...common,
      type: spec.type ?? 'text',
      value: spec.type === 'checkbox' || spec.type === 'file' ? null : (spec.value ?? ''),
      checked: spec.type === 'checkbox' && spec.checked === true,
      inputmode: spec.inputmode ?? null,
      autocomplete: spec.autocomplete ?? 'off',
      spellcheck: spec.spellcheck === false ? 'false' : null,
      accept: spec.accept ?? null,
      capture: spec.capture ?? null,
    });
  }
  const labelElement = h(
    'label',
    { for: id },
    spec.label,
    spec.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null,
  );
  const hint = spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null;
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  if (spec.type === 'checkbox') return h('div', { class: 'field field-checkbox' }, control, labelElement, hint, error);
  return h('div', { class: 'field' }, labelElement, hint, control, error);
}

/** A group of fields under a legend, e.g. one witness; errors for the whole group (`witnesses`) land on it. */
export function group(legend: Child, name: string | null, ...children: Child[]): HTMLFieldSetElement {
  const errorId = uniqueId('g-error');
  return h(
    'fieldset',
    { class: 'group', 'data-field': name, 'data-error-id': name ? errorId : null },
    h('legend', null, legend),
    name ? h('p', { class: 'field-error', id: errorId, hidden: true }) : null,
    children,
  );
}

/** Invalid input found before sending, shown exactly like the API's field errors. */
export class InvalidInput extends Error {
  override readonly name = 'InvalidInput';
  constructor(readonly errors: readonly FieldProblem[]) {
    super('invalid input');
  }
}

/** Reads a form's named controls, collecting the problems it finds on the way. */
export class FormReader {
  private readonly problems: FieldProblem[] = [];

  constructor(private readonly form: HTMLFormElement) {}

  private control(name: string): Control {
    const found = Array.from(this.form.querySelectorAll<Control>('[name]')).find((c) => c.name === name);
    if (found === undefined) throw new Error(`the form has no field ${name}`);
    return found;
  }

  text(name: string): string {
    return this.control(name).value.trim();
  }

  /** Optional text: undefined when empty, so the API's optional fields are left out. */
  optional(name: string): string | undefined {
    const value = this.text(name);
    return value === '' ? undefined : value;
  }

  checked(name: string): boolean {
    return (this.control(name) as HTMLInputElement).checked;
  }

  /** Values of the checked boxes named `name`. */
  checkedValues(name: string): string[] {
    return Array.from(this.form.querySelectorAll<HTMLInputElement>('input[type=checkbox]'))
      .filter((box) => box.name === name && box.checked)
      .map((box) => box.value);
  }

  rupees(name: string, apiField = name): number {
    const paise = parseRupees(this.text(name));
    if (paise === undefined) this.problems.push({ field: apiField, reason: 'enter an amount in rupees, e.g. 12,50,000 or 1250.50' });
    return paise ?? 0;
  }

  whole(name: string, apiField = name): number {
    const value = parseWhole(this.text(name));
    if (value === undefined) this.problems.push({ field: apiField, reason: 'enter a whole number' });
    return value ?? 0;
  }

  problem(field: string, reason: string): void {
    this.problems.push({ field, reason });
  }

  /** Throws InvalidInput when anything read was not acceptable. */
  done(): void {
    if (this.problems.length > 0) throw new InvalidInput(this.problems);
  }
}

/** Shows and clears a form's errors. */
export class FormErrors {
  private readonly summary: HTMLElement;

  constructor(private readonly form: HTMLFormElement) {
    this.summary = h('div', { class: 'error-summary', role: 'alert', tabindex: -1, hidden: true });
    form.prepend(this.summary);
  }

  clear(): void {
    this.summary.hidden = true;
    this.summary.replaceChildren();
    for (const element of Array.from(this.form.querySelectorAll<HTMLElement>('[data-field]'))) {
      element.removeAttribute('aria-invalid');
      element.closest('.field, .group')?.classList.remove('invalid');
      const error = this.errorElementOf(element);
      if (error) {
        error.hidden = true;
        error.textContent = '';
      }
      this.describe(element, false);
    }
  }

  private errorElementOf(element: HTMLElement): HTMLElement | null {
    const id = element.dataset.errorId;
    return id ? this.form.querySelector<HTMLElement>(`[id="${id}"]`) : null;
  }

  private describe(element: HTMLElement, withError: boolean): void {
    const errorId = element.dataset.errorId;
    if (!errorId || element.tagName === 'FIELDSET') return;
    const ids = (element.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id !== '' && id !== errorId);
    if (withError) ids.push(errorId);
    if (ids.length > 0) element.setAttribute('aria-describedby', ids.join(' '));
    else element.removeAttribute('aria-describedby');
  }

  /** The field an error belongs to: the exact path, else the nearest enclosing one (items[0] for items[0].x). */
  private fieldFor(path: string): HTMLElement | undefined {
    const fields = Array.from(this.form.querySelectorAll<HTMLElement>('[data-field]'));
    for (let candidate = path; ;) {
      const found = fields.find((f) => f.dataset.field === candidate);
      if (found) return found;
      const parent = candidate.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      if (parent === candidate || parent === '') break;
      candidate = parent;
    }
    return undefined;
  }

  /** Shows a problem: field errors at their fields, the rest in the summary; focus goes to the first. */
  show(error: unknown): void {
    this.clear();
    const problems = error instanceof InvalidInput ? error.errors : error instanceof ApiProblem ? error.errors : [];
    const unplaced: string[] = [];
    let first: HTMLElement | undefined;
    for (const problem of problems) {
      const element = this.fieldFor(problem.field);
      const message = problem.reason;
      const errorElement = element ? this.errorElementOf(element) : null;
      if (!element || !errorElement) {
        unplaced.push(`${problem.field}: ${message}`);
        continue;
      }
      errorElement.hidden = false;
      errorElement.textContent = errorElement.textContent ? `${errorElement.textContent}; ${message}` : message;
      element.setAttribute('aria-invalid', 'true');
      element.closest('.field, .group')?.classList.add('invalid');
      this.describe(element, true);
      first ??= element;
    }
    const heading =
      error instanceof InvalidInput
        ? 'Please correct the marked fields.'
        : error instanceof ApiProblem
          ? `${error.title}${error.status ? ` (${error.status})` : ''}: ${error.detail}`
          : `Something went wrong: ${(error as Error).message}`;
    this.summary.hidden = false;
    replace(
      this.summary,
      h('p', null, heading),
      unplaced.length > 0
        ? h(
            'ul',
            null,
            unplaced.map((text) => h('li', null, text)),
          )
        : null,
    );
    if (first) {
      const control = first.tagName === 'FIELDSET' ? (first.querySelector<HTMLElement>('input, select, textarea') ?? first) : first;
      control.focus();
    } else {
      this.summary.focus();
    }
  }
}

/**
 * Wires a form's submit: reads and sends it, shows errors at the fields, and disables the button
 * while the request runs (a second click would only replay the same idempotency key anyway).
 */
export function onSubmit(form: HTMLFormElement, action: () => Promise<void>): FormErrors {
  const errors = new FormErrors(form);
  form.noValidate = true;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const buttons = Array.from(form.querySelectorAll<HTMLButtonElement>('button[type=submit]'));
    errors.clear();
    buttons.forEach((b) => (b.disabled = true));
    form.setAttribute('aria-busy', 'true');
    action()
      .catch((error: unknown) => errors.show(error))
      .finally(() => {
        buttons.forEach((b) => (b.disabled = false));
        form.removeAttribute('aria-busy');
      });
  });
  return errors;
}

export const submitButton = (text: Child): HTMLButtonElement => h('button', { type: 'submit', class: 'primary' }, text);
