import { useState } from 'react';
import type * as Y from 'yjs';
import type { NotebookSnapshot } from '../lib/notebook/snapshot';
import { randomId, suggestColor } from '../lib/notebook/people';
import { removePartner, updatePartner } from '../lib/notebook';
import { LIBRARY_TYPES, type LibraryFacts, type PartnerProfile } from '../lib/notebook/types';
import { ConfirmDialog } from './ConfirmDialog';
import { GoodTimes } from './GoodTimes';
import { T } from './test-ids';

const FACTS: { key: keyof LibraryFacts; label: string; hint: string }[] = [
  { key: 'founded', label: 'Founded (year)', hint: 'e.g. 1921' },
  { key: 'collectionSize', label: 'Collection size (items)', hint: 'e.g. 250000' },
  { key: 'registeredUsers', label: 'Registered users', hint: 'e.g. 18000' },
  { key: 'staff', label: 'Staff', hint: 'e.g. 42' },
  { key: 'yearlyVisits', label: 'Visits per year', hint: 'e.g. 120000' },
];

const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** "Our libraries": every partner's profile, which the poster's library sections are drafted from. */
export function LibrariesPage(props: { doc: Y.Doc; snap: NotebookSnapshot; meId: string }) {
  const [removing, setRemoving] = useState<PartnerProfile | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  return (
    <section aria-labelledby="libraries-heading">
      <h1 id="libraries-heading" tabIndex={-1}>
        Our libraries
      </h1>
      <p className="muted">Each partner fills in their own library. Your poster’s library sections and comparison table are drafted from this page.</p>
      <GoodTimes partners={props.snap.partners} />
      {props.snap.partners.map((p) => (
        <PartnerForm key={p.id} doc={props.doc} profile={p} isMe={p.id === props.meId} autoFocus={p.id === focusId} onRemove={() => setRemoving(p)} />
      ))}
      <button
        type="button"
        data-testid={T.addPartner}
        onClick={() => {
          const id = randomId();
          updatePartner(props.doc, id, { name: '', color: suggestColor(props.snap.partners.map((p) => p.color)) });
          setFocusId(id);
        }}
      >
        Add a partner’s library
      </button>
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name || 'this profile'}?`}
          body="The profile is removed for every partner in this notebook. Their clips and notes stay."
          confirmLabel="Remove profile"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            removePartner(props.doc, removing.id);
            setRemoving(null);
          }}
        />
      )}
    </section>
  );
}

function PartnerForm(props: { doc: Y.Doc; profile: PartnerProfile; isMe: boolean; autoFocus: boolean; onRemove(): void }) {
  const p = props.profile;
  const id = (f: string) => `p-${p.id}-${f}`;
  const set = (patch: Parameters<typeof updatePartner>[2]) => updatePartner(props.doc, p.id, patch);
  const text = (field: 'name' | 'country' | 'city' | 'libraryName' | 'website' | 'email', label: string, type = 'text', extra: object = {}) => (
    <div className="field">
      <label htmlFor={id(field)}>{label}</label>
      <input id={id(field)} type={type} value={p[field]} maxLength={500} onChange={(e) => set({ [field]: e.target.value })} {...extra} />
    </div>
  );
  return (
    <article className="card partner" data-testid={T.partnerCard} aria-labelledby={id('h')} style={{ borderLeftColor: p.color }}>
      <h2 id={id('h')}>
        {p.name || 'New partner'} {props.isMe && <span className="badge">You</span>}
      </h2>
      {text('name', 'Name', 'text', { autoFocus: props.autoFocus })}
      <div className="row wrap">
        {text('country', 'Country')}
        {text('city', 'City')}
      </div>
      <div className="field">
        <label htmlFor={id('tz')}>Time zone</label>
        <input id={id('tz')} list="time-zones" value={p.timeZone} placeholder="e.g. Asia/Ulaanbaatar" onChange={(e) => set({ timeZone: e.target.value })} aria-describedby={id('tz-hint')} />
        <p id={id('tz-hint')} className="muted small">
          {p.timeZone && TIME_ZONES.length && !TIME_ZONES.includes(p.timeZone) ? 'Choose a time zone from the list (start typing a city).' : localTime(p.timeZone)}
        </p>
      </div>
      {text('libraryName', 'Library name')}
      <div className="field">
        <label htmlFor={id('type')}>Library type</label>
        <select id={id('type')} value={p.libraryType ?? ''} onChange={(e) => set({ libraryType: (e.target.value || undefined) as PartnerProfile['libraryType'] })}>
          <option value="">Choose…</option>
          {LIBRARY_TYPES.map((t) => (
            <option key={t} value={t}>
              {t[0]!.toUpperCase() + t.slice(1)}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>Library figures</legend>
        <div className="facts">
          {FACTS.map((f) => (
            <NumberField key={f.key} id={id(f.key)} label={f.label} hint={f.hint} value={p.facts[f.key]} onChange={(v) => set({ facts: { [f.key]: v } })} />
          ))}
        </div>
      </fieldset>
      {text('website', 'Library website', 'url', { placeholder: 'https://' })}
      {text('email', 'Email', 'email')}
      <div className="field">
        <label htmlFor={id('social')}>Social media links (one per line)</label>
        <textarea id={id('social')} rows={2} defaultValue={p.social.join('\n')} onBlur={(e) => set({ social: e.target.value.split('\n') })} />
      </div>
      {!props.isMe && (
        <button type="button" className="link-button danger-text" onClick={props.onRemove}>
          Remove this profile
        </button>
      )}
    </article>
  );
}

function NumberField(props: { id: string; label: string; hint: string; value: number | undefined; onChange(v: number | undefined): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? (props.value === undefined ? '' : String(props.value));
  const bad = draft !== null && draft.trim() !== '' && !/^\d[\d\s,.’']*$/.test(draft.trim());
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        inputMode="numeric"
        value={shown}
        placeholder={props.hint}
        aria-invalid={bad}
        onChange={(e) => {
          const v = e.target.value;
          setDraft(v);
          const digits = v.replace(/[\s,.’']/g, '');
          if (v.trim() === '') props.onChange(undefined);
          else if (/^\d{1,15}$/.test(digits)) props.onChange(Number(digits));
        }}
        onBlur={() => setDraft(null)}
      />
      {bad && <p className="error small">Use digits only, e.g. 120000.</p>}
    </div>
  );
}

function localTime(tz: string): string {
  if (!tz) return '';
  try {
    return `Local time there now: ${new Date().toLocaleTimeString(undefined, { timeZone: tz, hour: '2-digit', minute: '2-digit', weekday: 'short' })}`;
  } catch {
    return 'Unknown time zone: choose one from the list.';
  }
}

/** The time-zone suggestions used by every time-zone field. */
export function TimeZoneList() {
  return (
    <datalist id="time-zones">
      {TIME_ZONES.map((z) => (
        <option key={z} value={z} />
      ))}
    </datalist>
  );
}
