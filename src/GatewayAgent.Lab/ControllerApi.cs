using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using GatewayAgent.Contracts.Api;

namespace GatewayAgent.Lab;

/// <summary>
/// The few operator API calls the lab makes (REST with an API key, see docs/controller.md), with the controller's own
/// request and response records (GatewayAgent.Contracts.Api) and its JSON settings (web defaults, enums as strings).
/// </summary>
public sealed class ControllerApi : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly HttpClient _http;

    public ControllerApi(Uri baseAddress, string apiKey)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
    }

    /// <summary>Whether /healthz answers 2xx now; false when it does not answer within the client's timeout (a busy machine).</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>
    /// Creates the site's contract, or replaces it when one with its contract number exists; returns its id. Probes go
    /// through the edge (<paramref name="outboundProxy"/>, udp:127.0.0.1:EDGEPORT); the probe target, the site's agent,
    /// is also the address the edge uses for the site while its agent is not registered.
    /// </summary>
    public async Task<long> UpsertContractAsync(LabSite site, string sitePassword, string outboundProxy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        var body = new ContractDefinition
        {
            ContractNumber = site.ContractNumber,
            AdditionalNumbers = [site.SecondNumber, site.MonitoringNumber],
            Channels = 2,
            MonitoringNumber = site.MonitoringNumber,
            ProbeTarget = site.ProbeTarget,
            OutboundProxy = outboundProxy,
            SiteId = site.SiteId,
            SitePassword = sitePassword,
            Destinations = [new DestinationEntry(site.ContractNumber, site.Destination)],
            Notification = new NotificationSettings
            {
                HolderName = "ラボ株式会社",
                SiteInformation = $"検証拠点{site.Index}",
                Recipients = [new RecipientEntry(site.Recipient, Send: true), new RecipientEntry(site.BackupRecipient, Send: false)],
                AutoStart = true,
                AutoStop = true,
                ServiceOn = true,
            },
        };

        var existing = (await ListContractsAsync(cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(c => c.ContractNumber == site.ContractNumber);
        using var response = existing is null
            ? await _http.PostAsJsonAsync(new Uri("/api/contracts", UriKind.Relative), body, Json, cancellationToken).ConfigureAwait(false)
            : await _http.PutAsJsonAsync(new Uri($"/api/contracts/{existing.Id}", UriKind.Relative), body, Json, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"the controller refused site {site.Index}'s contract: {(int)response.StatusCode} {problem}");
        }

        if (existing is not null)
        {
            return existing.Id;
        }

        var created = await response.Content.ReadFromJsonAsync<ContractRecord>(Json, cancellationToken).ConfigureAwait(false);
        return created?.Id ?? throw new InvalidOperationException("the controller created a contract without an id");
    }

    public async Task<IReadOnlyList<ContractRecord>> ListContractsAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<List<ContractRecord>>(new Uri("/api/contracts", UriKind.Relative), Json, cancellationToken).ConfigureAwait(false) ?? [];

    public async Task<ContractRecord?> GetContractAsync(long id, CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<ContractRecord>(new Uri($"/api/contracts/{id}", UriKind.Relative), Json, cancellationToken).ConfigureAwait(false);

    public async Task<ContractStatus?> GetStatusAsync(long id, CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<ContractStatus>(new Uri($"/api/contracts/{id}/status", UriKind.Relative), Json, cancellationToken).ConfigureAwait(false);

    public async Task<ProbeHistoryEntry?> GetLastProbeAsync(long id, CancellationToken cancellationToken)
    {
        var probes = await _http.GetFromJsonAsync<List<ProbeHistoryEntry>>(new Uri($"/api/contracts/{id}/probes?limit=1", UriKind.Relative), Json, cancellationToken).ConfigureAwait(false);
        return probes is { Count: > 0 } ? probes[0] : null;
    }

    /// <summary>The contract's last <paramref name="limit"/> probe records, newest first.</summary>
    public async Task<IReadOnlyList<ProbeHistoryEntry>> GetProbesAsync(long id, int limit, CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<List<ProbeHistoryEntry>>(new Uri($"/api/contracts/{id}/probes?limit={limit}", UriKind.Relative), Json, cancellationToken).ConfigureAwait(false) ?? [];

    public async Task<IReadOnlyList<OutboxEntry>> GetMailsAsync(long id, CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<List<OutboxEntry>>(new Uri($"/api/contracts/{id}/mails?limit=100", UriKind.Relative), Json, cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>GET /api/cluster (docs/scale-out.md): the nodes, their shards and health, as the answering node sees them.</summary>
    public async Task<ClusterState?> GetClusterAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<ClusterState>(new Uri("/api/cluster", UriKind.Relative), Json, cancellationToken).ConfigureAwait(false);

    public void Dispose() => _http.Dispose();
}

/// <summary>What GET /api/cluster answers (the controller's ClusterView).</summary>
public sealed record ClusterState(bool Clustered, string ServedBy, int Shards, IReadOnlyList<ClusterNodeState> Nodes, int Unowned);

/// <summary>One node in GET /api/cluster.</summary>
public sealed record ClusterNodeState(string NodeId, DateTimeOffset HeartbeatAt, bool Healthy, bool Live, int Shards);
