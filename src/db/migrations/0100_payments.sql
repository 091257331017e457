-- Payments (issue #4): Stripe customer mapping, attempt details for decline
-- intelligence and card-network retry caps, pay links, refunds and webhook
-- deduplication. Provider ids only: never a card number, expiry or CVC.

alter table policyholders add column provider_customer_id text unique;

-- Free-look periods run from inception; rows imported without it fall back to created_at.
alter table policies add column inception_date date;

alter table payment_attempts
  add column provider_payment_method_id text,        -- pm_...: the card the attempt used (retry caps are per card)
  add column card_brand text,                         -- 'visa', 'mastercard'...: which network's rules apply
  add column card_last4 text check (card_last4 is null or card_last4 ~ '^[0-9]{4}$'),
  add column advice_code text,
  add column network_decline_code text,
  add column network_advice_code text,
  add column refunded_cents bigint not null default 0 check (refunded_cents >= 0),
  -- A caller working on a pending attempt holds it until then; an expired or
  -- empty lease means the Stripe call may be resumed with the same key.
  add column claimed_until timestamptz,
  -- Set when this payment succeeded for a due another payment had already paid.
  add column duplicate_of uuid references payment_attempts(id);

-- One attempt per provider payment: webhooks and API results meet on it.
create unique index payment_attempts_provider_payment on payment_attempts (provider, provider_payment_id)
  where provider_payment_id is not null;
create index payment_attempts_card on payment_attempts (provider_payment_method_id, created_at)
  where provider_payment_method_id is not null;

-- Every Stripe event we accepted, by Stripe's id: a redelivery changes nothing.
create table stripe_events (
  id               text primary key,                 -- evt_...
  type             text not null,
  object_id        text,                             -- id of data.object (pi_..., ch_..., cs_...)
  created          timestamptz not null,             -- Stripe's time of the event
  received_at      timestamptz not null,
  processed_at     timestamptz,
  deliveries       int not null default 1,
  outcome          text                              -- what handling did, in a few words
);

create table pay_links (
  id               uuid primary key,
  due_id           uuid not null references premium_dues(id),
  provider         text not null default 'stripe',
  provider_id      text unique,                      -- cs_... once Stripe answered
  url              text,
  amount_cents     bigint not null check (amount_cents > 0),
  currency         text not null,
  status           text not null check (status in ('creating', 'open', 'paid', 'expired', 'superseded')),
  idempotency_key  text not null unique,
  created_at       timestamptz not null,
  expires_at       timestamptz not null,
  paid_at          timestamptz
);
create index pay_links_due on pay_links (due_id, created_at);

create table refunds (
  id               uuid primary key,
  attempt_id       uuid not null references payment_attempts(id),
  kind             text not null check (kind in ('full-free-look', 'full-mis-selling', 'pro-rata', 'duplicate')),
  amount_cents     bigint not null check (amount_cents > 0),
  currency         text not null,
  status           text not null check (status in ('pending', 'succeeded', 'failed')),
  idempotency_key  text not null unique,
  provider_refund_id text unique,
  explanation      text not null,                    -- how the amount was computed, in words
  created_at       timestamptz not null,
  updated_at       timestamptz not null
);
create index refunds_attempt on refunds (attempt_id);
