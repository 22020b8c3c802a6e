import { useState } from 'react';
import { PERSON_COLORS, suggestColor } from '../lib/notebook/people';
import { T } from './test-ids';
import { ProgrammeSettingsForm } from './ProgrammeSettingsForm';

/** First run: the person's name and colour, shown to partners next to everything they write. */
export function Welcome(props: { onDone(name: string, color: string): void }) {
  const [name, setName] = useState('');
  const [color, setColor] = useState(() => suggestColor([]));
  const [error, setError] = useState('');
  const [showCode, setShowCode] = useState(false);
  return (
    <main className="page">
      <h1>Welcome to Partner Notebook</h1>
      <p>A shared notebook for you and your programme partners: clip library pages, write notes together by topic, and make your poster.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return setError('Please type your name. Your partners will see it next to what you write.');
          props.onDone(name.trim(), color);
        }}
      >
        <label htmlFor="welcome-name">Your name</label>
        <input
          id="welcome-name"
          data-testid={T.welcomeName}
          value={name}
          maxLength={80}
          autoComplete="name"
          aria-invalid={!!error}
          aria-describedby={error ? 'welcome-error' : undefined}
          onChange={(e) => {
            setName(e.target.value);
            setError('');
          }}
          autoFocus
        />
        {error && (
          <p id="welcome-error" className="error" role="alert">
            {error}
          </p>
        )}
        <fieldset className="colors">
          <legend>Your colour (for your cursor and name)</legend>
          {PERSON_COLORS.map((c, i) => (
            <label key={c} className="swatch" style={{ background: c }}>
              <input type="radio" name="color" value={c} checked={color === c} onChange={() => setColor(c)} />
              <span className="sr-only">Colour {i + 1}</span>
            </label>
          ))}
        </fieldset>
        <p className="preview">
          Partners will see: <span className="name-chip" style={{ background: color }}>{name.trim() || 'Your name'}</span>
        </p>
        <button type="submit" className="primary" data-testid={T.welcomeContinue}>
          Continue
        </button>
      </form>
      {/* Offered here too: a programme's participants set the server before their first notebook. */}
      <button type="button" className="link-button" aria-expanded={showCode} data-testid={T.welcomeSettingsCode} onClick={() => setShowCode(!showCode)}>
        My programme gave me a settings code
      </button>
      {showCode && <ProgrammeSettingsForm idPrefix="welcome" />}
    </main>
  );
}
