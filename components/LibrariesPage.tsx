import { useState } from 'react';
import type * as Y from 'yjs';
import type { NotebookSnapshot } from '../lib/notebook/snapshot';
import { randomId, suggestColor } from '../lib/notebook/people';
import { removePartner, updatePartner } from '../lib/notebook';
import { LIBRARY_TYPES, type LibraryFacts, type PartnerProfile } from '../lib/notebook/types';
import { ConfirmDialog } from './ConfirmDialog';
import { GoodTimes } from './GoodTimes';
import { SelectField } from './SelectField';
import { T } from './test-ids';
import { useT } from './i18n';
import { t, type MessageKey, currentLocale } from '../lib/i18n';

const FACTS: { key: keyof LibraryFacts; label: MessageKey; example: string }[] = [
  { key: 'founded', label: 'librariesPage.foundedYear', example: '1921' },
  { key: 'collectionSize', label: 'librariesPage.collectionSizeItems', example: '250000' },
  { key: 'registeredUsers', label: 'librariesPage.registeredUsers', example: '18000' },
  { key: 'staff', label: 'librariesPage.staff', example: '42' },
  { key: 'yearlyVisits', label: 'librariesPage.visitsPerYear', example: '120000' },
];

const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** "Our libraries": every partner's profile, which the poster's library sections are drafted from. */
export function LibrariesPage(props: { doc: Y.Doc; snap: NotebookSnapshot; meId: string }) {
  const t = useT();
  const [removing, setRemoving] = useState<PartnerProfile | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  return (
    <section aria-labelledby="libraries-heading">
      <h1 id="libraries-heading" tabIndex={-1}>
        {t('librariesPage.ourLibraries')}
      </h1>
      <p className="muted">{t('librariesPage.eachPartnerFillsIn')}</p>
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
        {t('librariesPage.addAPartnerS')}
      </button>
      {removing && (
        <ConfirmDialog
          title={t('librariesPage.removeP', { p0: removing.name || 'this profile' })}
          body={t('librariesPage.theProfileIsRemoved')}
          confirmLabel={t('librariesPage.removeProfile')}
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
  const t = useT();
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
        {p.name || t('librariesPage.newPartner')} {props.isMe && <span className="badge">{t('librariesPage.you')}</span>}
      </h2>
      {text('name', 'Name', 'text', { autoFocus: props.autoFocus })}
      <div className="row wrap">
        {text('country', 'Country')}
        {text('city', 'City')}
      </div>
      <div className="field">
        <label htmlFor={id('tz')}>{t('librariesPage.timeZone')}</label>
        <input
          id={id('tz')}
          list="time-zones"
          value={p.timeZone}
          placeholder={t('librariesPage.eGAsiaUlaanbaatar')}
          onChange={(e) => set({ timeZone: e.target.value })}
          aria-describedby={id('tz-hint')}
        />
        <p id={id('tz-hint')} className="muted small">
          {p.timeZone && TIME_ZONES.length && !TIME_ZONES.includes(p.timeZone) ? t('librariesPage.chooseATimeZone') : localTime(p.timeZone)}
        </p>
      </div>
      {text('libraryName', t('librariesPage.libraryName'))}
      <div className="field">
        <SelectField
          id={id('type')}
          label={t('librariesPage.libraryType')}
          value={p.libraryType ?? ''}
          onChange={(v) => set({ libraryType: (v || undefined) as PartnerProfile['libraryType'] })}
          emptyLabel={t('librariesPage.choose')}
          options={LIBRARY_TYPES.map((type) => ({ value: type, label: t(`libraryType.${type}`) }))}
        />
      </div>
      <fieldset>
        <legend>{t('librariesPage.libraryFigures')}</legend>
        <div className="facts">
          {FACTS.map((f) => (
            <NumberField
              key={f.key}
              id={id(f.key)}
              label={t(f.label)}
              hint={t('librariesPage.example', { example: f.example })}
              value={p.facts[f.key]}
              onChange={(v) => set({ facts: { [f.key]: v } })}
            />
          ))}
        </div>
      </fieldset>
      {text('website', t('librariesPage.libraryWebsite'), 'url', { placeholder: 'https://' })}
      {text('email', 'Email', 'email')}
      <div className="field">
        <label htmlFor={id('social')}>{t('librariesPage.socialMediaLinksOne')}</label>
        <textarea id={id('social')} rows={2} defaultValue={p.social.join('\n')} onBlur={(e) => set({ social: e.target.value.split('\n') })} />
      </div>
      {!props.isMe && (
        <button type="button" className="link-button danger-text" onClick={props.onRemove}>
          {t('librariesPage.removeThisProfile')}
        </button>
      )}
    </article>
  );
}

function NumberField(props: { id: string; label: string; hint: string; value: number | undefined; onChange(v: number | undefined): void }) {
  const t = useT();
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
      {bad && <p className="error small">{t('librariesPage.useDigitsOnlyE')}</p>}
    </div>
  );
}

function localTime(tz: string): string {
  if (!tz) return '';
  try {
    return t('librariesPage.localTimeThereNow', {
      p0: new Date().toLocaleTimeString(currentLocale(), { timeZone: tz, hour: '2-digit', minute: '2-digit', weekday: 'short' }),
    });
  } catch {
    return t('librariesPage.unknownTimeZoneChoose');
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
