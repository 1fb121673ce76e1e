using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GatewayAgent.Controller.Api;
using GatewayAgent.Controller.Tests.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GatewayAgent.Controller.Tests.Api;

/// <summary>
/// Issue 12 item 7: named API keys with roles, the key's name as the audited actor (X-Operator a note beside it),
/// personal data masked for a read key, failed authentication throttled per source. The real host on SQLite.
/// </summary>
[Trait("Ring", "integration")]
public sealed class ApiRoleTests : IDisposable
{
    private const string ReadKey = "read-key-0123456789abcdef";
    private const string OperateKey = "operate-key-0123456789abcdef";
    private const string AdminKey = "admin-key-0123456789abcdef";
    private const string LegacyKey = "legacy-key-0123456789abcdef";
    private const string HashedKey = "hashed-key-0123456789abcdef";
    private const string SourceHeader = "X-Test-Source";

    private static readonly Uri Contracts = new("/api/contracts", UriKind.Relative);

    private readonly ControllerApiFactory _factory = new();

    public ApiRoleTests()
    {
        var settings = _factory.Settings;
        settings["Controller:Api:Keys:0"] = LegacyKey;
        settings["Controller:Api:NamedKeys:1:Name"] = "dashboard";
        settings["Controller:Api:NamedKeys:1:Key"] = ReadKey;
        settings["Controller:Api:NamedKeys:1:Role"] = "read";
        settings["Controller:Api:NamedKeys:2:Name"] = "noc-ops";
        settings["Controller:Api:NamedKeys:2:Key"] = OperateKey;
        settings["Controller:Api:NamedKeys:2:Role"] = "operate";
        settings["Controller:Api:NamedKeys:3:Name"] = "provisioning";
        settings["Controller:Api:NamedKeys:3:Key"] = AdminKey;
        settings["Controller:Api:NamedKeys:3:Role"] = "admin";
        settings["Controller:Api:NamedKeys:4:Name"] = "hashed";
        settings["Controller:Api:NamedKeys:4:KeySha256"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(HashedKey)));
        settings["Controller:Api:NamedKeys:4:Role"] = "read";
        settings["Controller:Api:FailedAuthLimit"] = "3";
        _factory.ExtraServices.Add(services => services.AddSingleton<IStartupFilter>(new SourceFromHeader()));
    }

    public void Dispose() => _factory.Dispose();

    private HttpClient Client(string? key, string? source = null, string? operatorNote = null)
    {
        var client = _factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        if (source is not null)
        {
            client.DefaultRequestHeaders.Add(SourceHeader, source);
        }

        if (operatorNote is not null)
        {
            client.DefaultRequestHeaders.Add("X-Operator", operatorNote);
        }

        return client;
    }

    private async Task<ContractRecord> CreateAsync(string prefix)
    {
        using var admin = Client(AdminKey);
        var response = await admin.PostAsJsonAsync(Contracts, ContractSamples.Monitored(prefix) with
        {
            Screening = new ScreeningSettings { NuisanceCallers = ["09011112222"] },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ContractRecord>())!;
    }

    /// <summary>The documented table (docs/security.md): every endpoint under /api names its role, and it is this one.</summary>
    [Fact]
    public void EveryApiEndpoint_NamesItsRole_AsInTheDocumentedTable()
    {
        var expected = new Dictionary<string, ApiRole>(StringComparer.Ordinal)
        {
            ["GET /api/contracts/"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}/numbers"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}/destinations"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}/notification"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}/screening"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}/forwarding/audit"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}/audit"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}/status"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}/probes"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}/transitions"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}/mails"] = ApiRole.Read,
            ["GET /api/cluster"] = ApiRole.Read,
            ["GET /api/contracts/{id:long}/destinations.csv"] = ApiRole.Operate,
            ["PUT /api/contracts/{id:long}/destinations"] = ApiRole.Operate,
            ["DELETE /api/contracts/{id:long}/destinations"] = ApiRole.Operate,
            ["PUT /api/contracts/{id:long}/destinations/{number}"] = ApiRole.Operate,
            ["DELETE /api/contracts/{id:long}/destinations/{number}"] = ApiRole.Operate,
            ["PUT /api/contracts/{id:long}/destinations.csv"] = ApiRole.Operate,
            ["PUT /api/contracts/{id:long}/notification"] = ApiRole.Operate,
            ["PUT /api/contracts/{id:long}/recipients"] = ApiRole.Operate,
            ["PUT /api/contracts/{id:long}/screening"] = ApiRole.Operate,
            ["POST /api/contracts/{id:long}/forwarding/start"] = ApiRole.Operate,
            ["POST /api/contracts/{id:long}/forwarding/stop"] = ApiRole.Operate,
            ["POST /api/contracts/{id:long}/forwarding/release"] = ApiRole.Operate,
            ["POST /api/contracts/{id:long}/test-mail"] = ApiRole.Operate,
            ["POST /api/contracts/"] = ApiRole.Admin,
            ["PUT /api/contracts/{id:long}"] = ApiRole.Admin,
            ["DELETE /api/contracts/{id:long}"] = ApiRole.Admin,
            ["PUT /api/contracts/{id:long}/numbers"] = ApiRole.Admin,
            ["PUT /api/contracts/{id:long}/site"] = ApiRole.Admin,
            ["PUT /api/contracts/{id:long}/probe"] = ApiRole.Admin,
        };
        using var client = Client(null); // builds the host
        var actual = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m =>
                (Key: $"{m} {e.RoutePattern.RawText}", Role: e.Metadata.GetMetadata<ApiRoleRequirement>()?.Role)))
            .ToDictionary(p => p.Key, p => p.Role, StringComparer.Ordinal);

        Assert.Equal(expected.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"), actual.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"));
    }

    [Fact]
    public async Task ReadKey_SeesStates_ButNoPersonalData_AndMayChangeNothing()
    {
        var contract = await CreateAsync("06201");
        using var read = Client(ReadKey);

        var seen = (await read.GetFromJsonAsync<ContractRecord>(new Uri($"/api/contracts/{contract.Id}", UriKind.Relative)))!;
        Assert.Equal(contract.ContractNumber, seen.ContractNumber);
        Assert.Equal(contract.Detector, seen.Detector);
        Assert.Equal(["o***@example.jp", "b***@example.jp", "m***@example.jp"], seen.Notification.Recipients.Select(r => r.Address));
        Assert.Equal(("***", "***"), (seen.Notification.HolderName, seen.Notification.SiteInformation));
        Assert.Equal(["*******5678", "******1234"], seen.Destinations.Select(d => d.Destination));
        Assert.Equal(["*******2222"], seen.Screening.NuisanceCallers);
        var listed = await read.GetStringAsync(Contracts);
        Assert.DoesNotContain("ops@example.jp", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("株式会社テスト", listed, StringComparison.Ordinal);
        var notification = await read.GetStringAsync(new Uri($"/api/contracts/{contract.Id}/notification", UriKind.Relative));
        Assert.DoesNotContain("boss@example.jp", notification, StringComparison.Ordinal);

        var csv = await read.GetAsync(new Uri($"/api/contracts/{contract.Id}/destinations.csv", UriKind.Relative));
        var start = await read.PostAsJsonAsync(new Uri($"/api/contracts/{contract.Id}/forwarding/start", UriKind.Relative), new { });
        var delete = await read.DeleteAsync(new Uri($"/api/contracts/{contract.Id}", UriKind.Relative));
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (csv.StatusCode, start.StatusCode, delete.StatusCode));
        using var problem = JsonDocument.Parse(await start.Content.ReadAsStringAsync());
        Assert.Equal("operate", problem.RootElement.GetProperty("requiredRole").GetString());

        // The same contract as operate sees it: nothing masked.
        using var operate = Client(OperateKey);
        var full = (await operate.GetFromJsonAsync<ContractRecord>(new Uri($"/api/contracts/{contract.Id}", UriKind.Relative)))!;
        Assert.Equal("ops@example.jp", full.Notification.Recipients[0].Address);
        Assert.Equal("株式会社テスト", full.Notification.HolderName);
    }

    [Fact]
    public async Task ReadKey_SeesMailsWithTheRecipientMasked()
    {
        var contract = await CreateAsync("06202");
        using var operate = Client(OperateKey);
        var queued = await operate.PostAsJsonAsync(new Uri($"/api/contracts/{contract.Id}/test-mail", UriKind.Relative), new TestMailRequest("someone@example.org"));
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        using var read = Client(ReadKey);

        var mails = await read.GetStringAsync(new Uri($"/api/contracts/{contract.Id}/mails", UriKind.Relative));

        Assert.Contains("s***@example.org", mails, StringComparison.Ordinal);
        Assert.DoesNotContain("someone@", mails, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperateKey_SwitchesForwarding_ButMayNotChangeSiteCredentialsOrDeleteContracts()
    {
        var contract = await CreateAsync("06203");
        using var operate = Client(OperateKey);
        using var admin = Client(AdminKey);

        var start = await operate.PostAsJsonAsync(new Uri($"/api/contracts/{contract.Id}/forwarding/start", UriKind.Relative), new { });
        var site = await operate.PutAsJsonAsync(new Uri($"/api/contracts/{contract.Id}/site", UriKind.Relative), new SiteRequest("site-06203", "new-password-1"));
        var probe = await operate.PutAsJsonAsync(new Uri($"/api/contracts/{contract.Id}/probe", UriKind.Relative), new { probeTarget = "sip:198.51.100.1:5060" });
        var delete = await operate.DeleteAsync(new Uri($"/api/contracts/{contract.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (site.StatusCode, probe.StatusCode, delete.StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync(new Uri($"/api/contracts/{contract.Id}/site", UriKind.Relative), new SiteRequest("site-06203", "new-password-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/contracts/{contract.Id}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task TheAuditedActor_IsTheKeysName_XOperatorIsANoteBesideIt()
    {
        var contract = await CreateAsync("06204");
        using var operate = Client(OperateKey, operatorNote: "alice");
        using var legacy = Client(LegacyKey);

        Assert.Equal(HttpStatusCode.OK, (await operate.PostAsJsonAsync(new Uri($"/api/contracts/{contract.Id}/forwarding/start", UriKind.Relative), new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await legacy.PostAsJsonAsync(new Uri($"/api/contracts/{contract.Id}/forwarding/stop", UriKind.Relative), new { })).StatusCode);
        var audit = (await operate.GetFromJsonAsync<List<JsonElement>>(new Uri($"/api/contracts/{contract.Id}/forwarding/audit", UriKind.Relative)))!;

        // Newest first: the unnamed Controller:Api:Keys:0 is the admin key "key-0".
        Assert.Equal(
            [("key-0", null), ("noc-ops", "alice")],
            audit.Select(a => (a.GetProperty("actor").GetString(), a.GetProperty("operatorNote").GetString())));
        Assert.Contains(_factory.Logs.Lines, m => m.Contains($"Contract {contract.Id}: created by provisioning", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AKeyGivenAsItsSha256_Authenticates()
    {
        using var hashed = Client(HashedKey);
        Assert.Equal(HttpStatusCode.OK, (await hashed.GetAsync(Contracts)).StatusCode);
    }

    [Fact]
    public async Task FailedAuthentication_IsThrottledPerSource_ThenEvenAValidKeyWaits_OtherSourcesDoNot()
    {
        using var guesser = Client("guess-0123456789abcdef", source: "192.0.2.7");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync(Contracts)).StatusCode);
        }

        var throttled = await guesser.GetAsync(Contracts);
        using var sameSourceValidKey = Client(ReadKey, source: "192.0.2.7");
        var valid = await sameSourceValidKey.GetAsync(Contracts);
        using var otherSource = Client(ReadKey, source: "192.0.2.8");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, valid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherSource.GetAsync(Contracts)).StatusCode);

        // The window ends on the (fake) clock: the source may try again.
        _factory.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await sameSourceValidKey.GetAsync(Contracts)).StatusCode);
    }

    /// <summary>The test server has no remote address: take it from a test header, as a real connection would give it.</summary>
    private sealed class SourceFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[SourceHeader].ToString(), out var source))
                {
                    context.Connection.RemoteIpAddress = source;
                }

                await inner(context);
            });
            next(app);
        };
    }
}
