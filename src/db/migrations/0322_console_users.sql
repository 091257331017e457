-- Console sign-in (src/console): people who use the gateway's pages, with roles, and their sessions.
-- Passwords are stored as scrypt hashes only (src/console/password-hash.ts); a session is stored by the
-- SHA-256 of its cookie value, so a copy of this table signs nobody in.
create table console_users (
  id uuid primary key,
  username text not null,
  display_name text not null,
  role text not null check (role in ('specialist', 'compliance', 'operator', 'admin')),
  -- A specialist's account speaks for one retention specialist (availability, screen pops); only theirs.
  specialist_id uuid references retention_specialists (id),
  password_hash text not null,
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  created_at timestamptz not null,
  disabled_at timestamptz,
  check ((role = 'specialist') = (specialist_id is not null))
);
create unique index console_users_username on console_users (lower(username));

create table console_sessions (
  id_hash text primary key,
  user_id uuid not null references console_users (id),
  csrf_token text not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  ended_at timestamptz
);
create index console_sessions_user on console_sessions (user_id);
