using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace GatewayAgent.Sip.Sdp;

/// <summary>
/// Our <c>o=</c> line over the life of one call: a fixed session id, and a version that goes up by one each time
/// we send a description that differs from the last one we sent, and stays put when we resend the same (RFC 3264 §8).
/// </summary>
public sealed class SdpSessionOrigin
{
    private readonly Lock _gate = new();
    private ulong _version;
    private string? _lastContent;

    /// <summary>Creates an origin with the given identifiers.</summary>
    /// <param name="address">Our address, written as <c>IN IP4</c> or <c>IN IP6</c>.</param>
    /// <param name="sessionId">The session id, unique for this host.</param>
    /// <param name="initialVersion">The version of the first description stamped.</param>
    /// <param name="username">The username field; <c>-</c> when we have none.</param>
    public SdpSessionOrigin(IPAddress address, ulong sessionId, ulong initialVersion, string username = "-")
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        if (username.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("The o= username cannot contain a space.", nameof(username));
        }

        Address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        SessionId = sessionId.ToString(CultureInfo.InvariantCulture);
        Username = username;
        _version = initialVersion;
    }

    /// <summary>Creates an origin with a random session id, the version starting at the same number (a common habit).</summary>
    public static SdpSessionOrigin CreateRandom(IPAddress address, string username = "-")
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var id = (BitConverter.ToUInt64(bytes) >> 11) + 1; // below 2^53, never 0
        return new SdpSessionOrigin(address, id, id, username);
    }

    /// <summary>Our address in the <c>o=</c> line.</summary>
    public IPAddress Address { get; }

    /// <summary>The session id, as written in the <c>o=</c> line.</summary>
    public string SessionId { get; }

    /// <summary>The username, as written in the <c>o=</c> line.</summary>
    public string Username { get; }

    /// <summary>The version of the most recently stamped description (or the initial version before any).</summary>
    public ulong Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>The <c>o=</c> line for the current version.</summary>
    public SdpOrigin Current
    {
        get
        {
            lock (_gate)
            {
                return Build(_version);
            }
        }
    }

    /// <summary>
    /// Returns the description with our <c>o=</c> line: the same version when it matches the last description
    /// stamped (apart from its <c>o=</c> line), the next version when it differs.
    /// </summary>
    public SdpSession Stamp(SdpSession description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var content = SdpSerializer.Serialize(description with { Origin = Build(0) });
        lock (_gate)
        {
            if (_lastContent is not null && !string.Equals(_lastContent, content, StringComparison.Ordinal))
            {
                _version++;
            }

            _lastContent = content;
            return description with { Origin = Build(_version) };
        }
    }

    private SdpOrigin Build(ulong sessionVersion) =>
        new(Username, SessionId, sessionVersion, "IN", SdpConnection.AddressTypeOf(Address), Address.ToString());
}
