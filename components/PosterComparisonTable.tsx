import type * as Y from 'yjs';
import { randomId } from '../lib/notebook/people';
import { addPosterTableRow, removePosterTableRow, setPosterRowLabel, setPosterTableCell, type PosterTableRow } from '../lib/notebook';
import type { PartnerProfile } from '../lib/notebook/types';
import { AddForm } from './AddForm';
import { RemoveButton } from './RemoveButton';
import { T } from './test-ids';
import { useT } from './i18n';

/**
 * The side-by-side table: one column per partner, one row per figure. Cells are short values,
 * stored one key per cell, so two partners filling in different cells never collide.
 */
export function PosterComparisonTable(props: { doc: Y.Doc; rows: PosterTableRow[]; partners: PartnerProfile[] }) {
  const t = useT();
  const { doc, rows, partners } = props;
  return (
    <>
      <div className="poster-table-wrap" role="group" aria-label={t('posterComparisonTable.sideBySideComparison')}>
        <table className="poster-table" data-testid={T.posterTable}>
          <thead>
            <tr>
              <th scope="col">{t('posterComparisonTable.row')}</th>
              {partners.map((p) => (
                <th scope="col" key={p.id} style={{ borderBottomColor: p.color }}>
                  {p.name || t('posterComparisonTable.partner')}
                </th>
              ))}
              <th scope="col">
                <span className="sr-only">{t('posterComparisonTable.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">
                  <input
                    aria-label={t('posterComparisonTable.rowLabelLabel', { label: r.label })}
                    value={r.label}
                    maxLength={200}
                    onChange={(e) => setPosterRowLabel(doc, r.key, e.target.value)}
                  />
                </th>
                {partners.map((p) => (
                  <td key={p.id}>
                    <input
                      aria-label={`${r.label || t('posterComparisonTable.row')} — ${p.name || t('posterComparisonTable.partner')}`}
                      value={r.values[p.id] ?? ''}
                      maxLength={200}
                      onChange={(e) => setPosterTableCell(doc, r.key, p.id, e.target.value)}
                    />
                  </td>
                ))}
                <td>
                  <RemoveButton label={t('posterComparisonTable.removeRowLabel', { label: r.label })} onClick={() => removePosterTableRow(doc, r.key)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <AddForm
        id="poster-new-row"
        className="row add-row"
        grow
        texts={{ label: t('posterComparisonTable.newRowLabel'), placeholder: t('posterComparisonTable.addARowE'), button: t('posterComparisonTable.addRow') }}
        maxLength={200}
        onAdd={(label) => void addPosterTableRow(doc, label, { newId: randomId })}
      />
      <p className="muted small">{t('posterComparisonTable.aDashShowsOn')}</p>
    </>
  );
}
