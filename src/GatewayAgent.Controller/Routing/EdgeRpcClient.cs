using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GatewayAgent.Controller.Routing;

/// <summary>
/// One edge node's JSON-RPC endpoint (kamailio jsonrpcs over xhttp): htable.sets, htable.delete, htable.reload and
/// core.uptime. Every failure (connection, HTTP status, timeout, a JSON-RPC error) is an <see cref="EdgeRpcException"/>.
/// </summary>
public sealed class EdgeRpcClient(HttpClient http, Uri url, TimeSpan timeout)
{
    private long _id;

    public Uri Url => url;

    /// <summary>Sets a string value (htable.sets).</summary>
    public Task SetAsync(EdgeTable table, string key, string value, CancellationToken cancellationToken) =>
        CallAsync("htable.sets", [table.Name, key, value], cancellationToken);

    /// <summary>Deletes a key (htable.delete); a key that is not there is fine.</summary>
    public async Task DeleteAsync(EdgeTable table, string key, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync("htable.delete", [table.Name, key], cancellationToken).ConfigureAwait(false);
        }
        catch (EdgeRpcException ex) when (ex.Message.Contains("Key not found", StringComparison.OrdinalIgnoreCase))
        {
            // already gone: what we wanted
        }
    }

    /// <summary>Reloads a whole table from its database view (htable.reload): what the edge holds becomes what the database says.</summary>
    public Task ReloadAsync(EdgeTable table, TimeSpan reloadTimeout, CancellationToken cancellationToken) =>
        CallAsync("htable.reload", [table.Name], cancellationToken, reloadTimeout);

    /// <summary>The node's start time as it reports it (core.uptime "up_since"): a new value means it restarted.</summary>
    public async Task<string> StartedAsync(CancellationToken cancellationToken)
    {
        var result = await CallAsync("core.uptime", [], cancellationToken).ConfigureAwait(false);
        return result?["up_since"]?.ToString() ?? throw new EdgeRpcException($"{url}: core.uptime answered without up_since");
    }

    /// <summary>The value of a key, or null (htable.get); for tests and the bench.</summary>
    public async Task<string?> GetAsync(EdgeTable table, string key, CancellationToken cancellationToken)
    {
        try
        {
            var result = await CallAsync("htable.get", [table.Name, key], cancellationToken).ConfigureAwait(false);
            return result?["item"]?["value"]?.ToString();
        }
        catch (EdgeRpcException ex) when (ex.Message.Contains("Key name doesn't exist", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("Key not found", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
    }

    private async Task<JsonNode?> CallAsync(string method, string[] parameters, CancellationToken cancellationToken, TimeSpan? callTimeout = null)
    {
        var limit = callTimeout ?? timeout;
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = method,
            ["params"] = new JsonArray([.. parameters.Select(p => (JsonNode?)JsonValue.Create(p))]),
            ["id"] = Interlocked.Increment(ref _id),
        };
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(limit);
        try
        {
            using var content = new StringContent(request.ToJsonString(), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(url, content, timeoutSource.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeoutSource.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new EdgeRpcException(string.Create(CultureInfo.InvariantCulture, $"{url}: {method} got HTTP {(int)response.StatusCode}: {Trim(text)}"));
            }

            var reply = JsonNode.Parse(text);
            if (reply?["error"] is { } error)
            {
                throw new EdgeRpcException($"{url}: {method} failed: {error["message"] ?? error}");
            }

            return reply?["result"];
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EdgeRpcException($"{url}: {method} got no answer within {limit.TotalSeconds:0.#} s", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            throw new EdgeRpcException($"{url}: {method}: {ex.Message}", ex);
        }
    }

    private static string Trim(string text) => text.Length > 200 ? text[..200] : text.Trim();
}
