-- Jobs by what they are about, done or not: a receipt looks for an earlier receipt of the same
-- payment (correlation 'receipt:<attempt id>') before texting it (earlierJobAbout).
create index outbox_by_correlation on outbox (correlation, created_at) where correlation is not null;
