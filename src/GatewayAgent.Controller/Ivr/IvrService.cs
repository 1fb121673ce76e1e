using System.Net;
using GatewayAgent.Sip.Rtp;
using GatewayAgent.Sip.Security;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Options;

namespace GatewayAgent.Controller.Ivr;

/// <summary>
/// Hosts the temporary-password IVR (SS-3) when Controller:Ivr:Listen names an address: its own SIP stack (transport →
/// <see cref="SourceGuard"/> allowing only the trusted edges, 403 to others → transaction layer → <see cref="IvrAnswerer"/>),
/// its RTP ports (Controller:Ivr:Rtp) and the prompts loaded at start. Does nothing when the IVR is off.
/// </summary>
public sealed class IvrService : IHostedService, IAsyncDisposable
{
    private readonly IvrOptions _options;
    private readonly RtpPortAllocatorOptions _rtp;
    private readonly ITemporaryPasswordIssuer? _issuer;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private SipTransportLayer? _transport;
    private IvrAnswerer? _answerer;

    public IvrService(
        IOptions<IvrOptions> options,
        IOptions<RtpPortAllocatorOptions> rtp,
        TimeProvider time,
        ILoggerFactory loggers,
        IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rtp);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(services);
        _options = options.Value;
        _rtp = rtp.Value;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<IvrService>();
        _issuer = _options.IsEnabled ? services.GetRequiredService<ScopedTemporaryPasswordIssuer>() : null;
    }

    /// <summary>The bound listeners (with the real port when Listen asked for port 0); empty when the IVR is off.</summary>
    public IReadOnlyList<SipListenAddress> LocalEndPoints => _transport?.LocalEndPoints ?? [];

    /// <summary>Calls ringing or up.</summary>
    public int ActiveCalls => _answerer?.ActiveCalls ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.IsEnabled)
        {
            return;
        }

        if (!PromptLibrary.TryLoad(_options.PromptDirectory, out var prompts, out var error))
        {
            throw new OptionsValidationException(IvrOptions.SectionName, typeof(IvrOptions), [$"{IvrOptions.SectionName}:PromptDirectory: {error}"]);
        }

        IvrLog.PromptsLoaded(_logger, prompts.Directory, IvrPrompts.All.Count, prompts.TotalDuration.TotalSeconds);
        var transport = new SipTransportLayer(Options.Create(new SipTransportOptions()), _time, _loggers.CreateLogger<SipTransportLayer>());
        var transactions = new SipTransactionLayer(transport, new SipTimerOptions(), _time, _loggers.CreateLogger<SipTransactionLayer>());
        var media = Networks(_options.MediaSources);
        _answerer = new IvrAnswerer(transactions, _options, prompts, new RtpPortAllocator(Options.Create(_rtp)), _issuer!, _time,
            _loggers.CreateLogger<IvrAnswerer>(), address => Array.Exists(media, n => n.Contains(SipEndPoints.Normalize(address))));

        // Only the trusted edges may call (their P-Asserted-Identity is believed); everyone else gets 403.
        var guard = new SourceGuard(transactions, transport, new SourceGuardOptions { AllowedSources = [.. _options.TrustedEdges] }, _time,
            _loggers.CreateLogger<SourceGuard>());
        transport.Admission = guard;
        _transport = transport;
        await transport.StartAsync(_options.Listen.Select(SipListenAddress.Parse), guard, cancellationToken).ConfigureAwait(false);
        IvrLog.Listening(_logger, string.Join(", ", transport.LocalEndPoints), _options.AccessNumber!, string.Join(", ", _options.TrustedEdges),
            prompts.Directory);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_answerer is not null)
        {
            await _answerer.DisposeAsync().ConfigureAwait(false);
        }

        if (_transport is not null)
        {
            await _transport.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_transport is not null)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static IPNetwork[] Networks(List<string> values) => [.. values.Select(SourceGuard.ParseNetwork)];
}
