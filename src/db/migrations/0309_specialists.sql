-- The retention specialists' registry (src/retention): which languages each speaks, when they work (in
-- their own zone), whether they take calls now, and when a transfer last rang them (fair rotation).
-- `if not exists` keeps a rerun of this file by hand harmless; the migrator applies it once.
alter table retention_specialists
  add column if not exists languages text[] not null default '{en-US}',
  add column if not exists time_zone text not null default 'America/New_York',
  -- Per weekday windows in time_zone, e.g. {"mon": [["09:00", "17:00"]]}; null follows BUSINESS_HOURS.
  add column if not exists working_hours jsonb,
  -- A new specialist takes no calls until they (or an operator) say they are available.
  add column if not exists availability text not null default 'away',
  add column if not exists availability_changed_at timestamptz,
  add column if not exists last_offered_at timestamptz;

alter table retention_specialists drop constraint if exists retention_specialists_availability_check;
alter table retention_specialists add constraint retention_specialists_availability_check
  check (availability in ('available', 'busy', 'away'));
alter table retention_specialists drop constraint if exists retention_specialists_languages_check;
alter table retention_specialists add constraint retention_specialists_languages_check
  check (cardinality(languages) > 0 and languages <@ array['en-US', 'es-US']);
alter table retention_specialists drop constraint if exists retention_specialists_working_hours_check;
alter table retention_specialists add constraint retention_specialists_working_hours_check
  check (working_hours is null or jsonb_typeof(working_hours) = 'object');

-- Languages used to be written among the skills ('es', 'en-US', 'Spanish'): they move to languages,
-- the other skills stay. A row whose skills name no language keeps the default (en-US).
with split as (
  select id,
         array(select distinct case when lower(k) ~ '^(es|spanish|espa)' then 'es-US' else 'en-US' end
               from unnest(skills) k
               where lower(k) ~ '^((en|es)([-_][a-z]{2})?|english|spanish|español|espanol)$' order by 1) as langs,
         array(select k from unnest(skills) with ordinality as u(k, n)
               where lower(k) !~ '^((en|es)([-_][a-z]{2})?|english|spanish|español|espanol)$' order by n) as rest
  from retention_specialists
)
update retention_specialists s set languages = split.langs, skills = split.rest
from split where s.id = split.id and cardinality(split.langs) > 0;

-- A specialist's token: the API lets it change that specialist's availability and no one else's.
alter table api_tokens add column if not exists specialist_id uuid references retention_specialists(id);
alter table api_tokens drop constraint if exists api_tokens_specialist_role_check;
alter table api_tokens add constraint api_tokens_specialist_role_check
  check (specialist_id is null or role = 'specialist');
