using System.Net;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Parsing;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.Transport;

/// <summary>
/// What every transport does with a framed message: parse it, drop and count it when unparseable, stamp a request's
/// top Via, and hand it to the handler, whose exceptions are caught so they never end a receive loop.
/// </summary>
internal sealed class IncomingMessageDispatcher
{
    private readonly ISipMessageHandler _handler;
    private readonly SipTransportStatistics _statistics;
    private readonly ILogger _logger;
    private readonly ISipSourceAdmission? _admission;

    public IncomingMessageDispatcher(ISipMessageHandler handler, SipTransportStatistics statistics, ILogger logger, ISipSourceAdmission? admission = null)
    {
        _handler = handler;
        _admission = admission;
        _statistics = statistics;
        _logger = logger;
    }

    /// <summary>The admission the transports consult, also at TCP accept.</summary>
    public ISipSourceAdmission? Admission => _admission;

    public void Dispatch(ReadOnlySpan<byte> data, SipTarget source, IPEndPoint localEndPoint)
    {
        if (Admit(data, source))
        {
            DispatchAdmitted(data, source, localEndPoint);
        }
    }

    /// <summary>Counts the message and asks the admission (before any parse); false when it is dropped.</summary>
    public bool Admit(ReadOnlySpan<byte> data, SipTarget source)
    {
        _statistics.OnMessageReceived();
        if (_admission is not null && !_admission.TryAdmit(source.EndPoint.Address, data))
        {
            _statistics.OnSourceRefused();
            return false;
        }

        return true;
    }

    /// <summary>Whether the source is a known prober (<see cref="ISipSourceAdmission.IsPriority"/>).</summary>
    public bool IsPriority(IPAddress source) => _admission?.IsPriority(source) == true;

    /// <summary>Parses and hands up a message <see cref="Admit"/> let through.</summary>
    public void DispatchAdmitted(ReadOnlySpan<byte> data, SipTarget source, IPEndPoint localEndPoint)
    {
        TransportLog.Received(_logger, data.Length, source);
        SipParseResult parse;
        try
        {
            parse = SipParser.Parse(data);
        }
        catch (Exception ex)
        {
            // The parser is written never to throw; should it, one message is lost, not the receive loop.
            parse = SipParseResult.Unparseable("parser fault: " + ex.GetType().Name);
        }

        if (parse.Status == SipParseStatus.Unparseable || parse.Message is null)
        {
            // Invalid (but answerable) messages go up: the UAS answers them with 400/505.
            _statistics.OnUnparseableDropped();
            TransportLog.UnparseableDropped(_logger, source, parse.Error);
            return;
        }

        if (parse.Message is SipRequest request)
        {
            ViaStamper.Stamp(request, source.EndPoint);
        }

        try
        {
            _handler.OnMessage(new IncomingMessage(parse, source, localEndPoint) { ByteCount = data.Length });
        }
        catch (Exception ex)
        {
            _statistics.OnHandlerError();
            TransportLog.HandlerFailed(_logger, source, ex);
        }
    }
}
