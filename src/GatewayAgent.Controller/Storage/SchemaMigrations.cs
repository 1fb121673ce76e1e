namespace GatewayAgent.Controller.Storage;

/// <summary>
/// The ordered schema history. Never edit a released step: add a new one. Times are Unix milliseconds (UTC) and
/// flags are 0/1 integers in both dialects, so the same SQL and the same readers serve SQLite and PostgreSQL.
/// </summary>
public static class SchemaMigrations
{
    private const string SiteLiveStatusTable = """
            CREATE TABLE site_live_status (
                site_id TEXT NOT NULL PRIMARY KEY,
                online BIGINT NOT NULL DEFAULT 0,
                online_at BIGINT NULL,
                power TEXT NULL,
                power_at BIGINT NULL,
                battery_percent DOUBLE PRECISION NULL,
                battery_at BIGINT NULL,
                wan TEXT NULL,
                wan_at BIGINT NULL,
                version TEXT NULL,
                version_at BIGINT NULL,
                last_seq BIGINT NOT NULL DEFAULT 0,
                seq_at BIGINT NULL,
                last_seen BIGINT NULL
            );
        """;

    public static IReadOnlyList<Migration> All { get; } =
    [
        new Migration(1, "contracts, numbers, destinations, recipients", """
            CREATE TABLE contracts (
                id {identity},
                contract_number TEXT NOT NULL UNIQUE,
                channels BIGINT NOT NULL,
                monitoring_number TEXT NULL,
                probe_target TEXT NULL,
                outbound_proxy TEXT NULL,
                probe_interval_ms BIGINT NULL,
                site_id TEXT NULL UNIQUE,
                site_password_hash TEXT NULL,
                holder_name TEXT NULL,
                site_information TEXT NULL,
                auto_start BIGINT NOT NULL DEFAULT 0,
                auto_stop BIGINT NOT NULL DEFAULT 0,
                service_on BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE TABLE contract_numbers (
                number TEXT NOT NULL PRIMARY KEY,
                contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                position BIGINT NOT NULL,
                destination TEXT NULL
            );
            CREATE INDEX ix_contract_numbers_contract ON contract_numbers (contract_id, position);
            CREATE TABLE recipients (
                contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                position BIGINT NOT NULL,
                address TEXT NOT NULL,
                send BIGINT NOT NULL,
                PRIMARY KEY (contract_id, position)
            );
            """),
        new Migration(2, "detector state, probes, transitions, forwarding switch and audit", """
            ALTER TABLE contracts ADD COLUMN detector_state TEXT NOT NULL DEFAULT 'normal';
            ALTER TABLE contracts ADD COLUMN detector_misses BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE contracts ADD COLUMN detector_reached BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE contracts ADD COLUMN detector_since BIGINT NULL;
            ALTER TABLE contracts ADD COLUMN forwarding_on BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE contracts ADD COLUMN forwarding_since BIGINT NULL;
            ALTER TABLE contracts ADD COLUMN forwarding_reason TEXT NULL;
            CREATE TABLE probe_records (
                id {identity},
                contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                outcome TEXT NOT NULL,
                status BIGINT NULL,
                detail TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                setup_ms BIGINT NULL,
                recorded_at BIGINT NOT NULL
            );
            CREATE INDEX ix_probe_records_contract ON probe_records (contract_id, id);
            CREATE TABLE detector_events (
                id {identity},
                contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                at BIGINT NOT NULL,
                from_state TEXT NOT NULL,
                to_state TEXT NOT NULL,
                cause TEXT NOT NULL
            );
            CREATE INDEX ix_detector_events_contract ON detector_events (contract_id, id);
            CREATE TABLE forwarding_audit (
                id {identity},
                contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                at BIGINT NOT NULL,
                forwarding_on BIGINT NOT NULL,
                reason TEXT NOT NULL,
                actor TEXT NOT NULL,
                note TEXT NULL
            );
            CREATE INDEX ix_forwarding_audit_contract ON forwarding_audit (contract_id, id);
            """),
        new Migration(3, "mail outbox", """
            CREATE TABLE outbox (
                id {identity},
                contract_id BIGINT NULL REFERENCES contracts(id) ON DELETE SET NULL,
                detector_event_id BIGINT NULL,
                kind TEXT NOT NULL,
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending',
                attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                last_error TEXT NULL,
                last_attempt_at BIGINT NULL,
                delivered_at BIGINT NULL,
                server_reply TEXT NULL
            );
            CREATE INDEX ix_outbox_due ON outbox (status, next_attempt_at, id);
            CREATE INDEX ix_outbox_contract ON outbox (contract_id, id);
            """),
        new Migration(4, "ingested site events", """
            CREATE TABLE site_events (
                id {identity},
                site_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                seq BIGINT NOT NULL,
                ts BIGINT NOT NULL,
                type TEXT NOT NULL,
                historical BIGINT NOT NULL,
                detail TEXT NULL,
                data TEXT NULL,
                received_at BIGINT NOT NULL,
                UNIQUE (site_id, event_id)
            );
            CREATE INDEX ix_site_events_signal ON site_events (site_id, type, received_at);
            """),
        new Migration(5, "outbox leases and persisted undelivered alert", """
            ALTER TABLE outbox ADD COLUMN claimed_by TEXT NULL;
            ALTER TABLE outbox ADD COLUMN lease_until BIGINT NULL;
            ALTER TABLE outbox ADD COLUMN alerted_at BIGINT NULL;
            CREATE INDEX ix_outbox_claimed ON outbox (claimed_by) WHERE claimed_by IS NOT NULL;
            """),
        new Migration(6, "call routing at the edge: reject settings, forwarding hold, registration digest, edge views", """
            ALTER TABLE contracts ADD COLUMN reject_anonymous BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE contracts ADD COLUMN forwarding_held BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE contracts ADD COLUMN sip_ha1 TEXT NULL;
            CREATE TABLE nuisance_callers (
                contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                caller TEXT NOT NULL,
                PRIMARY KEY (contract_id, caller)
            );
            CREATE VIEW edge_numbers AS
                SELECT n.number AS key_name, 0 AS key_type, 0 AS value_type,
                    CAST(n.contract_id AS TEXT) || '|' || COALESCE(n.destination, '') || '|'
                        || CASE WHEN n.number = c.monitoring_number THEN '1' ELSE '0' END AS key_value,
                    n.contract_id AS contract_id
                FROM contract_numbers n JOIN contracts c ON c.id = n.contract_id;
            CREATE VIEW edge_contracts AS
                SELECT CAST(id AS TEXT) AS key_name, 0 AS key_type, 0 AS value_type,
                    CAST(forwarding_on AS TEXT) || '|' || CAST(channels AS TEXT) || '|' || CAST(reject_anonymous AS TEXT) || '|'
                        || COALESCE(site_id, '') || '|' || COALESCE(probe_target, '') AS key_value,
                    id AS contract_id
                FROM contracts;
            CREATE VIEW edge_nuisance AS
                SELECT CAST(contract_id AS TEXT) || ':' || caller AS key_name, 0 AS key_type, 0 AS value_type, '1' AS key_value,
                    contract_id AS contract_id
                FROM nuisance_callers;
            CREATE VIEW edge_subscribers AS
                SELECT site_id AS key_name, 0 AS key_type, 0 AS value_type, sip_ha1 AS key_value, id AS contract_id
                FROM contracts WHERE site_id IS NOT NULL AND sip_ha1 IS NOT NULL;
            """),
        new Migration(7, "outbox send-started mark and possibly-duplicated flag", """
            ALTER TABLE outbox ADD COLUMN send_started_at BIGINT NULL;
            ALTER TABLE outbox ADD COLUMN possibly_duplicated BIGINT NOT NULL DEFAULT 0;
            """),
        new Migration(8, "settings-site accounts per number (SS-1, SS-4, SS-5, SS-6) and the settings audit", """
            CREATE TABLE portal_accounts (
                number TEXT NOT NULL PRIMARY KEY,
                contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                unit BIGINT NOT NULL,
                password_hash TEXT NULL,
                password_set_at BIGINT NULL,
                password_failures BIGINT NOT NULL DEFAULT 0,
                password_invalidated BIGINT NOT NULL DEFAULT 0,
                temporary_hash TEXT NULL,
                temporary_issued_at BIGINT NULL,
                temporary_failures BIGINT NOT NULL DEFAULT 0,
                temporary_invalidated BIGINT NOT NULL DEFAULT 0,
                credential_stamp BIGINT NOT NULL DEFAULT 1,
                row_version BIGINT NOT NULL DEFAULT 1,
                last_login_at BIGINT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE INDEX ix_portal_accounts_contract ON portal_accounts (contract_id, number);
            CREATE TABLE settings_audit (
                id {identity},
                contract_id BIGINT NULL REFERENCES contracts(id) ON DELETE SET NULL,
                at BIGINT NOT NULL,
                actor TEXT NOT NULL,
                target TEXT NOT NULL,
                action TEXT NOT NULL,
                detail TEXT NULL
            );
            CREATE INDEX ix_settings_audit_contract ON settings_audit (contract_id, id);
            """),
        new Migration(9, "the API caller's X-Operator note beside the audited key name; site events purged by age", """
            ALTER TABLE forwarding_audit ADD COLUMN operator_note TEXT NULL;
            CREATE INDEX ix_site_events_received ON site_events (received_at);
            """),
        new Migration(10, "the contract's settings version for the settings site's stale-form check (SS-11)", """
            ALTER TABLE contracts ADD COLUMN row_version BIGINT NOT NULL DEFAULT 1;
            """),
        new Migration(11, "one-time passwords per number (SS-7, SS-8)", """
            CREATE TABLE portal_otp (
                number TEXT NOT NULL PRIMARY KEY,
                contract_id BIGINT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
                usage_flag BIGINT NULL,
                address TEXT NULL,
                pending_address TEXT NULL,
                link_hash TEXT NULL,
                link_expires_at BIGINT NULL,
                confirmation_id TEXT NULL,
                secret_hash TEXT NULL,
                secret_failures BIGINT NOT NULL DEFAULT 0,
                secret_invalidated BIGINT NOT NULL DEFAULT 0,
                code_hash TEXT NULL,
                code_sent_at BIGINT NULL,
                code_failures BIGINT NOT NULL DEFAULT 0,
                row_version BIGINT NOT NULL DEFAULT 1,
                updated_at BIGINT NOT NULL
            );
            CREATE INDEX ix_portal_otp_contract ON portal_otp (contract_id, number);
            CREATE UNIQUE INDEX ix_portal_otp_link ON portal_otp (link_hash) WHERE link_hash IS NOT NULL;
            """),
        new Migration(12, "cluster: nodes with heartbeats, shard leases with fencing epochs, dying-gasp triggers for the owner node", """
            CREATE TABLE cluster_nodes (
                node_id TEXT NOT NULL PRIMARY KEY,
                started_at BIGINT NOT NULL,
                heartbeat_at BIGINT NOT NULL,
                healthy BIGINT NOT NULL DEFAULT 1
            );
            CREATE TABLE cluster_shards (
                shard BIGINT NOT NULL PRIMARY KEY,
                owner TEXT NULL,
                epoch BIGINT NOT NULL DEFAULT 0,
                lease_until BIGINT NOT NULL DEFAULT 0
            );
            CREATE TABLE probe_triggers (
                id {identity},
                contract_id BIGINT NOT NULL,
                shard BIGINT NOT NULL,
                cause TEXT NOT NULL,
                origin TEXT NOT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX ix_probe_triggers_created ON probe_triggers (created_at, shard);
            """),
        new Migration(13, "the sites' live status shared by the controller nodes: each field with the receive time of its last change",
            SiteLiveStatusTable,
            // Rewritten about once a minute per site (telemetry): room in each page keeps the updates HOT (no index entry).
            SiteLiveStatusTable + "\nALTER TABLE site_live_status SET (fillfactor = 70);"),
    ];
}
