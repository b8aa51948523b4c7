import GRDB

/// The SQLite schema, as the versioned steps that built it (GRDB's migrator records which have
/// run, so a database written by any earlier CallQA is brought up to date when opened).
/// `PostgresSchema` builds the same tables and indexes in PostgreSQL's types.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: calls, rule results, failures") { db in
            try db.execute(sql: """
                CREATE TABLE call (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    contentHash TEXT NOT NULL UNIQUE,
                    path TEXT NOT NULL,
                    agentId TEXT,
                    callId TEXT,
                    startTime TEXT,
                    durationSeconds REAL NOT NULL,
                    score REAL NOT NULL,
                    review INTEGER NOT NULL,
                    agentCharsPerMinute REAL,
                    holdCount INTEGER NOT NULL,
                    longestHoldSeconds REAL NOT NULL,
                    rubric TEXT NOT NULL,
                    report TEXT NOT NULL,
                    scoredAt TEXT NOT NULL);
                CREATE INDEX callByAgentAndStart ON call(agentId, startTime);
                CREATE INDEX callByStart ON call(startTime);
                CREATE TABLE ruleResult (
                    callId INTEGER NOT NULL REFERENCES call(id) ON DELETE CASCADE,
                    rule TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    badness REAL,
                    PRIMARY KEY (callId, rule));
                CREATE INDEX ruleResultByRule ON ruleResult(rule, outcome, badness);
                CREATE TABLE failure (
                    path TEXT PRIMARY KEY,
                    contentHash TEXT,
                    reason TEXT NOT NULL,
                    at TEXT NOT NULL);
                """)
        }
        migrator.registerMigration("v2: users, sessions, audit") { db in
            try db.execute(sql: """
                CREATE TABLE user (
                    name TEXT PRIMARY KEY,
                    role TEXT NOT NULL,
                    agentId TEXT,
                    passwordHash TEXT NOT NULL,
                    createdAt TEXT NOT NULL);
                CREATE TABLE session (
                    token TEXT PRIMARY KEY,
                    user TEXT NOT NULL REFERENCES user(name) ON DELETE CASCADE,
                    csrfToken TEXT NOT NULL,
                    expires REAL NOT NULL);
                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    user TEXT NOT NULL,
                    action TEXT NOT NULL,
                    callId INTEGER,
                    detail TEXT NOT NULL);
                CREATE INDEX callByAgentScore ON call(agentId, score);
                """)
        }
        migrator.registerMigration("v3: covering indexes for the pages") { db in
            // Scorecards aggregate a month of calls: these indexes carry every column they read,
            // so a month of 100k calls is summed without touching the rows (and their reports).
            try db.execute(sql: """
                CREATE INDEX callMonthCover ON call(startTime, agentId, score, holdCount, longestHoldSeconds, review);
                CREATE INDEX callAgentMonthCover ON call(agentId, startTime, score);
                CREATE INDEX ruleResultByRuleCover ON ruleResult(rule, outcome, badness, callId);
                """)
        }
        migrator.registerMigration("v4: calls that do not count, calls by path") { db in
            // Idempotent: a development build recorded this step under another name.
            let columns = try db.columns(in: "call").map(\.name)
            if !columns.contains("excludedReason") { try db.execute(sql: "ALTER TABLE call ADD COLUMN excludedReason TEXT") }
            if !columns.contains("reviewerCounts") { try db.execute(sql: "ALTER TABLE call ADD COLUMN reviewerCounts INTEGER") }
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS callByPath ON call(path)")
        }
        migrator.registerMigration("v5: disabled accounts") { db in
            try db.execute(sql: "ALTER TABLE user ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v5b: session tokens stored hashed") { db in
            // Sessions stored in the clear end: their users sign in again.
            try db.execute(sql: "DELETE FROM session")
        }
        migrator.registerMigration("v6: covering indexes with whether a call counts") { db in
            // The new columns sit after each row's report: without them in the covering indexes,
            // every scorecard would walk every report's overflow pages.
            try db.execute(sql: """
                DROP INDEX IF EXISTS callMonthCover;
                DROP INDEX IF EXISTS callAgentMonthCover;
                CREATE INDEX callMonthCover ON call(startTime, agentId, score, holdCount, longestHoldSeconds, review, excludedReason, reviewerCounts);
                CREATE INDEX callAgentMonthCover ON call(agentId, startTime, score, excludedReason, reviewerCounts);
                CREATE INDEX callCountedById ON call(id, agentId, startTime, score, excludedReason, reviewerCounts);
                """)
        }
        migrator.registerMigration("v7: verdicts, disputes, agents") { db in
            try db.execute(sql: """
                CREATE TABLE verdict (
                    callId INTEGER NOT NULL REFERENCES call(id) ON DELETE CASCADE,
                    rule TEXT NOT NULL, outcome TEXT NOT NULL, comment TEXT NOT NULL, reviewer TEXT NOT NULL, at TEXT NOT NULL,
                    PRIMARY KEY (callId, rule));
                CREATE TABLE dispute (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    callId INTEGER NOT NULL REFERENCES call(id) ON DELETE CASCADE,
                    rule TEXT NOT NULL, text TEXT NOT NULL, byUser TEXT NOT NULL, at TEXT NOT NULL,
                    answer TEXT, answeredBy TEXT, answeredAt TEXT);
                CREATE INDEX disputeByCall ON dispute(callId);
                CREATE INDEX disputeOpen ON dispute(answer, at);
                CREATE TABLE agent (id TEXT PRIMARY KEY, name TEXT NOT NULL, team TEXT NOT NULL, teamLead TEXT NOT NULL);
                CREATE INDEX agentByTeam ON agent(team);
                """)
        }
        migrator.registerMigration("v8: calls sorted by score, reviewed calls") { db in
            try db.execute(sql: """
                CREATE INDEX IF NOT EXISTS callByScore ON call(score, startTime, id);
                ALTER TABLE call ADD COLUMN reviewedBy TEXT;
                """)
        }
        return migrator
    }
}
