import { useEffect, useState } from 'react';
import type { PartnerProfile } from '../lib/notebook/types';
import { goodTimesToTalk, localTime, type TalkInterval } from '../lib/topics/overlap';
import { isoDate, isValidTimeZone, localDate } from '../lib/topics/time-zone';
import { T } from './test-ids';
import { myTimeZone } from './TopicList';
import { useT } from './i18n';
import { currentLocale } from '../lib/i18n';

const MINUTE = 60_000;

const formats = new Map<string, Intl.DateTimeFormat>();
function fmt(timeZone: string, withDay: boolean): Intl.DateTimeFormat {
  const key = `${currentLocale()}|${timeZone}|${withDay}`;
  let f = formats.get(key);
  if (!f) {
    // English keeps the day-month order and 24-hour clock of en-GB, read the same by partners everywhere.
    f = new Intl.DateTimeFormat(currentLocale() === 'en' ? 'en-GB' : currentLocale(), {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(withDay && { weekday: 'short', day: 'numeric', month: 'short' }),
    });
    formats.set(key, f);
  }
  return f;
}

/** "Tue 24 Nov 00:00–03:00" in `timeZone`; the end gets its own day when it falls on another one. */
export function spanIn(timeZone: string, i: TalkInterval): string {
  const sameDay = isoDate(localDate(timeZone, i.start)) === isoDate(localDate(timeZone, i.end - 1));
  const clean = (s: string) => s.replace(/,/g, '');
  return `${clean(fmt(timeZone, true).format(i.start))}–${clean(fmt(timeZone, !sameDay).format(i.end))}`;
}

/**
 * "Good times to talk": each partner's local time now, and the coming week's spans in which every
 * partner with a valid time zone is between 08:00 and 21:00 local time, shown in the viewer's own
 * time and in each partner's. Partners whose zone is missing or unknown are named, with the fix.
 */
export function GoodTimes(props: { partners: PartnerProfile[] }) {
  const t = useT();
  // Minute-aligned, so the list is stable between re-renders and refreshes once a minute.
  const [now, setNow] = useState(() => Math.floor(Date.now() / MINUTE) * MINUTE);
  useEffect(() => {
    const id = setInterval(() => setNow(Math.floor(Date.now() / MINUTE) * MINUTE), 30_000);
    return () => clearInterval(id);
  }, []);
  const me = myTimeZone();
  const named = props.partners.map((p) => ({ name: p.name.trim() || 'A partner without a name', timeZone: p.timeZone }));
  const { intervals, problems } = goodTimesToTalk(named, now, 7);
  const zones = props.partners.filter((p) => isValidTimeZone(p.timeZone));
  const usable = named.length - problems.length;

  return (
    <section className="card good-times" aria-labelledby="good-times-heading" data-testid={T.goodTimes}>
      <h2 id="good-times-heading">{t('goodTimes.goodTimesToTalk')}</h2>
      <ul className="plain clocks">
        {props.partners.map((p) => {
          const time = localTime(p.timeZone, now);
          return (
            <li key={p.id} data-testid={T.partnerClock}>
              <strong>{p.name || t('goodTimes.aPartnerWithoutA')}</strong>: {time ? `${time} (${p.timeZone})` : t('goodTimes.noTimeZoneYet')}
            </li>
          );
        })}
      </ul>
      {problems.length > 0 && (
        <ul className="plain alert tz-problems" data-testid={T.timeZoneProblems}>
          {problems.map((p) => (
            <li key={p.name}>
              {p.timeZone ? t('goodTimes.unknownZone', { name: p.name, zone: p.timeZone }) : t('goodTimes.noZone', { name: p.name })}{' '}
              {t('goodTimes.fixChooseATime', { name: p.name })}
            </li>
          ))}
        </ul>
      )}
      {usable < 2 ? (
        <p className="muted">{t('goodTimes.onceAtLeastTwo')}</p>
      ) : intervals.length === 0 ? (
        <p>{t('goodTimes.inTheComingDays')}</p>
      ) : (
        <>
          <p className="muted small">{t('goodTimes.theComingDaysWhen', { zone: me })}</p>
          <ol className="plain talk-times" data-testid={T.talkTimes}>
            {intervals.map((i) => (
              <li key={i.start} data-start={i.start} data-end={i.end} data-testid={T.talkTime}>
                <span className="talk-mine">{spanIn(me, i)}</span> <span className="muted small">({Math.round(i.minutes / 6) / 10} h)</span>
                <ul className="plain talk-theirs small">
                  {zones.map((p) => (
                    <li key={p.id} data-zone={p.timeZone}>
                      {p.name || t('goodTimes.partner')}: {spanIn(p.timeZone, i)}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
