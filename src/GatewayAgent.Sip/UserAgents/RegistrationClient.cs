using System.Globalization;
using GatewayAgent.Sip.Auth;
using GatewayAgent.Sip.Messages;
using GatewayAgent.Sip.Transactions;
using GatewayAgent.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace GatewayAgent.Sip.UserAgents;

/// <summary>
/// Keeps one contact registered (RFC 3261 §10.2): REGISTER with digest authentication (RFC 8760: SHA-256 preferred,
/// MD5), refresh before expiry, retry with exponential backoff and jitter after a failure, and unregister on stop.
/// </summary>
public sealed class RegistrationClient
{
    /// <summary>The shortest wait before a refresh, whatever lifetime the registrar grants.</summary>
    public static readonly TimeSpan MinimumRefresh = TimeSpan.FromSeconds(5);

    private readonly SipTransactionLayer _layer;
    private readonly RegistrationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DigestAuthenticator _authenticator;
    private readonly SipTarget _registrar;
    private readonly string _domain;
    private readonly string _callId;
    private readonly string _fromTag = SipIdentifiers.NewTag();
    private long _cseq;

    public RegistrationClient(SipTransactionLayer layer, RegistrationOptions options, TimeProvider time, ILogger<RegistrationClient> logger, DigestAuthenticator? authenticator = null)
    {
        if (!SipListenAddress.TryParse(options.Registrar, out var registrar, out var error))
        {
            throw new ArgumentException($"Agent:Sip:Register:Registrar '{options.Registrar}': {error} (expected e.g. udp:192.0.2.1:5060)", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.User))
        {
            throw new ArgumentException("Agent:Sip:Register:User is required when a registrar is set", nameof(options));
        }

        _layer = layer;
        _options = options;
        _time = time;
        _logger = logger;
        _authenticator = authenticator ?? new DigestAuthenticator();
        _registrar = new SipTarget(registrar.Transport, registrar.EndPoint);
        _domain = string.IsNullOrWhiteSpace(options.Domain) ? SipEndPoints.FormatHost(registrar.EndPoint.Address) : options.Domain;
        _callId = SipIdentifiers.NewCallId(_domain);
        Status = new RegistrationStatus(RegistrationState.Unregistered, null, null, null);
    }

    public RegistrationStatus Status { get; private set; }

    /// <summary>Raised on every state change.</summary>
    public event Action<RegistrationStatus>? StatusChanged;

    /// <summary>Registers, refreshes and retries until cancelled; then unregisters (Expires: 0).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = _options.RetryMin;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            var granted = await RegisterOnceAsync(_options.Expiry, cancellationToken).ConfigureAwait(false);
            if (granted is { } lifetime)
            {
                retry = _options.RetryMin;

                // Refresh at half the lifetime for short ones, else 30 s before expiry; never sooner than the floor, so a
                // registrar granting a lifetime of a second or two cannot make us send REGISTERs back to back (issue 12).
                wait = lifetime < TimeSpan.FromMinutes(2) ? lifetime / 2 : lifetime - TimeSpan.FromSeconds(30);
                wait = wait < MinimumRefresh ? MinimumRefresh : wait;
                SipLog.RegistrationRefresh(_logger, wait.TotalSeconds);
            }
            else
            {
                wait = Jitter(retry);
                retry = retry * 2 < _options.RetryMax ? retry * 2 : _options.RetryMax;
                SipLog.RegistrationRetry(_logger, wait.TotalSeconds);
            }

