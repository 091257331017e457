-- Every contact we started (or are about to start) on a channel, for the frequency caps: a row is
-- written, under a per-recipient advisory lock, before the text leaves, so two jobs deciding at
-- once both see each other. Transactional contacts are logged too but never counted. A send the
-- carrier refused for good removes its row (it reached nobody).
create table contact_log (
  outbox_id       uuid primary key,
  recipient_key   text not null,                  -- 'holder:<policyholder id>', else 'phone:<E.164>'
  channel         text not null check (channel in ('sms', 'voice')),
  kind            text not null check (kind in ('transactional', 'informational', 'marketing')),
  purpose         text not null,
  to_e164         text not null,
  at              timestamptz not null
);
create index contact_log_by_recipient on contact_log (recipient_key, at);

-- A policyholder's zone is what they or their insurer told us; without one, quiet hours follow the
-- number's area code (every candidate zone of it). The default New York zone is gone: it read an
-- unknown zone as Eastern time and would have texted the West Coast at 05:00.
alter table policyholders alter column time_zone drop not null, alter column time_zone drop default;

-- The outbox job that booked a callback: its re-run (a crash before it completed) knows the booking
-- is its own and still queues the confirmation; another job of the same call stands down.
alter table callback_requests add column booked_by_job uuid;
