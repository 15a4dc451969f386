import { Button, Field, Input, Select, Spinner, Text, Title3, makeStyles } from '@fluentui/react-components';
import { AddRegular, InfoRegular, SearchRegular } from '@fluentui/react-icons';
import { Suspense, useEffect, useRef, useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { onDemand } from '../../shared/components/OnDemand';
import { useDebounced } from '../../shared/use-debounced';
import { genderLabel } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import { usePatientSearch, type SearchCriteria } from './api/search-patients';
import { AddFailed } from '../../shared/components/AddFailed';
import { addToList } from '../../shared/add-to-list';
import { SearchAnnouncer } from './SearchAnnouncer';
import { useOneAtATime } from '../../shared/use-one-at-a-time';

// The results' table, with Fluent's table and the record notices' badges, is not in the tab's first
// download: it is asked for when the search pane first shows, so it is here before any search answers.
const loadResultsTable = () => import('./SearchResultsTable').then((m) => m.SearchResultsTable);
const SearchResultsTable = onDemand(loadResultsTable);

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '12px', minWidth: 0 },
  filters: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))', gap: '8px 12px' },
  // Grid items and inputs otherwise keep their intrinsic width and overlap the next filter.
  filter: { minWidth: 0 },
  input: { width: '100%', minWidth: 0 },
  actions: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
  note: { display: 'flex', gap: '6px', alignItems: 'center' },
});

export interface SearchTarget {
  listName: string;
  /** Settles once the patients are on the list; rejects when they could not be added. */
  onAdd: (patientIds: string[]) => Promise<unknown>;
  isAdding: boolean;
  /** Patients already on the list. */
  onList: Set<string>;
}

/** Search the team's EHR as you type; add results to the open list. */
export function PatientSearch({ target }: { target: SearchTarget | null }) {
  const styles = useStyles();
  const [name, setName] = useState('');
  const [mrn, setMrn] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [gender, setGender] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [added, setAdded] = useState<{ count: number; list: string } | null>(null);
  const [failed, setFailed] = useState<{ count: number; list: string; error: unknown } | null>(null);
  const addedNotice = useRef<HTMLSpanElement>(null);
  const oneAtATime = useOneAtATime();
  useEffect(() => addedNotice.current?.focus(), [added]);
  // The results' chunk is asked for now; if it cannot be fetched, their place says so once a search finds patients.
  useEffect(() => void loadResultsTable().catch(() => undefined), []);
  const criteria = useDebounced<SearchCriteria>({ name: name.trim(), identifier: mrn.trim(), birthdate: birthDate, gender }, 300);
  const hasCriteria = Object.values(criteria).some(Boolean);
  const results = usePatientSearch(criteria);
  const patients = results.data?.pages.flatMap((p) => p.patients) ?? [];
  const toggle = (id: string, on: boolean) => {
    setAdded(null);
    setFailed(null);
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  };
  const chosen = [...selected].filter((id) => !target?.onList.has(id));

  return (
    <section className={styles.section} aria-labelledby="search-title">
      <Title3 as="h2" id="search-title" style={{ margin: 0 }}>
        {t('search.title')}
      </Title3>
      <div className={styles.filters}>
        <Field label={t('search.name')} hint={t('search.nameHint')} className={styles.filter}>
          <Input
            className={styles.input}
            value={name}
            onChange={(_, d) => setName(d.value)}
            type="search"
            contentBefore={<SearchRegular aria-hidden />}
          />
        </Field>
        <Field label={t('search.mrn')} hint={t('search.mrnHint')} className={styles.filter}>
          <Input className={styles.input} value={mrn} onChange={(_, d) => setMrn(d.value)} type="search" />
        </Field>
        <Field label={t('search.birthDate')} className={styles.filter}>
          <Input className={styles.input} value={birthDate} onChange={(_, d) => setBirthDate(d.value)} type="date" />
        </Field>
        <Field label={t('search.gender')} className={styles.filter}>
          <Select className={styles.input} value={gender} onChange={(_, d) => setGender(d.value)}>
            <option value="">{t('search.anyGender')}</option>
            {(['female', 'male', 'other', 'unknown'] as const).map((g) => (
              <option key={g} value={g}>
                {genderLabel(g)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {!hasCriteria && <Text>{t('search.hint')}</Text>}
      {results.isFetching && !results.isFetchingNextPage && <Spinner size="small" label={t('app.loading')} />}
      {results.isError && <ErrorNotice error={results.error} onRetry={() => void results.refetch()} />}
      {/* The EHR refused `:contains`: it finds names only from the start of a part, so say how to search it. */}
      {criteria.name && results.isSuccess && results.data.pages[0]?.match === 'start' && (
        <Text role="note" className={styles.note}>
          <InfoRegular aria-hidden />
          {t('search.matchStart')}
        </Text>
      )}
      {hasCriteria && results.isSuccess && patients.length === 0 && <Text role="status">{t('search.empty')}</Text>}
      <SearchAnnouncer
        found={patients.length}
        more={Boolean(results.hasNextPage)}
        answeredAt={hasCriteria && results.isSuccess && !results.isFetching ? results.dataUpdatedAt : null}
      />
      {patients.length > 0 && (
        <>
          <div className={styles.actions}>
            {target ? (
              <Button
                appearance="primary"
                icon={<AddRegular />}
                disabled={chosen.length === 0 || target.isAdding}
                onClick={() =>
                  oneAtATime(async (done) => {
                    setAdded(null);
                    setFailed(null);
                    // Said added, and the choice cleared, only once the server has them on the list.
                    const outcome = await addToList(target.onAdd, chosen, target.listName).finally(done);
                    if (outcome.ok) {
                      setSelected(new Set());
                      setAdded({ count: outcome.count, list: outcome.list });
                    } else setFailed(outcome);
                  })
                }
              >
                {t('search.addSelected', { count: chosen.length, list: target.listName })}
              </Button>
            ) : (
              <Text>{t('search.noList')}</Text>
            )}
            {/* The button turns disabled once the patients are added: focus goes to what happened, not to the page. */}
            {added && (
              <Text role="status" tabIndex={-1} ref={addedNotice}>
                {t('search.addedTo', added)}
              </Text>
            )}
            {failed && <AddFailed failure={failed} />}
          </div>
          <Suspense fallback={<Spinner size="small" label={t('app.loading')} />}>
            <SearchResultsTable patients={patients} onList={target?.onList ?? null} selected={selected} onToggle={toggle} />
          </Suspense>
          {results.hasNextPage && (
            <div>
              <Button onClick={() => results.fetchNextPage()} disabled={results.isFetchingNextPage}>
                {t('search.more')}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
