namespace GatewayAgent.Controller.Ingest;

/// <summary>Log messages of telemetry ingest (event ids 6500-6599).</summary>
internal static partial class IngestLog
{
    [LoggerMessage(6500, LogLevel.Information, "Embedded MQTT broker listening on {Endpoints}")]
    public static partial void BrokerStarted(ILogger logger, string endpoints);

    [LoggerMessage(6501, LogLevel.Information, "Embedded MQTT broker stopped")]
    public static partial void BrokerStopped(ILogger logger);

    [LoggerMessage(6502, LogLevel.Warning, "MQTT connection refused for user {UserName} (client {ClientId}) from {Remote}: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, string? userName, string? clientId, string? remote, string reason);

    [LoggerMessage(6503, LogLevel.Warning, "ACL: site {SiteId} may not {Action} {Topic}; dropped ({Suppressed} more since the last report)")]
    public static partial void AclViolation(ILogger logger, string siteId, string action, string topic, long suppressed);

    [LoggerMessage(6504, LogLevel.Warning, "Malformed {Kind} message from site {SiteId} dropped")]
    public static partial void Malformed(ILogger logger, string kind, string siteId);

    [LoggerMessage(6540, LogLevel.Information, "MQTT connection from {Remote} closed at accept: {Reason}")]
    public static partial void ConnectionDropped(ILogger logger, string? remote, string reason);

    [LoggerMessage(6541, LogLevel.Warning, "MQTT connection from {Remote} closed: a packet of {Bytes} bytes is over the cap of {Max} (Controller:Mqtt:Limits:MaxPacketBytes)")]
    public static partial void PacketTooLarge(ILogger logger, string? remote, long bytes, int max);

    [LoggerMessage(6542, LogLevel.Debug, "MQTT connection from {Remote} ended: {Reason}")]
    public static partial void ConnectionEnded(ILogger logger, string? remote, string reason);

    [LoggerMessage(6543, LogLevel.Information, "Site {SiteId}: live MQTT session closed, its credentials changed or its contract was deleted")]
    public static partial void SessionRevoked(ILogger logger, string siteId);

    [LoggerMessage(6544, LogLevel.Warning, "Event of {Bytes} bytes from site {SiteId} refused: over Controller:Mqtt:Limits:MaxEventPayloadBytes ({Max})")]
    public static partial void EventTooLarge(ILogger logger, string siteId, int bytes, int max);

    [LoggerMessage(6510, LogLevel.Information, "Site {SiteId} online (bdSeq {BdSeq}, version {Version})")]
    public static partial void SiteOnline(ILogger logger, string siteId, long bdSeq, string? version);

    [LoggerMessage(6511, LogLevel.Warning, "Site {SiteId} offline (bdSeq {BdSeq}, reason {Reason})")]
    public static partial void SiteOffline(ILogger logger, string siteId, long bdSeq, string? reason);

    [LoggerMessage(6512, LogLevel.Debug, "Stale state of site {SiteId} ignored: bdSeq {BdSeq} is older than {CurrentBdSeq}")]
    public static partial void StaleState(ILogger logger, string siteId, long bdSeq, long currentBdSeq);

    [LoggerMessage(6513, LogLevel.Debug, "Duplicate event {EventId} from site {SiteId} ignored")]
    public static partial void DuplicateEvent(ILogger logger, string eventId, string siteId);

    [LoggerMessage(6514, LogLevel.Warning, "Seq gap at site {SiteId}: event seq {Seq} after {LastSeq}; {Missing} event(s) missing")]
    public static partial void SeqGap(ILogger logger, string siteId, long seq, long lastSeq, long missing);

    [LoggerMessage(6553, LogLevel.Warning, "Could not read which events of site {SiteId} other nodes stored; the seq gap counts")]
    public static partial void SeqGapCheckFailed(ILogger logger, Exception exception, string siteId);

    [LoggerMessage(6515, LogLevel.Information, "Rebirth requested from site {SiteId}")]
    public static partial void RebirthRequested(ILogger logger, string siteId);

    [LoggerMessage(6516, LogLevel.Warning, "Requesting a rebirth from site {SiteId} failed")]
    public static partial void RebirthFailed(ILogger logger, Exception exception, string siteId);

    [LoggerMessage(6517, LogLevel.Warning, "Fast probing of contract {ContractId} triggered by site {SiteId}: {Cause}")]
    public static partial void FastProbingTriggered(ILogger logger, long contractId, string siteId, string cause);

    [LoggerMessage(6518, LogLevel.Information, "Site {SiteId} reported {Cause} but serves no contract: nothing to probe")]
    public static partial void NoContractForTrigger(ILogger logger, string siteId, string cause);

    [LoggerMessage(6519, LogLevel.Error, "Ingesting a message from site {SiteId} failed")]
    public static partial void IngestFailed(ILogger logger, Exception exception, string siteId);

    [LoggerMessage(6550, LogLevel.Warning, "Publish of client {ClientId} to {Topic} not acknowledged, connection closed (it will be sent again): {Reason}")]
    public static partial void PublishNotAcknowledged(ILogger logger, string clientId, string topic, string reason);

    [LoggerMessage(6551, LogLevel.Warning, "Site {SiteId} was offline and is born again with bdSeq {BdSeq}, lower than {PreviousBdSeq}: its birth sequence was reset (a new SD card?); accepted as a new baseline")]
    public static partial void BirthSequenceReset(ILogger logger, string siteId, long bdSeq, long previousBdSeq);

    [LoggerMessage(6520, LogLevel.Debug, "Reply from site {SiteId} with unknown correlation ignored")]
    public static partial void UnknownReply(ILogger logger, string siteId);

    [LoggerMessage(6530, LogLevel.Information, "Connected to MQTT broker {Host}:{Port} as {ClientId}")]
    public static partial void ExternalConnected(ILogger logger, string host, int port, string clientId);

    [LoggerMessage(6531, LogLevel.Warning, "Connecting to MQTT broker {Host}:{Port} failed; retrying in {Delay}")]
    public static partial void ExternalConnectFailed(ILogger logger, Exception exception, string host, int port, TimeSpan delay);

    [LoggerMessage(6532, LogLevel.Warning, "Connection to MQTT broker lost: {Reason}")]
    public static partial void ExternalDisconnected(ILogger logger, string reason);

    [LoggerMessage(6533, LogLevel.Warning, "MQTT broker refused subscription {Filter}: {ResultCode}")]
    public static partial void SubscriptionRefused(ILogger logger, string filter, string resultCode);

    [LoggerMessage(6552, LogLevel.Warning, "The live status of {Pending} sites could not be written to the database (kept, written again)")]
    public static partial void LiveStatusWriteFailed(ILogger logger, Exception exception, int pending);
}
