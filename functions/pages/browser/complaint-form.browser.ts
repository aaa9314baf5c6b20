/**
 * The complaint form's script (../complaint-form.ts), the same code on every response (its nonce
 * changes): posts the form as JSON, shows each field's error where the field is and announces
 * them, then uploads each chosen file with its presigned POST and shows the number and the
 * tracking link. Bundled into scripts.generated.ts by `npm run build:browser`.
 */
import { pageData, type ComplaintFormData } from './page-data';
import { upload, type Problem } from './upload';

/** POST /complaints's answer when it files (or joins) a complaint. */
interface Filed {
  /** Absent when the complaint repeats an open one: nothing of that case is answered. */
  id?: string;
  number?: string;
  /** Absent when the complaint repeats an open one (the link went out by email). */
  trackingUrl?: string;
  /** What evidence it still needs (domain/evidence-policy.ts evidenceAsked). */
  evidence?: { required: boolean; satisfiedBy?: 'link' | 'file' };
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const form = document.getElementById('complaint-form') as HTMLFormElement;
const status = document.getElementById('form-status')!;
// Without this script nothing could be sent (and a plain GET would put personal data in a URL):
// the button starts disabled and the page says why until the script runs.
document.getElementById('needs-script')!.remove();
form.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled = false;
const t = pageData<ComplaintFormData>(form);
const idempotencyKey = crypto.randomUUID();
const fieldFor = (path: string) => form.querySelector<HTMLElement>(`[data-path="${path}"]`);

function clearErrors(): void {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
  }
}

function showErrors(errors: NonNullable<Problem['errors']>): void {
  let first: HTMLElement | undefined;
  for (const error of errors) {
    const field = fieldFor(error.path) || fieldFor(error.path.split('.').slice(0, -1).join('.'));
    const message = document.createElement('p');
    message.className = 'field-error error';
    message.id = `error-${error.path.replace(/[^a-zA-Z0-9]/g, '-')}`;
    message.textContent = field ? error.message : `${error.path}: ${error.message}`;
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-describedby', message.id);
      field.insertAdjacentElement('afterend', message);
      first = first || field;
    } else status.appendChild(message);
  }
  if (first) first.focus();
}

function say(text: string, tone?: string): void {
  status.className = tone || 'notice';
  status.textContent = text;
}

/** The complaint as POST /complaints takes it; empty optional fields are left out. */
function body() {
  const value = (name: string) => (form.elements.namedItem(name) as Control).value.trim();
  const optional = (name: string) => value(name) || undefined;
  const occurred = value('occurredAt');
  let occurredAt: string | undefined;
  if (occurred) {
    const local = new Date(occurred);
    const offset = -local.getTimezoneOffset();
    const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
    occurredAt = occurred.length === 16 ? `${occurred}:00` : occurred;
    occurredAt += `${(offset >= 0 ? '+' : '-') + pad(offset / 60)}:${pad(offset % 60)}`;
  }
  return {
    channel: 'web',
    complainant: {
      name: value('name'),
      email: value('email'),
      phone: optional('phone'),
      contactBy: optional('contactBy'),
      language: document.documentElement.lang,
    },
    category: value('category'),
    subject: { type: value('subjectType'), ref: optional('subjectRef'), name: optional('subjectName') },
    description: value('description'),
    desiredOutcome: optional('desiredOutcome'),
    occurredAt,
    contactHistory: optional('contactHistory'),
  };
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  if (!form.reportValidity()) return;
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
  button.disabled = true;
  say(t('sending'));
  try {
    const response = await fetch(`${t('api')}/complaints`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'accept-language': document.documentElement.lang,
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(body()),
    });
    const result = (await response.json()) as Filed & Problem;
    if (!response.ok) {
      say(response.status === 400 ? t('fixErrors') : result.detail || result.title || t('failed'), 'error');
      if (result.whereElse)
        status.appendChild(Object.assign(document.createElement('p'), { textContent: result.whereElse }));
      if (result.errors) showErrors(result.errors);
      button.disabled = false;
      return;
    }
    const done = document.getElementById('confirmation')!;
    // A repeat of an open case is answered without its number: that goes to the mailbox.
    if (result.number) done.querySelector('[data-number]')!.textContent = result.number;
    else done.querySelector('[data-number]')!.parentElement!.remove();
    const link = done.querySelector<HTMLAnchorElement>('[data-tracking]')!;
    if (result.trackingUrl) {
      link.href = result.trackingUrl;
    } else {
      link.replaceWith(Object.assign(document.createElement('p'), { textContent: t('duplicate') }));
    }
    form.hidden = true;
    done.hidden = false;
    say('', 'ok');
    done.querySelector('h2')!.focus();
    const files = (form.elements.namedItem('evidence') as HTMLInputElement).files!;
    // Say what evidence is still needed: the post's link counted, or a file is due (unless one is on its way).
    const needs = result.evidence?.satisfiedBy;
    if (needs && !(needs === 'file' && files.length))
      done.querySelector<HTMLElement>(`[data-evidence="${needs}"]`)!.hidden = false;
    if (files.length && result.trackingUrl) {
      const token = new URL(result.trackingUrl).searchParams.get('token');
      const list = done.querySelector<HTMLElement>('[data-uploads]')!;
      for (const file of files) await upload(file, `${t('api')}/complaints/${result.id}`, token, list, t);
      list.dataset.done = 'true';
    }
  } catch {
    say(t('failed'), 'error');
    button.disabled = false;
  }
});
