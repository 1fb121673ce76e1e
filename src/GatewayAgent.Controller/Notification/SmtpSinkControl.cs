using System.Net;

namespace GatewayAgent.Controller.Notification;

/// <summary>
/// Runtime switch and address of the embedded sink. Tests and the lab turn <see cref="Accepting"/> off to simulate a
/// relay outage (the sink then answers 451 to every message); the sender reads <see cref="EndPoint"/> to reach it.
/// </summary>
public sealed class SmtpSinkControl
{
    private volatile bool _accepting = true;
    private volatile IPEndPoint? _endPoint;
    private long _duplicatesDropped;

    public bool Accepting
    {
        get => _accepting;
        set => _accepting = value;
    }

    /// <summary>Mails the sink accepted and did not store again because their Message-ID was already stored (issue 12 item 10).</summary>
    public long DuplicatesDropped => Interlocked.Read(ref _duplicatesDropped);

    internal void DuplicateDropped() => Interlocked.Increment(ref _duplicatesDropped);

    /// <summary>Where the sink listens once started (the real port when Listen asked for port 0); null when not running.</summary>
    public IPEndPoint? EndPoint
    {
        get => _endPoint;
        internal set => _endPoint = value;
    }
}
