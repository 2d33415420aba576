// Versioned schema. Each migration runs once, in order, inside a transaction, and
// PRAGMA user_version records how far a database has come. Never edit a migration
// that has shipped: add the next one.
import type { Database } from 'better-sqlite3';
import { convertSourceRows } from '../rowstore/convert-rows';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'import batches, source rows with origin, append-only audit log',
    up(db) {
      db.exec(`
        CREATE TABLE import_batch (
          id          INTEGER PRIMARY KEY,
          kind        TEXT NOT NULL,
          file_name   TEXT NOT NULL,
          file_size   INTEGER NOT NULL,
          sha256      TEXT NOT NULL,
          encoding    TEXT NOT NULL,
          delimiter   TEXT,
          profile     TEXT NOT NULL,
          rows        INTEGER NOT NULL,
          rejected    INTEGER NOT NULL DEFAULT 0,
          imported_by TEXT NOT NULL,
          imported_at TEXT NOT NULL,
          status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','withdrawn'))
        );
        -- The same file may be imported again only after its batch was withdrawn.
        CREATE UNIQUE INDEX import_batch_sha_active ON import_batch(sha256) WHERE status = 'active';

        CREATE TABLE source_row (
          batch_id INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
          line     INTEGER NOT NULL,
          raw      TEXT NOT NULL,
          PRIMARY KEY (batch_id, line)
        ) WITHOUT ROWID;

        CREATE TABLE audit_log (
          seq       INTEGER PRIMARY KEY,
          at        TEXT NOT NULL,
          actor     TEXT NOT NULL,
          action    TEXT NOT NULL,
          target    TEXT,
          detail    TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          hash      TEXT NOT NULL
        );
        -- Append-only inside the app; the hash chain catches edits made outside it.
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;
      `);
    },
  },
  {
    version: 2,
    name: 'normalised source rows, batch periods, column profiles',
    up(db) {
      db.exec(`
        ALTER TABLE import_batch ADD COLUMN period_from TEXT;
        ALTER TABLE import_batch ADD COLUMN period_to TEXT;
        -- The header as the file spelled it, so feedback files can speak the same columns.
        ALTER TABLE import_batch ADD COLUMN header TEXT;
        -- The columns matching needs, normalised; every canonical field is in norm (JSON),
        -- the cells as read are in raw. Amounts are INTEGER fen, never REAL.
        ALTER TABLE source_row ADD COLUMN kind TEXT NOT NULL DEFAULT '';
        ALTER TABLE source_row ADD COLUMN key TEXT;
        ALTER TABLE source_row ADD COLUMN sub_key TEXT;
        ALTER TABLE source_row ADD COLUMN ref_key TEXT;
        ALTER TABLE source_row ADD COLUMN amount_fen INTEGER;
        ALTER TABLE source_row ADD COLUMN status TEXT;
        ALTER TABLE source_row ADD COLUMN certno TEXT;
        ALTER TABLE source_row ADD COLUMN insutype TEXT;
        ALTER TABLE source_row ADD COLUMN pay_year INTEGER;
        ALTER TABLE source_row ADD COLUMN event_at TEXT;
        ALTER TABLE source_row ADD COLUMN norm TEXT NOT NULL DEFAULT '{}';

        CREATE TABLE column_profile (
          name       TEXT PRIMARY KEY,
          kind       TEXT NOT NULL,
          definition TEXT NOT NULL,
          created_by TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 3,
    name: 'reconciliation runs and breaks',
    up(db) {
      db.exec(`
        CREATE INDEX source_row_kind_key ON source_row(kind, key);

        CREATE TABLE recon_run (
          id           INTEGER PRIMARY KEY,
          kind         TEXT NOT NULL,
          period       TEXT NOT NULL,
          ran_at       TEXT NOT NULL,
          ran_by       TEXT NOT NULL,
          window_hours INTEGER NOT NULL,
          summary      TEXT NOT NULL
        );

        CREATE TABLE recon_break (
          id              INTEGER PRIMARY KEY,
          kind            TEXT NOT NULL,
          key             TEXT NOT NULL, -- the break's identity (match key, or the row for duplicates and keyless rows)
          match_key       TEXT NOT NULL, -- order_no / setl_id as people know it
          type            TEXT NOT NULL,
          status          TEXT NOT NULL CHECK (status IN ('open','closed')),
          fields          TEXT NOT NULL,
          amount_ledger   INTEGER,
          amount_external INTEGER,
          certno          TEXT,
          name            TEXT,
          event_at        TEXT,
          matched_by      TEXT,
          ledger_origin   TEXT NOT NULL,
          external_origin TEXT NOT NULL,
          opened_period   TEXT NOT NULL,
          opened_run      INTEGER NOT NULL REFERENCES recon_run(id),
          last_run        INTEGER NOT NULL REFERENCES recon_run(id),
          closed_period   TEXT,
          closed_at       TEXT,
          resolution      TEXT
        );
        -- One record never has two open breaks.
        CREATE UNIQUE INDEX recon_break_one_open ON recon_break(kind, key) WHERE status = 'open';
        CREATE INDEX recon_break_kind_period ON recon_break(kind, opened_period, status);

        CREATE TABLE break_event (
          id       INTEGER PRIMARY KEY,
          break_id INTEGER NOT NULL REFERENCES recon_break(id),
          at       TEXT NOT NULL,
          actor    TEXT NOT NULL,
          action   TEXT NOT NULL,
          detail   TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 4,
    name: 'users with roles, workstation settings',
    up(db) {
      db.exec(`
        CREATE TABLE app_user (
          name          TEXT PRIMARY KEY,
          display_name  TEXT NOT NULL,
          roles         TEXT NOT NULL,          -- JSON array of officer | finance | auditor | admin
          password_hash TEXT NOT NULL,          -- scrypt$N$r$p$salt$hash
          disabled      INTEGER NOT NULL DEFAULT 0,
          created_at    TEXT NOT NULL,
          created_by    TEXT NOT NULL
        );
        CREATE TABLE setting (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 5,
    name: 'working breaks: assignment, dispositions, write-off approval, undo groups',
    up(db) {
      db.exec(`
        ALTER TABLE recon_break ADD COLUMN assignee TEXT;
        ALTER TABLE recon_break ADD COLUMN note TEXT;
        ALTER TABLE recon_break ADD COLUMN disposed_by TEXT;
        ALTER TABLE recon_break ADD COLUMN pending TEXT;          -- '核销' while a write-off waits for finance
        ALTER TABLE recon_break ADD COLUMN pending_by TEXT;
        ALTER TABLE break_event ADD COLUMN grp TEXT;               -- one user action over many breaks, undone together
        CREATE INDEX break_event_break ON break_event(break_id);
        CREATE INDEX recon_break_status ON recon_break(kind, status, type);

        -- A confirmed period: nothing may change it any more.
        CREATE TABLE period_lock (
          kind      TEXT NOT NULL,
          period    TEXT NOT NULL,
          locked_at TEXT NOT NULL,
          locked_by TEXT NOT NULL,
          reason    TEXT NOT NULL,
          PRIMARY KEY (kind, period)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 6,
    name: 'signing keys and clearing statements',
    up(db) {
      db.exec(`
        CREATE TABLE user_key (
          user        TEXT PRIMARY KEY REFERENCES app_user(name),
          public_key  TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          key_file    TEXT NOT NULL,             -- JSON: the private key sealed under the user's password
          created_at  TEXT NOT NULL
        );
        CREATE TABLE statement (
          id            INTEGER PRIMARY KEY,
          period        TEXT NOT NULL,
          region        TEXT NOT NULL,
          name          TEXT NOT NULL,           -- 清算_<region>_<period>_<kind>
          dir           TEXT NOT NULL,
          zip           TEXT NOT NULL,
          manifest_sm3  TEXT NOT NULL,
          prepared_by   TEXT NOT NULL,
          prepared_at   TEXT NOT NULL,
          preparer_fpr  TEXT NOT NULL,
          confirmed_by  TEXT,
          confirmed_at  TEXT,
          confirmer_fpr TEXT,
          status        TEXT NOT NULL CHECK (status IN ('prepared','confirmed'))
        );
      `);
    },
  },
  {
    version: 7,
    name: 'policy profiles (versioned) and policy findings',
    up(db) {
      db.exec(`
        CREATE TABLE policy_profile (
          id         TEXT NOT NULL,
          version    INTEGER NOT NULL,
          definition TEXT NOT NULL,
          created_by TEXT NOT NULL,
          created_at TEXT NOT NULL,
          PRIMARY KEY (id, version)
        ) WITHOUT ROWID;
        CREATE TABLE policy_finding (
          id              INTEGER PRIMARY KEY,
          period          TEXT NOT NULL,
          rule            TEXT NOT NULL,
          profile         TEXT NOT NULL,
          profile_version INTEGER NOT NULL,
          subject         TEXT NOT NULL,
          rows            TEXT NOT NULL,
          explanation     TEXT NOT NULL,
          citation        TEXT NOT NULL,
          status          TEXT NOT NULL DEFAULT 'open',
          resolution      TEXT,
          note            TEXT,
          disposed_by     TEXT,
          created_at      TEXT NOT NULL
        );
        CREATE INDEX policy_finding_period ON policy_finding(period, rule);
      `);
    },
  },
  {
    version: 8,
    name: 'match group key with a covering index for matching',
    up(db) {
      db.exec(`
        -- The key a row is matched under: its own key, or for a cancellation the
        -- settlement it reverses. Stored at import so matching reads rows in key
        -- order straight from one covering index, with no sort and no lookups.
        ALTER TABLE source_row ADD COLUMN gk TEXT;
        UPDATE source_row SET gk = CASE
          WHEN kind IN ('settlement', 'ledger-settlement') AND status = 'cancel' AND ref_key IS NOT NULL THEN ref_key
          ELSE key END;
        DROP INDEX source_row_kind_key;
        CREATE INDEX source_row_match ON source_row(kind, gk, key, sub_key, amount_fen, status, certno, insutype, pay_year, event_at);
      `);
    },
  },
  {
    version: 9,
    name: 'narrow source rows: rowid by (batch, line), raw bytes kept as a compressed copy of the file',
    up(db) {
      db.exec(`
        -- A row is found by (batch, line) through its rowid, and rows append in
        -- rowid order. The fields that have a column are no longer repeated in
        -- the JSON, and a text file's raw records are no longer copied row by
        -- row: the file itself is kept (compressed, in pieces) in source_blob and
        -- each row keeps the byte offset of its record. XLSX rows keep their cells
        -- as JSON in raw. Rows imported before keep theirs.
        CREATE TABLE source_row_v9 (
          id         INTEGER PRIMARY KEY, -- batch_id << 32 | line
          batch_id   INTEGER NOT NULL,
          line       INTEGER NOT NULL,
          kind       TEXT NOT NULL,
          gk         TEXT,
          key        TEXT,
          sub_key    TEXT,
          ref_key    TEXT,
          amount_fen INTEGER,
          status     TEXT,
          certno     TEXT,
          insutype   TEXT,
          pay_year   INTEGER,
          event_at   TEXT,
          norm       TEXT NOT NULL,
          raw        TEXT,
          raw_off    INTEGER
        );
        INSERT INTO source_row_v9
          SELECT (batch_id << 32) | line, batch_id, line, kind, gk, key, sub_key, ref_key, amount_fen, status, certno, insutype, pay_year, event_at, norm, raw, NULL
          FROM source_row ORDER BY batch_id, line;
        DROP TABLE source_row;
        ALTER TABLE source_row_v9 RENAME TO source_row;
        CREATE INDEX source_row_match ON source_row(kind, gk, key, sub_key, amount_fen, status, certno, insutype, pay_year, event_at);

        CREATE TABLE source_blob (
          id       INTEGER PRIMARY KEY, -- batch_id << 20 | seq
          batch_id INTEGER NOT NULL,
          seq      INTEGER NOT NULL,
          data     BLOB NOT NULL        -- raw-deflated piece seq of the file
        );
        ALTER TABLE import_batch ADD COLUMN blob_piece INTEGER; -- bytes of the file per source_blob piece
      `);
    },
  },
  {
    version: 10,
    name: 'source rows in column blocks (row_block) instead of a row and an index entry each',
    up(db) {
      db.exec(`
        -- One row per block of up to 16,384 source rows of one batch, encoded
        -- column by column (rowstore/column-format): writing a million rows is a
        -- few dozen inserts, and matching reads the compared columns as arrays.
        -- cols: the columns matching, clearing and the checks read (and the line
        -- and byte offset of each row); extra: the JSON of the other fields and
        -- an XLSX row's cells. min_at/max_at let a scan by date skip a block.
        CREATE TABLE row_block (
          id         INTEGER PRIMARY KEY, -- batch_id << 20 | seq
          batch_id   INTEGER NOT NULL,
          kind       TEXT NOT NULL,
          seq        INTEGER NOT NULL,
          n          INTEGER NOT NULL,
          first_line INTEGER NOT NULL,
          last_line  INTEGER NOT NULL,
          min_at     TEXT,
          max_at     TEXT,
          cols       BLOB NOT NULL,
          extra      BLOB NOT NULL
        );
        CREATE INDEX row_block_kind ON row_block(kind, id);
      `);
      convertSourceRows(db);
      db.exec('DROP TABLE source_row');
    },
  },
  {
    version: 11,
    name: 'sign-in attempts (lockout after repeated failures, per account and per host)',
    up(db) {
      db.exec(`
        CREATE TABLE login_attempt (
          id   INTEGER PRIMARY KEY,
          at   INTEGER NOT NULL, -- milliseconds since 1970
          name TEXT NOT NULL,
          host TEXT NOT NULL,
          ok   INTEGER NOT NULL CHECK (ok IN (0, 1))
        );
        CREATE INDEX login_attempt_name ON login_attempt(name, ok, at);
        CREATE INDEX login_attempt_host ON login_attempt(host, ok, at);
      `);
    },
  },
  {
    version: 12,
    name: 'trust list of signers (受信任签章人): each public key bound to one account, with its roles, who added it, and revocation',
    up(db) {
      db.exec(`
        CREATE TABLE trusted_signer (
          id            INTEGER PRIMARY KEY,
          fingerprint   TEXT NOT NULL UNIQUE,  -- SM3 of the public key: one key, one person
          public_key    TEXT NOT NULL,          -- 04… uncompressed point, hex
          person        TEXT NOT NULL,          -- the account the key belongs to
          display_name  TEXT NOT NULL,
          roles         TEXT NOT NULL,          -- JSON: the account's roles when the key was added
          source        TEXT NOT NULL CHECK (source IN ('generated', 'imported', 'key-file', 'trust-file', 'migrated')),
          added_at      TEXT NOT NULL,
          added_by      TEXT NOT NULL,
          revoked_at    TEXT,
          revoked_by    TEXT,
          revoke_reason TEXT
        );
        -- Keys made before the trust list belong to the account that holds them.
        INSERT INTO trusted_signer (fingerprint, public_key, person, display_name, roles, source, added_at, added_by)
          SELECT k.fingerprint, k.public_key, k.user, u.display_name, u.roles, 'migrated', k.created_at, k.user
          FROM user_key k JOIN app_user u ON u.name = k.user;
        -- Which workstation this file is: trust files and backups name it.
        INSERT OR IGNORE INTO setting (key, value) VALUES ('workstation_id', lower(hex(randomblob(16))));
      `);
    },
  },
  {
    version: 13,
    name: 'key summaries of stored blocks: a run reads an old block only when it holds a key the period needs',
    up(db) {
      db.exec(`
        -- One row per block a run has read: the hashes of its match keys (block-keys.ts).
        -- Filled by runs as they go; a block without one is simply read, as before.
        CREATE TABLE block_keys (
          block_id INTEGER PRIMARY KEY,
          hashes   BLOB NOT NULL
        );
        -- A block's summary leaves with the block (a withdrawal, whatever deletes it).
        CREATE TRIGGER row_block_keys_gone AFTER DELETE ON row_block
          BEGIN DELETE FROM block_keys WHERE block_id = old.id; END;
      `);
    },
  },
  {
    version: 14,
    name: 'what a run leaves for the next (the rows of the keys still open), closed breaks found by key, and a faster codec for kept files',
    up(db) {
      db.exec(`
        -- One row per reconciliation kind, replaced by each run (carry.ts): the rows
        -- (in the block format) of the keys left open, the end of the run's period, the
        -- start of its closing window and the last batch it could see. A row of it from a
        -- batch withdrawn since is not used; a carry of another matcher version is not used.
        CREATE TABLE recon_carry (
          kind          TEXT PRIMARY KEY,
          run_id        INTEGER NOT NULL REFERENCES recon_run(id),
          version       INTEGER NOT NULL,
          period_end    TEXT NOT NULL,
          window_start  TEXT NOT NULL,
          max_batch     INTEGER NOT NULL,
          keys          BLOB NOT NULL,
          ledger        BLOB NOT NULL,
          external      BLOB
        );
        -- A run asks whether a break it would open was closed before as it is now,
        -- for that key only (not every closed break of the kind, which pile up).
        CREATE INDEX recon_break_key ON recon_break(kind, key, status);
        -- How a batch's kept file is compressed (source-copy.ts): 'br' Brotli; NULL raw deflate, as before.
        ALTER TABLE import_batch ADD COLUMN blob_codec TEXT;
      `);
    },
  },
  {
    version: 15,
    name: 'the open breaks of a kind read from an index of their own',
    up(db) {
      db.exec(`
        -- A run reads every open break of its kind once (id, key, match key, opening
        -- period): from this index alone, not from the wide rows.
        CREATE INDEX recon_break_open ON recon_break(kind, id, key, match_key, opened_period) WHERE status = 'open';
      `);
    },
  },
  {
    version: 16,
    name: 'an open break a run finds as it was is named by the run, not rewritten; the carry in parts',
    up(db) {
      db.exec(`
        -- recon_break.last_run is now the latest run that wrote the break. A run that
        -- finds an open break exactly as the carrying run wrote it (apply-breaks.ts)
        -- lists it here instead, as JSON ranges of break ids [[first, last], …]
        -- (rewriting 130,000 wide rows a week for one number was most of what week
        -- ten spent on its breaks).
        CREATE TABLE recon_run_unchanged (
          run_id INTEGER PRIMARY KEY REFERENCES recon_run(id),
          ids    TEXT NOT NULL
        );
        -- The carry in parts (carry.ts): a run writes the rows of the keys it newly
        -- leaves open as a part of its own and marks, in the older parts, which keys are
        -- still carried from there (live: a byte per key of the part). recon_carry keeps
        -- what holds for the whole carry. A carry of before is dropped (the next run
        -- reads history, as for a carry of another version).
        DELETE FROM recon_carry;
        ALTER TABLE recon_carry DROP COLUMN keys;
        ALTER TABLE recon_carry DROP COLUMN ledger;
        ALTER TABLE recon_carry DROP COLUMN external;
        CREATE TABLE recon_carry_part (
          kind      TEXT NOT NULL,
          run_id    INTEGER NOT NULL REFERENCES recon_run(id),
          keys      BLOB NOT NULL,
          live      BLOB NOT NULL,
          ledger    BLOB NOT NULL,
          external  BLOB,
          PRIMARY KEY (kind, run_id)
        );
        -- Parts go with their carry.
        CREATE TRIGGER recon_carry_gone AFTER DELETE ON recon_carry
          BEGIN DELETE FROM recon_carry_part WHERE kind = old.kind; END;
        -- A break's latest run, whichever way it was recorded.
        CREATE VIEW recon_break_latest AS
          SELECT b.id AS break_id,
                 max(b.last_run, coalesce((SELECT max(u.run_id) FROM recon_run_unchanged u, json_each(u.ids) r
                                           WHERE u.run_id > b.last_run
                                             AND json_extract(r.value, '$[0]') <= b.id AND b.id <= json_extract(r.value, '$[1]')), 0)) AS last_run
          FROM recon_break b;
      `);
    },
  },
  {
    version: 17,
    name: 'the prefixes of each block\'s match keys: a run passes by the old blocks none of whose keys it looks for',
    up(db) {
      db.exec(`
        -- Per block, the few prefixes its match keys begin with, at the longest length
        -- where they are few (key-prefixes.ts): an old block none of whose prefixes
        -- begins a key a run looks for is not read at all. Filled as runs read blocks;
        -- a block without one is read for its keys once, then has one.
        CREATE TABLE block_prefixes (
          block_id INTEGER PRIMARY KEY,
          len      INTEGER NOT NULL,
          hashes   BLOB NOT NULL
        );
        CREATE TRIGGER row_block_prefixes_gone AFTER DELETE ON row_block
          BEGIN DELETE FROM block_prefixes WHERE block_id = old.id; END;
      `);
    },
  },
  {
    version: 18,
    name: 'a covering index of the blocks\' kinds, dates and sizes: a run lists blocks without reading them',
    up(db) {
      db.exec(`
        -- A block's row holds its columns' first 64 KB in its own page (the rest
        -- overflows), so finding blocks by kind and date through (kind, id) read a page
        -- of data per block: at ten weeks of history some 146 MB a run, for a list of
        -- ids. This index answers which blocks, and their sizes and last dates, alone.
        CREATE INDEX row_block_span ON row_block(kind, id, min_at, max_at, n);
        DROP INDEX row_block_kind;
      `);
    },
  },
  {
    version: 19,
    name: 'which keys a carry part still carries, apart from its rows: marking them rewrites a byte per key, not the part',
    up(db) {
      db.exec(`
        -- A run marks, in each older carry part, which of its keys are still carried
        -- from there. Kept in the part's own row, that rewrote (and first read) the
        -- part's rows whole every week: at ten weeks some 50 MB read and written again
        -- for 133,000 bytes. The marks live beside the parts now, one row per part.
        CREATE TABLE recon_carry_live (
          kind    TEXT NOT NULL,
          run_id  INTEGER NOT NULL,
          live    BLOB NOT NULL,
          PRIMARY KEY (kind, run_id)
        );
        INSERT INTO recon_carry_live (kind, run_id, live) SELECT kind, run_id, live FROM recon_carry_part;
        ALTER TABLE recon_carry_part DROP COLUMN live;
        -- The marks go with their part.
        CREATE TRIGGER recon_carry_part_gone AFTER DELETE ON recon_carry_part
          BEGIN DELETE FROM recon_carry_live WHERE kind = old.kind AND run_id = old.run_id; END;
      `);
    },
  },
  {
    version: 20,
    name: 'a kind\'s open breaks as its last run left them, used while no break of the kind has changed since',
    up(db) {
      db.exec(`
        -- Reading a kind's open breaks (their ids, from an index) cost a run 40–60 ms
        -- at 130,000 of them, and they are nearly always exactly those its last run
        -- left. That run keeps their ids here (open-list.ts); the next run uses them
        -- while the kind's breaks have changed status no more times since (the count
        -- below, kept by triggers: a disposal, an undo, another program's UPDATE)
        -- and no break has been added since (the highest break id). Adding breaks is
        -- what runs do, and every run writes the list again.
        CREATE TABLE recon_break_changes (
          kind TEXT PRIMARY KEY,
          n    INTEGER NOT NULL
        );
        CREATE TRIGGER recon_break_status_changed AFTER UPDATE OF status, kind, key, match_key, opened_period ON recon_break
          WHEN old.status IS NOT new.status OR old.kind IS NOT new.kind OR old.key IS NOT new.key OR old.match_key IS NOT new.match_key OR old.opened_period IS NOT new.opened_period
          BEGIN
            INSERT INTO recon_break_changes (kind, n) VALUES (old.kind, 1) ON CONFLICT (kind) DO UPDATE SET n = n + 1;
            INSERT INTO recon_break_changes (kind, n) VALUES (new.kind, 1) ON CONFLICT (kind) DO UPDATE SET n = n + 1;
          END;
        CREATE TRIGGER recon_break_deleted AFTER DELETE ON recon_break
          BEGIN INSERT INTO recon_break_changes (kind, n) VALUES (old.kind, 1) ON CONFLICT (kind) DO UPDATE SET n = n + 1; END;
        CREATE TABLE recon_open_list (
          kind        TEXT PRIMARY KEY,
          run_id      INTEGER NOT NULL,
          -- recon_break_changes.n for the kind (0 without a row) and max(recon_break.id) when written.
          changes     INTEGER NOT NULL,
          max_break   INTEGER NOT NULL,
          -- Every listed break opened in this period or before.
          max_opened  TEXT NOT NULL,
          -- The open breaks' ids, ascending, as 8-byte little-endian numbers.
          ids         BLOB NOT NULL,
          -- JSON [[id, key, match_key], …]: the listed breaks whose match key is not their key.
          others      TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 21,
    name: 'open breaks by ID number, for the likely other half of a one-sided break',
    up(db) {
      // The break detail names the other side's open one-sided breaks of the same
      // person and amount (breaks/counterparts.ts); without this index it scanned
      // every open break of the kind (130,000 and more after ten weeks).
      db.exec(`CREATE INDEX recon_break_open_cert ON recon_break(kind, certno, type) WHERE status = 'open';`);
    },
  },
  {
    version: 22,
    name: 'likely pairs found on demand from the open one-sided breaks in the order they opened, not through an index by ID number',
    up(db) {
      db.exec(`
        -- The index by ID number (21) cost a run 0.2–0.35 s at ten weeks: each new
        -- break went into it at a random place among 130,000 open ones. The pairs are
        -- now found when asked (breaks/likely-pairs.ts), from the open one-sided
        -- breaks read from this index: in id order, so a run's new breaks go at its
        -- end, as they do in recon_break_open.
        DROP INDEX recon_break_open_cert;
        CREATE INDEX recon_break_open_sided ON recon_break(kind, id, certno, type, amount_ledger, amount_external)
          WHERE status = 'open' AND type IN ('LEDGER_ONLY', 'IN_TRANSIT', 'EXTERNAL_ONLY');
        -- What the pairs depend on counts as a change too (a type, an amount or an ID
        -- number rewritten), so a workstation's pairs are found again after one.
        DROP TRIGGER recon_break_status_changed;
        CREATE TRIGGER recon_break_status_changed
          AFTER UPDATE OF status, kind, key, match_key, opened_period, type, amount_ledger, amount_external, certno ON recon_break
          WHEN old.status IS NOT new.status OR old.kind IS NOT new.kind OR old.key IS NOT new.key OR old.match_key IS NOT new.match_key
            OR old.opened_period IS NOT new.opened_period OR old.type IS NOT new.type OR old.amount_ledger IS NOT new.amount_ledger
            OR old.amount_external IS NOT new.amount_external OR old.certno IS NOT new.certno
          BEGIN
            INSERT INTO recon_break_changes (kind, n) VALUES (old.kind, 1) ON CONFLICT (kind) DO UPDATE SET n = n + 1;
            INSERT INTO recon_break_changes (kind, n) VALUES (new.kind, 1) ON CONFLICT (kind) DO UPDATE SET n = n + 1;
          END;
      `);
    },
  },
  {
    version: 23,
    name: 'the breaks given to someone, by assignee',
    up(db) {
      // An officer's queue (breaks/my-queue.ts) and the workbench's 我经办的 count
      // read breaks by assignee. Only breaks someone was given are in it: a run's
      // new breaks have none, and never enter it.
      db.exec(`CREATE INDEX recon_break_assigned ON recon_break(assignee, status, kind) WHERE assignee IS NOT NULL;`);
    },
  },
  {
    version: 24,
    name: 'closed breaks by key in an index of their own, which a new break never enters',
    up(db) {
      // recon_break_key (14) served one question: was a break the run would open
      // closed before as it is now (apply-breaks.ts)? It held every break, so each of
      // a run's new breaks went into it at a random place (its key): on the bench's
      // stores the run's inserts took 40–100 ms more with it. Only closed breaks are
      // asked about; a break enters this one when it closes (a disposal, 自动核销).
      db.exec(`
        DROP INDEX recon_break_key;
        CREATE INDEX recon_break_closed_key ON recon_break(kind, key, type, amount_ledger, amount_external) WHERE status = 'closed';
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