            try
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (Status.State == RegistrationState.Registered)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await RegisterOnceAsync(TimeSpan.Zero, cts.Token).ConfigureAwait(false);
        }
    }

    /// <summary>One REGISTER exchange (with one authentication round); returns the lifetime granted, or null on failure.</summary>
    public async Task<TimeSpan?> RegisterOnceAsync(TimeSpan expiry, CancellationToken cancellationToken)
    {
        if (expiry > TimeSpan.Zero)
        {
            SetStatus(new RegistrationStatus(RegistrationState.Registering, Status.ExpiresAt, null, null));
        }

        string? authorization = null;
        var authHeader = HeaderNames.Authorization;
        for (var round = 0; round < 3; round++)
        {
            var request = CreateRegister(expiry, authHeader, authorization);
            ClientTransactionResult result;
            try
            {
                result = await _layer.SendRequest(request, _registrar).Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            var response = result.Response;
            if (response is { StatusCode: 401 or 407 } challengeResponse && round < 2)
            {
                var challengeName = challengeResponse.StatusCode == 401 ? HeaderNames.WwwAuthenticate : HeaderNames.ProxyAuthenticate;
                authHeader = challengeResponse.StatusCode == 401 ? HeaderNames.Authorization : HeaderNames.ProxyAuthorization;
                var credentials = _authenticator.Authenticate(challengeResponse.Headers.GetValues(challengeName), SipMethods.Register,
                    request.RequestUri.ToString(), _options.AuthUser ?? _options.User!, _options.Password ?? "");
                if (credentials is null)
                {
                    return Fail(challengeResponse.StatusCode, "the registrar's challenge uses no supported digest algorithm");
                }

                if (authorization is not null && !DigestChallenge.ParseAll(challengeResponse.Headers.GetValues(challengeName)).Any(c => c.Stale))
                {
                    return Fail(challengeResponse.StatusCode, "credentials rejected");
                }

                authorization = credentials.ToString();
                continue;
            }

            if (response is { StatusCode: 423 } && response.Headers[HeaderNames.MinExpires] is { } min &&
                int.TryParse(min, NumberStyles.None, CultureInfo.InvariantCulture, out var minSeconds) && round < 2)
            {
                expiry = TimeSpan.FromSeconds(minSeconds);
                continue;
            }

            if (response is { IsSuccess: true } ok)
            {
                if (expiry == TimeSpan.Zero)
                {
                    SetStatus(new RegistrationStatus(RegistrationState.Unregistered, null, null, 200));
                    return TimeSpan.Zero;
                }

                var granted = GrantedExpiry(ok) ?? expiry;
                if (granted <= TimeSpan.Zero)
                {
                    // A 200 whose binding for our Contact has expires=0 (or Expires: 0) keeps nothing registered: it is a
                    // refusal, retried with backoff like any other. Taken as a lifetime it made the refresh wait 0 and the
                    // agent re-registered in a tight loop (issue 12 item 6).
                    return Fail(ok.StatusCode, "the registrar granted a lifetime of 0 (expires=0): not registered");
                }

                SetStatus(new RegistrationStatus(RegistrationState.Registered, _time.GetUtcNow() + granted, null, ok.StatusCode));
                SipLog.Registered(_logger, _options.User!, _domain, granted.TotalSeconds);
                return granted;
            }

            return Fail(result.StatusCode, result.Error ?? response?.ReasonPhrase ?? "no response");
        }

        return Fail(0, "authentication did not complete");
    }

    private TimeSpan? Fail(int statusCode, string error)
    {
        SetStatus(new RegistrationStatus(RegistrationState.Failed, null, error, statusCode));
        SipLog.RegistrationFailed(_logger, _options.User!, _domain, statusCode, error);
        return null;
    }

    private SipRequest CreateRegister(TimeSpan expiry, string authHeader, string? authorization)
    {
        var local = _layer.Sender.GetLocalEndPoint(_registrar);
        var sentBy = SipEndPoints.FormatHostPort(local);
        var transport = _registrar.ViaTransport;
        var aor = $"sip:{_options.User}@{_domain}";
        var request = new SipRequest(SipMethods.Register, SipUri.Parse("sip:" + _domain));
        request.Headers.Add(HeaderNames.Via, $"SIP/2.0/{transport} {sentBy};branch={SipIdentifiers.NewBranch()};rport");
        request.Headers.Add(HeaderNames.MaxForwards, "70");
        request.Headers.Add(HeaderNames.From, $"<{aor}>;tag={_fromTag}");
        request.Headers.Add(HeaderNames.To, $"<{aor}>");
        request.Headers.Add(HeaderNames.CallId, _callId);
        request.Headers.Add(HeaderNames.CSeq, $"{Interlocked.Increment(ref _cseq)} REGISTER");
        request.Headers.Add(HeaderNames.Contact, $"<{ContactUri(sentBy, transport)}>");
        request.Headers.Add(HeaderNames.Expires, ((long)expiry.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(HeaderNames.UserAgent, "gateway-agent");
        if (authorization is not null)
        {
            request.Headers.Add(authHeader, authorization);
        }

        return request;
    }

    private string ContactUri(string sentBy, string transport) =>
        $"sip:{_options.ContactUser ?? _options.User}@{sentBy}{(transport == "TCP" ? ";transport=tcp" : "")}";

    // RFC 3261 §10.2.4: the lifetime is the expires parameter of our Contact in the 200, else its Expires header.
    private static TimeSpan? GrantedExpiry(SipResponse ok)
    {
        foreach (var contact in ok.Headers.GetValues(HeaderNames.Contact))
        {
            if (NameAddress.TryParse(contact, out var address) &&
                int.TryParse(address.Parameters["expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        return int.TryParse(ok.Headers[HeaderNames.Expires], NumberStyles.None, CultureInfo.InvariantCulture, out var header)
            ? TimeSpan.FromSeconds(header)
            : null;
    }

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.8 + (0.4 * Random.Shared.NextDouble()));

    private void SetStatus(RegistrationStatus status)
    {
        var changed = status.State != Status.State;
        Status = status;
        if (changed)
        {
            StatusChanged?.Invoke(status);
        }
    }
}
