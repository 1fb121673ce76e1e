using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace GatewayAgent.Sip.Sdp;

/// <summary>Parses SDP text (RFC 4566) into an <see cref="SdpSession"/>; bad input gives a reason, never an exception.</summary>
public static class SdpParser
{
    /// <summary>Bodies larger than this are refused rather than parsed.</summary>
    public const int MaxLength = 64 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Parses a message body as UTF-8 SDP.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> body,
        [NotNullWhen(true)] out SdpSession? session,
        [NotNullWhen(false)] out string? error)
    {
        if (body.Length > MaxLength)
        {
            session = null;
            error = $"SDP body is {body.Length} bytes; the limit is {MaxLength}";
            return false;
        }

        return TryParse(Utf8.GetString(body), out session, out error);
    }

    /// <summary>Parses SDP text; lines may end in CRLF or a bare LF.</summary>
    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out SdpSession? session,
        [NotNullWhen(false)] out string? error)
    {
        session = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "SDP body is empty";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"SDP body is {text.Length} characters; the limit is {MaxLength}";
            return false;
        }

        var builder = new Builder();
        var lineNumber = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = rawLine;
            if (line.IsEmpty)
            {
                continue; // a trailing CRLF, or a stray blank line
            }

            if (line.Length < 2 || line[1] != '=' || line[0] is < 'a' or > 'z')
            {
                error = $"line {lineNumber}: expected '<letter>=<value>'";
                return false;
            }

            if (line.IndexOfAnyInRange('\0', '\u0008') >= 0 || line.Contains('\r'))
            {
                error = $"line {lineNumber}: control character in value";
                return false;
            }

            if (!builder.Add(line[0], line[2..].ToString(), out var lineError))
            {
                error = $"line {lineNumber} ({line[0]}=): {lineError}";
                return false;
            }
        }

        return builder.TryBuild(out session, out error);
    }

    private sealed class Builder
    {
        private bool _sawVersion;
        private SdpOrigin? _origin;
        private string? _sessionName;
        private string? _information;
        private SdpConnection? _connection;
        private readonly List<string> _bandwidths = [];
        private readonly List<SdpTiming> _timings = [];
        private readonly List<SdpAttribute> _attributes = [];
        private readonly List<SdpMediaDescription> _media = [];
        private MediaBuilder? _current;

        public bool Add(char type, string value, [NotNullWhen(false)] out string? error)
        {
            error = null;
            if (!_sawVersion)
            {
                if (type != 'v')
                {
                    error = "the first line must be v=";
                    return false;
                }

                if (value.Trim() != "0")
                {
                    error = $"unsupported SDP version '{value}'";
                    return false;
                }

                _sawVersion = true;
                return true;
            }

            if (type == 'm')
            {
                FlushMedia();
                if (!TryParseMediaLine(value, out _current, out error))
                {
                    return false;
                }

                return true;
            }

            return _current is null ? AddSessionLine(type, value, out error) : _current.Add(type, value, out error);
        }

        public bool TryBuild([NotNullWhen(true)] out SdpSession? session, [NotNullWhen(false)] out string? error)
        {
            session = null;
            FlushMedia();
            if (!_sawVersion)
            {
                error = "missing v= line";
                return false;
            }

            if (_origin is null)
            {
                error = "missing o= line";
                return false;
            }

            if (_sessionName is null)
            {
                error = "missing s= line";
                return false;
            }

            session = new SdpSession
            {
                Origin = _origin,
                SessionName = _sessionName,
                Information = _information,
                Connection = _connection,
                Bandwidths = _bandwidths,
                Timings = _timings.Count == 0 ? [SdpTiming.Unbounded] : _timings,
                Attributes = _attributes,
                MediaDescriptions = _media,
            };
            error = null;
            return true;
        }

        private void FlushMedia()
        {
            if (_current is not null)
            {
                _media.Add(_current.Build());
                _current = null;
            }
        }

        private bool AddSessionLine(char type, string value, [NotNullWhen(false)] out string? error)
        {
            error = null;
            switch (type)
            {
                case 'v':
                    error = "duplicate v= line";
                    return false;
                case 'o':
                    if (_origin is not null)
                    {
                        error = "duplicate o= line";
                        return false;
                    }

                    return TryParseOrigin(value, out _origin, out error);
                case 's':
                    if (_sessionName is not null)
                    {
                        error = "duplicate s= line";
                        return false;
                    }

                    _sessionName = value;
                    return true;
                case 'i':
                    _information ??= value;
                    return true;
                case 'c':
                    if (_connection is not null)
                    {
                        error = "duplicate session-level c= line";
                        return false;
                    }

                    return TryParseConnection(value, out _connection, out error);
                case 'b':
                    _bandwidths.Add(value);
                    return true;
                case 't':
                    if (!TryParseTiming(value, out var timing, out error))
                    {
                        return false;
                    }

                    _timings.Add(timing);
                    return true;
                case 'a':
                    if (!TryParseAttribute(value, out var attribute, out error))
                    {
                        return false;
                    }

                    _attributes.Add(attribute);
                    return true;
                case 'u' or 'e' or 'p' or 'r' or 'z' or 'k':
                    return true; // understood, not needed by a SIP gateway
                default:
                    error = "unknown line type"; // RFC 4566 §5: ignore a description with a type letter not understood
                    return false;
            }
        }

        private sealed class MediaBuilder(
            string mediaType, int port, int? portCount, string protocol, IReadOnlyList<string> formats)
        {
            private string? _information;
            private SdpConnection? _connection;
            private readonly List<string> _bandwidths = [];
            private readonly List<SdpAttribute> _attributes = [];

            public bool Add(char type, string value, [NotNullWhen(false)] out string? error)
            {
                error = null;
                switch (type)
                {
                    case 'i':
                        _information ??= value;
                        return true;
                    case 'c':
                        // Several c= lines are legal for layered multicast; the first one is the unicast address we use.
                        if (!TryParseConnection(value, out var parsed, out error))
                        {
                            return false;
                        }

                        _connection ??= parsed;
                        return true;
                    case 'b':
                        _bandwidths.Add(value);
                        return true;
                    case 'k':
                        return true;
                    case 'a':
                        if (!TryParseAttribute(value, out var attribute, out error))
                        {
                            return false;
                        }

                        _attributes.Add(attribute);
                        return true;
                    default:
                        error = "line type not allowed in a media description";
                        return false;
                }
            }

            public SdpMediaDescription Build() => new()
            {
                Media = mediaType,
                Port = port,
                PortCount = portCount,
                Protocol = protocol,
                Formats = formats,
                Information = _information,
                Connection = _connection,
                Bandwidths = _bandwidths,
                Attributes = _attributes,
            };
        }

        private static bool TryParseMediaLine(
            string value, [NotNullWhen(true)] out MediaBuilder? builder, [NotNullWhen(false)] out string? error)
        {
            builder = null;
            var fields = SplitFields(value);
            if (fields.Length < 3)
            {
                error = "expected '<media> <port> <proto> <fmt> ...'";
                return false;
            }

            var portField = fields[1];
            int? portCount = null;
            var slash = portField.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (!int.TryParse(portField.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                    || count < 1)
                {
                    error = $"bad port count in '{portField}'";
                    return false;
                }

                portCount = count;
                portField = portField[..slash];
            }

            if (!int.TryParse(portField, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            {
                error = $"bad port '{fields[1]}'";
                return false;
            }

            builder = new MediaBuilder(fields[0], port, portCount, fields[2], fields[3..]);
            error = null;
            return true;
        }

        private static bool TryParseOrigin(
            string value, [NotNullWhen(true)] out SdpOrigin? origin, [NotNullWhen(false)] out string? error)
        {
            origin = null;
            var fields = SplitFields(value);
            if (fields.Length != 6)
            {
                error = "expected '<username> <sess-id> <sess-version> <nettype> <addrtype> <address>'";
                return false;
            }

            if (!fields[1].All(char.IsAsciiDigit))
            {
                error = $"session id '{fields[1]}' is not numeric";
                return false;
            }

            if (!ulong.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                error = $"session version '{fields[2]}' is not a number";
                return false;
            }

            origin = new SdpOrigin(fields[0], fields[1], version, fields[3], fields[4], fields[5]);
            error = null;
            return true;
        }

        private static bool TryParseConnection(
            string value, [NotNullWhen(true)] out SdpConnection? connection, [NotNullWhen(false)] out string? error)
        {
            connection = null;
            var fields = SplitFields(value);
            if (fields.Length != 3)
            {
                error = "expected '<nettype> <addrtype> <connection-address>'";
                return false;
            }

            connection = new SdpConnection(fields[0], fields[1], fields[2]);
            if (string.Equals(fields[0], "IN", StringComparison.OrdinalIgnoreCase)
                && (string.Equals(fields[1], "IP4", StringComparison.OrdinalIgnoreCase)
                    || string.Equals(fields[1], "IP6", StringComparison.OrdinalIgnoreCase))
                && !connection.TryGetIPAddress(out _)
                && !LooksLikeHostName(fields[2]))
            {
                connection = null;
                error = $"'{fields[2]}' is not an {fields[1]} address";
                return false;
            }

            error = null;
            return true;
        }

        private static bool TryParseTiming(
            string value, [NotNullWhen(true)] out SdpTiming? timing, [NotNullWhen(false)] out string? error)
        {
            timing = null;
            var fields = SplitFields(value);
            if (fields.Length != 2
                || !ulong.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || !ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var stop))
            {
                error = "expected '<start-time> <stop-time>'";
                return false;
            }

            timing = new SdpTiming(start, stop);
            error = null;
            return true;
        }

        private static bool TryParseAttribute(
            string value, [NotNullWhen(true)] out SdpAttribute? attribute, [NotNullWhen(false)] out string? error)
        {
            attribute = null;
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? value : value[..colon];
            if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal))
            {
                error = "attribute name is empty or contains a space";
                return false;
            }

            attribute = new SdpAttribute(name, colon < 0 ? null : value[(colon + 1)..]);
            error = null;
            return true;
        }

        private static string[] SplitFields(string value) =>
            value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // RFC 4566 allows a fully qualified domain name as the connection address.
        private static bool LooksLikeHostName(string address) =>
            address.Length > 0
            && address.Contains('.', StringComparison.Ordinal)
            && address.Any(char.IsAsciiLetter)
            && address.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '/');
    }
}
