using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Customers;
using GatewayAgent.Controller.Detection;
using GatewayAgent.Controller.Forwarding;
using GatewayAgent.Controller.Ingest;
using GatewayAgent.Controller.Notification;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Domain.Mail;

namespace GatewayAgent.Controller.Api;

/// <summary>
/// The operator REST API under /api/contracts. Every change is one transaction; a rule violation is a 400 and saves
/// nothing. Every endpoint names the least <see cref="ApiRole"/> it needs (docs/security.md has the table); a
/// <see cref="ApiRole.Read"/> caller gets personal data masked (<see cref="PersonalDataMask"/>).
/// </summary>
public static class ContractEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapContractEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var contracts = endpoints.MapGroup("/api/contracts").WithTags("contracts");
        contracts.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (ContractRuleException ex)
            {
                return ApiProblems.Invalid(ex.Violations);
            }
            catch (ForwardingHeldException ex)
            {
                return ApiProblems.Held(ex);
            }
        });

        contracts.MapGet("/", async (ContractStore store, HttpContext http, CancellationToken ct) =>
                Results.Ok(MaskedEach(http, await store.ListAsync(ct), PersonalDataMask.Contract)))
            .RequireApiRole(ApiRole.Read)
            .WithSummary("All contracts with their numbers, settings, detector and switch state.");

        contracts.MapPost("/", async (ContractDefinition body, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
            {
                var created = await store.CreateAsync(body, ct);
                Log.ContractChanged(logs.CreateLogger(typeof(ContractEndpoints)), created.Id, "created", Actor(http), ApiCaller.OperatorNote(http));
                return Results.Created($"/api/contracts/{created.Id}", created);
            })
            .RequireApiRole(ApiRole.Admin)
            .WithSummary("Creates a contract (FN-2, FN-8, FN-9, FN-10, FN-14, BF-2, BF-9, BF-14 checked).");

        contracts.MapGet("/{id:long}", async (long id, ContractStore store, HttpContext http, CancellationToken ct) =>
                await store.GetAsync(id, ct) is { } contract ? Results.Ok(Masked(http, contract, PersonalDataMask.Contract)) : ApiProblems.NotFound(id))
            .RequireApiRole(ApiRole.Read);

        contracts.MapPut("/{id:long}", (long id, bool? force, ContractDefinition body, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
                UpdateAsync(id, _ => body, force, "replaced", store, http, logs, ct))
            .RequireApiRole(ApiRole.Admin)
            .WithSummary("Replaces a contract's definition (a null sitePassword keeps the stored one; BF-5 guard, ?force=true).");

        contracts.MapDelete("/{id:long}", async (long id, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
        {
            if (!await store.DeleteAsync(id, ct))
            {
                return ApiProblems.NotFound(id);
            }

            Log.ContractChanged(logs.CreateLogger(typeof(ContractEndpoints)), id, "deleted", Actor(http), ApiCaller.OperatorNote(http));
            return Results.NoContent();
        }).RequireApiRole(ApiRole.Admin);

        contracts.MapPut("/{id:long}/numbers", async (long id, bool? force, NumbersRequest body, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
                Changed(
                    id,
                    await store.SetNumbersAsync(id, body.AdditionalNumbers, body.MonitoringNumber, body.Channels, force ?? false, ct),
                    "numbers changed",
                    http,
                    logs))
            .RequireApiRole(ApiRole.Admin)
            .WithSummary("Sets the additional numbers, the monitoring number (FN-2: the probe follows it) and the channel count (BF-5 guard, ?force=true).");

        contracts.MapGet("/{id:long}/numbers", async (long id, string? search, ContractStore store, HttpContext http, CancellationToken ct) =>
            {
                if (await store.GetAsync(id, ct) is not { } contract)
                {
                    return ApiProblems.NotFound(id);
                }

                var destinations = contract.Destinations.ToDictionary(d => d.Number, d => d.Destination, StringComparer.Ordinal);
                return Results.Ok(contract.AdditionalNumbers.Prepend(contract.ContractNumber)
                    .Where(n => NumberSearch.Matches(n, search))
                    .Select(n => new NumberEntry(n, n == contract.ContractNumber, n == contract.MonitoringNumber, destinations.GetValueOrDefault(n)))
                    .Select(n => Masked(http, n, PersonalDataMask.NumberEntry))
                    .ToList());
            })
            .RequireApiRole(ApiRole.Read)
            .WithSummary("The contract's numbers with their destinations; ?search= part of a number, * as wildcard (BF-13).");

        contracts.MapGet("/{id:long}/destinations", async (long id, ContractStore store, HttpContext http, CancellationToken ct) =>
                await store.GetAsync(id, ct) is { } contract ? Results.Ok(Masked(http, contract.Destinations, PersonalDataMask.Destinations)) : ApiProblems.NotFound(id))
            .RequireApiRole(ApiRole.Read);

        contracts.MapPut("/{id:long}/destinations", (long id, bool? force, List<DestinationEntry> body, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
                UpdateAsync(id, current => current with { Destinations = body }, force, "destinations replaced", store, http, logs, ct))
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("Replaces the whole destination table (BF-2 at most one per number, BF-9, BF-14; BF-5 guard, ?force=true).");

        contracts.MapDelete("/{id:long}/destinations", (long id, bool? force, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
                UpdateAsync(id, current => current with { Destinations = [] }, force, "destinations cleared", store, http, logs, ct))
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("Clears the destination table: the one explicit way to remove every destination (BF-12; BF-5 guard, ?force=true).");

        contracts.MapPut("/{id:long}/destinations/{number}", async (long id, string number, DestinationRequest body, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
                Changed(id, await store.SetDestinationAsync(id, number, body.Destination, ct), "destination set", http, logs))
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("Sets (replaces) the destination of one number (BF-2, BF-9, BF-14).");

        contracts.MapDelete("/{id:long}/destinations/{number}", async (long id, string number, bool? force, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
                Changed(id, await store.RemoveDestinationAsync(id, number, force ?? false, ct), "destination removed", http, logs))
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("Removes one number's destination (BF-5 guard on the last one, ?force=true).");

        contracts.MapGet("/{id:long}/destinations.csv", DestinationsCsvAsync)
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("BF-12 download: every number as \"source\",\"destination\" rows, CR+LF; ?encoding=utf-8 (default, no BOM), utf-8-bom or shift_jis.");

        contracts.MapPut("/{id:long}/destinations.csv", DestinationsFromCsvAsync)
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("BF-12 bulk set from CSV (raw body or multipart field \"file\"; UTF-8, UTF-16 with BOM, Shift_JIS); ?dryRun=true shows the changes (BF-16); ?force=true (BF-5).");

        contracts.MapGet("/{id:long}/notification", async (long id, ContractStore store, HttpContext http, CancellationToken ct) =>
                await store.GetAsync(id, ct) is { } contract ? Results.Ok(Masked(http, contract.Notification, PersonalDataMask.Notification)) : ApiProblems.NotFound(id))
            .RequireApiRole(ApiRole.Read);

        contracts.MapPut("/{id:long}/notification", (long id, NotificationSettings body, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
                UpdateAsync(id, current => current with { Notification = body }, null, "notification settings changed", store, http, logs, ct))
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("Mail content (FN-10), recipients (FN-8, FN-9), auto-start/stop (FN-6, FN-7) and service on/off (FN-14).");

        contracts.MapPut("/{id:long}/recipients", (long id, List<RecipientEntry> body, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
                UpdateAsync(id, current => current with { Notification = current.Notification with { Recipients = body } }, null, "recipients changed", store, http, logs, ct))
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("Replaces the recipients (FN-8: up to 20, each with a send flag; FN-9 address rules).");

        contracts.MapGet("/{id:long}/screening", async (long id, ContractStore store, HttpContext http, CancellationToken ct) =>
                await store.GetAsync(id, ct) is { } contract ? Results.Ok(Masked(http, contract.Screening, PersonalDataMask.Screening)) : ApiProblems.NotFound(id))
            .RequireApiRole(ApiRole.Read);

        contracts.MapPut("/{id:long}/screening", async (long id, ScreeningSettings body, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
                Changed(id, await store.SetScreeningAsync(id, body, ct), "screening changed", http, logs))
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("Call screening (BF-10): rejectAnonymous (Number Request) and the nuisance-caller list (at most 1000; FN-12: never the probe caller).");

        contracts.MapPut("/{id:long}/site", (long id, SiteRequest body, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
                UpdateAsync(id, current => current with { SiteId = body.SiteId, SitePassword = body.Password }, null, "site changed", store, http, logs, ct))
            .RequireApiRole(ApiRole.Admin)
            .WithSummary("Links the site's agent: MQTT site id and password (stored as a PBKDF2 hash).");

        contracts.MapPut("/{id:long}/probe", (long id, ProbeRequest body, ContractStore store, HttpContext http, ILoggerFactory logs, CancellationToken ct) =>
                UpdateAsync(
                    id,
                    current => current with { ProbeTarget = body.ProbeTarget, OutboundProxy = body.OutboundProxy, ProbeInterval = body.ProbeInterval },
                    null,
                    "probe target changed",
                    store,
                    http,
                    logs,
                    ct))
            .RequireApiRole(ApiRole.Admin)
            .WithSummary("Sets the probe target (SIP URI of the site's agent), optional outbound proxy and interval.");

        contracts.MapPost("/{id:long}/forwarding/start", async (long id, StartForwardingRequest? body, ForwardingSwitch forwarding, HttpContext http, CancellationToken ct) =>
                await forwarding.StartAsync(id, Actor(http), body?.Note, ApiCaller.OperatorNote(http), ct) is { } contract
                    ? Results.Ok(contract.Forwarding)
                    : ApiProblems.NotFound(id))
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("Starts bulk forward (BF-4: needs a registered destination; BF-11: 409 while the operator holds it).");

        contracts.MapPost("/{id:long}/forwarding/stop", async (long id, StopForwardingRequest? body, ForwardingSwitch forwarding, HttpContext http, CancellationToken ct) =>
                await forwarding.StopAsync(id, body?.OperatorOverride ?? false, Actor(http), body?.Note, ApiCaller.OperatorNote(http), ct) is { } contract
                    ? Results.Ok(contract.Forwarding)
                    : ApiProblems.NotFound(id))
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("Stops bulk forward; operatorOverride=true is the BF-11 stop on the destination owner's request (note required): it also holds the switch off until released.");

        contracts.MapPost("/{id:long}/forwarding/release", async (long id, ReleaseForwardingRequest? body, ForwardingSwitch forwarding, HttpContext http, CancellationToken ct) =>
                await forwarding.ReleaseAsync(id, Actor(http), body?.Note, ApiCaller.OperatorNote(http), ct) is { } contract
                    ? Results.Ok(contract.Forwarding)
                    : ApiProblems.NotFound(id))
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("Releases the operator's hold (BF-11, note required); forwarding stays off until started.");

        contracts.MapGet("/{id:long}/forwarding/audit", async (long id, int? limit, ContractStore store, ForwardingSwitch forwarding, HttpContext http, CancellationToken ct) =>
                await store.GetAsync(id, ct) is null
                    ? ApiProblems.NotFound(id)
                    : Results.Ok(MaskedEach(http, await forwarding.GetAuditAsync(id, Limit(limit), ct), PersonalDataMask.Audit)))
            .RequireApiRole(ApiRole.Read);

        contracts.MapGet("/{id:long}/audit", async (long id, int? limit, long? before, ContractStore store, SettingsAuditLog audit, HttpContext http, CancellationToken ct) =>
            {
                if (await store.GetAsync(id, ct) is null)
                {
                    return ApiProblems.NotFound(id);
                }

                var page = await audit.ListAsync(id, Limit(limit), before, ct);
                return Results.Ok(PersonalDataMask.Applies(http) ? page with { Entries = [.. page.Entries.Select(PersonalDataMask.SettingsAudit)] } : page);
            })
            .RequireApiRole(ApiRole.Read)
            .WithSummary("The settings audit (issue 11): every change from the settings site and the IVR, who, when, on what and what; newest first, ?limit= and ?before= (the page's nextBefore) to page back.");

        contracts.MapGet("/{id:long}/status", async (long id, ContractStore store, HttpContext http, CancellationToken ct) =>
        {
            if (await store.GetAsync(id, ct) is not { } contract)
            {
                return ApiProblems.NotFound(id);
            }

            var reader = http.RequestServices.GetService<ISiteLiveStatusReader>();
            var live = contract.SiteId is { } site && reader is not null ? await reader.GetAsync(site, ct) : null;
            return Results.Ok(new ContractStatus(
                contract.Id, contract.ContractNumber, contract.Notification.ServiceOn, contract.Detector, contract.Forwarding, contract.SiteId, live));
        }).RequireApiRole(ApiRole.Read).WithSummary("Detector state, switch state and the site's live telemetry status.");

        contracts.MapGet("/{id:long}/probes", async (long id, int? limit, ContractStore store, DetectionHistory history, CancellationToken ct) =>
                await store.GetAsync(id, ct) is null ? ApiProblems.NotFound(id) : Results.Ok(await history.GetProbesAsync(id, Limit(limit), ct)))
            .RequireApiRole(ApiRole.Read);

        contracts.MapGet("/{id:long}/transitions", async (long id, int? limit, ContractStore store, DetectionHistory history, CancellationToken ct) =>
                await store.GetAsync(id, ct) is null ? ApiProblems.NotFound(id) : Results.Ok(await history.GetTransitionsAsync(id, Limit(limit), ct)))
            .RequireApiRole(ApiRole.Read);

        contracts.MapGet("/{id:long}/mails", async (long id, int? limit, ContractStore store, OutboxStore outbox, HttpContext http, CancellationToken ct) =>
                await store.GetAsync(id, ct) is null
                    ? ApiProblems.NotFound(id)
                    : Results.Ok(MaskedEach(http, await outbox.ListForContractAsync(id, Limit(limit), ct), PersonalDataMask.Mail)))
            .RequireApiRole(ApiRole.Read)
            .WithSummary("Failure, recovery and test mails with their per-recipient delivery status.");

        contracts.MapPost("/{id:long}/test-mail", TestMailAsync)
            .RequireApiRole(ApiRole.Operate)
            .WithSummary("Queues a test mail to one address (FN-8 \"送信テスト\"; the address need not be saved yet).");

        return endpoints;
    }

    private static async Task<IResult> DestinationsCsvAsync(long id, string? encoding, ContractStore store, CancellationToken ct)
    {
        var requested = CsvTextEncoding.Canonical(encoding, out var problem);
        if (problem is not null)
        {
            return ApiProblems.Invalid([new RuleViolation("encoding", "BF-12", problem)]);
        }

        if (await store.GetAsync(id, ct) is not { } contract)
        {
            return ApiProblems.NotFound(id);
        }

        var (bytes, charset) = CsvTextEncoding.Encode(DestinationCsv.Format(contract), requested);
        return Results.File(bytes, $"text/csv; charset={charset}", $"destinations-{contract.ContractNumber}.csv");
    }

    /// <summary>
    /// BF-12 upload: read (bounded), decode, parse, then replace the table in one transaction, or with dryRun only say
    /// what would change (BF-16). An upload with no data rows, or one that would leave no destination where there are
    /// some, is refused: clearing the table is DELETE /destinations.
    /// </summary>
    private static async Task<IResult> DestinationsFromCsvAsync(
        long id,
        string? encoding,
        bool? dryRun,
        bool? force,
        HttpRequest request,
        ContractStore store,
        HttpContext http,
        ILoggerFactory logs,
        CancellationToken ct)
    {
        var requested = CsvTextEncoding.Canonical(encoding, out var encodingProblem);
        if (encodingProblem is not null)
        {
            return ApiProblems.Invalid([new RuleViolation("encoding", "BF-12", encodingProblem)]);
        }

        var (bytes, readProblem) = await CsvUpload.ReadAsync(request, ct);
        if (readProblem is not null)
        {
            return readProblem;
        }

        var clearHint = $"to clear the table use DELETE /api/contracts/{id}/destinations";
        var (table, violations) = DestinationCsvImport.Read(bytes!, requested, clearHint);
        if (table is null)
        {
            return ApiProblems.Invalid(violations);
        }

        var change = DestinationCsvImport.Change(table, clearHint);
        try
        {
            if (dryRun ?? false)
            {
                if (await store.PreviewAsync(id, change, force ?? false, ct) is not { } preview)
                {
                    return ApiProblems.NotFound(id);
                }

                // In the stored order (the contract number first), as GET /destinations will list them.
                var next = preview.Next;
                var position = next.AdditionalNumbers.Prepend(next.ContractNumber!).Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
                return Results.Ok(DestinationPreview.Between(
                    preview.Current.Destinations, [.. next.Destinations.OrderBy(d => position.GetValueOrDefault(d.Number, int.MaxValue))]));
            }

            return await UpdateAsync(id, change, force, "destinations set from CSV", store, http, logs, ct);
        }
        catch (ContractRuleException ex)
        {
            // Name the CSV line instead of the destinations[] index.
            return ApiProblems.Invalid(DestinationCsvImport.NameLines(ex.Violations, table));
        }
    }

    private static async Task<IResult> TestMailAsync(
        long id, TestMailRequest body, ContractStore store, OutboxStore outbox, TimeProvider time, HttpContext http, ILoggerFactory logs, CancellationToken ct)
    {
        var address = body.Address?.Trim();
        if (MailAddressRule.Check(address) is { } problem) // FN-9
        {
            return ApiProblems.Invalid([new RuleViolation("address", "FN-9", problem)]);
        }

        if (await store.GetAsync(id, ct) is not { } contract)
        {
            return ApiProblems.NotFound(id);
        }

        if (http.RequestServices.GetService<IMailComposer>() is not { } composer)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Mail is not configured", detail: "No mail composer is registered.");
        }

        var mailId = await TestMail.QueueAsync(contract, address!, composer, outbox, time.GetUtcNow(), ct);
        Log.TestMailQueued(logs.CreateLogger(typeof(ContractEndpoints)), contract.Id, mailId, address!, Actor(http));
        return Results.Accepted($"/api/contracts/{contract.Id}/mails", new TestMailQueued(mailId, address!));
    }

    /// <summary>
    /// Applies a change and answers with the stored record, numbers and destinations in their normalised form, so the
    /// caller sees exactly what was registered (BF-16).
    /// </summary>
    private static async Task<IResult> UpdateAsync(
        long id,
        Func<ContractDefinition, ContractDefinition> change,
        bool? force,
        string what,
        ContractStore store,
        HttpContext http,
        ILoggerFactory logs,
        CancellationToken ct) =>
        Changed(id, await store.UpdateAsync(id, change, force ?? false, ct), what, http, logs);

    /// <summary>Maps a store update: 404 when the contract does not exist, else the audit log line and 200 with the contract.</summary>
    private static IResult Changed(long id, ContractRecord? updated, string what, HttpContext http, ILoggerFactory logs)
    {
        if (updated is null)
        {
            return ApiProblems.NotFound(id);
        }

        Log.ContractChanged(logs.CreateLogger(typeof(ContractEndpoints)), id, what, Actor(http), ApiCaller.OperatorNote(http));
        return Results.Ok(updated);
    }

    /// <summary>Who made a change, for the audit: the authenticated API key's name (X-Operator is only a note beside it).</summary>
    private static string Actor(HttpContext http) => ApiCaller.Of(http).Name;

    /// <summary>The value as a read-only caller may see it (<see cref="PersonalDataMask"/>), or as it is for operate and admin.</summary>
    private static T Masked<T>(HttpContext http, T value, Func<T, T> mask) => PersonalDataMask.Applies(http) ? mask(value) : value;

    private static IReadOnlyList<T> MaskedEach<T>(HttpContext http, IReadOnlyList<T> values, Func<T, T> mask) =>
        PersonalDataMask.Applies(http) ? [.. values.Select(mask)] : values;

    private static int Limit(int? limit) => Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);
}
