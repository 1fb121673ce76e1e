using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GatewayAgent.Lab;

/// <summary>The few operator API calls the lab makes (REST with an API key, see docs/controller.md).</summary>
public sealed class ControllerApi : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;

    public ControllerApi(Uri baseAddress, string apiKey)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Creates the site's contract, or replaces it when one with its contract number exists; returns its id.</summary>
    public async Task<long> UpsertContractAsync(LabSite site, string sitePassword, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["contractNumber"] = site.ContractNumber,
            ["additionalNumbers"] = new JsonArray(site.MonitoringNumber),
            ["channels"] = 2,
            ["monitoringNumber"] = site.MonitoringNumber,
            ["probeTarget"] = site.ProbeTarget,
            ["siteId"] = site.SiteId,
            ["sitePassword"] = sitePassword,
            ["destinations"] = new JsonArray(new JsonObject { ["number"] = site.ContractNumber, ["destination"] = site.Destination }),
            ["notification"] = new JsonObject
            {
                ["holderName"] = "ラボ株式会社",
                ["siteInformation"] = $"検証拠点{site.Index}",
                ["recipients"] = new JsonArray(
                    new JsonObject { ["address"] = site.Recipient, ["send"] = true },
                    new JsonObject { ["address"] = site.BackupRecipient, ["send"] = false }),
                ["autoStart"] = true,
                ["autoStop"] = true,
                ["serviceOn"] = true,
            },
        };

        var existing = (await ListContractsAsync(cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(c => c.ContractNumber == site.ContractNumber);
        using var response = existing is null
            ? await _http.PostAsJsonAsync(new Uri("/api/contracts", UriKind.Relative), body, cancellationToken).ConfigureAwait(false)
            : await _http.PutAsJsonAsync(new Uri($"/api/contracts/{existing.Id}", UriKind.Relative), body, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"the controller refused site {site.Index}'s contract: {(int)response.StatusCode} {problem}");
        }

        if (existing is not null)
        {
            return existing.Id;
        }

        var created = await response.Content.ReadFromJsonAsync<ContractSummary>(Json, cancellationToken).ConfigureAwait(false);
        return created?.Id ?? throw new InvalidOperationException("the controller created a contract without an id");
    }

    public async Task<IReadOnlyList<ContractSummary>> ListContractsAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<List<ContractSummary>>(new Uri("/api/contracts", UriKind.Relative), Json, cancellationToken).ConfigureAwait(false) ?? [];

    public async Task<ContractStatusView?> GetStatusAsync(long id, CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<ContractStatusView>(new Uri($"/api/contracts/{id}/status", UriKind.Relative), Json, cancellationToken).ConfigureAwait(false);

    public async Task<ProbeView?> GetLastProbeAsync(long id, CancellationToken cancellationToken)
    {
        var probes = await _http.GetFromJsonAsync<List<ProbeView>>(new Uri($"/api/contracts/{id}/probes?limit=1", UriKind.Relative), Json, cancellationToken).ConfigureAwait(false);
        return probes is { Count: > 0 } ? probes[0] : null;
    }

    public async Task<IReadOnlyList<MailView>> GetMailsAsync(long id, CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<List<MailView>>(new Uri($"/api/contracts/{id}/mails?limit=100", UriKind.Relative), Json, cancellationToken).ConfigureAwait(false) ?? [];

    public void Dispose() => _http.Dispose();
}

public sealed record ContractSummary(long Id, string ContractNumber);

public sealed record DetectorSummary(string State, int Misses, int Reached, DateTimeOffset? Since);

public sealed record ForwardingSummary(bool On, DateTimeOffset? Since, string? Reason);

public sealed record LiveSummary(bool Online, string? Power, double? BatteryPercent, string? Wan, DateTimeOffset? LastSeen);

public sealed record ContractStatusView(long ContractId, string ContractNumber, bool ServiceOn, DetectorSummary Detector, ForwardingSummary Forwarding, string? SiteId, LiveSummary? Live);

public sealed record ProbeView(string Outcome, int? Status, string? Detail, DateTimeOffset StartedAt, TimeSpan? SetupTime);

public sealed record MailView(long Id, string Kind, string Recipient, string Subject, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);
