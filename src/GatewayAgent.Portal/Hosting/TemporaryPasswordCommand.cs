using System.Security.Cryptography;
using GatewayAgent.Controller.Accounts;
using GatewayAgent.Controller.Ivr;
using GatewayAgent.Controller.Storage;
using GatewayAgent.Domain.Accounts;

namespace GatewayAgent.Portal.Hosting;

/// <summary>
/// <c>gateway-portal issue-temporary-password</c>: issues a temporary password through the same
/// <see cref="ITemporaryPasswordIssuer"/> the IVR uses (SS-3: the calling line must be a contract's, the number its
/// contract's), with 8 random digits, and prints "NUMBER DIGITS". Exit 0 when set, 1 when refused (the reason on
/// stderr), 2 for a bad option.
/// </summary>
public static class TemporaryPasswordCommand
{
    public const string Verb = "issue-temporary-password";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? calling = null, number = null, unitText = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--calling" when i + 1 < args.Length:
                    calling = args[++i];
                    break;
                case "--unit" when i + 1 < args.Length:
                    unitText = args[++i];
                    break;
                case "--number" when i + 1 < args.Length:
                    number = args[++i];
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        AuthenticationUnit? unit = unitText switch
        {
            "line" or "1" => AuthenticationUnit.Line,
            "number" or "2" => AuthenticationUnit.Number,
            "admin-user" or "3" => AuthenticationUnit.AdminUser,
            _ => null,
        };
        if (calling is null || unit is null || (unit != AuthenticationUnit.Line && number is null))
        {
            await error.WriteLineAsync($"gateway-portal {Verb}: needs --calling NUMBER, --unit line|number|admin-user, and --number for number and admin-user");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. rest], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables("GATEWAY_");
        builder.Configuration.AddCommandLine([.. rest]);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddControllerStorage().AddPortalAccounts();
        using var host = builder.Build();
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(SchemaMigrations.All, CancellationToken.None);

        var digits = string.Concat(Enumerable.Range(0, LockoutRules.TemporaryPasswordDigits).Select(_ => RandomNumberGenerator.GetInt32(10)));
        var issuer = host.Services.GetRequiredService<ITemporaryPasswordIssuer>();
        var refusal = await issuer.IssueAsync(calling, unit.Value, number, digits, CancellationToken.None);
        if (refusal is not null)
        {
            await error.WriteLineAsync($"gateway-portal {Verb}: refused: {refusal}");
            return 1;
        }

        var login = unit == AuthenticationUnit.Line
            ? (await host.Services.GetRequiredService<PortalAccountStore>().ContractNumberOfAsync(calling, CancellationToken.None))!
            : number!;
        await output.WriteLineAsync($"{login} {digits}");
        return 0;
    }
}
